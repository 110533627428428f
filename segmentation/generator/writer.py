"""Writes generated tables as the raw files of the contract (CSV text or typed Parquet)."""

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
    """Text columns cast to the contract's types (for Parquet output)."""
    columns = []
    for column in contract.columns:
        values = table.column(column.name)
        if column.data_type == "date":
            values = pc.cast(pc.cast(values, pa.timestamp("s")), pa.date32())
        else:
            values = pc.cast(values, ARROW_TYPES[column.data_type])
        columns.append(values)
    return pa.table(columns, names=contract.column_names)


def write_table(table: pa.Table, contract: RawTable, out_dir: Path, file_format: str) -> Path:
    """<out_dir>/<table>.<format>, removing a file of the other format so only one is read."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {file_format!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    for other in FORMATS:
        (out_dir / f"{contract.name}.{other}").unlink(missing_ok=True)
    path = out_dir / f"{contract.name}.{file_format}"
    if file_format == "parquet":
        pq.write_table(typed(table, contract), path)
    else:
        pacsv.write_csv(table.select(contract.column_names), path)
    return path


def write_side_file(table: pa.Table, out_dir: Path, name: str) -> Path:
    """A file beside the raw tables that is not part of the contract (named with a leading _)."""
    path = out_dir / f"_{name}.csv"
    pacsv.write_csv(table, path)
    return path
