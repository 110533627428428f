"""`python -m segmentation check`: Great Expectations suites on raw files and marts."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import planted_defects, run_dbt

from segmentation.cli import main
from segmentation.generator import generate
from segmentation.quality.duckdb_dialect import StatementCursor
from segmentation.quality.runner import run_checks
from segmentation.quality.sources import DuckDBWarehouse

pytestmark = pytest.mark.slow

# planted defect class -> (data asset, column, expectation) that must report it
DETECTED_BY = {
    ("customers", "missing_customer_id"): ("customer_id", "expect_column_values_to_not_be_null"),
    ("customers", "invalid_created_at"): ("created_at__unparseable", "expect_column_values_to_be_in_set"),
    ("customers", "future_created_at"): ("created_at__value", "expect_column_values_to_be_between"),
    ("customers", "exact_duplicate"): ("customer_id", "expect_column_values_to_be_unique"),
    ("customers", "invalid_birth_date"): ("birth_date__unparseable", "expect_column_values_to_be_in_set"),
    ("companies", "invalid_employee_count"): ("employee_count__unparseable", "expect_column_values_to_be_in_set"),
    ("products", "negative_unit_cost"): ("unit_cost__value", "expect_column_values_to_be_between"),
    ("products", "missing_category"): ("category", "expect_column_values_to_not_be_null"),
    ("orders", "missing_order_id"): ("order_id", "expect_column_values_to_not_be_null"),
    ("orders", "invalid_ordered_at"): ("ordered_at__unparseable", "expect_column_values_to_be_in_set"),
    ("orders", "future_ordered_at"): ("ordered_at__value", "expect_column_values_to_be_between"),
    ("orders", "unknown_channel"): ("channel__lower", "expect_column_values_to_be_in_set"),
    ("orders", "unknown_status"): ("status__lower", "expect_column_values_to_be_in_set"),
    ("orders", "duplicate_order_id"): ("order_id", "expect_column_values_to_be_unique"),
    ("orders", "exact_duplicate"): ("order_id", "expect_column_values_to_be_unique"),
    ("order_lines", "missing_order_line_id"): ("order_line_id", "expect_column_values_to_not_be_null"),
    ("order_lines", "invalid_quantity"): ("quantity__unparseable", "expect_column_values_to_be_in_set"),
    ("order_lines", "invalid_unit_price"): ("unit_price__unparseable", "expect_column_values_to_be_in_set"),
    ("order_lines", "negative_unit_price"): ("unit_price__value", "expect_column_values_to_be_between"),
    ("order_lines", "unknown_order"): ("order_id__known", "expect_column_values_to_be_in_set"),
    ("order_lines", "exact_duplicate"): ("order_line_id", "expect_column_values_to_be_unique"),
    ("order_lines", "invalid_discount_amount"): ("discount_amount__unparseable", "expect_column_values_to_be_in_set"),
    ("payments", "invalid_amount"): ("amount__unparseable", "expect_column_values_to_be_in_set"),
    ("payments", "negative_amount"): ("amount__value", "expect_column_values_to_be_between"),
    ("payments", "invalid_due_date"): ("due_date__unparseable", "expect_column_values_to_be_in_set"),
    ("marketing_events", "unknown_channel"): ("channel__lower", "expect_column_values_to_be_in_set"),
    ("marketing_events", "invalid_event_at"): ("event_at__unparseable", "expect_column_values_to_be_in_set"),
    ("marketing_events", "future_event_at"): ("event_at__value", "expect_column_values_to_be_between"),
}


@pytest.fixture(scope="module")
def fixture_report(fixture_warehouse, tmp_path_factory: pytest.TempPathFactory):
    """The checks on a copy of the fixture warehouse: they append to quarantine.dq_results, and other
    tests (other pytest workers too) read the fixture warehouse meanwhile."""
    raw_dir, fixture = fixture_warehouse
    docs = tmp_path_factory.mktemp("dq")
    warehouse = docs.parent / f"{docs.name}.duckdb"
    shutil.copyfile(fixture, warehouse)
    return raw_dir, warehouse, run_checks(DuckDBWarehouse(warehouse, raw_dir), docs)


def test_each_planted_defect_class_is_reported_with_table_column_and_count(fixture_report):
    raw_dir, _, report = fixture_report
    planted = planted_defects(raw_dir)
    assert set(planted) == set(DETECTED_BY)
    for (table, reason), count in planted.items():
        column, expectation = DETECTED_BY[(table, reason)]
        (outcome,) = [
            o
            for o in report.outcomes
            if o.data_asset == f"raw.{table}" and o.column_name == column and o.expectation == expectation
        ]
        assert not outcome.success and outcome.severity == "warn", (table, reason)
        assert outcome.unexpected_count >= count, (table, reason)
        assert f"raw.{table}.{column}" in outcome.message and f"{outcome.unexpected_count:,} of" in outcome.message


def test_marts_pass_on_the_fixture_and_results_are_stored(fixture_report):
    _, warehouse, report = fixture_report
    assert report.errors == []
    assert {o.suite for o in report.outcomes} >= {
        "marts_customer_segments",
        "marts_segment_shares",
        "marts_dim_customers",
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select count(*), count(distinct suite), bool_and(run_id = ?) from quarantine.dq_results where run_id = ?",
            [report.run_id, report.run_id],
        ).fetchall()
    assert rows == [(len(report.outcomes), len({o.suite for o in report.outcomes}), True)]


def test_on_duckdb_great_expectations_computes_in_the_engine(fixture_warehouse, tmp_path: Path, monkeypatch):
    """GE validates SQL data sources over DuckDB files, never a pandas frame: what its queries
    bring back to Python is a row of metrics or a few example values, not the rows checked
    (ADR 0022). Fails if a suite is handed to GE as a frame or a query returns its table."""
    import great_expectations as gx

    raw_dir, warehouse = fixture_warehouse
    fetched: list[int] = []  # rows each fetch brought to Python
    for name in ("fetchone", "fetchmany", "fetchall"):
        fetch = getattr(StatementCursor, name)

        def counting(self, *args, fetch=fetch):
            rows = fetch(self, *args)
            fetched.append(len(rows) if isinstance(rows, list) else int(rows is not None))
            return rows

        monkeypatch.setattr(StatementCursor, name, counting)
    suites = {"raw_order_lines", "marts_fct_customer_segments"}
    report = run_checks(DuckDBWarehouse(warehouse, raw_dir), tmp_path / "dq", only=suites, build_docs=False)

    assert {o.suite for o in report.outcomes} == suites
    rows_checked = {o.suite: o.element_count for o in report.outcomes if o.element_count}
    assert set(rows_checked) == suites and min(rows_checked.values()) > 10_000
    assert fetched and max(fetched) <= 100, max(fetched, default=None)
    sources = gx.get_context(mode="file", project_root_dir=str(tmp_path / "dq")).data_sources.all()
    assert {name: source.type for name, source in sources.items()} == {"raw_files": "sql", "warehouse": "sql"}
    assert all(source.connection_string.startswith("duckdb+") for source in sources.values())
    assert not Path(f"{warehouse}.checks.duckdb").exists()  # the raw rows read for the run are gone


def test_a_context_left_by_the_pandas_release_is_updated(fixture_warehouse, tmp_path: Path):
    """The Great Expectations folder of a warehouse checked before ADR 0022 holds a pandas data
    source named warehouse: GE refuses to change its type in place, the check replaces it."""
    import great_expectations as gx

    raw_dir, warehouse = fixture_warehouse
    context = gx.get_context(mode="file", project_root_dir=str(tmp_path / "dq"))
    context.data_sources.add_pandas(name="warehouse")
    docs = tmp_path / "dq"
    suite = "marts_dim_customers"  # a suite of the warehouse, the data source at stake
    report = run_checks(DuckDBWarehouse(warehouse, raw_dir), docs, only={suite}, build_docs=False)
    assert {o.suite for o in report.outcomes} == {suite}
    sources = gx.get_context(mode="file", project_root_dir=str(tmp_path / "dq")).data_sources.all()
    assert sources["warehouse"].type == "sql"


def test_data_docs_are_a_static_site(fixture_report):
    _, _, report = fixture_report
    assert report.docs_index is not None and report.docs_index.is_file()
    html = report.docs_index.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "marts_customer_segments" in html


def test_clean_dataset_passes_every_check_and_build_has_no_warning(tmp_path: Path):
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    generate(customers=400, seed=21, out_dir=raw, defect_share=0, show_progress=False)
    # 400 customers make segments of a handful by nature: the size policy (a business warning,
    # tested in test_segments.py) is set to any non-empty segment here
    result = run_dbt(["build", "--vars", "{segment_min_customers: 1, segment_min_share: 0}"], raw, warehouse)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "WARN=0" in result.stdout and "ERROR=0" in result.stdout
    report = run_checks(DuckDBWarehouse(warehouse, raw), tmp_path / "dq", build_docs=False)
    assert report.warnings == [] and report.errors == []


def test_a_broken_mart_makes_the_command_exit_non_zero(tmp_path: Path, capsys):
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    generate(customers=300, seed=22, out_dir=raw, show_progress=False)
    result = run_dbt(["build"], raw, warehouse)
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into marts.customer_segments select * from marts.customer_segments limit 3")
    code = main(
        [
            "check",
            "--warehouse",
            str(warehouse),
            "--raw-dir",
            str(raw),
            "--docs-dir",
            str(tmp_path / "dq"),
            "--suite",
            "marts_customer_segments",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "ERROR marts.customer_segments.customer_key: expect_column_values_to_be_unique: 6 of" in out


def test_suites_of_a_segmentation_not_built_are_skipped():
    """The predictive suites run only where the predictive segmentations are built (not on
    PostgreSQL or Spark, which have no dbt Python models)."""
    from segmentation.quality.suites import load_suites

    asked = []

    def registry_says(built: int):
        def scalar(query: str):
            asked.append(query)
            return built if "segmentation_registry" in query else 0

        return scalar

    predictive = {"marts_customer_predictions", "marts_predictive_model_parameters"}
    assert predictive <= {suite.name for suite in load_suites(registry_says(1))}
    assert not predictive & {suite.name for suite in load_suites(registry_says(0))}
    assert any("segmentation = 'churn_risk' and is_enabled" in query for query in asked)
