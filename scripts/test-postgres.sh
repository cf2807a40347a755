#!/usr/bin/env bash
# The whole test suite against PostgreSQL: a throwaway cluster in a temporary
# folder, reachable only through a Unix socket in that folder (no TCP port, so
# it cannot collide with another server), removed on exit whatever happens.
#
#   bash scripts/test-postgres.sh [pytest args...]     (make test-postgres)
#
# Installs PostgreSQL from Debian's packages when it is missing (as root). The
# server refuses to run as root, so as root the cluster runs as the "postgres"
# user the package creates; otherwise as the current user.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

PGBIN=$(pg_bin)
if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "PostgreSQL is not installed; run as root or: apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "Installing PostgreSQL from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  PGBIN=$(pg_bin)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/archive-pg.XXXXXX")
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$WORK"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

stop_cluster() {
  if [[ -f "$WORK/data/postmaster.pid" ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

as_pg "$PGBIN/initdb" -D "$WORK/data" -U archive --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$WORK/initdb.log" || { cat "$WORK/initdb.log" >&2; exit 1; }
# Durability is worthless for a throwaway test database; speed is not.
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start -o \
  "-c listen_addresses= -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
as_pg "$PGBIN/createdb" -h "$WORK" -U archive archive

# The socket folder goes in the host part, percent-encoded (dj-database-url).
SOCKET=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$WORK")
export DATABASE_URL="postgres://archive@${SOCKET}/archive"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on $WORK (socket only)" >&2

status=0
"$PY" -m pytest "$@" || status=$?
exit "$status"
