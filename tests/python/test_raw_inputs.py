"""Reading the raw files: missing required inputs fail with a clear message, missing optional ones
read as empty, CSV and Parquet both work, and the marts are deterministic."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pytest
from conftest import run_dbt

from segmentation.generator import generate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("raw") / "raw"
    generate(customers=300, seed=11, out_dir=out, show_progress=False)
    return out


def _copy(raw: Path, tmp_path: Path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(raw, target)
    return target


def _drop_column(path: Path, column: str) -> None:
    table = pacsv.read_csv(path)
    pacsv.write_csv(table.drop_columns([column]), path)


def test_missing_required_column_fails_naming_file_and_column(small_raw: Path, tmp_path: Path):
    raw = _copy(small_raw, tmp_path)
    _drop_column(raw / "orders.csv", "channel")
    result = run_dbt(["run", "--select", "base_raw__customers"], raw, tmp_path / "w.duckdb")
    assert result.returncode != 0
    assert "orders.csv" in result.stdout and "'channel'" in result.stdout


def _raw_views(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select view_name, sql from duckdb_views() where schema_name = 'raw' order by 1").fetchall()


def test_missing_required_file_fails_naming_the_file_and_keeps_the_previous_views(small_raw: Path, tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    assert run_dbt(["seed"], small_raw, warehouse).returncode == 0  # the run-start hook makes the views
    before = _raw_views(warehouse)
    assert len(before) == 7
    raw = _copy(small_raw, tmp_path)
    (raw / "order_lines.csv").unlink()
    result = run_dbt(["run", "--select", "base_raw__customers"], raw, warehouse)
    assert result.returncode != 0
    assert "order_lines" in result.stdout and "not found" in result.stdout
    assert _raw_views(warehouse) == before, "a run that stops on a missing file re-points no view"


def test_missing_optional_file_and_column_read_as_empty(small_raw: Path, tmp_path: Path):
    raw = _copy(small_raw, tmp_path)
    (raw / "marketing_events.csv").unlink()
    (raw / "companies.csv").unlink()
    _drop_column(raw / "orders.csv", "promo_code")
    warehouse = tmp_path / "w.duckdb"
    result = run_dbt(["build"], raw, warehouse)
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_raw__marketing_events").fetchall()[0][0] == 0
        assert con.execute("select count(promo_code) from staging.stg_raw__orders").fetchall()[0][0] == 0
        assert con.execute("select count(*) from marts.dim_customers").fetchall()[0][0] > 0


def test_parquet_input_builds_and_reconciles(tmp_path: Path):
    raw = tmp_path / "raw"
    generate(customers=300, seed=11, out_dir=raw, file_format="parquet", show_progress=False)
    warehouse = tmp_path / "w.duckdb"
    for command in (["build"], ["source", "freshness"]):  # typed timestamps, not text
        result = run_dbt(command, raw, warehouse)
        assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select sum(unaccounted_row_count), sum(staged_row_count) from quarantine.quarantine_reconciliation"
        ).fetchall()
    assert rows == [(0, rows[0][1])] and rows[0][1] > 0


def _marts_digest(warehouse: Path) -> dict[str, str]:
    digests = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('intermediate', 'marts', 'quarantine') "
            "and table_name <> 'run_outcomes' order by 1"  # a record of each run (ids, times), not data
        ).fetchall()
        for (table,) in tables:
            rows = con.execute(f"select * from {table} order by all").fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def test_building_twice_gives_identical_tables(small_raw: Path, tmp_path: Path):
    first, second = tmp_path / "a" / "w.duckdb", tmp_path / "b" / "w.duckdb"
    for warehouse in (first, second):
        warehouse.parent.mkdir()
        result = run_dbt(
            ["build", "--vars", "{as_of_date: '2026-06-30'}"],
            small_raw,
            warehouse,
        )
        assert result.returncode == 0, result.stdout[-3000:]
    assert _marts_digest(first) == _marts_digest(second)
