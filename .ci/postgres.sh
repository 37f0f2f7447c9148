#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's server binaries, run as the `postgres`
# user when started by root (initdb refuses root), data in a temp folder, TCP on 127.0.0.1 only.
#   .ci/postgres.sh start DIR   initdb into DIR, start on a free port, print the test URL
#                               (postgresql://trackscan:PASSWORD@127.0.0.1:PORT/trackscan) on stdout
#   .ci/postgres.sh stop DIR    stop the cluster and delete DIR
# Roles: postgres (superuser, password auth like everyone over TCP) and trackscan (owner of the
# database trackscan, CREATEROLE so the fault tests can make a role without rights). The password
# is written to DIR/password.
set -euo pipefail
cmd=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}
bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/pg_ctl" ] && bin=$candidate
  done
fi
[ -n "$bin" ] && [ -x "$bin/pg_ctl" ] || { echo "postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups --inh-caps=-all -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s\n' "$password" > "$dir/password"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/password"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$dir/password" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
CREATE ROLE trackscan LOGIN CREATEROLE PASSWORD '$password';
CREATE DATABASE trackscan OWNER trackscan;
SQL
    echo "postgresql://trackscan:$password@127.0.0.1:$port/trackscan"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
