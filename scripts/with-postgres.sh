#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#
#   scripts/with-postgres.sh .venv/bin/python -m pytest
#
# The cluster is made from the machine's own server binaries (initdb into a
# temporary folder), listens only on a Unix socket in that folder (no TCP, no
# system service), and is stopped and deleted when the command ends, however it
# ends. The command sees DATABASE_URL pointing at a database "archive" whose
# owner may create databases (pytest-django makes its test database there).
#
# PostgreSQL refuses to run as root; as root (CI), the server runs as the
# unprivileged user "nobody" through runuser.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

PG_BIN="${PG_BIN:-}"
if [ -z "$PG_BIN" ]; then
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$candidate/initdb" ]; then PG_BIN="$candidate"; break; fi
    done
fi
if [ -z "$PG_BIN" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    # A fresh CI machine may lack the server (psql alone is not enough). The
    # package's own cluster and service are not used: policy-rc.d keeps them off.
    echo "Installing Debian's postgresql-15 server binaries..." >&2
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    [ -x /usr/lib/postgresql/15/bin/initdb ] && PG_BIN=/usr/lib/postgresql/15/bin
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL server binaries not found (install postgresql-15, or set PG_BIN)." >&2
    exit 1
fi

PG_DIR="$(mktemp -d /tmp/archive-pg.XXXXXX)"
DB_USER=archive
DB_NAME=archive

as_server_user() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

cleanup() {
    status=$?
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_server_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" = "0" ]; then
    chown nobody "$PG_DIR"
fi
chmod 700 "$PG_DIR"

# Trust on the socket only: the folder is private to the server user, and the
# cluster lives for one run. fsync is off because nothing here must survive a crash.
as_server_user "$PG_BIN/initdb" --pgdata="$PG_DIR/data" --username="$DB_USER" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; exit 1; }

# The socket folder must be reachable by the client (root or the developer), so open it for traversal only.
chmod 711 "$PG_DIR"
as_server_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }

"$PG_BIN/createdb" --host="$PG_DIR" --username="$DB_USER" "$DB_NAME"

# dj-database-url reads a percent-encoded host as a socket folder.
SOCKET_HOST="$(printf '%s' "$PG_DIR" | sed 's|/|%2F|g')"
export DATABASE_URL="postgresql://$DB_USER@$SOCKET_HOST/$DB_NAME"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $PG_DIR (DATABASE_URL=$DATABASE_URL)"

# Not exec: the trap must stop the cluster after the command.
"$@"
