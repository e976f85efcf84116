# Two commands on a fresh machine: `make run` (service + demo data, SQLite) and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	SAGSFLOW_DEMO_MODE=1 $(BIN)/sagsflow seed-demo
	SAGSFLOW_DEMO_MODE=1 SAGSFLOW_TIMER_LOOP=1 $(BIN)/sagsflow serve

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/pytest -q

bench: $(BIN)/.installed
	$(BIN)/python -m bench.http_lifecycle

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
