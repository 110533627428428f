"""`python -m segmentation backfill` and marts.segment_migrations.

The integration test backfills two monthly dates before the fixture's as-of date into a copy of
the fixture warehouse (which holds that date already), so the migrations between the backfilled
dates and into the existing one are built out of order, as a real backfill does."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import Backfilled, run_backfill, run_dbt

from segmentation.backfill import backfill_dates, progress_line
from segmentation.contract import PROJECT_ROOT

BUILT_DATES = "select distinct as_of_date from marts.segment_summary order by 1"


@pytest.mark.parametrize(
    ("start", "end", "every", "expected"),
    [
        ("2026-01-31", "2026-04-30", "month", ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]),
        ("2024-01-30", "2024-03-30", "month", ["2024-01-30", "2024-02-29", "2024-03-30"]),
        ("2025-11-15", "2026-02-14", "month", ["2025-11-15", "2025-12-15", "2026-01-15"]),
        ("2026-09-01", "2026-09-20", "week", ["2026-09-01", "2026-09-08", "2026-09-15"]),
        ("2026-09-29", "2026-10-01", "day", ["2026-09-29", "2026-09-30", "2026-10-01"]),
        ("2026-09-30", "2026-09-30", "month", ["2026-09-30"]),
    ],
)
def test_backfill_dates(start: str, end: str, every: str, expected: list[str]) -> None:
    dates = backfill_dates(dt.date.fromisoformat(start), dt.date.fromisoformat(end), every)
    assert [date.isoformat() for date in dates] == expected


def test_backfill_dates_reject_a_reversed_range_and_an_unknown_step() -> None:
    with pytest.raises(ValueError, match="before --start"):
        backfill_dates(dt.date(2026, 2, 1), dt.date(2026, 1, 1), "month")
    with pytest.raises(ValueError, match="--every"):
        backfill_dates(dt.date(2026, 1, 1), dt.date(2026, 2, 1), "quarter")


def test_progress_line_shows_the_bar_and_the_time_left() -> None:
    line = progress_line(3, 12, dt.date(2026, 3, 31), 20.0, 60.0)
    assert line.startswith("backfill [#####---------------] 3/12 2026-03-31 built in 20.0s")
    assert line.endswith("about 3 min left")
    assert "left" not in progress_line(12, 12, dt.date(2026, 12, 31), 20.0, 240.0)


def test_backfill_fills_the_history_and_chains_the_migrations(backfilled_warehouse: Backfilled, tmp_path: Path) -> None:
    raw_dir, first, second, as_of = (
        backfilled_warehouse.raw_dir,
        *backfilled_warehouse.dates,
    )
    result = backfilled_warehouse.result
    assert "2 to build" in result.stderr
    assert f"rebuilt the latest date {as_of}" in result.stderr
    # the second date reused staging: the first date's whole build parsed the raw rows, not the second's
    logs = backfilled_warehouse.warehouse.parent / "backfill"
    assert "base_raw__order_lines" in (logs / f"build-{first}.log").read_text()
    assert "base_raw__order_lines" not in (logs / f"build-{second}.log").read_text()
    warehouse = backfilled_warehouse.warehouse

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        fact_dates = [d.isoformat() for (d,) in connection.execute(BUILT_DATES).fetchall()]
        assert fact_dates[-3:] == [first, second, as_of]
        pairs = connection.execute(
            "select distinct previous_as_of_date, as_of_date from marts.segment_migrations order by 1"
        ).fetchall()
        expected = list(itertools.pairwise(fact_dates))
        assert [(p.isoformat(), a.isoformat()) for p, a in pairs] == expected
        # every pair accounts for each date's members, segmentation by segmentation
        mismatches = connection.execute(
            """
            with counted as (
                select as_of_date, segmentation, sum(customer_count) as customers
                from marts.segment_summary group by all
            ),
            moved as (
                select as_of_date, previous_as_of_date, segmentation,
                    sum(case when migration_type != 'left' then customer_count else 0 end) as customers_now,
                    sum(case when migration_type != 'entered' then customer_count else 0 end) as customers_before
                from marts.segment_migrations group by all
            )
            select moved.*, now.customers, before.customers
            from moved
            inner join counted as now
                on moved.as_of_date = now.as_of_date and moved.segmentation = now.segmentation
            inner join counted as before
                on moved.previous_as_of_date = before.as_of_date and moved.segmentation = before.segmentation
            where moved.customers_now != now.customers or moved.customers_before != before.customers
            """
        ).fetchall()
        assert mismatches == []
        entered = connection.execute(
            "select sum(customer_count) from marts.segment_migrations where migration_type = 'entered'"
        ).fetchall()[0][0]
        assert entered > 0  # customers created between the dates enter
        moved_rfm = connection.execute(
            "select count(*) from marts.segment_migrations where segmentation = 'rfm' and migration_type = 'moved'"
        ).fetchall()[0][0]
        assert moved_rfm > 0
        # the marts that describe one date were rebuilt at the latest one
        latest = connection.execute("select distinct as_of_date from marts.customer_segments").fetchall()
        assert [d.isoformat() for (d,) in latest] == [as_of]
        incremental = connection.execute("select * from marts.segment_migrations order by all").fetchall()

    # built from scratch on the same fact, the migrations are the same rows
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(warehouse, rebuilt)
    result = run_dbt(["run", "--select", "segment_migrations", "--full-refresh"], raw_dir, rebuilt)
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(rebuilt), read_only=True) as connection:
        assert connection.execute("select * from marts.segment_migrations order by all").fetchall() == incremental

    # resumable: the dates recorded for this warehouse are not built again (nothing is written)
    again = run_backfill(raw_dir, warehouse, first, second)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "2 already built, 0 to build" in again.stderr


def _members_from_history(warehouse: Path, day: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select customer_key, segmentation, segment_code from marts.segment_membership_history "
            f"where valid_from <= date '{day}' and (valid_to is null or valid_to > date '{day}') order by all"
        ).fetchall()


def test_the_history_of_every_built_date_is_a_build_of_that_date_alone(
    backfilled_warehouse: Backfilled, tmp_path: Path
) -> None:
    """The backfill built its two dates after the fixture's later one (out of order, so each
    rewrote the next date's changes); the membership the change log gives for each date is, row
    for row and for every segmentation, what a build of that date alone puts in the fact."""
    raw_dir, warehouse = backfilled_warehouse.raw_dir, backfilled_warehouse.warehouse
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        daily_rows = dict(
            connection.execute(
                "select as_of_date::varchar, count(*) from marts.fct_segment_changes group by all"
            ).fetchall()
        )
    first, second, as_of = backfilled_warehouse.dates
    # a later date holds only the changes: a fraction of the first date's memberships
    assert 0 < daily_rows[second] < daily_rows[first] / 4
    for day in (first, second, as_of):
        alone = tmp_path / day / "warehouse.duckdb"
        alone.parent.mkdir()
        # the models and seeds behind the fact; the data tests run in the fixture's own build
        selected = [
            "build",
            "--select",
            "+fct_customer_segments",
            "--resource-type",
            "model",
            "--resource-type",
            "seed",
        ]
        result = run_dbt(selected, raw_dir, alone, {"SEGMENTATION_AS_OF_DATE": day})
        assert result.returncode == 0, result.stdout[-3000:]
        with duckdb.connect(str(alone), read_only=True) as connection:
            built = connection.execute(
                "select customer_key, segmentation, segment_code from marts.fct_customer_segments order by all"
            ).fetchall()
        segmentations = {row[1] for row in built}
        assert len(segmentations) >= 10
        assert _members_from_history(warehouse, day) == built, day


def _members_from_changes(connection: duckdb.DuckDBPyConnection, day: str) -> list[tuple]:
    """The membership on `day` read from the change log itself (latest row up to the date)."""
    return connection.execute(
        f"""
        select customer_key, segmentation, segment_code from (
            select *, row_number() over (partition by customer_key, segmentation order by as_of_date desc) as latest
            from marts.fct_segment_changes where as_of_date <= date '{day}'
        ) where latest = 1 and segment_code is not null order by all
        """
    ).fetchall()


def _make_it_a_former_warehouse(warehouse: Path, dates: list[str]) -> None:
    """Rewrite a warehouse the way the former code left it: every date's memberships in
    fct_customer_segments (the current date with its metrics), no change log, and the migrations'
    revenue columns."""
    current = dates[-1]
    with duckdb.connect(str(warehouse)) as connection:
        past = ", ".join(f"(date '{day}')" for day in dates[:-1])
        connection.execute(
            f"""
            create table marts.former_facts as
            select * from marts.fct_customer_segments
            union all by name
            select days.as_of_date, history.customer_key, history.segmentation, history.segment_code,
                history.segment_label
            from (values {past}) as days (as_of_date)
            inner join marts.segment_membership_history as history
                on history.valid_from <= days.as_of_date
                and (history.valid_to is null or history.valid_to > days.as_of_date)
            """
        )
        connection.execute("drop view marts.segment_membership_history")
        connection.execute("drop table marts.fct_segment_changes")
        connection.execute("drop table marts.fct_customer_segments")
        connection.execute("alter table marts.former_facts rename to fct_customer_segments")
        for column in ("previous_revenue_amount", "revenue_amount"):
            connection.execute(f"alter table marts.segment_migrations add column {column} decimal(28,6) default 0")
        held = connection.execute("select count(distinct as_of_date) from marts.fct_customer_segments").fetchall()
        assert held == [(len(dates),)], current


def test_a_former_warehouse_converts_its_history_once_and_loses_no_membership(
    backfilled_warehouse: Backfilled, tmp_path: Path
) -> None:
    raw_dir, dates = backfilled_warehouse.raw_dir, backfilled_warehouse.dates
    warehouse = tmp_path / "former.duckdb"
    shutil.copyfile(backfilled_warehouse.warehouse, warehouse)
    _make_it_a_former_warehouse(warehouse, dates)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        former = {
            day: connection.execute(
                "select customer_key, segmentation, segment_code from marts.fct_customer_segments "
                f"where as_of_date = date '{day}' order by all"
            ).fetchall()
            for day in dates
        }
        former_rows = connection.execute("select count(*) from marts.fct_customer_segments").fetchall()[0][0]

    # a build would replace the per-date table by one date: the run stops and says what to do
    stopped = run_dbt(["build", "-s", "fct_customer_segments"], raw_dir, warehouse)
    assert stopped.returncode != 0
    assert "python -m segmentation convert-history" in stopped.stdout
    command = [
        sys.executable,
        "-m",
        "segmentation",
        "convert-history",
        "--target",
        "dev",
        "--warehouse",
        str(warehouse),
    ]
    converted = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert converted.returncode == 0, converted.stderr[-3000:]
    assert f"for 3 as-of dates ({dates[0]} to {dates[-1]})" in converted.stdout
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for day in dates:
            assert _members_from_changes(connection, day) == former[day], day
        archived = connection.execute("select count(*) from archive.fct_customer_segments_by_date").fetchall()
        assert archived == [(former_rows,)]

    # the next build continues the converted history
    rebuilt = run_dbt(["build"], raw_dir, warehouse, {"SEGMENTATION_AS_OF_DATE": dates[-1]})
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    again = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert "nothing to convert" in again.stdout
    for day in dates:
        assert _members_from_history(warehouse, day) == former[day], day
