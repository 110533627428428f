"""The same models on PostgreSQL and Apache Spark: built for real (make test-postgres starts a local
PostgreSQL server, make test-spark uses a local Spark), history kept across runs, quarantine and
data-quality checks as on DuckDB, the BI role confined to the marts, and marts identical to
DuckDB's on both engines."""

from __future__ import annotations

import json
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

from segmentation.export import MARTS
from segmentation.generator import generate
from segmentation.quality.runner import run_checks
from segmentation.quality.sources import DuckDBWarehouse, PostgresWarehouse
from segmentation.targets import connect, load_target

pytestmark = pytest.mark.slow
CUSTOMERS, SEED = 600, 3
AS_OF, EARLIER = "2026-09-30", "2026-06-30"
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


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
    # the DuckDB reference is built as the other engines are: without the dbt Python models
    # (predictive segmentations), which only DuckDB runs; they are tested on DuckDB elsewhere
    python_models = "false" if target == "dev" else "true"
    variables = f"{{as_of_date: '{as_of}', python_models: {python_models}}}"
    result = run_dbt(["build", "--target", target, "--vars", variables, *extra], raw, root / "w.duckdb", env)
    assert result.returncode == 0, result.stdout[-4000:]
    return result


# Raw text the generator never writes, put into the shared dataset so that every engine must read it
# as DuckDB does (docs/decisions/0010-three-engines.md): timestamps with UTC offsets and odd precision,
# dates that are no timestamps, numbers beyond the integer range. Per column: the values written, in
# turn, into every 9th row.
UNUSUAL_TEXT = {
    ("orders", "ordered_at"): [
        lambda t: t.replace(" ", "T") + "Z",
        lambda t: t + "+02:00",
        lambda t: t.replace(" ", "T") + "-0530",
        lambda t: t + ".1234567",
        lambda t: t[:7],  # 2024-10: no date, quarantined everywhere
        lambda t: t[11:],  # a time without a date
    ],
    ("customers", "created_at"): [lambda t: t + "+01", lambda t: t.replace(" ", "T")],
    ("order_lines", "quantity"): [lambda q: "1e19", lambda q: "10000000000000000000", lambda q: q + ".0"],
    ("order_lines", "unit_price"): [lambda p: "NaN", lambda p: p + "0", lambda p: "1_000"],
}


def _write_unusual_text(raw: Path) -> None:
    for (table, column), variants in UNUSUAL_TEXT.items():
        path = raw / f"{table}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = frame.index[(frame.index % 9 == 4) & (frame[column] != "")]
        for turn, row in enumerate(rows):
            frame.loc[row, column] = variants[turn % len(variants)](frame.loc[row, column])
        frame.to_csv(path, index=False)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("engines") / "raw"
    generate(customers=CUSTOMERS, seed=SEED, out_dir=raw, show_progress=False)
    _write_unusual_text(raw)
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
            # unit tests (fixed inputs, not the data) ran on this engine in the build above: the next
            # builds of the same code on the same engine leave them out; every data test runs in each
            _build(target, dataset, root, AS_OF, *NO_UNIT_TESTS)
            # the as-of date again: its rows are replaced, not added (delete+insert, partition overwrite)
            _build(target, dataset, root, AS_OF, "--select", "config.materialized:incremental", *NO_UNIT_TESTS)
            env = {**env, "SEGMENTATION_DUCKDB": str(root / "w.duckdb")}
            exported = _python("export", "--target", target, "--out", str(root / "export"), env=env)
            assert exported.returncode == 0, exported.stderr[-3000:]
            exports[target] = root / "export"
        return exports[target]

    return build


def _normalized(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as comparable text, tagged by kind so that null, '' and 0 stay apart: dates and
    timestamps ISO in full, exact numbers without trailing zeros (an engine's scale aside),
    doubles to 9 significant digits (engines sum in different orders), booleans lower case."""

    def value(item: object) -> str:
        if item is None or item is pd.NaT:
            return "null"
        if isinstance(item, bool):
            return f"bool:{str(item).lower()}"
        if isinstance(item, float):
            return "float:nan" if math.isnan(item) else f"number:{item:.9g}"
        if isinstance(item, Decimal | int):
            return f"number:{Decimal(item).normalize():f}"
        if hasattr(item, "isoformat"):
            return f"time:{item.isoformat()}"
        return f"text:{item}"

    return frame.astype(object).map(value)


ENGINES = [pytest.param("postgres", marks=pytest.mark.postgres), pytest.param("spark", marks=pytest.mark.spark)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mart", sorted(MARTS))
def test_marts_are_identical_to_duckdb(built, engine: str, mart: str):
    expected = _normalized(pd.read_parquet(built("dev") / f"{mart}.parquet"))
    actual = _normalized(pd.read_parquet(built(engine) / f"{mart}.parquet"))
    assert len(expected) > 0
    assert list(actual.columns) == list(expected.columns)  # the contract order
    pd.testing.assert_frame_equal(actual.reset_index(drop=True), expected.reset_index(drop=True), obj=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_history_is_kept_and_a_date_rebuilt_is_replaced(built, engine: str):
    for target in ("dev", engine):
        facts = pd.read_parquet(built(target) / "fct_customer_segments.parquet")
        assert set(facts["as_of_date"].astype(str).str[:10]) == {AS_OF}, target
        changes = pd.read_parquet(built(target) / "fct_segment_changes.parquet")
        assert set(changes["as_of_date"].astype(str).str[:10]) == {EARLIER, AS_OF}, target
        assert not changes.duplicated(["as_of_date", "customer_key", "segmentation"]).any(), target
        # the later date holds the changes only: fewer rows than the first date's memberships
        per_date = changes["as_of_date"].astype(str).str[:10].value_counts()
        assert 0 < per_date[AS_OF] < per_date[EARLIER], target


QUARANTINE_AND_NULLED = (
    "select table_name, reason, quarantined_row_count from quarantine.quarantine_reason_counts union all "
    "select table_name, concat('nulled:', column_name, ':', reason), count(*) "
    "from quarantine.quarantine_nulled_values group by table_name, column_name, reason"
)


def _quarantine_counts(target: str, root: Path) -> list[tuple[str, str, int]]:
    """quarantine_reason_counts and the values nulled per column and reason (`nulled:<column>:<reason>`) of a
    built target, read in a process of its own (Spark's metastore)."""
    script = (
        "import json; from segmentation.targets import connect, load_target\n"
        f"with connect(load_target({target!r})) as w:\n"
        "    print(json.dumps([[str(c) for c in r] for r in w.query("
        f"{QUARANTINE_AND_NULLED!r})]))"
    )
    if target == "dev":
        with duckdb.connect(str(root / "w.duckdb"), read_only=True) as connection:
            rows = connection.execute(QUARANTINE_AND_NULLED).fetchall()
    else:
        result = _run([sys.executable, "-c", script], _env(target, root))
        assert result.returncode == 0, result.stderr[-3000:]
        rows = json.loads(result.stdout.strip().splitlines()[-1])
    return sorted((table, reason, int(count)) for table, reason, count in rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_quarantines_what_duckdb_quarantines(built, engine: str):
    expected = _quarantine_counts("dev", built("dev").parent)
    assert _quarantine_counts(engine, built(engine).parent) == expected
    reasons = {(table, reason) for table, reason, _ in expected}
    # the unusual text written into the dataset is quarantined, not only the generator's defects
    assert {("orders", "invalid_ordered_at"), ("order_lines", "invalid_quantity")} <= reasons
    # and an unreadable optional value is nulled the same way everywhere (ADR 0019)
    assert ("customers", "nulled:birth_date:invalid_birth_date") in reasons
    assert len(expected) > 10


def _bi_target():
    target = load_target("postgres")
    return type(target)(
        name="bi",
        type="postgres",
        settings={
            **target.settings,
            "user": BI_ROLE,
            "password": os.environ.get("SEGMENTATION_PG_BI_PASSWORD", "segmentation_bi"),
        },
    )


@pytest.mark.postgres
def test_the_bi_role_reads_the_published_marts_and_nothing_else(built, tmp_path: Path):
    built("postgres")
    env = {**_env("postgres", tmp_path), "SEGMENTATION_SERVING_DIR": str(tmp_path / "serving")}
    published = _python("publish", "--target", "postgres", env=env)
    assert published.returncode == 0, published.stderr[-3000:]
    with connect(load_target("postgres")) as owner:
        expected = owner.query("select count(*) from marts.customer_segments")[0][0]
    with connect(_bi_target()) as warehouse:
        assert warehouse.query("select count(*) from serving.customer_segments")[0][0] == expected > 0
        assert warehouse.query("select count(*) from serving.segment_summary")[0][0] > 0
        for table in (
            "marts.customer_segments",  # the build side: BI reads what was published
            "intermediate.int_customers_golden",
            "staging.stg_raw__customers",
            "raw.customers",
            "quarantine.quarantine_customers",
        ):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                warehouse.query(f"select count(*) from {table}")


@pytest.mark.postgres
def test_publish_and_rollback_on_postgres(built, tmp_path: Path):
    built("postgres")
    env = {**_env("postgres", tmp_path), "SEGMENTATION_SERVING_DIR": str(tmp_path / "serving")}
    names = []
    for _ in range(3):
        published = _python("publish", "--target", "postgres", "--keep", "2", env=env)
        assert published.returncode == 0, published.stderr[-3000:]
        names.append(published.stdout.split()[1])
    with connect(_bi_target()) as warehouse:
        assert warehouse.query("select version from serving.serving_version")[0][0] == names[-1]
        (as_of,) = warehouse.query("select as_of_date from serving.serving_version")[0]
        assert str(as_of) == AS_OF
    with connect(load_target("postgres")) as owner:
        kept = owner.query("select nspname from pg_namespace where nspname like 'serving_v%' order by 1")
    assert [schema for (schema,) in kept] == ["serving_" + name.lower() for name in names[1:]], "keep 2"
    rolled = _python("publish", "--target", "postgres", "--rollback", env=env)
    assert rolled.returncode == 0, rolled.stderr[-3000:]
    with connect(_bi_target()) as warehouse:
        assert warehouse.query("select version from serving.serving_version")[0][0] == names[1]
    again = _python("publish", "--target", "postgres", "--rollback", env=env)
    assert again.returncode == 5 and "oldest version" in again.stderr


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


@pytest.mark.postgres
def test_refresh_on_postgres_loads_builds_checks_and_publishes(built, dataset: Path, tmp_path: Path):
    built("postgres")
    env = {
        **_env("postgres", tmp_path),
        "SEGMENTATION_AS_OF_DATE": AS_OF,
        "SEGMENTATION_SERVING_DIR": str(tmp_path / "serving"),
    }
    refresh = _python("refresh", "--target", "postgres", "--raw-dir", str(dataset), "--log-dir", str(tmp_path), env=env)
    assert refresh.returncode == 0, refresh.stderr[-3000:]
    steps = [line.split()[2] for line in refresh.stderr.splitlines() if " refresh " in line]
    assert steps == ["lock", "as_of_date", "load_raw", "build", "freshness", "checks", "publish", "refresh"]
    with connect(_bi_target()) as warehouse:
        assert str(warehouse.query("select as_of_date from serving.serving_version")[0][0]) == AS_OF
