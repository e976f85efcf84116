# Sourced by backup.sh and restore.sh: libpq's PG* variables from SAGSFLOW_DATABASE_URL, so the password
# never stands on a command line (where `ps` would show it to every user of the machine).
: "${SAGSFLOW_DATABASE_URL:?SAGSFLOW_DATABASE_URL mangler: set -a; . /etc/sagsflow/sagsflow.env; set +a}"
pg_vars=$(python3 - <<'PY'
import os, shlex
from urllib.parse import parse_qs, unquote, urlsplit
url = urlsplit(os.environ["SAGSFLOW_DATABASE_URL"])
if not url.scheme.startswith("postgresql"):
    raise SystemExit("SAGSFLOW_DATABASE_URL er ikke en PostgreSQL-adresse")
for name, value in (("PGHOST", url.hostname), ("PGPORT", url.port), ("PGUSER", url.username),
                    ("PGPASSWORD", url.password), ("PGDATABASE", url.path.lstrip("/")),
                    ("PGSSLMODE", parse_qs(url.query).get("sslmode", [None])[0])):
    if value:
        print(f"export {name}={shlex.quote(unquote(str(value)))}")
PY
) || exit 1
eval "$pg_vars"

# pg_dump and pg_restore must be at least the server's major version.
pg_check_versions() {
    server=$(psql -X -At -c "SHOW server_version_num") || exit 1
    client=$(pg_dump --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')
    if [ "$client" -lt $((server / 10000)) ]; then
        echo "pg_dump $client er ældre end PostgreSQL-serveren ($((server / 10000))): installér postgresql-client-$((server / 10000))" >&2
        exit 1
    fi
}
