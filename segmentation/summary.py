"""What `make build` prints at the end: where the warehouse is and what to query first."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

EXAMPLE_QUERY = """\
select as_of_date, segment_label, customer_count, round(customer_share, 3) as customer_share,
       round(revenue_share, 3) as revenue_share_12m, round(lifetime_revenue_share, 3) as lifetime_revenue_share
from marts.segment_summary
where segmentation = 'rfm' and as_of_date = {as_of}
order by sort_order"""
LATEST = "(select max(as_of_date) from marts.segment_summary)"


def warehouse_path() -> Path:
    """The DuckDB file of the dev target ($SEGMENTATION_DUCKDB, default segmentation.duckdb)."""
    return Path(os.environ.get("SEGMENTATION_DUCKDB", "segmentation.duckdb")).resolve()


def summarize(path: Path, as_of_date: str | None = None) -> str:
    """A short report: row counts per schema and table, and one example query with its result
    (for as_of_date, default the latest date built)."""
    example = EXAMPLE_QUERY.format(as_of=f"date '{as_of_date}'" if as_of_date else LATEST)
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('marts', 'quarantine') and table_type = 'BASE TABLE' "
            "order by table_schema, table_name"
        ).fetchall()
        lines = [f"Warehouse: {path}", ""]
        for schema, table in tables:
            (rows,) = connection.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0]
            lines.append(f"  {schema + '.' + table:<45} {rows:>10,} rows")
        lines += ["", "Example query (duckdb " + str(path) + "):", "", example, ""]
        result = connection.execute(example)
        names = [column[0] for column in result.description]
        lines.append("  " + " | ".join(names))
        lines.extend("  " + " | ".join(str(value) for value in row) for row in result.fetchall())
    return "\n".join(lines)
