# One entry point for people and CI. `make run` and `make test` work on a fresh machine with
# Python 3.11+; the first call creates .venv and installs bumpwise with its dev, web and reports extras.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run demo-reset test lint typecheck unit validate-data i18n-update i18n-check bench bench-api clean install-browser install-system install-axe postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,web,reports]'
	touch $(STAMP)

install: $(STAMP)

# The web app on SQLite (in the user's data folder) with demo accounts; the address and the demo
# logins are printed. `make run PORT=8080` picks another port; BUMPWISE_DATABASE_URL another database.
HOST ?= 127.0.0.1
PORT ?= 8000
run: install
	BUMPWISE_ENV=development BUMPWISE_BASE_URL=http://$(HOST):$(PORT) $(BIN)/bumpwise seed-demo
	BUMPWISE_ENV=development BUMPWISE_BASE_URL=http://$(HOST):$(PORT) $(BIN)/bumpwise serve --host $(HOST) --port $(PORT)

# Start the demo again from scratch: deletes the demo SQLite database (the next `make run` seeds it).
demo-reset: install
	@$(BIN)/python -c "from bumpwise.config import data_dir; p = data_dir() / 'bumpwise.db'; \
	[f.unlink() for f in (p, p.with_name(p.name + '-wal'), p.with_name(p.name + '-shm')) if f.exists()]; \
	print('deleted', p)"

# Browser tests drive Debian's Chromium; install it when it is missing (CI runs as root).
install-browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "install Debian's chromium (apt-get install chromium) for the browser tests"; fi; }

# The player's accessibility test runs axe-core (from the npm registry, kept in .cache/axe) in Chromium.
AXE := .cache/axe/node_modules/axe-core/axe.min.js
install-axe:
	@test -f $(AXE) || npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4.10 >/dev/null

# PDF tests read PDFs back with poppler (pdftotext, pdftoppm); WeasyPrint needs Pango and fonts.
install-system:
	@command -v pdftotext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils \
	      libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core >/dev/null; \
	  else echo "install poppler-utils, libpango-1.0-0, libpangoft2-1.0-0, libcairo2 and fonts-dejavu-core"; fi; }

# The PostgreSQL tests use 127.0.0.1:5432 (BUMPWISE_TEST_POSTGRES_URL); start the local cluster
# if it is installed but down, and make the test database if it is missing.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { \
	  [ -d /etc/postgresql ] && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -1) main start \
	  && sleep 1; } || true
	@if [ "$$(id -u)" = 0 ] && command -v runuser >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
	  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='test'" 2>/dev/null | grep -q 1 \
	  || runuser -u postgres -- createdb test 2>/dev/null || true; fi

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy src
	$(BIN)/mypy --config-file tests/mypy.ini tests --exclude '^tests/browser/'
	MYPYPATH=tests/browser $(BIN)/mypy --config-file tests/mypy.ini tests/browser

validate-data: install
	$(BIN)/bumpwise validate-data

# The UI's gettext catalogs (docs/i18n.md): update extracts every marked string into each
# language's src/bumpwise/locales/<lang>/LC_MESSAGES/messages.po; check fails when a catalog is
# out of date with the sources or a complete language has an untranslated or fuzzy entry.
i18n-update: install
	$(BIN)/bumpwise i18n update

i18n-check: install
	$(BIN)/bumpwise i18n check

# The suite includes a bounded schemathesis run of the API against the app under uvicorn, on SQLite
# and PostgreSQL (tests/e2e/test_api_fuzz.py): any 5xx fails it; other findings go to .schemathesis/.
# Coverage of the bumpwise package, measured 92 % on 2026-12-04 without the browser, fuzz and
# durability tests (which only add to it); the floor sits a little below so noise does not trip it.
COVERAGE_FLOOR ?= 90

unit: install install-browser install-system install-axe postgres
	$(BIN)/pytest --cov=bumpwise --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

test: lint typecheck validate-data i18n-check unit

bench: install
	$(BIN)/python bench/cli_start.py

# The API under wrk on loopback, beside a minimal FastAPI endpoint (installs Debian's wrk if missing).
bench-api: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
