"""Outputs only from a good build, and removing a built date (docs/decisions/0020): the run records
of quarantine.run_outcomes, the guard of export / report / summary / publish, the current marts'
date and `remove-date`. On copies of the fixture warehouse; the only dbt invocation is one
`dbt test` of one model (no build)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, run_dbt

from segmentation.outcomes import Outcome, unchecked_note, verdict
from segmentation.raw_folder import recorded_as_of_date
from segmentation.serving import current_version, publish, read_version, version_dates, versions

T0 = dt.datetime(2026, 10, 1, 6, 0)
FUTURE = "2027-06-30"
# the marts kept per as-of date that a build of a future date would have filled
HISTORIES = (
    "fct_segment_changes",
    "segment_summary",
    "account_segments",
    "commercial_pressure_summary",
    "model_backtest",
)


def _outcome(minutes: int, status: str, command: str = "build", failed: int = 0, models: int = 70, whole=True):
    at = T0 + dt.timedelta(minutes=minutes)
    rebuilt = whole and status == "success"
    return Outcome(f"i{minutes}", command, "2026-09-30", at, at, status, failed, models, rebuilt, "")


def test_a_failed_build_is_refused_until_a_whole_build_succeeds():
    good = _outcome(0, "success")
    failed = _outcome(10, "failed", failed=3)
    assert verdict([good]) is None
    message = verdict([good, failed])
    assert message.startswith("the last dbt build (invocation i10, at 2026-10-01 06:10:00 UTC, as of 2026-09-30)")
    assert "failed: 3 nodes; run it again or read the published version with --serving" in message
    # a later successful partial run (dbt build --select x) does not hide it
    assert verdict([good, failed, _outcome(20, "success", models=2, whole=False)]) == message
    # a whole build that passed does
    assert verdict([good, failed, _outcome(30, "success")]) is None


def test_an_unfinished_build_a_failed_check_and_no_record_are_refused():
    started = _outcome(10, "started", models=0)
    assert "did not finish (stopped, or still running)" in verdict([_outcome(0, "success"), started])
    check = _outcome(20, "failed", command="check", failed=2, models=0, whole=False)
    assert "the last data-quality check (run i20, at 2026-10-01 06:20:00 UTC) failed: 2 errors" in verdict(
        [_outcome(0, "success"), check]
    )
    assert verdict([_outcome(0, "success"), check, _outcome(30, "success", command="check", models=0)]) is None
    assert "records no successful dbt build" in verdict([])


def test_a_refused_run_that_touched_nothing_changes_nothing():
    # an on-run-start hook refusing the raw files or the as-of date: no node ran
    refused = _outcome(10, "failed", failed=0, models=0, whole=False)
    assert verdict([_outcome(0, "success"), refused]) is None


def test_an_unchecked_build_is_served_with_a_note():
    assert "no data-quality check since the last dbt build" in unchecked_note([_outcome(0, "success")])
    checked = [_outcome(0, "success"), _outcome(5, "success", command="check", models=0)]
    assert unchecked_note(checked) is None


def test_the_fixture_build_recorded_its_outcome(query, fixture_warehouse):
    raw_dir, _ = fixture_warehouse
    rows = query(
        "select status, failed_count, models_rebuilt, cast(as_of_date as varchar) from quarantine.run_outcomes "
        "where command = 'build' order by recorded_at"
    )
    assert rows[-2:] == [("started", 0, False, rows[-1][3]), ("success", 0, True, recorded_as_of_date(raw_dir))]
    # the current marts describe the date of the build
    assert query("select distinct cast(as_of_date as varchar) from marts.customer_segments") == [(rows[-1][3],)]


@pytest.fixture
def build_copy(fixture_warehouse, tmp_path: Path) -> Path:
    _, warehouse = fixture_warehouse
    copy = tmp_path / "build.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


def _cli(*arguments: str, warehouse: Path, serving: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SEGMENTATION_DUCKDB": str(warehouse),
        "SEGMENTATION_SERVING_DIR": str(serving),
        "SEGMENTATION_TARGET": "dev",
    }
    command = [sys.executable, "-m", "segmentation", *arguments]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)


def test_outputs_refuse_the_build_database_after_a_failed_dbt_run(fixture_warehouse, build_copy: Path, tmp_path):
    raw_dir, _ = fixture_warehouse
    serving = tmp_path / "serving"
    publish(build_copy, serving)
    with duckdb.connect(str(build_copy)) as build:  # what a bad rebuild leaves: a duplicated customer
        build.execute("insert into marts.customer_segments select * from marts.customer_segments limit 1")
    result = run_dbt(
        ["test", "--select", "customer_segments", "--exclude-resource-type", "unit_test"], raw_dir, build_copy
    )
    assert result.returncode == 1, result.stdout[-2000:]

    export = _cli(
        "export", "crm", "--channel", "email", "--out", str(tmp_path / "crm"), warehouse=build_copy, serving=serving
    )
    assert export.returncode == 1
    assert "refused: the last dbt test (invocation " in export.stderr
    assert "failed: 1 node (test.segmentation.unique_customer_segments_customer_key" in export.stderr
    assert not (tmp_path / "crm").exists()
    for command in (
        ["report", "--out", str(tmp_path / "r.html")],
        ["summary"],
        ["export", "--out", str(tmp_path / "m")],
    ):
        refused = _cli(*command, warehouse=build_copy, serving=serving)
        assert refused.returncode == 1 and "read the published version with --serving" in refused.stderr, command
    assert _cli("publish", warehouse=build_copy, serving=serving).returncode == 5
    # the published version is still served, and readable
    served = _cli("report", "--out", str(tmp_path / "r.html"), "--serving", warehouse=build_copy, serving=serving)
    assert served.returncode == 0, served.stderr
    assert "target serving (duckdb)" in served.stdout


def test_remove_date_takes_a_future_date_out_of_the_history_and_the_published_versions(build_copy: Path, tmp_path):
    serving = tmp_path / "serving"
    with duckdb.connect(str(build_copy)) as build:  # a refresh as of a future date, then a correct one
        for mart in HISTORIES:
            build.execute(
                f"insert into marts.{mart} select * replace (date '{FUTURE}' as as_of_date) from marts.{mart} "
                f"where as_of_date = (select max(as_of_date) from marts.customer_segments)"
            )
        current = str(build.execute("select max(as_of_date) from marts.customer_segments").fetchone()[0])
        expected = {
            m: build.execute(f"select count(*) from marts.{m} where as_of_date = '{FUTURE}'").fetchone()[0]
            for m in HISTORIES
        }
    first = publish(build_copy, serving)
    assert str(first.as_of_date) == current, "the current marts describe the date asked for, not the latest held"
    assert dt.date.fromisoformat(FUTURE) in version_dates(first.path)

    refused = _cli("remove-date", current, warehouse=build_copy, serving=serving)
    assert refused.returncode == 1 and "pass --force" in refused.stderr

    removed = _cli("remove-date", FUTURE, warehouse=build_copy, serving=serving)
    assert removed.returncode == 0, removed.stderr
    reported = {
        match["table"]: int(match["rows"].replace(",", ""))
        for match in re.finditer(r"(?P<table>\S+): +(?P<rows>[\d,]+) rows removed", removed.stdout)
    }
    assert {table: rows for table, rows in reported.items() if table.startswith("marts.")} == {
        f"marts.{mart}": rows for mart, rows in expected.items() if rows
    }
    with duckdb.connect(str(build_copy), read_only=True) as build:
        for mart in HISTORIES:
            assert build.execute(f"select count(*) from marts.{mart} where as_of_date = '{FUTURE}'").fetchone()[0] == 0
        assert str(build.execute("select max(as_of_date) from marts.fct_customer_segments").fetchone()[0]) == current
    served = current_version(serving)
    assert served != first.path and versions(serving) == [served], "the version holding the date is gone"
    assert dt.date.fromisoformat(FUTURE) not in version_dates(served)
    assert str(read_version(served).as_of_date) == current
    assert f"deleted published version {first.path.name}" in removed.stdout
    assert not list((serving / "shared").glob(f"*/{FUTURE}-*.parquet")), "the date's shared files went with it"
    again = _cli("remove-date", FUTURE, warehouse=build_copy, serving=serving)
    assert again.returncode == 1 and "holds as-of date" in again.stderr
