"""The same models on PostgreSQL and Apache Spark: built for real (make test-postgres starts a local
PostgreSQL server, make test-spark uses a local Spark), history kept across runs, quarantine and
data-quality checks as on DuckDB, the BI role confined to the marts, and marts identical to
DuckDB's on both engines."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import psycopg2
import pytest
from conftest import DBT, PROJECT_ROOT, run_dbt

from segmentation.generator import generate
from segmentation.quality.runner import run_checks
from segmentation.quality.sources import DuckDBWarehouse, PostgresWarehouse
from segmentation.targets import connect, load_target

pytestmark = pytest.mark.slow
CUSTOMERS, SEED = 600, 3
AS_OF, EARLIER = "2026-09-30", "2026-06-30"


BI_ROLE = os.environ.get("SEGMENTATION_PG_BI_ROLE", "segmentation_bi")


def _env(target: str, root: Path) -> dict[str, str]:
    return {
        "SEGMENTATION_TARGET": target,
        "SEGMENTATION_SPARK_DIR": str(root / "spark"),
        "SEGMENTATION_BI_ROLE": BI_ROLE,
    }


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env={**os.environ, "DO_NOT_TRACK": "1", **env}, capture_output=True, text=True
    )


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The CLI in a process of its own: Spark's embedded metastore admits one process at a time."""
    return _run([sys.executable, "-m", "segmentation", *args], env)


def _build(target: str, raw: Path, root: Path, as_of: str, *extra: str) -> subprocess.CompletedProcess:
    env = _env(target, root)
    result = run_dbt(
        ["build", "--target", target, "--vars", f"{{as_of_date: '{as_of}'}}", *extra], raw, root / "w.duckdb", env
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return result


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("engines") / "raw"
    generate(customers=CUSTOMERS, seed=SEED, out_dir=raw, show_progress=False)
    return raw


@pytest.fixture(scope="module")
def built(dataset: Path, tmp_path_factory: pytest.TempPathFactory):
    """built(target): the target built twice (an earlier date, then the as-of date: history kept),
    its marts exported to Parquet; returns the export folder. Each target is built once per run."""
    exports: dict[str, Path] = {}

    def build(target: str) -> Path:
        if target not in exports:
            root = tmp_path_factory.mktemp(target)
            env = _env(target, root)
            if target != "dev":
                loaded = _python("load-raw", "--target", target, "--raw-dir", str(dataset), env=env)
                assert loaded.returncode == 0, loaded.stderr[-3000:]
            _build(target, dataset, root, EARLIER, "--full-refresh")
            _build(target, dataset, root, AS_OF)
            env = {**env, "SEGMENTATION_DUCKDB": str(root / "w.duckdb")}
            exported = _python("export", "--target", target, "--out", str(root / "export"), env=env)
            assert exported.returncode == 0, exported.stderr[-3000:]
            exports[target] = root / "export"
        return exports[target]

    return build


def _normalized(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as comparable text: dates ISO, numbers to 6 decimals (doubles to 9 significant
    digits), booleans lower case; engine types aside, the same data give the same text."""

    def value(item: object) -> str:
        if item is None or (isinstance(item, float) and math.isnan(item)):
            return ""
        if isinstance(item, float):
            return f"{item:.9g}"
        if isinstance(item, Decimal | int) and not isinstance(item, bool):
            return f"{Decimal(item):.6f}"
        if isinstance(item, bool):
            return str(item).lower()
        return str(item)[:10] if hasattr(item, "isoformat") else str(item)

    return frame.astype(object).map(value)


ENGINES = [pytest.param("postgres", marks=pytest.mark.postgres), pytest.param("spark", marks=pytest.mark.spark)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mart", ["customer_segments", "fct_customer_segments", "segment_summary"])
def test_marts_are_identical_to_duckdb(built, engine: str, mart: str):
    expected = _normalized(pd.read_parquet(built("dev") / f"{mart}.parquet"))
    actual = _normalized(pd.read_parquet(built(engine) / f"{mart}.parquet"))
    assert len(expected) > 0
    assert list(actual.columns) == list(expected.columns)  # the contract order
    pd.testing.assert_frame_equal(actual.reset_index(drop=True), expected.reset_index(drop=True), obj=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_history_is_kept(built, engine: str):
    for target in ("dev", engine):
        dates = set(pd.read_parquet(built(target) / "fct_customer_segments.parquet")["as_of_date"].astype(str).str[:10])
        assert dates == {EARLIER, AS_OF}, target


@pytest.mark.postgres
def test_postgres_quarantines_what_duckdb_quarantines(built):
    built("postgres")
    target = load_target("postgres")
    with connect(target) as warehouse:
        postgres = sorted(
            warehouse.query("select table_name, reason, quarantined_row_count from quarantine.quarantine_reason_counts")
        )
    duckdb_root = built("dev").parent
    with duckdb.connect(str(duckdb_root / "w.duckdb"), read_only=True) as connection:
        expected = sorted(
            connection.execute(
                "select table_name, reason, quarantined_row_count from quarantine.quarantine_reason_counts"
            ).fetchall()
        )
    assert [(t, r, int(n)) for t, r, n in postgres] == [(t, r, int(n)) for t, r, n in expected]
    assert len(expected) > 10


@pytest.mark.postgres
def test_the_bi_role_reads_the_marts_and_nothing_else(built):
    built("postgres")
    target = load_target("postgres")
    bi = type(target)(
        name="bi",
        type="postgres",
        settings={
            **target.settings,
            "user": BI_ROLE,
            "password": os.environ.get("SEGMENTATION_PG_BI_PASSWORD", "segmentation_bi"),
        },
    )
    with connect(bi) as warehouse:
        assert warehouse.query("select count(*) from marts.customer_segments")[0][0] > 0
        assert warehouse.query("select count(*) from marts.segment_summary")[0][0] > 0
        for table in (
            "intermediate.int_customers_golden",
            "staging.stg_raw__customers",
            "raw.customers",
            "quarantine.quarantine_customers",
        ):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                warehouse.query(f"select count(*) from {table}")


@pytest.mark.postgres
def test_freshness_runs_on_postgres(built, dataset: Path, tmp_path: Path):
    built("postgres")
    result = _run(
        [
            DBT,
            "source",
            "freshness",
            "--target",
            "postgres",
            "--target-path",
            str(tmp_path / "t"),
            "--log-path",
            str(tmp_path / "l"),
        ],
        {"DBT_PROFILES_DIR": str(PROJECT_ROOT), "SEGMENTATION_AS_OF_DATE": AS_OF, "SEGMENTATION_RAW_DIR": str(dataset)},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.count("PASS freshness") == 4


@pytest.mark.postgres
def test_check_reports_the_same_on_postgres_as_on_duckdb(built, dataset: Path, tmp_path: Path):
    built("postgres")

    def failures(report) -> set[tuple]:
        return {
            (o.data_asset, o.column_name, o.expectation, o.unexpected_count) for o in report.outcomes if not o.success
        }

    on_duckdb = run_checks(DuckDBWarehouse(built("dev").parent / "w.duckdb", dataset), tmp_path / "a", build_docs=False)
    on_postgres = run_checks(PostgresWarehouse(load_target("postgres")), tmp_path / "b", build_docs=False)
    assert on_postgres.errors == [] and len(on_postgres.warnings) > 10
    assert failures(on_postgres) == failures(on_duckdb)
    target = load_target("postgres")
    with connect(target) as warehouse:
        stored = warehouse.query(f"select count(*) from quarantine.dq_results where run_id = '{on_postgres.run_id}'")
    assert stored[0][0] == len(on_postgres.outcomes)
