"""History files shared by the published versions (docs/decisions/0024).

The change log (marts.fct_segment_changes) grows by the changes of each day; a version copying all
of it would make every publish, and the disk each version adds, grow with the number of dates.
Each as-of date's rows are written once instead, to an immutable Parquet file
`<serving dir>/shared/<table>/<as_of_date>-<digest>.parquet` named by the date and a digest of its
rows and columns, and a version holds a view over the files of its dates. A date whose rows change
(a backfill rewriting the date after it, remove-date) gets a new file beside the old one.

A file that no kept version names is retired, and deleted a day later: a reader still connected to
a version deleted meanwhile keeps reading its files that long. Remove-date deletes at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path

import duckdb

SHARED_DIR = "shared"
RETIRED_FILE = "retired.json"
GRACE = dt.timedelta(days=1)
READABLE_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def _quoted(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def shared_folder(serving_dir: Path) -> Path:
    return serving_dir / SHARED_DIR


def write_dates(
    connection: duckdb.DuckDBPyConnection, source: str, table: str, serving_dir: Path
) -> tuple[list[str], int]:
    """Write the file of every as-of date of `source` (a relation of `connection` with a not-null
    as_of_date column) that the shared folder lacks; returns the files of all its dates, oldest
    first, as paths relative to the serving folder, and their rows."""
    columns = connection.execute(f"describe select * from {source}").fetchall()
    layout = ";".join(f"{name} {kind}" for name, kind, *_ in columns)
    (undated,) = connection.execute(f"select count(*) from {source} where as_of_date is null").fetchone()
    if undated:
        raise ValueError(f"{source} holds {undated} rows without as_of_date: they cannot be shared by date")
    per_date = connection.execute(
        f"select as_of_date, count(*), sum(hash(t)::hugeint), bit_xor(hash(t)) from {source} as t "
        "group by as_of_date order by as_of_date"
    ).fetchall()
    folder = shared_folder(serving_dir) / table
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for as_of_date, rows, hash_sum, hash_xor in per_date:
        digest = hashlib.sha256(f"{layout}|{as_of_date}|{rows}|{hash_sum}|{hash_xor}".encode()).hexdigest()[:16]
        path = folder / f"{as_of_date.isoformat()}-{digest}.parquet"
        if not path.exists():
            partial = folder / f".{path.name}.partial"
            connection.execute(
                f"copy (select * from {source} where as_of_date = date '{as_of_date.isoformat()}' order by all) "
                f"to {_quoted(partial)} (format parquet)"
            )
            partial.chmod(READABLE_FILE)
            os.replace(partial, path)
        files.append(str(path.relative_to(serving_dir)))
    return files, sum(rows for _, rows, *_ in per_date)


def view_sql(serving_dir: Path, files: list[str]) -> str:
    """The select of a version's view over shared files (absolute paths: a BI tool's working folder
    is anyone's guess)."""
    paths = ", ".join(_quoted((serving_dir / name).resolve()) for name in files)
    return f"select * from read_parquet([{paths}])"


def prune_shared(serving_dir: Path, referenced: set[str], now: dt.datetime, at_once: bool = False) -> list[Path]:
    """Retire the shared files no kept version names and delete those retired for GRACE (all of
    them when `at_once`), with leftovers of stopped publishes; returns what was deleted. The
    caller holds the refresh lock."""
    folder = shared_folder(serving_dir)
    if not folder.is_dir():
        return []
    register = folder / RETIRED_FILE
    retired: dict[str, str] = json.loads(register.read_text()) if register.is_file() else {}
    deleted = []
    present = set()
    for path in sorted(folder.glob("*/*")):
        name = str(path.relative_to(serving_dir))
        if path.name.endswith(".partial"):
            deleted.append(path)
            continue
        present.add(name)
        if name in referenced:
            retired.pop(name, None)
            continue
        since = dt.datetime.fromisoformat(retired.setdefault(name, now.isoformat()))
        if at_once or now - since >= GRACE:
            deleted.append(path)
            retired.pop(name)
    for path in deleted:
        path.unlink(missing_ok=True)
    retired = {name: moment for name, moment in retired.items() if name in present}
    partial = register.with_name(f".{RETIRED_FILE}.partial")
    partial.write_text(json.dumps(retired, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, register)
    return deleted
