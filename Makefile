# Two commands do everything on a fresh clone:
#   make run    the site on SQLite with demo content, at http://127.0.0.1:5000
#   make test   the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_WORKERS ?= 2
export FLASK_APP := network

.PHONY: run test test-sqlite test-postgres install install-dev bench-data bench soak crash clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo ""
	@echo "  What Works Network is running at http://127.0.0.1:5000"
	@echo "  Demo sign-ins (password for all: whatworks-demo):"
	@echo "    admin      administrator"
	@echo "    moderator  site moderator"
	@echo "    kokafor    associate (writes articles; manages North East Frailty Network)"
	@echo "    jmorgan    member (council commissioner)"
	@echo "    sallyc     member (charity chief executive)"
	@echo "    rpatel     member (home care provider; manages the closed crisis network)"
	@echo "    mbanda     associate (academic: a series on evaluation)"
	@echo "    lhughes    associate (council director of public health)"
	@echo "  admin and moderator also need a code (two-factor sign-in) from the demo key"
	@echo "  WHATWORKSDEMOKEYWHATWORKSDEMOKEY; get one with:"
	@echo "    $(BIN)/python -c \"import pyotp; print(pyotp.TOTP('WHATWORKSDEMOKEYWHATWORKSDEMOKEY').now())\""
	@echo "  Stop with Ctrl+C."
	@echo ""
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:5000 --access-logfile - wsgi:app

test: $(VENV)/.installed-dev
	@scripts/ensure-chromium
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  $(MAKE) --no-print-directory test-postgres; \
	else \
	  echo ""; \
	  echo "PostgreSQL run SKIPPED: TEST_DATABASE_URL is not set."; \
	  echo "To run it: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test make test"; \
	fi

test-sqlite: $(VENV)/.installed-dev
	@echo "== Test suite on SQLite =="
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider tests

test-postgres: $(VENV)/.installed-dev
	@echo "== Test suite on PostgreSQL ($$TEST_DATABASE_URL) =="
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider tests

bench-data: $(VENV)/.installed-dev
	$(BIN)/python bench/generate.py --size medium

bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { echo "wrk (the load generator) is missing: apt-get install wrk"; exit 1; }
	@test -f bench/bench.db.json || { echo "No benchmark data set yet: run make bench-data first"; exit 1; }
	$(BIN)/python bench/run.py

# Concurrency: 50 members writing for 60 s on a fresh small data set (SQLite), then
# every acknowledged write stored once and zero `flask recount` drift. On PostgreSQL:
#   make soak SOAK_ARGS="--database-url postgresql://postgres@127.0.0.1:5432/soak_1"
soak: $(VENV)/.installed-dev
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# Crash: SIGKILL gunicorn (SQLite), then a PostgreSQL server of its own on port
# 55432, during that load; restart; integrity check and every acknowledged write.
crash: $(VENV)/.installed-dev
	$(BIN)/python bench/crash.py $(CRASH_ARGS)

clean:
	rm -rf $(VENV) instance *.egg-info
