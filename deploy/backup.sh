#!/bin/sh
# Back up Sagsflow's PostgreSQL database to one file: pg_dump's custom format (compressed, one consistent
# snapshot while Sagsflow keeps running). Restore it with deploy/restore.sh.
#
#   set -a; . /etc/sagsflow/sagsflow.env; set +a
#   /opt/sagsflow/deploy/backup.sh /var/backups/sagsflow/sagsflow-$(date +%Y%m%d-%H%M).dump
set -eu
if [ $# -ne 1 ]; then
    echo "Brug: $0 FIL   (databasen fra SAGSFLOW_DATABASE_URL)" >&2
    exit 2
fi
. "$(dirname "$0")/pg-env.sh"
pg_check_versions
# Written beside the target first: a failed backup never leaves a half file with the real name.
pg_dump --format=custom --compress=6 --file="$1.tmp"
mv "$1.tmp" "$1"
echo "Backup skrevet: $1 ($(wc -c < "$1") bytes, database $PGDATABASE på ${PGHOST:-localhost})"
