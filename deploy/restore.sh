#!/bin/sh
# Restore a backup from deploy/backup.sh into the EMPTY database that SAGSFLOW_DATABASE_URL names, in one
# transaction (all or nothing). Stop web, workers and beat first; afterwards run the release step
# (`sagsflow migrate && sagsflow deploy`), which brings an older backup up to this version's schema.
#
#   createdb -O sagsflow sagsflow          # as the postgres user, on the database server
#   set -a; . /etc/sagsflow/sagsflow.env; set +a
#   /opt/sagsflow/deploy/restore.sh /var/backups/sagsflow/sagsflow-20261203-0200.dump
set -eu
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "Brug: $0 FIL   (en fil fra backup.sh; databasen fra SAGSFLOW_DATABASE_URL)" >&2
    exit 2
fi
. "$(dirname "$0")/pg-env.sh"
pg_check_versions
tables=$(psql -X -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" -ne 0 ]; then
    echo "Databasen $PGDATABASE er ikke tom ($tables tabeller): gendan kun i en ny, tom database." >&2
    exit 1
fi
# --no-owner: the tables belong to the user that restores (Sagsflow's own), whoever owned them before.
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$PGDATABASE" "$1"
echo "Gendannet: $1 -> database $PGDATABASE på ${PGHOST:-localhost}. Kør nu: sagsflow migrate && sagsflow deploy"
