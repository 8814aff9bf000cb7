#!/usr/bin/env bash
# Rehearses docker-compose.yml without a Docker engine: the same published binaries (the Dockerfile's restore and
# publish commands), the same environment (read from `docker-compose config`), PostgreSQL 15 and nginx with
# deploy/nginx/switchboard.conf, all as plain processes on loopback addresses. Compose service names resolve
# through a private /etc/hosts bind-mounted in a mount namespace (unshare -m), so the silos advertise and dial
# "silo1"/"silo2" and nginx proxies to "gateway1"/"gateway2" exactly as in the compose network.
#
# Differences from the containers, all forced by sharing one network namespace: every service gets its own
# 127.0.0.x address and the ports move (silos 21111, their Orleans client port 40000 and dashboard 18090, gateways
# 18081, nginx 127.0.0.1:18080, postgres 55432) so nothing collides with other processes on the machine; nginx connects from 127.0.0.1, so that is the gateways' known
# proxy instead of 172.28.0.10; nginx 1.22 (Debian bookworm) predates the open-source
# `resolve` server parameter, which is stripped; the health checks run here, outside any container.
#
# Checks: health checks of every service; both silos Active in Orleans' membership table; each silo's Orleans
# dashboard; /health and a signed webhook through nginx; echo calls through nginx; a gateway SIGTERM mid-call (its
# calls finish, new calls go to the other gateway, it exits 0 within its 40 s grace); a silo SIGTERM mid-call (its
# grains deactivate with a checkpoint and resume on the other silo, calls continue, it exits 0 within its 35 s grace).
#
# Needs root (unshare, mount), docker-compose, nginx, postgresql-15, python3-yaml, curl and the .NET SDK:
#   apt-get install -y docker-compose nginx postgresql-15 curl
#   bash deploy/rehearse-without-docker.sh [work-dir]        (default /tmp/switchboard-rehearsal)
# Prints "rehearsal: N passed, N failed" last; exit code 0 only when nothing failed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/switchboard-rehearsal}

if [ "${REHEARSAL_INSIDE:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root (needs unshare -m and mount --bind)" >&2; exit 2; }
  for tool in docker-compose nginx curl python3 dotnet unshare; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
  done
  [ -x /usr/lib/postgresql/15/bin/postgres ] || { echo "missing: postgresql-15" >&2; exit 2; }
  rm -rf "$work"; mkdir -p "$work/logs"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

  echo "== publish (the Dockerfile's commands)"
  dotnet restore "$repo/src/Silo/Silo.csproj" -v q
  dotnet publish "$repo/src/Silo/Silo.csproj" -c Release --no-restore -p:UseAppHost=false -o "$work/app-silo" -v q -clp:ErrorsOnly
  dotnet publish "$repo/src/Gateway/Gateway.csproj" -c Release --no-restore -p:UseAppHost=false -o "$work/app-gateway" -v q -clp:ErrorsOnly
  dotnet publish "$repo/tools/TwilioSim/TwilioSim.csproj" -c Release -o "$work/twiliosim" -v q -clp:ErrorsOnly

  echo "== environment from docker-compose config"
  (cd "$repo" && TWILIO_AUTH_TOKEN=rehearsal-token-not-a-secret docker-compose config) > "$work/compose.yml"
  python3 - "$work" <<'PY'
import shlex, sys, yaml
work = sys.argv[1]
services = yaml.safe_load(open(f"{work}/compose.yml"))["services"]
for name in ("silo1", "silo2", "gateway1", "gateway2"):
    with open(f"{work}/{name}.env", "w") as f:
        for key, value in services[name]["environment"].items():
            f.write(f"export {key}={shlex.quote(str(value))}\n")
PY
  { cat /etc/hosts
    printf '127.0.0.2 gateway1\n127.0.0.3 gateway2\n127.0.0.4 silo1\n127.0.0.5 silo2\n127.0.0.6 postgres\n'; } > "$work/hosts"
  REHEARSAL_INSIDE=1 exec unshare -m bash "$0" "$work"
fi

# ---- inside the mount namespace ----
mount --bind "$work/hosts" /etc/hosts
pg_bin=/usr/lib/postgresql/15/bin
passed=0; failed=0
pids=()
check() { # check NAME COMMAND...
  if "${@:2}"; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
wait_for() { # wait_for SECONDS COMMAND...: polls every 0.5 s, bounded
  local tries=$(( $1 * 2 ))
  for _ in $(seq "$tries"); do "${@:2}" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill -QUIT "$(cat "$work/nginx.pid")" 2>/dev/null || true
  su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D $work/pg/data -m fast stop" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== postgres (postgres:55432)"
mkdir -p "$work/pg"; chown postgres "$work/pg"
password=$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <(. "$work/silo1.env"; echo "$ConnectionStrings__Cluster"))
echo "$password" > "$work/pg/pw"; chown postgres "$work/pg/pw"
su postgres -s /bin/sh -c "$pg_bin/initdb -D $work/pg/data -U switchboard --pwfile=$work/pg/pw --auth=scram-sha-256 -E UTF8" > "$work/logs/initdb.log"
su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D $work/pg/data -l $work/pg/postgres.log -o '-c listen_addresses=127.0.0.6 -p 55432 -k $work/pg' start" > /dev/null
check "postgres ready (pg_isready, as the compose health check)" wait_for 30 "$pg_bin/pg_isready" -h 127.0.0.6 -p 55432 -U switchboard
PGPASSWORD=$password "$pg_bin/psql" -h 127.0.0.6 -p 55432 -U switchboard -d postgres -qc "CREATE DATABASE switchboard" > /dev/null

start() { # start NAME APP-DIR DLL [KEY=VALUE overrides...]
  local name=$1 app=$2 dll=$3; shift 3
  (
    . "$work/$name.env"
    export ConnectionStrings__Cluster=${ConnectionStrings__Cluster/Port=5432/Port=55432}
    for kv in "$@"; do export "${kv?}"; done
    cd "$app" && exec dotnet "$dll"
  ) >> "$work/logs/$name.log" 2>&1 &
  pids+=($!)
  eval "pid_$name=$!"
}
silo_listening() { # the silo image's health check, plus the per-address view the shared namespace needs
  Silo__Port=21111 sh "$repo/deploy/silo-healthcheck.sh" && ss -ltnH "src $1:21111" | grep -q LISTEN
}
gateway_healthy() { curl -fsS -o /dev/null --max-time 5 "http://$1:18081/health"; }

echo "== silos"
silo_ports=(Silo__Port=21111 Silo__GatewayPort=40000 Silo__DashboardPort=18090)
start silo1 "$work/app-silo" Switchboard.Silo.dll Silo__ListenAddress=127.0.0.4 "${silo_ports[@]}"
start silo2 "$work/app-silo" Switchboard.Silo.dll Silo__ListenAddress=127.0.0.5 "${silo_ports[@]}"
check "silo1 health check" wait_for 60 silo_listening 127.0.0.4
check "silo2 health check" wait_for 60 silo_listening 127.0.0.5
# Orleans' membership table (src/Postgres schema; PostgreSQL folds the names to lower case). Status 3 = Active. The
# address column holds what Silo__AdvertisedAddress (the service name) resolved to.
cluster_id=$(. "$work/silo1.env"; echo "$Cluster__ClusterId")
active_silos() {
  PGPASSWORD=$password "$pg_bin/psql" -h 127.0.0.6 -p 55432 -U switchboard -d switchboard -tAc \
    "SELECT string_agg(siloname || '@' || address || ':' || port || '/' || proxyport, ',' ORDER BY siloname)
     FROM orleansmembershiptable WHERE deploymentid = '$cluster_id' AND status = 3" 2>/dev/null
}
both_silos_active() { test "$(active_silos)" = "silo1@127.0.0.4:21111/40000,silo2@127.0.0.5:21111/40000"; }
check "both silos Active in Orleans' membership table, at their service names' addresses" wait_for 30 both_silos_active
echo "     (Active rows: $(active_silos))"
dashboard_answers() { test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$1:18090/")" = 200; }
check "silo1 Orleans dashboard answers (Development: no credentials)" wait_for 20 dashboard_answers 127.0.0.4
check "silo2 Orleans dashboard answers (Development: no credentials)" wait_for 20 dashboard_answers 127.0.0.5

echo "== gateways"
start gateway1 "$work/app-gateway" Switchboard.Gateway.dll Gateway__BindAddress=127.0.0.2 Gateway__Port=18081 Gateway__KnownProxies=127.0.0.1
start gateway2 "$work/app-gateway" Switchboard.Gateway.dll Gateway__BindAddress=127.0.0.3 Gateway__Port=18081 Gateway__KnownProxies=127.0.0.1
check "gateway1 health check (GET /health 200)" wait_for 60 gateway_healthy 127.0.0.2
check "gateway2 health check (GET /health 200)" wait_for 60 gateway_healthy 127.0.0.3

echo "== nginx (127.0.0.1:18080)"
mkdir -p "$work/nginx/conf.d"
sed -e 's/ resolve / /' -e 's/:8081 /:18081 /' -e 's/listen 8080;/listen 127.0.0.1:18080;/' \
  "$repo/deploy/nginx/switchboard.conf" > "$work/nginx/conf.d/switchboard.conf"
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/nginx-error.log notice;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $work/logs/nginx-access.log;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    include $work/nginx/conf.d/*.conf;
}
EOF
check "nginx -t" nginx -q -t -c "$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf"
check "GET /health through nginx is 200" wait_for 20 curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:18080/health

. "$work/gateway1.env"   # PUBLIC_URL, TWILIO_AUTH_TOKEN as the gateways see them
webhook_status() { # POST /twilio/voice through nginx, signed for PUBLIC_URL (Twilio's algorithm) unless $1 = unsigned
  local sig
  sig=$(python3 -c 'import base64,hashlib,hmac,sys
url, token = sys.argv[1], sys.argv[2]
params = {"AccountSid": "AC00000000000000000000000000000000", "CallSid": "CA00000000000000000000000000000001", "From": "+15550000001", "To": "+15550000002"}
data = url + "".join(k + v for k, v in sorted(params.items()))
print(base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode())' "$PUBLIC_URL/twilio/voice" "$TWILIO_AUTH_TOKEN")
  [ "${1:-}" = unsigned ] && sig=wrong
  curl -s -o "$work/twiml.xml" -w '%{http_code}' --max-time 5 -H "X-Twilio-Signature: $sig" \
    --data-urlencode AccountSid=AC00000000000000000000000000000000 --data-urlencode CallSid=CA00000000000000000000000000000001 \
    --data-urlencode From=+15550000001 --data-urlencode To=+15550000002 http://127.0.0.1:18080/twilio/voice
}
check "webhook with a bad signature through nginx is 403" test "$(webhook_status unsigned)" = 403
check "signed webhook through nginx is 200 (signature checked against PUBLIC_URL, not the proxied Host)" test "$(webhook_status)" = 200
check "TwiML stream URL is built from PUBLIC_URL" grep -q "wss://${PUBLIC_URL#https://}/twilio/media-stream" "$work/twiml.xml"

sim() { # sim LOG CALLS SECONDS: echo calls through nginx, signed like Twilio for PUBLIC_URL
  dotnet "$work/twiliosim/TwilioSim.dll" --url ws://127.0.0.1:18080/twilio/media-stream --public-url "$PUBLIC_URL" \
    --auth-token "$TWILIO_AUTH_TOKEN" --calls "$2" --duration "$3" --json > "$work/logs/$1.log" 2>&1
}

echo "== echo calls through nginx"
check "6 calls x 5 s through nginx: all connected, nothing lost" sim sim-basic 6 5
accepted1=$(grep -c 'StreamStarted' "$work/logs/gateway1.log" || true)
accepted2=$(grep -c 'StreamStarted' "$work/logs/gateway2.log" || true)
echo "     (stream log lines: gateway1 $accepted1, gateway2 $accepted2)"
check "both gateways carried calls (least_conn)" test "$accepted1" -gt 0 -a "$accepted2" -gt 0

echo "== gateway1 SIGTERM mid-call (drain)"
sim sim-drain-old 4 12 & old=$!
sleep 3
t0=$(date +%s.%N); kill -TERM "$pid_gateway1"
sleep 1
check "new calls during gateway1's drain succeed (nginx moves them to gateway2)" sim sim-drain-new 3 3
check "calls in progress during the drain complete" wait "$old"
rc=0; wait "$pid_gateway1" || rc=$?
elapsed=$(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$t0")
echo "     (gateway1 exit code $rc after ${elapsed} s)"
check "gateway1 exits 0 within its 40 s stop_grace_period" python3 -c "import sys; sys.exit(0 if $rc == 0 and $elapsed < 40 else 1)"
check "no media-stream upgrade got a 503 from nginx (the draining gateway's 503s were retried)" sh -c "! grep 'media-stream' $work/logs/nginx-access.log | grep -q '\" 503 '"
start gateway1 "$work/app-gateway" Switchboard.Gateway.dll Gateway__BindAddress=127.0.0.2 Gateway__Port=18081 Gateway__KnownProxies=127.0.0.1
check "gateway1 healthy again after restart" wait_for 60 gateway_healthy 127.0.0.2

echo "== silo1 SIGTERM mid-call (checkpoint, resume on silo2)"
sim sim-handoff 4 12 & calls=$!
sleep 3
t0=$(date +%s.%N); kill -TERM "$pid_silo1"
rc=0; wait "$pid_silo1" || rc=$?
elapsed=$(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$t0")
echo "     (silo1 exit code $rc after ${elapsed} s)"
check "silo1 exits 0 within its 35 s stop_grace_period" python3 -c "import sys; sys.exit(0 if $rc == 0 and $elapsed < 35 else 1)"
check "calls in progress survive the silo's shutdown" wait "$calls"
check "cluster /health through nginx is 200 with one silo" wait_for 20 curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:18080/health

echo "logs: $work/logs"
echo "rehearsal: $passed passed, $failed failed"
[ "$failed" = 0 ]
