#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests, on a free loopback port, run as the `postgres` user (it refuses root).
#   postgres.sh install            apt-get install postgresql if initdb is missing
#   postgres.sh start <dir>        initdb + start in <dir>; prints the Npgsql connection string on stdout
#   postgres.sh stop <dir>         fast shutdown (keeps the data: `start` again resumes it)
#   postgres.sh destroy <dir>      stop and delete <dir>
# The server trusts local connections (test data only) and listens on 127.0.0.1 only.
set -euo pipefail

bindir() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  return 1
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cmd=${1:-}
case "$cmd" in
  install)
    if ! bindir >/dev/null 2>&1; then
      if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
      $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    ;;
  start)
    dir=${2:?data folder}
    bin=$(bindir) || { echo "postgres.sh: PostgreSQL is not installed (run: postgres.sh install)" >&2; exit 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if [ -f "$dir/port" ]; then port=$(cat "$dir/port"); else
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
      echo "$port" > "$dir/port"
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Timeout=3;Command Timeout=5"
    ;;
  stop)
    dir=${2:?data folder}; bin=$(bindir)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  destroy)
    dir=${2:?data folder}; bin=$(bindir)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: postgres.sh install | start <dir> | stop <dir> | destroy <dir>" >&2; exit 2 ;;
esac
