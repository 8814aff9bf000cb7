#!/usr/bin/env bash
# Switchboard vs. a raw Kestrel WebSocket echo server (bench/Baseline), interleaved, same machine, same run:
# embedded mode (src/Silo alone) and cluster mode (one src/Gateway + one src/Silo process, membership in a PostgreSQL
# that LoadGen starts with tools/ci/postgres.sh and destroys at the end).
# Builds Release, then runs `LoadGen compare`: a sweep of N, a capacity search (largest N with echo p99 < 50 ms and
# nothing lost) and RSS per idle call, each trial on a fresh server. Prints the tables with the
# mode / baseline ratios and writes bench/results/latest.json.
#   bash bench/run.sh                                # all three servers; the search stops starting trials after
#                                                    # --budget-minutes (15; quick 8)
#   bash bench/run.sh --quick                        # shorter trials, coarser search
#   bash bench/run.sh --servers baseline,cluster     # a subset
#   bash bench/run.sh --budget-minutes 40 --media-seconds 30 --resolution 0.02   # longer, finer
# Any other LoadGen compare option passes through (see `dotnet bench/LoadGen/bin/Release/net10.0/LoadGen.dll help`).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Thousands of loopback sockets: two descriptors per call (client and server side) plus the runtime's own.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
for project in bench/Baseline/Baseline.csproj src/Silo/Silo.csproj src/Gateway/Gateway.csproj bench/LoadGen/LoadGen.csproj; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly
done
exec dotnet bench/LoadGen/bin/Release/net10.0/LoadGen.dll compare "$@"
