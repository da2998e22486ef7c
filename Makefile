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

.PHONY: build test install install-dev data lint lint-sql lint-python dbt-test pytest report chromium clean

## Install -------------------------------------------------------------------------------------
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt requirements.lock | $(BIN)/activate
	$(BIN)/pip install --quiet -c requirements.lock -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt requirements.lock | $(BIN)/activate
	$(BIN)/pip install --quiet -c requirements.lock -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

## Main job ------------------------------------------------------------------------------------
# Sample raw data is generated only when it is missing (delete data/raw to regenerate).
data: install
	@if [ ! -e "$(RAW_DATA_PATH)/leads.csv" ] && [ ! -d "$(RAW_DATA_PATH)/leads" ]; then \
		echo "Generating sample raw data ($(SAMPLE_LEADS) leads, $(SAMPLE_DAYS) days) in $(RAW_DATA_PATH)"; \
		$(BIN)/python -m lead_scoring.generate --leads $(SAMPLE_LEADS) --days $(SAMPLE_DAYS) --out $(RAW_DATA_PATH); \
	fi

# Unit tests are for development (make test); the main job runs models, seeds and data tests. It
# builds a copy of the warehouse and swaps it in only when everything passed.
build: data
	scripts/build_duckdb_atomically.sh $(DBT) --exclude-resource-type unit_test --vars '{raw_data_path: "$(RAW_DATA_PATH)"}'
	$(BIN)/python -m lead_scoring.summary --duckdb "$(LEAD_SCORING_DUCKDB_PATH)"

# The calibration report of the built warehouse (run `make build` first).
report: install
	$(BIN)/python -m lead_scoring.report --duckdb "$(LEAD_SCORING_DUCKDB_PATH)" --out "$(REPORT_DIR)" \
		--scoring-model "$(SCORING_MODEL)" $(REPORT_FLAGS)

## Checks --------------------------------------------------------------------------------------
test: install-dev lint dbt-test pytest

lint: lint-python lint-sql

lint-python: install-dev
	$(BIN)/ruff check python
	$(BIN)/ruff format --check python

# Models and singular tests are linted through the dbt templater (macros are linted where they render).
lint-sql: install-dev
	mkdir -p warehouse
	LEAD_SCORING_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests/staging tests/reports analyses --processes 2

# Unit tests + data tests on the hand-written fixture, in a throw-away DuckDB file.
dbt-test: install-dev
	mkdir -p warehouse
	rm -f warehouse/fixtures.duckdb
	LEAD_SCORING_DUCKDB_PATH=warehouse/fixtures.duckdb $(DBT) build --vars "$$(cat data/fixtures/vars.yml)"

# Headless Chromium (Debian package) for the report's browser test.
chromium:
	bash scripts/install_chromium.sh

pytest: install-dev chromium
	$(BIN)/python -m pytest python/tests -p no:cacheprovider

clean:
	rm -rf target logs warehouse dbt_packages
