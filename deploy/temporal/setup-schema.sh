#!/bin/sh
# Creates or upgrades Temporal's PostgreSQL schemas (main and visibility). Runs in
# temporalio/admin-tools before the server starts; safe to run again on every `compose up`.
set -eu

: "${POSTGRES_SEEDS:?}" "${DB_PORT:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

for database in temporal temporal_visibility; do
  case "$database" in
    temporal) versioned="$SCHEMA_ROOT/temporal/versioned" ;;
    *) versioned="$SCHEMA_ROOT/visibility/versioned" ;;
  esac
  echo "schema: $database"
  sql_tool --db "$database" create
  sql_tool --db "$database" setup-schema -v 0.0
  sql_tool --db "$database" update-schema -d "$versioned"
done
