#!/usr/bin/env bash
# Smoke run of the README's run command: start `dotnet run --project src/Silo` (embedded mode) on a free
# loopback port (the silo port 11111 and the dashboard port 8080 stay the defaults), check the dashboard answers, drive
# calls with tools/TwilioSim, and check that /health counts them while they run and
# returns to 0 connections after they stop. Exits non-zero with the failing phase named.
set -euo pipefail
cd "$(dirname "$0")/../.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
export Gateway__Port=$port Gateway__BindAddress=127.0.0.1
dotnet run --project src/Silo -c Release --no-build >"$log" 2>&1 &
silo=$!
cleanup() { kill "$silo" 2>/dev/null || true; wait "$silo" 2>/dev/null || true; }
trap cleanup EXIT
fail() { echo "smoke: FAILED in phase '$1'"; echo "--- silo log (last 40 lines)"; tail -n 40 "$log"; exit 1; }

health() { curl -s "http://127.0.0.1:$port/health" || true; }
connections() { health | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])' 2>/dev/null || echo -1; }

for _ in $(seq 1 120); do
  if [ "$(connections)" != "-1" ]; then break; fi
  kill -0 "$silo" 2>/dev/null || fail "start (process exited)"
  sleep 0.5
done
[ "$(connections)" != "-1" ] || fail "start (no /health within 60 s)"
grep -q '"event"' "$log" || fail "logs (no JSON log lines)"
# The Orleans dashboard on its default port, as the README promises for the run command.
dash=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:8080/" || true)
[ "$dash" = "200" ] || fail "dashboard on port 8080 (HTTP $dash)"

sim_out=$(mktemp)
dotnet run --project tools/TwilioSim -c Release --no-build -- \
  --url "ws://127.0.0.1:$port/twilio/media-stream" --calls 5 --duration 6 --json >"$sim_out" 2>&1 &
sim=$!
seen=0
for _ in $(seq 1 40); do
  c=$(connections)
  if [ "$c" -ge 5 ] 2>/dev/null; then seen=$c; break; fi
  sleep 0.25
done
wait "$sim" || { cat "$sim_out"; fail "simulated calls (TwilioSim exit $?)"; }
[ "$seen" -ge 5 ] || fail "/health did not count the 5 running calls (saw $seen)"
echo "smoke: TwilioSim summary: $(tail -n 1 "$sim_out")"

for _ in $(seq 1 40); do
  [ "$(connections)" = "0" ] && break
  sleep 0.25
done
[ "$(connections)" = "0" ] || fail "/health connections back to 0 after stop (saw $(connections))"
echo "smoke: ok (port $port, peak connections $seen, back to 0 after stop)"
