#!/usr/bin/env bash
# The one test command: installs what the tests need on a fresh Debian machine with the .NET SDK,
# builds everything, runs every test project, then smoke-tests the real run command
# (`dotnet run --project src/Silo`) with tools/TwilioSim and /health.
# Prints a closing line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# 1. System packages the tests use (real speech audio for the simulator; curl for the smoke run; Debian's Chromium for
#    the dashboard test, driven by Playwright, which never downloads a browser). PostgreSQL is installed by
#    tools/ci/postgres.sh when a test first starts one.
need=()
for tool in espeak-ng sox curl chromium; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

# 2. Build once, then run every test project.
dotnet build Orleans.sln -c Release -nologo -v q -clp:ErrorsOnly
results=$(mktemp -d)
status=0
dotnet test Orleans.sln -c Release --no-build -nologo -p:SkipClusterTests=true --logger "trx" --results-directory "$results" 2>&1 | tee "$results/test.log" || status=$?
# The multi-process cluster tests (silo and gateway processes, a real PostgreSQL) run last and alone: they measure
# failover timings, which the other test projects running in parallel on a 2-core machine would distort.
dotnet test tests/Cluster.Tests -c Release --no-build -nologo --logger "trx" --results-directory "$results" 2>&1 | tee -a "$results/test.log" || status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*' || echo 0)
  f=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*' || echo 0)
  passed=$((passed + p)); failed=$((failed + f))
done

# 3. Smoke: the README's run command serves a real call (echo back, /health counts it, then 0).
smoke=0
bash tools/ci/smoke.sh || smoke=$?
if [ "$smoke" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

# 4. Benchmark smoke: baseline, embedded and cluster mode (gateway + silo on a PostgreSQL it starts and destroys),
#    3 calls for 3 s each; checks the benchmark still runs, asserts no figures.
bench=0
dotnet bench/LoadGen/bin/Release/net10.0/LoadGen.dll smoke || bench=$?
if [ "$bench" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "tests: $passed passed, $failed failed"
if [ "$status" != 0 ] || [ "$failed" != 0 ] || [ "$passed" = 0 ]; then exit 1; fi
