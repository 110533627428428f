"""Writes tables as the raw files of the contract (CSV text or typed Parquet), for the generator and loaders.

``excel-fr`` writes the CSV a French Excel saves: Windows-1252, ``;``, CRLF, decimal comma,
``dd/mm/yyyy HH:MM`` (no seconds), ``NULL`` for an empty cell; what the raw reader must read to the
same marts as the canonical extract (once its timestamps are cut to the minute).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from segmentation.contract import RawTable

ARROW_TYPES = {
    "varchar": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("s"),
    "boolean": pa.bool_(),
}
FORMATS = ("csv", "parquet", "excel-fr")
ISO_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$")
DOT_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def typed(table: pa.Table, contract: RawTable) -> pa.Table:
    """The table's contract columns cast to the contract's types (for Parquet output)."""
    columns, names = [], []
    for column in contract.columns:
        if column.name not in table.column_names:
            continue  # an optional column the dataset does not have
        values = table.column(column.name)
        if column.data_type == "date":
            values = pc.cast(pc.cast(values, pa.timestamp("s")), pa.date32())
        else:
            values = pc.cast(values, ARROW_TYPES[column.data_type])
        columns.append(values)
        names.append(column.name)
    return pa.table(columns, names=names)


def table_file_name(table_name: str, file_format: str) -> str:
    return f"{table_name}.{'csv' if file_format == 'excel-fr' else file_format}"


def side_file_name(name: str) -> str:
    return f"_{name}.csv"


def write_table(table: pa.Table, contract: RawTable, out_dir: Path, file_format: str) -> Path:
    """<out_dir>/<table>.<format>. The caller owns the folder (segmentation.raw_folder)."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {file_format!r}")
    path = out_dir / table_file_name(contract.name, file_format)
    if file_format == "parquet":
        pq.write_table(typed(table, contract), path)
    elif file_format == "excel-fr":
        _write_excel_fr(table, contract, path)
    else:
        pacsv.write_csv(table.select([name for name in contract.column_names if name in table.column_names]), path)
    return path


def write_side_file(table: pa.Table, out_dir: Path, name: str) -> Path:
    """A file beside the raw tables that is not part of the contract (named with a leading _)."""
    path = out_dir / side_file_name(name)
    pacsv.write_csv(table, path)
    return path


def excel_fr_value(value: str, data_type: str) -> str:
    """One canonical CSV value as French Excel writes it; a value it would not recognise (a
    planted defect) stays as it is."""
    if value == "":
        return "NULL"
    if data_type in ("timestamp", "date") and (match := ISO_TIMESTAMP.match(value)) and _is_day(match):
        year, month, day, hour, minute = match.groups()
        day_text = f"{day}/{month}/{year}"
        return day_text if hour is None or data_type == "date" else f"{day_text} {hour}:{minute}"
    if data_type == "decimal" and DOT_DECIMAL.match(value):
        return value.replace(".", ",")
    return value


def _is_day(match: re.Match) -> bool:
    """Excel turns only a real day into a date; `2024-02-30` stays text, written as it came."""
    try:
        dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return False
    return True


def _write_excel_fr(table: pa.Table, contract: RawTable, path: Path) -> None:
    buffer = io.BytesIO()
    pacsv.write_csv(table.select([name for name in contract.column_names if name in table.column_names]), buffer)
    rows = csv.reader(io.StringIO(buffer.getvalue().decode("utf-8"), newline=""))
    header = next(rows)
    types = {column.name: column.data_type for column in contract.columns}
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([excel_fr_value(value, types[name]) for name, value in zip(header, row, strict=True)])
