"""A BI reader for the refresh tests: polls the serving database read-only until a stop file
appears, then writes what it saw as JSON.

    python serving_reader.py SERVING_FILE STOP_FILE OUT_JSON reconnect|keep

reconnect: a new connection per poll (a dashboard); keep: one connection for the whole run (a
notebook), which must keep reading the version it opened. A poll checks that the dated marts agree
with the version's as-of date (never a mix of two refreshes) and that every table has the row count
the version recorded."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

DATED_MARTS = ("customer_segments", "fct_customer_segments", "segment_summary")


def poll(connection: duckdb.DuckDBPyConnection) -> tuple[str, str | None]:
    """(version, problem or None)."""
    version, as_of_date, table_rows = connection.execute(
        "select version, as_of_date, table_rows from marts.serving_version"
    ).fetchone()
    for mart in DATED_MARTS:
        (latest,) = connection.execute(f"select max(as_of_date) from marts.{mart}").fetchone()
        if latest != as_of_date:
            return version, f"{version}: marts.{mart} is as of {latest}, the version of {as_of_date}"
    for table, expected in dict(table_rows).items():
        (rows,) = connection.execute(f'select count(*) from marts."{table}"').fetchone()
        if rows != expected:
            return version, f"{version}: marts.{table} has {rows} rows, the version recorded {expected}"
    return version, None


def main(serving_file: str, stop_file: str, out: str, mode: str) -> None:
    seen = {"polls": 0, "errors": [], "mixes": [], "versions": []}
    kept = duckdb.connect(serving_file, read_only=True) if mode == "keep" else None
    while not Path(stop_file).exists():
        try:
            if kept is not None:
                version, problem = poll(kept)
            else:
                with duckdb.connect(serving_file, read_only=True) as connection:
                    version, problem = poll(connection)
            if problem:
                seen["mixes"].append(problem)
            if version not in seen["versions"]:
                seen["versions"].append(version)
        except Exception as error:
            seen["errors"].append(f"{type(error).__name__}: {error}"[:300])
        seen["polls"] += 1
        time.sleep(0.2)
    Path(out).write_text(json.dumps(seen), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:5])
