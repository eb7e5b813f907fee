#!/usr/bin/env bash
# A throwaway PostgreSQL server for the register tests: Debian's packages, 127.0.0.1 only.
#   scripts/test_postgres.sh start  → starts it (or reuses a running one), prints its SQLAlchemy URL
#   scripts/test_postgres.sh stop
# Trust authentication is fine here: the server listens on the loopback address only and
# holds nothing but test data. Run as root, it runs the server as the postgres user.
set -euo pipefail

dir=${SID_ATLAS_PG_DIR:-/tmp/sid-atlas-pg}
port=${SID_ATLAS_PG_PORT:-54329}
role=sid_atlas
database=sid_atlas_test

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
    echo "test_postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
fi

case "${1:-}" in
start)
    if [ ! -s "$dir/data/PG_VERSION" ]; then
        install -d -m 700 ${as_owner:+-o postgres} "$dir"
        "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
    fi
    sql() { "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc "$1"; }
    [ "$(sql "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" = 1 ] ||
        sql "CREATE ROLE $role LOGIN PASSWORD '$role'"
    [ "$(sql "SELECT 1 FROM pg_database WHERE datname = '$database'")" = 1 ] ||
        sql "CREATE DATABASE $database OWNER $role"
    echo "postgresql+psycopg://$role:$role@127.0.0.1:$port/$database"
    ;;
stop)
    if [ -s "$dir/data/PG_VERSION" ]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
