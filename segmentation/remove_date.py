"""`python -m segmentation remove-date YYYY-MM-DD`: take a built as-of date out of the build
database's history and out of the published history (docs/decisions/0020).

- Build database (DuckDB or PostgreSQL): the rows of that date are deleted from every table of
  the `marts` and `intermediate` schemas with an `as_of_date` column (the histories kept per date:
  segment_summary, segment_migrations, account_segments, ...), and the migration pairs that start
  on it (previous_as_of_date). The change log fct_segment_changes is folded instead (the later
  dates read its rows; segmentation.history), so every other date keeps its membership.
- Serving (DuckDB): a new version, the served one without that date, is published and served the
  usual way (a new immutable file, then an atomic rename, ADR 0013); the kept versions that hold
  the date are deleted, so that no rollback brings it back.
- The date the current marts describe (marts.customer_segments) is refused unless forced: build
  the right date first. Forced, the current marts are emptied and export, report and summary
  refuse the build database until a build (ADR 0020).

Everything runs under the refresh lock, so never beside a refresh or a publish.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from segmentation.history import CHANGES, remove_date_statements
from segmentation.outcomes import Outcome, current_as_of_date, now, record
from segmentation.serving import DATE_COLUMNS, Version, publish_without_date, read_version, serving_file
from segmentation.targets import Target, connect

SCHEMAS = ("marts", "intermediate")


class RemoveDateError(Exception):
    """The date cannot be removed (the current one without --force, or not held anywhere)."""


@dataclass
class Removal:
    removed: dt.date
    table_rows: dict[str, int] = field(default_factory=dict)  # schema.table -> rows deleted
    version: Version | None = None
    deleted_versions: list[Path] = field(default_factory=list)
    migration_gap: tuple[str, str] | None = None  # (previous date, next date) no pair joins now


def _dated_tables(warehouse) -> list[tuple[str, str, list[str]]]:
    """(schema, table, its date columns) of the build tables holding as-of dates."""
    rows = warehouse.query(
        "select columns.table_schema, columns.table_name, columns.column_name "
        "from information_schema.columns as columns "
        "inner join information_schema.tables as tables "
        "on columns.table_schema = tables.table_schema and columns.table_name = tables.table_name "
        f"where tables.table_type = 'BASE TABLE' and columns.table_schema in ({', '.join(repr(s) for s in SCHEMAS)}) "
        f"and columns.column_name in ({', '.join(repr(c) for c in DATE_COLUMNS)}) "
        "order by 1, 2, 3"
    )
    found: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        found.setdefault((str(schema), str(table)), []).append(str(column))
    return [(schema, table, columns) for (schema, table), columns in found.items() if "as_of_date" in columns]


def _fact_dates(warehouse) -> list[str]:
    rows = warehouse.query("select distinct as_of_date from marts.segment_summary")
    return sorted(str(value)[:10] for (value,) in rows)


def remove_from_build(target: Target, removed: dt.date, force: bool = False) -> Removal:
    """Delete the date's rows from the build database; see the module."""
    day = removed.isoformat()
    removal = Removal(removed)
    with connect(target, read_only=False) as warehouse:
        dates = _fact_dates(warehouse)
        current = current_as_of_date(warehouse)
        if day == current and not force:
            raise RemoveDateError(
                f"{day} is the date the current marts describe (marts.customer_segments): build the right date "
                f"first (SEGMENTATION_AS_OF_DATE=YYYY-MM-DD python -m segmentation refresh), or pass --force to "
                "remove it anyway (the current marts are then empty until the next build)"
            )
        if day in dates:
            position = dates.index(day)
            if 0 < position < len(dates) - 1:
                removal.migration_gap = (dates[position - 1], dates[position + 1])
        for schema, table, columns in _dated_tables(warehouse):
            if (schema, table) == ("marts", CHANGES):
                held = f"select count(*) from marts.{CHANGES} where as_of_date = cast('{day}' as date)"
                (count,) = warehouse.query(held)[0]
                built = [dt.date.fromisoformat(value) for value in dates]
                for statement in remove_date_statements(f"marts.{CHANGES}", removed, built):
                    warehouse.execute(statement)
                if count:
                    removal.table_rows[f"marts.{CHANGES}"] = int(count)
                continue
            condition = " or ".join(f"{column} = cast('{day}' as date)" for column in columns)
            (count,) = warehouse.query(f"select count(*) from {schema}.{table} where {condition}")[0]
            if count:
                warehouse.execute(f"delete from {schema}.{table} where {condition}")
                removal.table_rows[f"{schema}.{table}"] = int(count)
        if removal.table_rows and day == current:
            # the current marts are gone: outputs refuse the build database until a build (ADR 0020)
            stamp = now()
            record(
                warehouse,
                Outcome(uuid.uuid4().hex[:12], "remove-date", day, stamp, stamp, "failed", 0, 1, False, "forced"),
            )
    return removal


def remove_date(
    target: Target, serving_dir: Path | None, removed: dt.date, force: bool = False, keep: int = 5
) -> Removal:
    """Remove the date from the build database, then from the published history (DuckDB serving)."""
    served = serving_file(serving_dir) if serving_dir is not None else None
    if served is not None and served.exists() and not force and read_version(served).as_of_date == removed:
        raise RemoveDateError(
            f"{removed} is the date the published version describes (marts.serving_version): publish the right "
            "date first, or pass --force"
        )
    removal = remove_from_build(target, removed, force)
    if serving_dir is not None:
        removal.version, removal.deleted_versions = publish_without_date(
            serving_dir, removed, keep, duckdb_settings=target.settings.get("settings")
        )
    if not removal.table_rows and removal.version is None and not removal.deleted_versions:
        raise RemoveDateError(f"no table of the build database nor published version holds as-of date {removed}")
    return removal
