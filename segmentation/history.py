"""The history of memberships kept as changes (marts.fct_segment_changes, docs/decisions/0023).

The membership on a built date D is each customer's latest change row with as_of_date <= D (a
null segment_code: not a member). Taking a date out of that history cannot just delete its rows:
the later dates read them. `remove_date_statements` returns the SQL that takes as-of date D out
while every other built date keeps its membership: D's rows move to the next built date where
that date has none of its own, the next date's rows are compared with the date before D again,
and what no longer changes anything goes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from segmentation.targets import Target, connect

CHANGES = "fct_segment_changes"
KEY = ("customer_key", "segmentation")


def _date(value: dt.date | None) -> str:
    return "cast(null as date)" if value is None else f"cast('{value.isoformat()}' as date)"


def neighbours(built_dates: list[dt.date], removed: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The built dates just before and just after `removed`."""
    before = [day for day in built_dates if day < removed]
    after = [day for day in built_dates if day > removed]
    return (max(before) if before else None, min(after) if after else None)


def remove_date_statements(table: str, removed: dt.date, built_dates: list[dt.date]) -> list[str]:
    """SQL statements (DuckDB and PostgreSQL) taking `removed` out of the change log `table`
    (schema-qualified); `built_dates` are the dates built (segment_summary's), `removed` among them."""
    previous, following = neighbours(built_dates, removed)
    day = _date(removed)
    if following is None:
        return [f"delete from {table} where as_of_date = {day}"]
    nxt = _date(following)
    same_key = " and ".join(f"later.{column} = earlier.{column}" for column in KEY)
    columns = (
        "as_of_date, customer_key, segmentation, segment_code, previous_segment_code, change_type, previous_as_of_date"
    )
    return [
        # the next date's changes now start from the segment held before the removed date
        f"update {table} as later set previous_segment_code = earlier.previous_segment_code "
        f"from {table} as earlier where later.as_of_date = {nxt} and earlier.as_of_date = {day} and {same_key}",
        f"update {table} set previous_as_of_date = {_date(previous)} where as_of_date = {nxt}",
        # a change of the removed date still holds on the next date: it happens there now
        f"insert into {table} ({columns}) "
        f"select {nxt}, customer_key, segmentation, segment_code, previous_segment_code, change_type, "
        f"{_date(previous)} from {table} as earlier where earlier.as_of_date = {day} and not exists "
        f"(select 1 from {table} as later where later.as_of_date = {nxt} and {same_key})",
        f"delete from {table} where as_of_date = {day}",
        # what changes nothing any more (moved and moved back, entered and left) goes
        f"delete from {table} where as_of_date = {nxt} "
        "and coalesce(segment_code, '') = coalesce(previous_segment_code, '')",
        f"update {table} set change_type = case when previous_segment_code is null then 'entered' "
        "when segment_code is null then 'left' else 'moved' end "
        f"where as_of_date = {nxt}",
    ]


ARCHIVE_SCHEMA = "archive"
# the per-date tables of the former history: kept whole in the archive schema by the conversion
FORMER_PER_DATE = ("fct_customer_segments", "customer_predictions", "segment_migrations")
FORMER_MIGRATION_COLUMNS = ("previous_revenue_amount", "revenue_amount")


@dataclass
class Conversion:
    dates: list[str]
    change_rows: int
    archived: dict[str, int]  # archive table -> rows


def _tables(warehouse, schema: str) -> set[str]:
    rows = warehouse.query(f"select table_name from information_schema.tables where table_schema = '{schema}'")
    return {str(name) for (name,) in rows}


def _columns(warehouse, schema: str, table: str) -> set[str]:
    rows = warehouse.query(
        f"select column_name from information_schema.columns where table_schema = '{schema}' and table_name = '{table}'"
    )
    return {str(name) for (name,) in rows}


def convert_history(target: Target) -> Conversion | None:
    """Turn the per-date history of a warehouse built before ADR 0023 into the change log, once.

    marts.fct_customer_segments holds every built date there: each date's memberships are compared
    with the date before and the differences written to marts.fct_segment_changes, so the history
    gives every date's membership as the old table did. The former per-date tables are copied whole
    into the `archive` schema first (their metrics, scores and explanations per date are not part of
    the change log), and segment_migrations loses its revenue columns (segment_summary has revenue
    per date). None when there is nothing to convert (a new warehouse, or converted already).
    DuckDB and PostgreSQL."""
    if target.type == "spark":
        raise ValueError("convert-history runs on DuckDB and PostgreSQL; on Spark, build the history again (backfill)")
    with connect(target, read_only=False) as warehouse:
        marts = _tables(warehouse, "marts")
        if "fct_customer_segments" not in marts or CHANGES in marts:
            return None
        dates = sorted(
            str(day)[:10] for (day,) in warehouse.query("select distinct as_of_date from marts.fct_customer_segments")
        )
        warehouse.execute(f"create schema if not exists {ARCHIVE_SCHEMA}")
        archived = {}
        for table in FORMER_PER_DATE:
            if table not in marts:
                continue
            copy = f"{ARCHIVE_SCHEMA}.{table}_by_date"
            warehouse.execute(f"drop table if exists {copy}")
            warehouse.execute(f"create table {copy} as select * from marts.{table}")
            archived[copy] = int(warehouse.query(f"select count(*) from {copy}")[0][0])
        warehouse.execute(_changes_from_per_date_sql())
        if "segment_migrations" in marts:
            for column in set(FORMER_MIGRATION_COLUMNS) & _columns(warehouse, "marts", "segment_migrations"):
                warehouse.execute(f"alter table marts.segment_migrations drop column {column}")
        change_rows = int(warehouse.query(f"select count(*) from marts.{CHANGES}")[0][0])
    return Conversion(dates, change_rows, archived)


def _changes_from_per_date_sql() -> str:
    """marts.fct_segment_changes from the per-date marts.fct_customer_segments: for each date, the
    memberships that differ from the date before (entered, moved, left)."""
    return f"""
        create table marts.{CHANGES} as
        with
        facts as (
            select as_of_date, customer_key, segmentation, segment_code from marts.fct_customer_segments
        ),
        dates as (
            select as_of_date, lag(as_of_date) over (order by as_of_date) as previous_as_of_date
            from (select distinct as_of_date from facts) as built
        ),
        built_segmentations as (
            select distinct as_of_date, segmentation from facts
        ),
        both_sides as (
            select dates.as_of_date, dates.previous_as_of_date, facts.customer_key, facts.segmentation,
                facts.segment_code, true as is_now
            from dates
            inner join facts on facts.as_of_date = dates.as_of_date
            union all
            -- a segmentation disabled since keeps its history as it stands: no one leaves it
            select dates.as_of_date, dates.previous_as_of_date, facts.customer_key, facts.segmentation,
                facts.segment_code, false as is_now
            from dates
            inner join facts on facts.as_of_date = dates.previous_as_of_date
            inner join built_segmentations
                on built_segmentations.as_of_date = dates.as_of_date
                and built_segmentations.segmentation = facts.segmentation
        ),
        pairs as (
            select as_of_date, previous_as_of_date, customer_key, segmentation,
                max(case when is_now then segment_code end) as segment_code,
                max(case when not is_now then segment_code end) as previous_segment_code
            from both_sides
            group by as_of_date, previous_as_of_date, customer_key, segmentation
        )
        select
            cast(as_of_date as date) as as_of_date,
            customer_key,
            segmentation,
            segment_code,
            previous_segment_code,
            case
                when previous_segment_code is null then 'entered'
                when segment_code is null then 'left'
                else 'moved'
            end as change_type,
            cast(previous_as_of_date as date) as previous_as_of_date
        from pairs
        where coalesce(segment_code, '') != coalesce(previous_segment_code, '')
    """
