#!/usr/bin/env bash
# Switchboard vs. a raw Kestrel WebSocket echo server (bench/Baseline), interleaved, same machine, same run.
# Builds Release, then runs `LoadGen compare`: a sweep of N, a capacity search (largest N with echo p99 < 50 ms and
# nothing lost) and RSS per idle call, each trial on a fresh server process. Prints the tables with the
# Switchboard / baseline ratios and writes bench/results/latest.json.
#   bash bench/run.sh            # ~15 minutes on 2 cores
#   bash bench/run.sh --quick    # ~8 minutes: shorter trials, coarser search
#   bash bench/run.sh --budget-minutes 40 --media-seconds 30 --resolution 0.02   # longer, finer
# Any other LoadGen compare option passes through (see `dotnet bench/LoadGen/bin/Release/net10.0/LoadGen.dll help`).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Thousands of loopback sockets: two descriptors per call (client and server side) plus the runtime's own.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
for project in bench/Baseline/Baseline.csproj src/Silo/Silo.csproj bench/LoadGen/LoadGen.csproj; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly
done
exec dotnet bench/LoadGen/bin/Release/net10.0/LoadGen.dll compare "$@"
