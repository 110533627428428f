"""What `make build` prints at the end: where the warehouse is and what to query first (any target)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from segmentation.targets import Target, connect

EXAMPLE_QUERY = """\
select as_of_date, segment_label, customer_count,
       cast(customer_share as decimal(6, 3)) as customer_share,
       cast(revenue_share as decimal(6, 3)) as revenue_share_12m,
       cast(lifetime_revenue_share as decimal(6, 3)) as lifetime_revenue_share
from marts.segment_summary
where segmentation = 'rfm' and as_of_date = {as_of}
order by sort_order"""
# the date the current marts describe (the latest build's), not the latest date of the history
LATEST = "(select max(as_of_date) from marts.customer_segments)"
WITHOUT_EVIDENCE = """\
select segmentation_label, coverage_note
from marts.segmentation_coverage
where as_of_date = {as_of} and not is_evidence_sufficient
order by segmentation"""
EXAMPLE_COLUMNS = (
    "as_of_date",
    "segment_label",
    "customer_count",
    "customer_share",
    "revenue_share_12m",
    "lifetime_revenue_share",
)


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_as_of_date(text: str | None) -> dt.date | None:
    """The as-of date of $SEGMENTATION_AS_OF_DATE (YYYY-MM-DD), None when unset or blank; a
    ValueError saying what is expected otherwise."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"SEGMENTATION_AS_OF_DATE must be a date written YYYY-MM-DD (e.g. 2026-09-30), not {text!r}"
        ) from None


def warehouse_path() -> Path:
    """The DuckDB file of the dev target ($SEGMENTATION_DUCKDB, default segmentation.duckdb)."""
    return Path(os.environ.get("SEGMENTATION_DUCKDB", "segmentation.duckdb")).resolve()


def _tables(warehouse) -> list[tuple[str, str]]:
    if warehouse.target.type == "spark":
        return [
            (schema, row[1])
            for schema in ("marts", "quarantine")
            for row in warehouse.query(f"show tables in {schema}")
        ]
    return warehouse.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('marts', 'quarantine') and table_type = 'BASE TABLE' "
        "order by table_schema, table_name"
    )


def where(target: Target) -> str:
    if target.type == "duckdb":
        return str(Path(target.settings["path"]).resolve())
    if target.type == "postgres":
        settings = target.settings
        return f"postgresql://{settings['user']}@{settings['host']}:{settings['port']}/{settings['dbname']}"
    return f"{target.type} ({target.name})"


def summarize(target: Target, as_of_date: dt.date | str | None = None) -> str:
    """A short report: row counts per schema and table, the segmentations running without the
    evidence their labels need (segmentation_coverage), and one example query with its result
    (for as_of_date, default the date the current marts describe). A text as_of_date must be YYYY-MM-DD
    (ValueError otherwise); only a date object's own ISO text goes into the query."""
    if not isinstance(as_of_date, dt.date):
        as_of_date = parse_as_of_date(as_of_date)
    as_of = f"date '{as_of_date.isoformat()}'" if as_of_date else LATEST
    with connect(target) as warehouse:
        lines = [f"Warehouse: {where(target)} (target {target.name})", ""]
        tables = _tables(warehouse)
        for schema, table in sorted(tables):
            (rows,) = warehouse.query(f"select count(*) from {schema}.{table}")[0]
            lines.append(f"  {schema + '.' + table:<45} {rows:>10,} rows")
        if ("marts", "segmentation_coverage") in {tuple(row) for row in tables}:
            lines += _without_evidence(warehouse, as_of)
        example = EXAMPLE_QUERY.format(as_of=as_of)
        lines += ["", f"Example query ({where(target)}):", "", example, ""]
        result = warehouse.query(example)
        lines.append("  " + " | ".join(EXAMPLE_COLUMNS))
        lines.extend("  " + " | ".join(str(value) for value in row) for row in result)
    return "\n".join(lines)


def _without_evidence(warehouse, as_of: str) -> list[str]:
    """The segmentations whose segments rest on observed data for too few customers, with what is
    missing: a marketer reading the marts must know which labels stand on nothing."""
    rows = warehouse.query(WITHOUT_EVIDENCE.format(as_of=as_of))
    if not rows:
        return ["", "Every segmentation has the evidence its labels need (marts.segmentation_coverage)."]
    lines = ["", "Segmentations without the evidence their labels need (marts.segmentation_coverage):"]
    lines.extend(f"  {label}: {note}" for label, note in rows)
    return lines
