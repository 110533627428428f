# Two commands do all set-up: `make build` and `make test` (see README).
SHELL := /bin/bash
SQLFLUFF_LOG := target/sqlfluff.log
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
# The only folder `make build` fills with demo data on its own (and only while it holds no raw file).
DEMO_RAW_DIR := data/raw
export SEGMENTATION_RAW_DIR ?= $(DEMO_RAW_DIR)
export SEGMENTATION_DUCKDB ?= segmentation.duckdb
export SEGMENTATION_SERVING_DIR ?= serving

# pytest-xdist workers for the Python tests; tests sharing a warehouse they build stay on one worker
# (tests/python/conftest.py). PYTEST_WORKERS=0 runs them in this process, one after the other.
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist loadgroup

DEMO_CUSTOMERS ?= 20000
DEMO_SEED ?= 42
FIXTURE_DIR := target/fixture
FIXTURE_ENV := SEGMENTATION_RAW_DIR=$(FIXTURE_DIR)/raw SEGMENTATION_DUCKDB=$(FIXTURE_DIR)/warehouse.duckdb
# The as-of date: $$SEGMENTATION_AS_OF_DATE, else the end of demo/loaded data, else the run date.
with_as_of = SEGMENTATION_AS_OF_DATE=$$($(BIN)/python -m segmentation as-of --raw-dir "$(1)")

.PHONY: build refresh test-refresh-soak test install demo-data lint fixture-build integration-tests pytest test-engines test-postgres test-spark \
	test-python postgres-start \
	postgres-stop bench benchmark benchmark-engines benchmark-predictive clean

build: install  ## set up, make demo data if none, run the whole pipeline on DuckDB, check it
	@$(BIN)/python -m segmentation generate --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED) \
		--out "$(SEGMENTATION_RAW_DIR)" --skip-if-raw-files --only-into $(DEMO_RAW_DIR)
	@$(BIN)/python -m segmentation as-of --explain >/dev/null
	$(call with_as_of,$(SEGMENTATION_RAW_DIR)) $(BIN)/dbt build
	$(call with_as_of,$(SEGMENTATION_RAW_DIR)) $(BIN)/dbt source freshness
	$(BIN)/python -m segmentation check
	$(BIN)/python -m segmentation publish
	@$(call with_as_of,$(SEGMENTATION_RAW_DIR)) $(BIN)/python -m segmentation summary

refresh: install  ## what a scheduler runs: lock, build, checks, publish to $SEGMENTATION_SERVING_DIR only if all passed
	$(BIN)/python -m segmentation refresh

install: $(VENV)/.installed  ## create .venv and install pinned dependencies

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

demo-data: install  ## generate the demo dataset into $SEGMENTATION_RAW_DIR unless it holds raw files (never touches others' files)
	@$(BIN)/python -m segmentation generate --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED) \
		--out "$(SEGMENTATION_RAW_DIR)" --skip-if-raw-files

test: install lint fixture-build integration-tests test-python  ## everything: linters, dbt builds, generic-test fixtures, Python tests, PostgreSQL and Spark

lint: install  ## ruff and sqlfluff
	$(BIN)/ruff check segmentation tests benchmarks
	$(BIN)/ruff format --check segmentation tests benchmarks
	@# a file the dbt templater cannot compile is skipped with a warning, not failed: fail on it
	mkdir -p $(dir $(SQLFLUFF_LOG))
	set -o pipefail; $(BIN)/sqlfluff lint models analyses tests --processes 2 2>&1 | tee $(SQLFLUFF_LOG)
	@! grep -q "Skipped file" $(SQLFLUFF_LOG) || (echo "sqlfluff skipped files it could not compile"; exit 1)

fixture-build: install  ## dbt build (models, unit tests, data tests) and GE checks on the small fixture dataset
	rm -rf $(FIXTURE_DIR)
	$(BIN)/python -m segmentation generate --customers 1500 --seed 7 --out $(FIXTURE_DIR)/raw --quiet
	$(FIXTURE_ENV) $(call with_as_of,$(FIXTURE_DIR)/raw) $(BIN)/dbt build
	$(FIXTURE_ENV) $(BIN)/python -m segmentation check --docs-dir $(FIXTURE_DIR)/data_quality

integration-tests: install  ## our generic tests on fixtures that must break them (and ones that must pass)
	cd integration_tests && DBT_PROFILES_DIR=$(CURDIR)/integration_tests ../$(BIN)/dbt deps --quiet
	cd integration_tests && DBT_PROFILES_DIR=$(CURDIR)/integration_tests ../$(BIN)/dbt build

pytest: install  ## Python tests (tests/python) on DuckDB, some of which build small warehouses themselves
	scripts/ensure_chromium.sh
	$(FIXTURE_ENV) $(BIN)/pytest -m "not postgres and not spark" $(XDIST)

# What `make test` runs after the fixture build: the tests of `make pytest` and `make test-engines` in
# one pytest run, so that its workers share the two cores to the end (the engine tests are long).
test-python: install postgres-start  ## make pytest and make test-engines in one pytest run
	scripts/ensure_chromium.sh
	scripts/ensure_java.sh
	$(FIXTURE_ENV) SEGMENTATION_BI_ROLE=segmentation_bi $(BIN)/pytest $(XDIST) --durations=25

# The refresh soak test of `make pytest` runs SOAK_REFRESHES refreshes and SOAK_KILLS killed ones
# (4 and 8, about 5 minutes); this target runs the 10 and 20 of the acceptance figures (about 13).
test-refresh-soak: install  ## 10 refreshes and 20 killed ones while BI readers poll the serving database
	$(FIXTURE_ENV) SEGMENTATION_SOAK_REFRESHES=10 SEGMENTATION_SOAK_KILLS=20 $(BIN)/pytest -s \
		tests/python/test_refresh.py -k readers_never_see_a_mix

test-engines: test-postgres test-spark  ## the same models on PostgreSQL and Spark, compared with DuckDB

test-postgres: install postgres-start  ## PostgreSQL: builds, history, quarantine, checks, BI role, marts = DuckDB's
	SEGMENTATION_BI_ROLE=segmentation_bi $(BIN)/pytest -m postgres $(XDIST)

test-spark: install  ## Spark (local pyspark, Java from Debian): builds, history, marts = DuckDB's
	scripts/ensure_java.sh
	$(BIN)/pytest -m spark

postgres-start:  ## install (Debian) and start a local PostgreSQL server on 127.0.0.1:$SEGMENTATION_PG_PORT (55432; data in target/postgres)
	scripts/local_postgres.sh start

postgres-stop:  ## stop it (installs nothing; nothing to stop is fine)
	scripts/local_postgres.sh stop

# BENCH_ARGS: e.g. --datasets demo --demo-customers 100000, or --sf10 (TPC-DS SF10 too; long)
bench: install  ## the pipeline beside a bare and a typed DuckDB pass and the pandas RFM helpers (1M demo, TPC-DS SF1): JSON + table in target/bench
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

benchmark: install  ## generator and dbt build timings, printed as figures
	$(BIN)/python benchmarks/run.py

benchmark-engines: install postgres-start  ## the same dataset built on DuckDB, PostgreSQL and Spark: times and ratios
	scripts/ensure_java.sh
	$(BIN)/python benchmarks/engines.py

benchmark-predictive: install  ## fit and scoring times of the predictive models: CDNOW and 500K customers, beside lifetimes
	$(BIN)/python benchmarks/predictive.py

clean: postgres-stop  ## remove build outputs (not the raw data), the serving folder and the local PostgreSQL server's data included
	rm -rf target logs $(SEGMENTATION_DUCKDB) $(SEGMENTATION_DUCKDB).wal $(SEGMENTATION_DUCKDB).raw-cache
	rm -rf $(SEGMENTATION_DUCKDB).checks.duckdb $(SEGMENTATION_DUCKDB).checks.duckdb.wal $(SEGMENTATION_DUCKDB).checks.duckdb.tmp
	rm -rf "$(SEGMENTATION_SERVING_DIR)/versions" "$(SEGMENTATION_SERVING_DIR)/shared" "$(SEGMENTATION_SERVING_DIR)/segmentation.duckdb" \
		"$(SEGMENTATION_SERVING_DIR)/.segmentation.duckdb.next" "$(SEGMENTATION_SERVING_DIR)/.refresh.lock"
