# Mango: `make demo` to try it, `make test` to check it. Everything lands in .venv and var/.
VENV := .venv
BIN := $(VENV)/bin
MANGO := $(BIN)/mango
PYTHON ?= python3
# PostgreSQL for the second test pass; CI's .ci/run starts a server here.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
export MANGO_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo serve test test-sqlite test-postgres bench lint format messages clean

$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	@echo "Building deduce's lookup cache once (about a minute or two on a fresh install)..."
	@# deduce rebuilds its cache when a lookup folder's mtime, read as naive *local* time, is
	@# later than the naive local time it wrote into the cache when saving it. Django moves its
	@# process to TIME_ZONE (Europe/Brussels), so a cache saved in UTC looked an hour too old
	@# there and was rebuilt inside the first test or request that de-identified. Saved under
	@# the easternmost offset (UTC+14) its time is later than any zone's reading of the files.
	TZ=UTC-14 $(BIN)/python -c "import logging; logging.disable(logging.INFO); from deduce import Deduce; Deduce()"
	touch $@

install: $(BIN)/.installed

demo: install
	$(MANGO) migrate --noinput -v0
	MANGO_EMAIL_BACKEND=console $(MANGO) demo_load --moderate --train
	@echo ""
	@echo "Mango is running at http://127.0.0.1:8000/  (staff sign-in: http://127.0.0.1:8000/nl/accounts/login/)"
	@echo "Sign in as 'researcher' (researcher) or 'manager' (organisation manager), password 'mango-demo'."
	@echo "Demo coders: 'coder1' and 'coder2' (password 'mango-demo') see their closed, double-coded rounds under Coding rounds."
	@echo "Press Ctrl-C to stop."
	MANGO_DEBUG=1 MANGO_TASKS_IMMEDIATE=1 MANGO_EMAIL_BACKEND=console $(MANGO) runserver 127.0.0.1:8000 --noreload --warm-deid

# Not the demo: without MANGO_SECRET_KEY it refuses to start, rather than sign sessions with
# the known development key.
serve: install
	MANGO_REQUIRE_SECRET=1 $(MANGO) migrate --noinput -v0
	MANGO_REQUIRE_SECRET=1 $(BIN)/gunicorn mango.wsgi --bind 127.0.0.1:8000 --workers 3

# The whole suite on SQLite (browser tests included), then the tests marked `postgres` again on
# PostgreSQL when a server answers (CI always has one: .ci/run starts it and sets
# MANGO_REQUIRE_POSTGRES=1). Both passes run in parallel, one pytest-xdist worker per CPU up
# to 4 (each holds deduce, about 1.5 GB; PYTEST_WORKERS=0 runs in one process). worksteal: each
# worker takes a run of tests in file order and an idle one takes over half of another's rest.
# (loadfile would group by node id, and schemathesis gives all its API-operation tests one id
# under pytest 9, so it ran only one of them.) Exit status 5 (no test selected) passes.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
PYTEST := $(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test: install test-sqlite test-postgres

test-sqlite:
	$(PYTEST) || [ $$? -eq 5 ]

test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m 'postgres and not browser'"; \
		DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m "postgres and not browser" || [ $$? -eq 5 ]; \
	elif [ -n "$$MANGO_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL at $(PG_TEST_URL) is not reachable" >&2; exit 1; \
	else echo "Skipping the PostgreSQL pass: no server at $(PG_TEST_URL)"; fi

# Story intake through gunicorn (SQLite and PostgreSQL), then each module's benchmark; every
# one writes its figures to benchmarks/results/. BENCH_ARGS go to the intake benchmark.
bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
	@for b in deid deid_recall agreement analysis classify workbench roundclose reports culture pulse consensus refiqda; do \
		if [ -f benchmarks/$$b.py ]; then echo "== benchmarks/$$b.py"; $(BIN)/python benchmarks/$$b.py || exit 1; fi; \
	done

lint: install
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# Needs GNU gettext; the compiled .mo files are committed so users don't need it.
# The main catalogue (src/mango/locale) leaves out the apps that keep their own catalogue in
# src/mango/<app>/locale; each of those is made from its own folder.
OWN_CATALOGUE_APPS := $(patsubst src/mango/%/locale,%,$(wildcard src/mango/*/locale))
messages: install
	cd src/mango && ../../$(MANGO) makemessages -l nl -l fr -l en --no-obsolete $(foreach a,$(OWN_CATALOGUE_APPS),--ignore '$(a)/*')
	@for a in $(OWN_CATALOGUE_APPS); do \
		(cd src/mango/$$a && ../../../$(MANGO) makemessages -l nl -l fr -l en --no-obsolete) || exit 1; \
	done
	cd src/mango && ../../$(MANGO) compilemessages

clean:
	rm -rf $(VENV) var
