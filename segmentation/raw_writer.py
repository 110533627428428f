"""Writes tables as the raw files of the contract (CSV text or typed Parquet), for the generator and loaders."""

from __future__ import annotations

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
FORMATS = ("csv", "parquet")


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
    return f"{table_name}.{file_format}"


def side_file_name(name: str) -> str:
    return f"_{name}.csv"


def write_table(table: pa.Table, contract: RawTable, out_dir: Path, file_format: str) -> Path:
    """<out_dir>/<table>.<format>. The caller owns the folder (segmentation.raw_folder)."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {file_format!r}")
    path = out_dir / table_file_name(contract.name, file_format)
    if file_format == "parquet":
        pq.write_table(typed(table, contract), path)
    else:
        pacsv.write_csv(table.select([name for name in contract.column_names if name in table.column_names]), path)
    return path


def write_side_file(table: pa.Table, out_dir: Path, name: str) -> Path:
    """A file beside the raw tables that is not part of the contract (named with a leading _)."""
    path = out_dir / side_file_name(name)
    pacsv.write_csv(table, path)
    return path
