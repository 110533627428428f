"""The warehouses of profiles.yml, seen from Python: read the same target dbt uses, run queries on
it and load raw files into its `raw` schema (engines other than DuckDB read raw tables, not files).

    target = load_target("postgres")        # SEGMENTATION_TARGET, else the profile's default
    with connect(target) as warehouse:
        warehouse.query("select count(*) from marts.customer_segments")
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import jinja2
import pyarrow as pa
import pyarrow.csv as pacsv
import yaml

from segmentation.contract import PROJECT_ROOT, RawTable, load_contract
from segmentation.inputs.reading import project_plan

PROFILES_FILE = PROJECT_ROOT / "profiles.yml"
PROFILE_NAME = "segmentation"


@dataclass(frozen=True)
class Target:
    """One output of profiles.yml, rendered with the current environment variables."""

    name: str
    type: str
    settings: dict[str, Any]


def _render(value: Any) -> Any:
    """Render the env_var() calls of a profile value the way dbt does."""
    if isinstance(value, dict):
        return {key: _render(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_render(item) for item in value]
    if not isinstance(value, str) or "{{" not in value:
        return value
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.filters["as_number"] = lambda text: float(text) if "." in str(text) else int(text)

    def env_var(name: str, default: str | None = None) -> str:
        if name in os.environ:
            return os.environ[name]
        if default is None:
            raise KeyError(f"environment variable {name} is not set (profiles.yml)")
        return default

    template = environment.from_string(value)
    if "| as_number" in value:  # keep the number a number
        return environment.filters["as_number"](template.render(env_var=env_var).strip())
    return template.render(env_var=env_var)


def load_target(name: str | None = None, profiles_file: Path = PROFILES_FILE) -> Target:
    """The target `name` (default: $SEGMENTATION_TARGET, else the profile's default target)."""
    profile = yaml.safe_load(profiles_file.read_text(encoding="utf-8"))[PROFILE_NAME]
    chosen = name or os.environ.get("SEGMENTATION_TARGET") or _render(profile["target"])
    outputs = profile["outputs"]
    if chosen not in outputs:
        raise ValueError(f"no target {chosen!r} in {profiles_file} (targets: {', '.join(outputs)})")
    settings = _render(outputs[chosen])
    return Target(name=chosen, type=settings["type"], settings=settings)


class Warehouse(Protocol):
    target: Target

    def query(self, sql: str) -> list[tuple]: ...

    def execute(self, sql: str) -> None: ...

    def load_raw_table(self, name: str, table: pa.Table) -> None: ...


class DuckDBConnection:
    def __init__(self, target: Target, read_only: bool = True):
        self.target = target
        self.connection = duckdb.connect(target.settings["path"], read_only=read_only)

    def query(self, sql: str) -> list[tuple]:
        return self.connection.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        self.connection.execute(sql)

    def load_raw_table(self, name: str, table: pa.Table) -> None:
        raise NotImplementedError("on DuckDB the raw files are read in place (views made by dbt at run start)")

    def close(self) -> None:
        self.connection.close()


class PostgresConnection:
    def __init__(self, target: Target):
        import psycopg2

        self.target = target
        settings = target.settings
        self.connection = psycopg2.connect(
            host=settings["host"],
            port=settings["port"],
            user=settings["user"],
            password=settings.get("password") or None,
            dbname=settings["dbname"],
        )
        self.connection.autocommit = True

    def query(self, sql: str) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)

    def load_raw_table(self, name: str, table: pa.Table) -> None:
        columns = ", ".join(f'"{column}" text' for column in table.column_names)
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
        buffer.seek(0)
        with self.connection.cursor() as cursor:
            cursor.execute("create schema if not exists raw")
            cursor.execute(f"drop table if exists raw.{name}")
            cursor.execute(f"create table raw.{name} ({columns})")
            cursor.copy_expert(f"copy raw.{name} from stdin with (format csv)", buffer)

    def close(self) -> None:
        self.connection.close()


def spark_session(target: Target):
    """The Spark session dbt-spark's `session` method makes, with the profile's settings."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in target.settings.get("server_side_parameters", {}).items():
        builder = builder.config(str(key), str(value))
    return builder.config("spark.sql.ansi.enabled", "false").getOrCreate()


class SparkConnection:
    def __init__(self, target: Target):
        self.target = target
        self.session = spark_session(target)

    def query(self, sql: str) -> list[tuple]:
        return [tuple(row) for row in self.session.sql(sql).collect()]

    def execute(self, sql: str) -> None:
        self.session.sql(sql).collect()

    def load_raw_table(self, name: str, table: pa.Table) -> None:
        self.session.sql("create database if not exists raw")
        frame = self.session.createDataFrame(table)
        frame.write.mode("overwrite").saveAsTable(f"raw.{name}")

    def close(self) -> None:
        self.session.stop()


@contextlib.contextmanager
def connect(target: Target, read_only: bool = True) -> Iterator[Warehouse]:
    """A connection to the target's warehouse, closed on exit."""
    if target.type == "duckdb":
        warehouse: Any = DuckDBConnection(target, read_only=read_only)
    elif target.type == "postgres":
        warehouse = PostgresConnection(target)
    elif target.type == "spark":
        warehouse = SparkConnection(target)
    else:
        raise ValueError(f"target type {target.type!r} is not supported by the Python tooling")
    try:
        yield warehouse
    finally:
        warehouse.close()


def raw_table_as_text(raw_dir: Path, table: RawTable) -> tuple[pa.Table, Path | None]:
    """A raw file as the contract's columns in text, read as the DuckDB views read it
    (segmentation.inputs): a missing optional column is null, a missing optional file an empty
    table. Raises ExtractError when the extract cannot be read as it is."""
    plan = project_plan(raw_dir)
    select = plan.selects[table.name]
    if select is None:
        return pa.table({c: pa.array([], pa.string()) for c in table.column_names}), None
    with duckdb.connect() as connection:
        return connection.sql(select).to_arrow_table(), Path(plan.files[table.name])


def load_raw(target: Target, raw_dir: Path) -> dict[str, int]:
    """Replace the `raw` tables of the target with the raw files of raw_dir (all as text, every
    contract column, an empty table for an optional file not supplied). Returns rows per table."""
    if target.type == "duckdb":
        raise ValueError("DuckDB reads the raw files in place: point SEGMENTATION_RAW_DIR at them instead")
    counts = {}
    with connect(target, read_only=False) as warehouse:
        for table in load_contract().values():
            data, _ = raw_table_as_text(raw_dir, table)
            warehouse.load_raw_table(table.name, data)
            counts[table.name] = data.num_rows
    return counts
