# Two commands do all set-up: `make build` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export SEGMENTATION_RAW_DIR ?= data/raw
export SEGMENTATION_DUCKDB ?= segmentation.duckdb

DEMO_CUSTOMERS ?= 20000
DEMO_SEED ?= 42
FIXTURE_DIR := target/fixture
FIXTURE_ENV := SEGMENTATION_RAW_DIR=$(FIXTURE_DIR)/raw SEGMENTATION_DUCKDB=$(FIXTURE_DIR)/warehouse.duckdb

.PHONY: build test install demo-data lint fixture-build integration-tests pytest benchmark clean

build: demo-data  ## set up, make demo data if none, run the whole pipeline on DuckDB, check it
	$(BIN)/dbt build
	$(BIN)/dbt source freshness
	$(BIN)/python -m segmentation check
	@$(BIN)/python -m segmentation summary

install: $(VENV)/.installed  ## create .venv and install pinned dependencies

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

demo-data: install  ## generate the demo dataset unless $SEGMENTATION_RAW_DIR already holds raw files
	@if ls $(SEGMENTATION_RAW_DIR)/*.csv $(SEGMENTATION_RAW_DIR)/*.parquet >/dev/null 2>&1; then \
		echo "raw files found in $(SEGMENTATION_RAW_DIR): not generating demo data"; \
	else \
		$(BIN)/python -m segmentation generate --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED) --out $(SEGMENTATION_RAW_DIR); \
	fi

test: install lint fixture-build integration-tests pytest  ## everything: linters, dbt builds, generic-test fixtures, Python tests

lint: install  ## ruff and sqlfluff
	$(BIN)/ruff check segmentation tests benchmarks
	$(BIN)/ruff format --check segmentation tests benchmarks
	$(BIN)/sqlfluff lint models analyses tests --processes 2

fixture-build: install  ## dbt build (models, unit tests, data tests) and GE checks on the small fixture dataset
	rm -rf $(FIXTURE_DIR)
	$(BIN)/python -m segmentation generate --customers 1500 --seed 7 --out $(FIXTURE_DIR)/raw --quiet
	$(FIXTURE_ENV) $(BIN)/dbt build
	$(FIXTURE_ENV) $(BIN)/python -m segmentation check --docs-dir $(FIXTURE_DIR)/data_quality

integration-tests: install  ## our generic tests on fixtures that must break them (and ones that must pass)
	cd integration_tests && DBT_PROFILES_DIR=$(CURDIR)/integration_tests ../$(BIN)/dbt deps --quiet
	cd integration_tests && DBT_PROFILES_DIR=$(CURDIR)/integration_tests ../$(BIN)/dbt build

pytest: install  ## Python tests (tests/python), some of which build small warehouses themselves
	$(FIXTURE_ENV) $(BIN)/pytest

benchmark: install  ## generator and dbt build timings, printed as figures
	$(BIN)/python benchmarks/run.py

clean:  ## remove build outputs (not the raw data)
	rm -rf target logs $(SEGMENTATION_DUCKDB)
