# HireSlot: `make run` to try it, `make test` to check it. Both bootstrap .venv/ themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --no-strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test lint typecheck test-sqlite test-postgres requirements clean axe

# axe-core for the browser tests' accessibility checks, fetched with npm (from its configured
# registry), pinned by version and by the tarball's sha512 (npm's "integrity").
AXE_VERSION := 4.10.3
AXE_SHA512 := Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg==
AXE_DIR := .cache/axe
AXE := $(AXE_DIR)/axe-$(AXE_VERSION).min.js

# Installs are keyed on the requirement files, so a second `make run` skips them.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@

run: $(VENV)/.base-installed
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy hireslot

# Without npm the browser tests skip their axe checks locally; under CI=true they fail.
axe: $(AXE)
$(AXE):
	@if ! command -v npm >/dev/null; then \
		echo "NOTICE: npm is missing: the axe-core checks will be skipped (and fail under CI=true)."; \
		exit 0; \
	fi; \
	set -e; rm -rf $(AXE_DIR)/pack; mkdir -p $(AXE_DIR)/pack; \
	npm pack --silent --pack-destination $(AXE_DIR)/pack axe-core@$(AXE_VERSION) >/dev/null; \
	$(PYTHON) -c 'import base64, hashlib, sys; data = open(sys.argv[1], "rb").read(); \
		sys.exit(0 if base64.b64encode(hashlib.sha512(data).digest()).decode() == sys.argv[2] \
		else "axe-core tarball: sha512 mismatch")' $(AXE_DIR)/pack/axe-core-$(AXE_VERSION).tgz '$(AXE_SHA512)'; \
	tar -xzf $(AXE_DIR)/pack/axe-core-$(AXE_VERSION).tgz -C $(AXE_DIR)/pack package/axe.min.js; \
	mv $(AXE_DIR)/pack/package/axe.min.js $@; rm -rf $(AXE_DIR)/pack

# The suite runs in PYTEST_WORKERS processes (pytest-xdist; default one per core): tests
# are independent (own database per worker, free ports, temporary folders). PYTEST_WORKERS=0
# runs it in this process, for debugging.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist worksteal

test-sqlite: $(VENV)/.dev-installed axe
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL HIRESLOT_ENV=development $(BIN)/python -m pytest $(PYTEST_PARALLEL) --cov --cov-report=term:skip-covered

# PostgreSQL runs the same suite again; skipped with a notice when unreachable, except in CI.
test-postgres: $(VENV)/.dev-installed axe
	@if $(BIN)/python scripts/postgres_reachable.py "$(TEST_DATABASE_URL)"; then \
		echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)) =="; \
		DATABASE_URL="$(TEST_DATABASE_URL)" HIRESLOT_ENV=development $(BIN)/python -m pytest $(PYTEST_PARALLEL) -p no:cacheprovider; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(TEST_DATABASE_URL) is unreachable, and CI=true requires it." >&2; exit 1; \
	else \
		echo "NOTICE: PostgreSQL at $(TEST_DATABASE_URL) is unreachable: skipping the PostgreSQL run."; \
	fi

test: lint typecheck test-sqlite test-postgres

# The candidate languages' catalogues in hireslot/locale (docs/translations.md); English is the
# source language. Needs GNU gettext; the compiled .mo files are committed, so running the app
# does not.
.PHONY: messages
MESSAGE_LOCALES := es fr de pt_BR ja ar
MESSAGE_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=node_modules
messages: $(VENV)/.base-installed
	$(BIN)/python manage.py makemessages $(addprefix --locale=,$(MESSAGE_LOCALES)) \
		--domain=django --add-location=file --no-wrap --no-obsolete $(MESSAGE_IGNORE)
	$(BIN)/python scripts/catalogues_tidy.py
	$(BIN)/python manage.py compilemessages $(addprefix --locale=,$(MESSAGE_LOCALES)) $(MESSAGE_IGNORE)

requirements: $(VENV)/.dev-installed
	cd requirements && ../$(PIP_COMPILE) -o base.txt base.in && ../$(PIP_COMPILE) -o dev.txt dev.in

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
