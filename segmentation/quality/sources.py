"""The data each suite validates, as pandas frames: raw files (through DuckDB) or warehouse queries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from segmentation.contract import RawColumn, RawTable

RAW_EXTENSIONS = ("parquet", "csv", "csv.gz")
SQL_TYPES = {"decimal": "double", "timestamp": "timestamp"}  # integer, boolean and date have their own rules
BOOLEAN_WORDS = ("true", "false", "t", "f", "1", "0", "yes", "no", "y", "n", "oui", "non", "o", "vrai", "faux")


def find_raw_file(raw_dir: Path, table: str) -> Path | None:
    """The file the dbt run-start hook would read for a table (same order of preference)."""
    for extension in RAW_EXTENSIONS:
        candidate = raw_dir / f"{table}.{extension}"
        if candidate.exists():
            return candidate
    return None


def _reader(path: Path) -> str:
    quoted = "'" + str(path).replace("'", "''") + "'"
    if path.suffix == ".parquet":
        return f"read_parquet({quoted})"
    return f"read_csv({quoted}, header = true, all_varchar = true, auto_detect = true)"


def _clean(name: str) -> str:
    return f"nullif(trim(cast(\"{name}\" as varchar)), '')"


def _parsed(column: RawColumn) -> str:
    """Same parsing rules as staging: ISO dates, dot decimals, whole numbers, boolean words."""
    text = _clean(column.name)
    if column.data_type == "integer":
        number = f"try_cast({text} as double)"
        return f"case when {number} = floor({number}) then {number} end"
    if column.data_type == "boolean":
        words = ", ".join(f"'{w}'" for w in BOOLEAN_WORDS)
        return f"case when lower({text}) in ({words}) then lower({text}) end"
    if column.data_type == "date":
        return f"cast(try_cast({text} as timestamp) as date)"
    return f"try_cast({text} as {SQL_TYPES[column.data_type]})"


@dataclass
class DuckDBWarehouse:
    """The DuckDB warehouse file and the folder of raw files."""

    path: Path
    raw_dir: Path

    def connect(self, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.path), read_only=read_only)

    def query_frame(self, sql: str) -> pd.DataFrame:
        with self.connect() as connection:
            return connection.execute(sql).df()

    def scalar(self, sql: str) -> Any:
        with self.connect() as connection:
            return connection.execute(sql).fetchall()[0][0]

    def raw_columns(self, table: RawTable) -> list[str] | None:
        """Columns present in the table's raw file, or None when there is no file."""
        path = find_raw_file(self.raw_dir, table.name)
        if path is None:
            return None
        with duckdb.connect() as connection:
            return [row[0].lower() for row in connection.execute(f"describe select * from {_reader(path)}").fetchall()]

    def raw_frame(
        self, table: RawTable, needed: set[str], references: dict[str, str], contract: dict[str, RawTable]
    ) -> pd.DataFrame:
        """The raw table as the checks see it: each present column as trimmed text (blank = null),
        plus the derived columns the suite names (`__value`, `__unparseable`, `__lower`, `__known`)."""
        path = find_raw_file(self.raw_dir, table.name)
        assert path is not None
        present = set(self.raw_columns(table) or [])
        select = [f"{_clean(c.name)} as {c.name}" for c in table.columns if c.name in present]
        for column in table.columns:
            if column.name not in present:
                continue
            if column.data_type != "varchar":
                select.append(f"{_parsed(column)} as {column.name}__value")
                select.append(
                    f"({_clean(column.name)} is not null and {_parsed(column)} is null) as {column.name}__unparseable"
                )
            if f"{column.name}__lower" in needed:
                select.append(f"lower({_clean(column.name)}) as {column.name}__lower")
            if f"{column.name}__known" in needed:
                target_table, target_column = references[column.name].split(".")
                target_path = find_raw_file(self.raw_dir, target_table)
                if target_path is None:
                    select.append(f"cast(null as boolean) as {column.name}__known")
                else:
                    select.append(
                        f"case when {_clean(column.name)} is not null then {_clean(column.name)} in "
                        f"(select {_clean(target_column)} from {_reader(target_path)} "
                        f"where {_clean(target_column)} is not null) end as {column.name}__known"
                    )
        with duckdb.connect() as connection:
            return connection.execute(f"select {', '.join(select)} from {_reader(path)}").df()

    def write_results(self, frame: pd.DataFrame) -> None:
        """Append to quarantine.dq_results (created on first use)."""
        with self.connect(read_only=False) as connection:
            connection.execute("create schema if not exists quarantine")
            connection.register("new_results", frame)
            exists = connection.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'quarantine' and table_name = 'dq_results'"
            ).fetchall()[0][0]
            if exists:
                connection.execute("insert into quarantine.dq_results by name select * from new_results")
            else:
                connection.execute("create table quarantine.dq_results as select * from new_results")
