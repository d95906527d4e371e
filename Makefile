# The two commands of README.md. Both work on a fresh Debian/Ubuntu machine with
# Python >= 3.11; `make test` also installs the system packages the tests use.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PG_URL ?= postgresql://127.0.0.1:5432/test

.PHONY: serve test install install-dev lint test-sqlite test-postgres

# Packages come from the lock files (exact versions, SHA-256 of every file; regenerate
# them with scripts/lock): a new upstream release cannot change what CI installs.
# The project itself is then installed without dependencies or build isolation, so
# nothing unlocked comes in.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/main.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .

## Install and run PST on the embedded defaults (SQLite, local blobs, in-process jobs);
## a fresh instance is first filled with the demo library.
serve: install
	$(BIN)/pst db upgrade
	$(BIN)/pst demo
	$(BIN)/pst serve --host $${PST_HOST:-127.0.0.1} --port $${PST_PORT:-5000}

# pytest-xdist workers per database run, and the Hypothesis profile (tests/conftest.py:
# dev, ci, thorough). `make test` runs the linters and both databases at once (each
# PostgreSQL worker gets its own database, $(PG_URL)_gw0…): the machine's cores are
# shared by the three, and much of a test's time is waiting (servers, timeouts, I/O).
PYTEST_WORKERS ?= 2

# Compiled modules are cached (__pycache__): the suite starts many Python processes
# (xdist workers, `pst` commands, gunicorn, job workers), and with the cache off each
# one compiles every module it imports again (seconds of CPU per process).
unexport PYTHONDONTWRITEBYTECODE
PYTEST_ARGS    ?= -n $(PYTEST_WORKERS) --hypothesis-profile=ci

# The OpenID provider the SSO tests sign in through (node-oidc-provider, tests/oidc/):
# installed from its lock file, again only when the lock changes.
OIDC_NODE_MODULES = tests/oidc/node_modules/.package-lock.json
$(OIDC_NODE_MODULES): tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	touch $@

## Install everything and run the whole suite: linters, and pytest on SQLite and PostgreSQL.
test: install-dev
	scripts/system-deps
	$(MAKE) --no-print-directory $(OIDC_NODE_MODULES)
	$(MAKE) --no-print-directory -j3 --output-sync=target lint test-sqlite test-postgres

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	scripts/check-transactions
	scripts/check-services
	$(BIN)/mypy app catalog library scanning store desk advisory demo storage watermark scanner
	scripts/check-dead-code
	PYBABEL=$(BIN)/pybabel scripts/translations check

# PST_TEST_SPLIT: a test whose outcome cannot depend on the database runs in one of the
# two runs only (tests/database_runs.py says which).
test-sqlite:
	@echo "== pytest on SQLite"
	env -u PST_TEST_DATABASE_URL PST_TEST_SPLIT=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== pytest on PostgreSQL ($(PG_URL))"
	PST_TEST_DATABASE_URL=$(PG_URL) PST_TEST_SPLIT=1 $(BIN)/python -m pytest $(PYTEST_ARGS)
