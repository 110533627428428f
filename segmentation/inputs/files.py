"""Which file of the raw folder holds which table of the contract.

A table's file is named after it, in any case, with one of the extensions of TABLE_SUFFIXES
(``customers.csv``, ``Customers.CSV``, ``customers.txt``, ``order-lines.csv.gz``). Two files for
one table stop the run naming both: which one is current cannot be guessed. Files starting with
``_`` or ``.`` are ours or hidden; any other file is listed once as not read, and a stop names a
file that looks like a table's name without being it (``product.csv`` beside no ``products``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from segmentation.inputs.problems import ExtractError

# longest first: '.csv.gz' before '.gz' would matter if '.gz' were listed
TABLE_SUFFIXES = (".csv.gz", ".txt.gz", ".tsv.gz", ".parquet", ".csv", ".txt", ".tsv")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
NEAR_NAME_RATIO = 0.8


@dataclass(frozen=True)
class ExtractFiles:
    """The file of each table (None: not supplied) and the files not read, with why."""

    by_table: dict[str, Path | None]
    not_read: list[tuple[str, str]] = field(default_factory=list)


def table_key(file_name: str) -> str | None:
    """The table a file name designates once case, extension and separators are set aside
    (``Order Lines.CSV`` -> ``order_lines``), or None for a name without a readable extension."""
    lowered = file_name.lower()
    for suffix in TABLE_SUFFIXES:
        if lowered.endswith(suffix):
            return re.sub(r"[^a-z0-9]+", "_", lowered[: -len(suffix)]).strip("_")
    return None


def _spreadsheet_key(file_name: str) -> str | None:
    lowered = file_name.lower()
    for suffix in SPREADSHEET_SUFFIXES:
        if lowered.endswith(suffix):
            return re.sub(r"[^a-z0-9]+", "_", lowered[: -len(suffix)]).strip("_")
    return None


def _near_table(key: str, table_names: list[str]) -> str | None:
    """The table whose name the key nearly is (a letter more or less, singular for plural)."""
    for name in table_names:
        if key in (name.rstrip("s"), name + "s") or key.replace("_", "") == name.replace("_", ""):
            return name
    close = difflib.get_close_matches(key, table_names, n=1, cutoff=NEAR_NAME_RATIO)
    return close[0] if close else None


def find_extract_files(raw_dir: Path, table_names: list[str]) -> ExtractFiles:
    """The file of each table in raw_dir. Raises ExtractError naming the files when a table has
    two, when a spreadsheet or a near name stands where a table's file is expected."""
    entries = sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
    candidates: dict[str, list[Path]] = {name: [] for name in table_names}
    not_read: list[tuple[str, str]] = []
    problems: list[str] = []
    unmatched: list[tuple[Path, str | None]] = []
    for path in entries:
        key = table_key(path.name)
        if key in candidates:
            candidates[key].append(path)
        elif (sheet := _spreadsheet_key(path.name)) in candidates:
            problems.append(
                f"{path.name} is a spreadsheet: save the '{sheet}' sheet as CSV (any encoding, ';' or ',') "
                "or Parquet; workbooks are not read"
            )
        else:
            unmatched.append((path, key))
    for name, paths in candidates.items():
        if len(paths) > 1:
            problems.append(
                f"table '{name}' has {len(paths)} files: {', '.join(p.name for p in paths)}. Keep one (which one "
                "is current cannot be guessed) or move the others out of the folder"
            )
    for path, key in unmatched:
        near = _near_table(key, table_names) if key else None
        if near is not None and not candidates[near]:
            problems.append(
                f"{path.name} looks like the file of table '{near}' but is not named after it: rename it "
                f"{near}{_suffix(path.name)} (or move it out of the folder)"
            )
        elif near is not None:
            not_read.append((path.name, f"looks like table '{near}', which is read from {candidates[near][0].name}"))
        else:
            not_read.append((path.name, "no table of the contract has this name"))
    if problems:
        raise ExtractError(raw_dir, problems)
    return ExtractFiles({name: (paths[0] if paths else None) for name, paths in candidates.items()}, not_read)


def _suffix(file_name: str) -> str:
    lowered = file_name.lower()
    for suffix in (*TABLE_SUFFIXES, *SPREADSHEET_SUFFIXES):
        if lowered.endswith(suffix):
            return suffix if suffix not in SPREADSHEET_SUFFIXES else ".csv"
    return ".csv"
