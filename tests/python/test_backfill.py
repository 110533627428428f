"""`python -m segmentation backfill` and marts.segment_migrations.

The integration test backfills two monthly dates before the fixture's as-of date into a copy of
the fixture warehouse (which holds that date already), so the migrations between the backfilled
dates and into the existing one are built out of order, as a real backfill does."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import Backfilled, run_backfill, run_dbt

from segmentation.backfill import backfill_dates, progress_line


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
        fact_dates = [
            d.isoformat()
            for (d,) in connection.execute(
                "select distinct as_of_date from marts.fct_customer_segments order by 1"
            ).fetchall()
        ]
        assert fact_dates[-3:] == [first, second, as_of]
        pairs = connection.execute(
            "select distinct previous_as_of_date, as_of_date from marts.segment_migrations order by 1"
        ).fetchall()
        expected = list(itertools.pairwise(fact_dates))
        assert [(p.isoformat(), a.isoformat()) for p, a in pairs] == expected
        # every pair accounts for each date's members and revenue, segmentation by segmentation
        mismatches = connection.execute(
            """
            with counted as (
                select as_of_date, segmentation, count(*) as customers, sum(window_revenue_amount) as revenue
                from marts.fct_customer_segments group by all
            ),
            moved as (
                select as_of_date, previous_as_of_date, segmentation,
                    sum(case when migration_type != 'left' then customer_count else 0 end) as customers_now,
                    sum(case when migration_type != 'entered' then customer_count else 0 end) as customers_before,
                    sum(revenue_amount) as revenue_now, sum(previous_revenue_amount) as revenue_before
                from marts.segment_migrations group by all
            )
            select moved.*, now.customers, before.customers
            from moved
            inner join counted as now
                on moved.as_of_date = now.as_of_date and moved.segmentation = now.segmentation
            inner join counted as before
                on moved.previous_as_of_date = before.as_of_date and moved.segmentation = before.segmentation
            where moved.customers_now != now.customers or moved.customers_before != before.customers
                or moved.revenue_now != now.revenue or moved.revenue_before != before.revenue
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
