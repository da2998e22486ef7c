# The README's commands. CI (.ci/run) calls `make test`, nothing else.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE_LEADS ?= 20000
SAMPLE_DAYS ?= 365
RAW_DATA_PATH ?= data/raw
REPORT_DIR ?= reports_out
SCORING_MODEL ?= default
# e.g. REPORT_FLAGS=--screenshot to check the page in Chromium and save a screenshot of it
REPORT_FLAGS ?=

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export PYTHONPATH := $(CURDIR)/python
export LEAD_SCORING_DUCKDB_PATH ?= warehouse/lead_scoring.duckdb
DBT := $(CURDIR)/$(BIN)/dbt

.PHONY: build test install install-dev data lint lint-sql lint-python dbt-test pytest report weights chromium java clean

## Install -------------------------------------------------------------------------------------
# The pinned requirements first, then the project itself, editable and without dependencies (they
# are installed already, from the pins): the `lead-scoring` command, running the source in python/.
INSTALL_PROJECT = $(BIN)/pip install --quiet --no-deps -e .

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt requirements.lock pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -c requirements.lock -r requirements.txt
	$(INSTALL_PROJECT)
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt requirements.lock pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -c requirements.lock -r requirements-dev.txt
	$(INSTALL_PROJECT)
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

## Main job ------------------------------------------------------------------------------------
# Sample raw data is generated only when it is missing (delete data/raw to regenerate).
data: install
	@if [ ! -e "$(RAW_DATA_PATH)/leads.csv" ] && [ ! -d "$(RAW_DATA_PATH)/leads" ]; then \
		echo "Generating sample raw data ($(SAMPLE_LEADS) leads, $(SAMPLE_DAYS) days) in $(RAW_DATA_PATH)"; \
		$(BIN)/lead-scoring generate --leads $(SAMPLE_LEADS) --days $(SAMPLE_DAYS) --out $(RAW_DATA_PATH); \
	fi

# Unit tests are for development (make test); the main job runs models, seeds and data tests. It
# builds a copy of the warehouse and swaps it in only when everything passed. BUILD_FLAGS are extra
# dbt flags, e.g. BUILD_FLAGS=--full-refresh after new seed rules (README, Changing the weights).
BUILD_FLAGS ?=
build: data
	scripts/build_duckdb_atomically.sh $(DBT) --exclude-resource-type unit_test --vars '{raw_data_path: "$(RAW_DATA_PATH)"}' $(BUILD_FLAGS)
	$(BIN)/lead-scoring summary --duckdb "$(LEAD_SCORING_DUCKDB_PATH)"

# The calibration report of the built warehouse (run `make build` first).
report: install
	$(BIN)/lead-scoring report --duckdb "$(LEAD_SCORING_DUCKDB_PATH)" --out "$(REPORT_DIR)" \
		--scoring-model "$(SCORING_MODEL)" $(REPORT_FLAGS)

# Fit the weights on the built warehouse's backtests and check them on the held-out cutoff(s);
# WEIGHTS_FLAGS=--dry-run prints the held-out table without writing seeds (README, Changing the weights).
WEIGHTS_FLAGS ?=
weights: install
	$(BIN)/lead-scoring weights --duckdb "$(LEAD_SCORING_DUCKDB_PATH)" --out "$(REPORT_DIR)/weights" \
		--scoring-model "$(SCORING_MODEL)" $(WEIGHTS_FLAGS)

# OUTCOME_WINDOW_DAYS=N: the backtests' outcome window (var outcome_window_days, default 90) for the
# builds, without editing dbt_project.yml; `make weights` names the one a one-snapshot export needs.
OUTCOME_WINDOW_DAYS ?=
ifneq ($(OUTCOME_WINDOW_DAYS),)
build backfill build-postgres build-spark: export LEAD_SCORING_OUTCOME_WINDOW_DAYS = $(OUTCOME_WINDOW_DAYS)
endif

# Seed files from an earlier version: the check (run before every build) names each file, missing
# column and the default to add; the upgrade adds them and leaves the rows alone (README, Changing
# the weights).
.PHONY: seeds-check seeds-upgrade
seeds-check: install
	$(BIN)/lead-scoring seeds check
seeds-upgrade: install
	$(BIN)/lead-scoring seeds upgrade
build: seeds-check

# Backfill the score history to the last DAYS days on the built warehouse, in as many dbt builds as
# it takes (each adds at most var history_backfill_days_per_run older days; README, History).
DAYS ?= 90
.PHONY: backfill
backfill: install
	$(BIN)/lead-scoring backfill --days $(DAYS) --vars '{raw_data_path: "$(RAW_DATA_PATH)"}'

## Acting on scores (README, "Acting on scores") ------------------------------------------------
# The CRM change set of the built warehouse as HubSpot / Salesforce import files in EXPORT_DIR/<batch>;
# EXPORT_FLAGS=--dry-run prints the counts only; EXPORT_FLAGS="--mark-sent exports/crm/<batch>" records
# a batch as sent once its files were imported.
EXPORT_DIR ?= exports/crm
EXPORT_FLAGS ?=

.PHONY: crm-export
crm-export: install
	$(BIN)/lead-scoring export --duckdb "$(LEAD_SCORING_DUCKDB_PATH)" --out "$(EXPORT_DIR)" $(EXPORT_FLAGS)

## Other warehouses (README, "Run on your warehouse") ------------------------------------------
# TARGET=postgres copies the raw files into PostgreSQL (DuckDB and Spark read them in place).
TARGET ?= duckdb
# Settings of the throw-away PostgreSQL server (written by pg-start; load and build-postgres read
# them when the file exists, else the LEAD_SCORING_PG_* variables of your own server).
PG_ENV_FILE ?= warehouse/postgres.env
# Where test-warehouses builds the fixture on the three warehouses (deleted at each run).
WAREHOUSES_DIR ?= warehouse/warehouses
PG_ENV = if [ -f "$(PG_ENV_FILE)" ]; then source "$(PG_ENV_FILE)"; fi

.PHONY: pg-start pg-stop load build-postgres build-spark test-warehouses

# A local PostgreSQL server on 127.0.0.1 (installed with apt-get when missing), for trying the project out.
pg-start:
	LEAD_SCORING_PG_ENV_FILE="$(PG_ENV_FILE)" scripts/postgres.sh start

# Stops that server, and the one of an interrupted test-warehouses, deleting their data.
pg-stop:
	LEAD_SCORING_PG_ENV_FILE="$(PG_ENV_FILE)" scripts/postgres.sh stop
	@if [ -f "$(WAREHOUSES_DIR)/postgres.env" ]; then \
		LEAD_SCORING_PG_ENV_FILE="$(WAREHOUSES_DIR)/postgres.env" scripts/postgres.sh stop; fi

load: install-dev data
	$(PG_ENV); $(BIN)/lead-scoring load --target "$(TARGET)" --raw-data-path "$(RAW_DATA_PATH)"

# The main job on PostgreSQL (a throw-away server, left running: query it, then `make pg-stop`)
# and on a local Spark session (metastore and tables in warehouse/spark).
build-postgres: install-dev data pg-start
	$(PG_ENV); $(BIN)/lead-scoring load --target postgres --raw-data-path "$(RAW_DATA_PATH)"
	$(PG_ENV); LEAD_SCORING_ENV=prod $(DBT) build --target postgres --exclude-resource-type unit_test --vars '{raw_data_path: "$(RAW_DATA_PATH)"}'
	@echo "PostgreSQL warehouse ready: source $(PG_ENV_FILE) && psql -h 127.0.0.1 -p \$$LEAD_SCORING_PG_PORT -U lead_scoring lead_scoring"

build-spark: install-dev data
	$(DBT) build --target spark --exclude-resource-type unit_test --vars '{raw_data_path: "$(RAW_DATA_PATH)"}'

# The fixture on DuckDB, PostgreSQL (throw-away server, stopped on exit) and Spark with unit and
# data tests, then python/tests/test_warehouses.py compares them row for row and checks grants.
test-warehouses: install-dev
	scripts/test_warehouses.sh $(DBT) $(abspath $(BIN))/python "$(WAREHOUSES_DIR)"

## Benchmark (README, "Benchmark") ----------------------------------------------------------
# Generates Parquet data at LEADS leads (skipped when warehouse/bench-<LEADS> has it), measures the main
# job, the live path, dbt's overhead, an incremental day, a history backfill, one hand-written DuckDB
# statement and plain pandas (both checked against the project's scores), prints the table and writes
# warehouse/bench-<LEADS>/bench.json. SCALE is another name for LEADS. E.g. make bench LEADS=1000000,
# BENCH_FLAGS=--postgres for the main job on PostgreSQL at 100,000 leads beside DuckDB.
SCALE ?= 20000
LEADS ?= $(SCALE)
BENCH_MEMORY_LIMIT ?= 4GB
BENCH_FLAGS ?=

.PHONY: bench
bench: install-dev
	$(BIN)/lead-scoring bench --leads $(LEADS) --memory-limit $(BENCH_MEMORY_LIMIT) $(BENCH_FLAGS)

## Checks --------------------------------------------------------------------------------------
test: install-dev lint dbt-test pytest test-warehouses

lint: lint-python lint-sql

lint-python: install-dev
	$(BIN)/ruff check python
	$(BIN)/ruff format --check python

# Models and singular tests are linted through the dbt templater (macros are linted where they render).
lint-sql: install-dev
	mkdir -p warehouse
	LEAD_SCORING_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests/staging tests/reports tests/marts/activation tests/marts/lifecycle analyses --processes 2

# Unit tests + data tests on the hand-written fixture, in a throw-away DuckDB file.
dbt-test: install-dev
	mkdir -p warehouse
	rm -f warehouse/fixtures.duckdb
	LEAD_SCORING_DUCKDB_PATH=warehouse/fixtures.duckdb $(DBT) build --vars "$$(cat data/fixtures/vars.yml)"

# Headless Chromium (Debian package) for the report's browser test.
chromium:
	bash scripts/install_chromium.sh

# Java 17 (Debian package) for the strict reader's Spark test and test-warehouses.
java:
	bash scripts/install_java.sh

# PYTEST_WORKERS test files at a time (pytest-xdist; 0 runs them in this process, one by one).
PYTEST_WORKERS ?= 2
pytest: install-dev chromium java
	$(BIN)/python -m pytest python/tests -p no:cacheprovider --durations=40 -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

clean: pg-stop
	rm -rf target logs warehouse dbt_packages
