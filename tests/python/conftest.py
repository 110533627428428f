"""Shared fixtures. Python tests live here (tests/python); dbt data tests live in tests/ and YAML."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from segmentation.generator import generate
from segmentation.raw_folder import recorded_as_of_date

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# A pytest-xdist worker runs under `python -c`: its __main__ has neither __spec__ nor __file__, which
# pyspark.sql.connect (imported by Great Expectations when pyspark is installed) takes for its own
# doctest runner, and then exits the process with sys.exit(0) in the middle of the test that
# imported Great Expectations. A file name for __main__ keeps pyspark's check to what it is for.
_main = sys.modules["__main__"]
if os.environ.get("PYTEST_XDIST_WORKER") and _main.__spec__ is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest-xdist worker>"
DBT = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
FIXTURE_CUSTOMERS = 1500
FIXTURE_SEED = 7


def run_dbt(args: list[str], raw_dir: Path, warehouse: Path, extra_env: dict[str, str] | None = None):
    """Run dbt in the project with the given raw folder and warehouse file; returns the process.

    Like `make build`, the as-of date is the end of the data recorded with generated or loaded
    data (a `--vars` as_of_date overrides it)."""
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "SEGMENTATION_RAW_DIR": str(raw_dir),
        "SEGMENTATION_DUCKDB": str(warehouse),
        "SEGMENTATION_AS_OF_DATE": recorded_as_of_date(raw_dir) or "",
        **(extra_env or {}),
    }
    return subprocess.run(
        [
            DBT,
            *args,
            "--target-path",
            str(warehouse.parent / "dbt_target"),
            "--log-path",
            str(warehouse.parent / "logs"),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def planted_defects(raw_dir: Path) -> dict[tuple[str, str], int]:
    """(table, reason) -> rows the generator damaged, from its _planted_defects.csv."""
    rows = duckdb.execute(
        "select table_name, reason, sum(planted_row_count) "
        f"from read_csv('{raw_dir / '_planted_defects.csv'}') group by all"
    ).fetchall()
    return {(table, reason): count for table, reason, count in rows}


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(raw folder, warehouse) of the fixture dataset, fully built by `dbt build`.

    Reuses the one `make test` builds (SEGMENTATION_RAW_DIR / SEGMENTATION_DUCKDB) when present,
    otherwise generates and builds its own."""
    raw_dir = Path(os.environ.get("SEGMENTATION_RAW_DIR", ""))
    warehouse = Path(os.environ.get("SEGMENTATION_DUCKDB", ""))
    if raw_dir.is_absolute() is False:
        raw_dir = PROJECT_ROOT / raw_dir
    if warehouse.is_absolute() is False:
        warehouse = PROJECT_ROOT / warehouse
    if (raw_dir / "_planted_defects.csv").exists() and warehouse.is_file():
        return raw_dir, warehouse
    root = tmp_path_factory.mktemp("fixture")
    raw_dir, warehouse = root / "raw", root / "warehouse.duckdb"
    generate(customers=FIXTURE_CUSTOMERS, seed=FIXTURE_SEED, out_dir=raw_dir, show_progress=False)
    result = run_dbt(["build"], raw_dir, warehouse)
    assert result.returncode == 0, result.stdout[-4000:]
    return raw_dir, warehouse


@pytest.fixture
def query(fixture_warehouse: tuple[Path, Path]) -> Callable[[str], list[tuple]]:
    """Run a read-only query against the fixture warehouse."""
    _, warehouse = fixture_warehouse

    def run(sql: str) -> list[tuple]:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    return run


def run_backfill(raw_dir: Path, warehouse: Path, start: str, end: str) -> subprocess.CompletedProcess:
    """`python -m segmentation backfill` monthly from start to end into warehouse (logs beside it)."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_TARGET_PATH": str(warehouse.parent / "dbt_target"),
        "DBT_LOG_PATH": str(warehouse.parent / "logs"),
        "SEGMENTATION_TARGET": "dev",
    }
    command = [sys.executable, "-m", "segmentation", "backfill", "--start", start, "--end", end, "--every", "month"]
    command += ["--raw-dir", str(raw_dir), "--warehouse", str(warehouse)]
    command += ["--log-dir", str(warehouse.parent / "backfill")]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class Backfilled:
    raw_dir: Path
    warehouse: Path
    dates: list[str]  # the two backfilled month ends, then the fixture's as-of date
    result: subprocess.CompletedProcess


@pytest.fixture(scope="session")
def backfilled_warehouse(fixture_warehouse: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Backfilled:
    """A copy of the fixture warehouse with two monthly as-of dates backfilled before its own
    (61 and 30 days before), so that the history, the migrations and the exports have three dates.
    Tests must not write into it."""
    raw_dir, fixture = fixture_warehouse
    as_of = dt.date.fromisoformat(recorded_as_of_date(raw_dir))
    dates = [
        (as_of - dt.timedelta(days=61)).isoformat(),
        (as_of - dt.timedelta(days=30)).isoformat(),
        as_of.isoformat(),
    ]
    warehouse = tmp_path_factory.mktemp("backfilled") / "warehouse.duckdb"
    shutil.copyfile(fixture, warehouse)
    result = run_backfill(raw_dir, warehouse, dates[0], dates[1])
    assert result.returncode == 0, result.stderr[-3000:]
    return Backfilled(raw_dir, warehouse, dates, result)


# --- running on several workers (make pytest: pytest -n 2 --dist loadgroup) -------------------


def xdist_group(item: pytest.Item) -> str | None:
    """The tests that must run on one pytest-xdist worker, or None: those sharing the backfilled
    warehouse (built once per worker otherwise) and those of a module sharing a module-scoped
    fixture (a warehouse built once per module); test_engines.py per engine, so that PostgreSQL
    and Spark run side by side."""
    if "backfilled_warehouse" in item.fixturenames:
        return "backfilled_warehouse"
    definitions = item._fixtureinfo.name2fixturedefs
    if not any(definitions.get(name) and definitions[name][-1].scope == "module" for name in item.fixturenames):
        return None
    engine = next((name for name in ("postgres", "spark") if item.get_closest_marker(name)), None)
    return f"{item.module.__name__}-{engine}" if engine else item.module.__name__


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if getattr(config.option, "loadgroup", False):
        # the scheduler hands out groups first (most tests first), then single tests in this order:
        # slow ones first, so that the workers do not end with one of them while the other waits
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    for item in items:
        group = xdist_group(item)
        if group and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group))
            # --dist loadgroup sends a test's group to the scheduler as a suffix of its node id, which
            # pytest-xdist 3.8 writes where pytest 9.2 no longer reads it (pytest-xdist issue 1386):
            # until a release does, the suffix is written here, where pytest reads it
            if getattr(config.option, "loadgroup", False) and "@" not in item.nodeid and hasattr(item, "_id"):
                item._id = type(item._id).parse(f"{item.nodeid}@{group}")
