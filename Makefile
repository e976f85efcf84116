# Two commands on a fresh machine: `make run` (service + demo data, SQLite) and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test lint bench audit clean chromium deploy-tools drills drill-services fuzz-deep
DIST = service/webapp/static/dist/.built

# `make run` prints what a person needs (the address, who to log in as) and errors, so the steps before it are
# quiet: no echoed commands, no npm summary, no setuptools notice about editable installs (a Python warning).
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip
	@PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# The web app's browser assets (bpmn-js, bundled with esbuild); rebuilt when the lock file or sources change.
$(DIST): frontend/package-lock.json frontend/build.mjs $(wildcard frontend/src/*)
	@cd frontend && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build
	@touch $@

# The browser tests drive Debian's chromium (CI machines are like this one).
chromium:
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y chromium; }

# The tests' OpenID Connect provider (npm oidc-provider on loopback); the test fixture also runs this if needed.
OIDC_PROVIDER = tests/oidc_provider/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc_provider/package-lock.json
	cd tests/oidc_provider && npm ci --no-audit --no-fund --loglevel=error

# The deploy tests call PostgreSQL's pg_dump/pg_restore (backup and restore), caddy (the reverse proxy's
# config) and docker-compose (the Compose file); systemd-analyze comes with Debian's systemd.
deploy-tools:
	command -v pg_restore >/dev/null && command -v caddy >/dev/null && command -v docker-compose >/dev/null || \
	  { apt-get update -qq && apt-get install -y postgresql-client caddy docker-compose; }

# seed-demo's list of demo cases is left out (errors still reach the terminal); serve says where and who.
run: $(BIN)/.installed $(DIST)
	@SAGSFLOW_DEMO_MODE=1 $(BIN)/sagsflow seed-demo >/dev/null
	@SAGSFLOW_DEMO_MODE=1 SAGSFLOW_TIMER_LOOP=1 $(BIN)/sagsflow serve

# Three test processes on two cores: many tests wait on PostgreSQL, a browser or a started process, and each
# process has its own databases (tests/conftest.py), so they do not see each other's data.
TEST_PROCESSES ?= 3
test: $(BIN)/.installed $(DIST) chromium deploy-tools $(OIDC_PROVIDER)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n $(TEST_PROCESSES) --durations=25

# The fault drills start their own PostgreSQL cluster and Redis from Debian's binaries (ports 55432, 56379).
drill-services:
	{ command -v redis-server && ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y postgresql redis-server; }

# Fault drills against real processes started from deploy/Procfile (not part of `make test`; ~5 min).
drills: $(BIN)/.installed drill-services
	$(BIN)/pytest drills -q

# The property and fuzz tests with ten times CI's examples (tests/fuzz_budget.py); on demand, not in .ci/run.
fuzz-deep: $(BIN)/.installed $(DIST)
	SAGSFLOW_FUZZ_SCALE=10 $(BIN)/pytest -q -n $(TEST_PROCESSES) tests/api/test_fuzz_stateful.py \
		tests/process_versions/test_upload_fuzz.py

# Known vulnerabilities in the installed packages. Needs the vulnerability database online, which this
# workplace cannot reach: it then fails loudly (--strict), so it is run by hand, not by .ci/run.
audit: $(BIN)/.installed
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit --strict

bench: $(BIN)/.installed
	$(BIN)/python -m bench.http_lifecycle

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache frontend/node_modules tests/oidc_provider/node_modules service/webapp/static/dist artifacts
