# Confab: `make run` to try it, `make test` before you push. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Extra pytest arguments, e.g. `make test-sqlite PYTEST_ARGS="-x tests/posts"`.
PYTEST_ARGS ?=

# Every recipe line fails the target on its first failing command.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: help install run test lint system-packages test-sqlite test-postgres bench bench-live bench-transcript bench-room bench-worker bench-search bench-curation bench-recommendations bench-insights bench-all clean

help:
	@echo "make run            virtual environment, install, migrate, demo data, serve on 127.0.0.1:8000"
	@echo "make test           system packages, lint, the suite on SQLite and on PostgreSQL 15"
	@echo "make lint           ruff check, ruff format --check and mypy"
	@echo "make test-sqlite    the suite on SQLite          (PYTEST_ARGS=... to narrow it)"
	@echo "make test-postgres  the suite on a throwaway PostgreSQL 15 cluster"
	@echo "make bench          the timeline benchmark; bench-all runs every benchmark (docs/performance.md)"

install: $(STAMP)

# Reinstall only when the pins change; the editable install picks up code changes itself.
$(STAMP): requirements.lock pyproject.toml
	PYTHON=$(PYTHON) scripts/ensure-system-packages.sh python
	@# A venv left half-made by a failed `python3 -m venv` has no pip; start it again.
	if [ ! -x $(BIN)/pip ]; then rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

run: install
	$(BIN)/confab migrate --noinput
	$(BIN)/confab demo --if-empty
	$(BIN)/confab serve

system-packages:
	PYTHON=$(PYTHON) scripts/ensure-system-packages.sh test

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# mypy imports the settings, which write a secret key into the data dir: use a spare one.
	data_dir=$$(mktemp -d -t confab-mypy.XXXXXX); \
	trap 'rm -rf "$$data_dir"' EXIT; \
	CONFAB_DATA_DIR="$$data_dir" $(BIN)/mypy

# Sub-makes keep the order strict even under `make -j`.
test: install
	$(MAKE) --no-print-directory system-packages
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Tests get their own data directory, so they never touch ./data.
test-sqlite: install system-packages
	data_dir=$$(mktemp -d -t confab-test-data.XXXXXX); \
	trap 'rm -rf "$$data_dir"' EXIT; \
	trap 'exit 130' INT TERM; \
	echo "== pytest on SQLite"; \
	env -u CONFAB_DATABASE_URL CONFAB_DATA_DIR="$$data_dir" $(BIN)/pytest -q $(PYTEST_ARGS)

# Each run gets its own cluster directory and a free port, so two runs on one machine do not
# meet; the cluster is stopped and deleted even when the tests fail or are interrupted.
test-postgres: install system-packages
	data_dir=$$(mktemp -d -t confab-test-data.XXXXXX); \
	pg_dir=$$(mktemp -d -t confab-test-pg.XXXXXX); \
	export CONFAB_PG_DIR="$${CONFAB_PG_DIR:-$$pg_dir}"; \
	export CONFAB_PG_PORT="$${CONFAB_PG_PORT:-$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"; \
	trap 'scripts/pg-test-cluster.sh stop || echo "could not stop the cluster in $$CONFAB_PG_DIR" >&2; rm -rf "$$data_dir" "$$pg_dir"' EXIT; \
	trap 'exit 130' INT TERM; \
	url=$$(scripts/pg-test-cluster.sh start); \
	echo "== pytest on PostgreSQL ($$url)"; \
	CONFAB_DATABASE_URL="$$url" CONFAB_DATA_DIR="$$data_dir" $(BIN)/pytest -q $(PYTEST_ARGS)

# Each benchmark prints ratios against a baseline measured in the same run and writes its
# section of docs/performance.md. `make bench` runs the timeline one (it seeds 1M posts once).
bench: install
	$(BIN)/python bench/run.py

bench-live: install
	$(BIN)/python bench/live.py

bench-transcript: install
	$(BIN)/python bench/transcript.py

bench-room: install
	$(BIN)/python bench/room.py

bench-worker: install
	$(BIN)/python bench/worker.py

bench-search: install
	$(BIN)/python bench/search.py

bench-curation: install
	$(BIN)/python bench/curation.py

bench-recommendations: install
	$(BIN)/python bench/recommendations.py

bench-insights: install
	$(BIN)/python bench/insights.py

bench-all: bench bench-live bench-transcript bench-room bench-worker bench-search bench-curation bench-recommendations bench-insights

clean:
	rm -rf $(VENV) .ruff_cache .mypy_cache .hypothesis
