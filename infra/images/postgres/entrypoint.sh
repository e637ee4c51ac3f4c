#!/bin/sh
# Takes what the official postgres image takes (and Testcontainers passes): POSTGRES_USER, POSTGRES_PASSWORD,
# POSTGRES_DB, and server options as arguments ("-c fsync=off ..."). The cluster is already initialised in the image;
# the first start of a container only adds the role and the database, in single-user mode (no socket is open yet).
set -eu

user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"

configured="$PGDATA/.configured-by-entrypoint"
if [ ! -e "$configured" ]; then
  identifier() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
  literal() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
  role="$(identifier "$user")"
  {
    # Single-user mode reads one statement per line.
    if [ "$user" != postgres ]; then echo "CREATE ROLE $role SUPERUSER LOGIN"; fi
    echo "ALTER ROLE $role PASSWORD $(literal "$POSTGRES_PASSWORD")"
    if [ "$database" != postgres ]; then echo "CREATE DATABASE $(identifier "$database") OWNER $role"; fi
  } | postgres --single -D "$PGDATA" postgres >/tmp/entrypoint.log 2>&1 \
    || { cat /tmp/entrypoint.log >&2; exit 1; }
  if grep -q ERROR /tmp/entrypoint.log; then cat /tmp/entrypoint.log >&2; exit 1; fi
  touch "$configured"
fi

case "${1:-postgres}" in
  -*) exec postgres -D "$PGDATA" "$@" ;;
  postgres) shift; exec postgres -D "$PGDATA" "$@" ;;
  *) exec "$@" ;;
esac
