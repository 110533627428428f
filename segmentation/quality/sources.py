"""The data each suite validates, and where Great Expectations computes it: in the engine, always.
GE gets a SQL query (a query asset) and runs its metrics as SQL; what comes back to Python is a row
of metrics per expectation and a few example values, never a table (ADR 0022).

- DuckDB (embedded): mart suites query the warehouse file, read-only, through the dialect of
  segmentation.quality.duckdb_dialect. Raw suites read the raw files once, with DuckDB, into a
  table of a scratch DuckDB file beside the warehouse (`<warehouse>.checks.duckdb`, deleted after
  the run), which GE then queries: GE runs dozens of queries per suite, and a CSV file scanned
  that often would cost more than the check. Every connection of the check has the target's
  DuckDB settings (memory_limit), so DuckDB spills to disk instead of growing.
- PostgreSQL: GE runs its SQL on the server (query assets). Raw suites read the `raw` schema.

With `changed_only` (a scheduled refresh, ADR 0025), a DuckDB raw suite reads the raw rows of the
keys the last build re-parsed (the incremental base models keep them as
`staging.base_raw__<table>__last_changes`) and the rows without a key: a row can only start to
fail where its key's rows changed (a duplicate key changes its key's rows; a parent's status and
the date cutoff re-parse the key). Without such a list from the last build (a first or full
build, PostgreSQL) every row is read.

Raw suites see each column as trimmed text (blank = null) plus the derived columns they name:
`<column>__value` (parsed like staging parses it), `__unparseable`, `__lower`, `__known`.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from segmentation.contract import RawColumn, RawTable
from segmentation.inputs.reading import project_plan
from segmentation.quality.text_patterns import BIGINT_MAX, NUMBER_PATTERN, NUMERIC_TYPE, TIMESTAMP_PATTERN
from segmentation.targets import Target, connect

BOOLEAN_WORDS = ("true", "false", "t", "f", "1", "0", "yes", "no", "y", "n", "oui", "non", "o", "vrai", "faux")


class Dialect:
    """How one engine reads raw text, with the rules of staging (macros/staging): the patterns of
    text_patterns.sql, then a number is numeric(28, 6) (null beyond), a whole number also within
    the bigint range, a timestamp in UTC when the text gives an offset. Subclasses say how the
    engine matches a pattern, extracts a group and casts without failing."""

    def matches(self, text: str, pattern: str) -> str:
        raise NotImplementedError

    def group(self, text: str, pattern: str, n: int) -> str:
        """Capture group n of the pattern's match, null when it took no part (pattern_group)."""
        raise NotImplementedError

    def try_numeric(self, text: str) -> str:
        """The text of a number as NUMERIC_TYPE, null when it does not fit."""
        raise NotImplementedError

    def try_timestamp(self, text: str) -> str:
        """'yyyy-mm-dd hh:mm:ss[.ffffff]' text as a timestamp, null when it is no calendar time."""
        raise NotImplementedError

    def minus_minutes(self, timestamp: str, minutes: str) -> str:
        raise NotImplementedError

    def clean(self, name: str) -> str:
        return f"nullif(trim(cast(\"{name}\" as varchar)), '')"

    def decimal(self, text: str) -> str:
        """parse_decimal"""
        return f"case when {self.matches(text, NUMBER_PATTERN)} then {self.try_numeric(text)} end"

    def integer(self, text: str) -> str:
        """parse_integer"""
        number = self.decimal(text)
        return (
            f"case when {number} = floor({number}) and abs({number}) <= {BIGINT_MAX} then cast({number} as bigint) end"
        )

    def timestamp(self, text: str) -> str:
        """parse_timestamp: the local time of the text, less its UTC offset."""
        time = self.group(text, TIMESTAMP_PATTERN, 2)
        offset = self.group(text, TIMESTAMP_PATTERN, 4)
        local_text = (
            f"{self.group(text, TIMESTAMP_PATTERN, 1)} || ' ' || coalesce({time}, '00:00') "
            f"|| case when length({time}) = 5 then ':00' else '' end "
            f"|| coalesce({self.group(text, TIMESTAMP_PATTERN, 3)}, '')"
        )
        offset_minutes = (
            f"case when {offset} is null or {offset} = 'Z' then 0 "
            f"else (case when substring({offset}, 1, 1) = '-' then -1 else 1 end) "
            f"* (cast(substring({offset}, 2, 2) as integer) * 60 "
            f"+ case when length({offset}) > 3 then cast(right({offset}, 2) as integer) else 0 end) end"
        )
        converted = self.minus_minutes(self.try_timestamp(local_text), offset_minutes)
        return f"case when {self.matches(text, TIMESTAMP_PATTERN)} then {converted} end"

    def parsed(self, column: RawColumn) -> str:
        """The value of a typed column; numbers as double precision (what the checks compare)."""
        text = self.clean(column.name)
        if column.data_type == "integer":
            return f"cast({self.integer(text)} as double precision)"
        if column.data_type == "boolean":
            words = ", ".join(f"'{w}'" for w in BOOLEAN_WORDS)
            return f"case when lower({text}) in ({words}) then lower({text}) end"
        if column.data_type == "date":
            return f"cast({self.timestamp(text)} as date)"
        if column.data_type == "timestamp":
            return self.timestamp(text)
        return f"cast({self.decimal(text)} as double precision)"

    def raw_query(self, table: RawTable, present: set[str], needed: set[str], source: str, references: dict) -> str:
        """Select of the raw table as the checks see it; `references[column]` is the SQL source of
        the referenced table (or None when that table has no data)."""
        select = [f"{self.clean(c.name)} as {c.name}" for c in table.columns if c.name in present]
        for column in table.columns:
            if column.name not in present:
                continue
            if column.data_type != "varchar":
                select.append(f"{self.parsed(column)} as {column.name}__value")
                select.append(
                    f"({self.clean(column.name)} is not null and {self.parsed(column)} is null) "
                    f"as {column.name}__unparseable"
                )
            if f"{column.name}__lower" in needed:
                select.append(f"lower({self.clean(column.name)}) as {column.name}__lower")
            if f"{column.name}__known" in needed:
                target_source, target_column = references[column.name]
                if target_source is None:
                    select.append(f"cast(null as boolean) as {column.name}__known")
                else:
                    select.append(
                        f"case when {self.clean(column.name)} is not null then {self.clean(column.name)} in "
                        f"(select {self.clean(target_column)} from {target_source} as referenced "
                        f"where {self.clean(target_column)} is not null) end as {column.name}__known"
                    )
        return f"select {', '.join(select)} from {source} as raw_rows"


class DuckDBDialect(Dialect):
    def matches(self, text: str, pattern: str) -> str:
        return f"regexp_matches({text}, '{pattern}')"

    def group(self, text: str, pattern: str, n: int) -> str:
        return f"nullif(regexp_extract({text}, '{pattern}', {n}), '')"

    def try_numeric(self, text: str) -> str:
        return f"try_cast({text} as {NUMERIC_TYPE})"

    def try_timestamp(self, text: str) -> str:
        return f"try_cast({text} as timestamp)"

    def minus_minutes(self, timestamp: str, minutes: str) -> str:
        return f"({timestamp}) - to_minutes(cast({minutes} as bigint))"


class PostgresDialect(Dialect):
    """The safe casts are the functions dbt makes at run start on PostgreSQL
    (macros/staging/create_cast_functions.sql)."""

    def matches(self, text: str, pattern: str) -> str:
        return f"({text} ~ '{pattern}')"

    def group(self, text: str, pattern: str, n: int) -> str:
        return f"(regexp_match({text}, '{pattern}'))[{n}]"

    def try_numeric(self, text: str) -> str:
        return f"cast(staging.segmentation_try_numeric(cast({text} as text)) as {NUMERIC_TYPE})"

    def try_timestamp(self, text: str) -> str:
        return f"staging.segmentation_try_timestamp(cast({text} as text))"

    def minus_minutes(self, timestamp: str, minutes: str) -> str:
        return f"({timestamp}) - interval '1 minute' * ({minutes})"


DUCKDB = DuckDBDialect()
POSTGRES = PostgresDialect()


@dataclass
class Batch:
    """What a suite validates: a SQL query GE runs in the engine, in `database` (a DuckDB file;
    None: the warehouse the target names); `scope` says which rows when not all of them."""

    columns: set[str]
    query: str
    database: Path | None = None
    scope: str | None = None


@dataclass(frozen=True)
class SqlSource:
    """How GE connects to where a batch's query runs: one GE data source per database."""

    name: str
    connection_string: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    kind: str = "sql"  # GE's data source type: "sql", or "postgres"


@dataclass
class DuckDBWarehouse:
    """The DuckDB warehouse file and the folder of raw files; GE computes in DuckDB."""

    path: Path
    raw_dir: Path
    name: str = field(default="duckdb")
    # DuckDB settings of every connection the check opens (the target's `settings`: memory_limit)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def scratch(self) -> Path:
        """The DuckDB file the raw suites' rows are read into, for the length of a run."""
        return Path(f"{self.path}.checks.duckdb")

    def connect(self, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.path), read_only=read_only, config=dict(self.settings))

    def exists(self) -> bool:
        return self.path.exists()

    def query_batch(self, sql: str) -> Batch:
        with self.connect() as connection:
            columns = {row[0] for row in connection.execute(f"describe select * from ({sql}) as probe").fetchall()}
        return Batch(columns=columns, query=sql, database=self.path)

    def scalar(self, sql: str) -> Any:
        with self.connect() as connection:
            return connection.execute(sql).fetchall()[0][0]

    def raw_columns(self, table: RawTable) -> list[str] | None:
        """Contract columns the table's raw file supplies, or None when there is no file."""
        plan = project_plan(self.raw_dir)
        return plan.supplied.get(table.name) if plan.selects[table.name] else None

    def raw_query(
        self, table: RawTable, needed: set[str], references: dict[str, str], keys: tuple[str, str] | None = None
    ) -> str:
        """The raw table as the DuckDB views read it (segmentation.inputs: same files, same formats);
        with `keys` (key column, relation of keys), only the rows of those keys and those without
        a key, kept before any value is parsed."""
        plan = project_plan(self.raw_dir)
        assert plan.selects[table.name] is not None
        resolved = {}
        for column, reference in references.items():
            target_table, target_column = reference.split(".")
            target_select = plan.selects[target_table]
            resolved[column] = (f"({target_select})" if target_select else None, target_column)
        source = f"({plan.selects[table.name]})"
        if keys is not None:
            key_column, relation = keys
            key = DUCKDB.clean(key_column)
            source = (
                f"(select * from {source} as unfiltered where {key} is null "
                f'or {key} in (select "{key_column}" from {relation}))'
            )
        return DUCKDB.raw_query(table, set(plan.supplied[table.name]), needed, source, resolved)

    def last_changes(self, table: RawTable) -> tuple[str, str, int] | None:
        """(key column, relation, keys) of the keys the last dbt build or run re-parsed in
        `table`, None when it kept no list (it parsed every row) or the list is older."""
        name = f"base_raw__{table.name}__last_changes"
        relation = f'staging."{name}"'
        with self.connect() as connection:
            columns = [
                column
                for (column,) in connection.execute(
                    "select column_name from duckdb_columns() where schema_name = 'staging' and table_name = ?",
                    [name],
                ).fetchall()
            ]
            if not columns:
                return None
            (key_column,) = [column for column in columns if column != "invocation_id"]
            last_build = connection.execute(
                "select invocation_id from quarantine.run_outcomes where command in ('build', 'run') "
                "order by recorded_at desc limit 1"
            ).fetchall()
            keys, invocations = connection.execute(
                f'select count("{key_column}"), list(distinct invocation_id) from {relation}'
            ).fetchone()
        if not last_build or invocations != [last_build[0][0]]:
            return None
        return key_column, relation, keys

    def raw_batch(
        self, table: RawTable, needed: set[str], references: dict[str, str], changed_only: bool = False
    ) -> Batch:
        """The raw table read once into the scratch file (replacing the previous suite's); with
        `changed_only`, the rows of the keys the last build re-parsed and those without a key."""
        changes = self.last_changes(table) if changed_only else None
        keys, scope = None, None
        if changes is not None:
            key_column, relation, count = changes
            keys = (key_column, f"warehouse.{relation}")
            scope = f"the rows of the {count:,} keys the last build re-parsed, and those without a key"
        query = self.raw_query(table, needed, references, keys)
        with duckdb.connect(str(self.scratch), config=dict(self.settings)) as connection:
            for (name,) in connection.execute("select table_name from duckdb_tables()").fetchall():
                connection.execute(f'drop table "{name}"')
            if keys is not None:
                path = str(self.path.resolve()).replace("'", "''")
                connection.execute(f"attach '{path}' as warehouse (read_only)")
            connection.execute(f"create table raw_{table.name} as {query}")
            if keys is not None:
                connection.execute("detach warehouse")
            columns = {row[0] for row in connection.execute(f"describe raw_{table.name}").fetchall()}
        return Batch(columns=columns, query=f"select * from raw_{table.name}", database=self.scratch, scope=scope)

    def sql_source(self, batch: Batch) -> SqlSource:
        """GE's data source over the batch's DuckDB file: read-only, with the check's settings."""
        from segmentation.quality.duckdb_dialect import URL_SCHEME, register

        register()
        database = (batch.database or self.path).resolve()
        return SqlSource(
            name="warehouse" if database == self.path.resolve() else "raw_files",
            connection_string=f"{URL_SCHEME}:///{database}",
            kwargs={"connect_args": {"read_only": True, "config": dict(self.settings)}},
        )

    @contextlib.contextmanager
    def keep_open(self, batch: Batch) -> Iterator[None]:
        """While GE validates a batch: a connection to its file held open, so that GE's
        connections, one per query, share its database instead of opening the file each time
        (0.1 s a query otherwise); then every connection GE left open is closed (the next raw
        suite writes the scratch file, and the results go to the warehouse)."""
        from segmentation.quality.duckdb_dialect import close_cursors

        try:
            with duckdb.connect(str(batch.database or self.path), read_only=True, config=dict(self.settings)):
                yield
        finally:
            close_cursors()

    def clean_up(self) -> None:
        """Remove the scratch file (and what DuckDB kept beside it)."""
        for path in (self.scratch, Path(f"{self.scratch}.wal")):
            path.unlink(missing_ok=True)
        shutil.rmtree(f"{self.scratch}.tmp", ignore_errors=True)

    def write_results(self, frame: pd.DataFrame) -> None:
        """Append to quarantine.dq_results (created on first use, with its column types: a first
        run whose observed values are all null must not make that column untyped)."""
        columns = ", ".join(f"{name} {kind}" for name, kind in DQ_RESULTS_COLUMNS.items())
        with self.connect(read_only=False) as connection:
            connection.execute("create schema if not exists quarantine")
            connection.execute(f"create table if not exists quarantine.dq_results ({columns})")
            connection.register("new_results", frame)
            connection.execute("insert into quarantine.dq_results by name select * from new_results")


DQ_RESULTS_COLUMNS = {
    "run_id": "text",
    "run_at": "timestamp",
    "suite": "text",
    "data_asset": "text",
    "expectation": "text",
    "column_name": "text",
    "severity": "text",
    "success": "boolean",
    "unexpected_count": "bigint",
    "element_count": "bigint",
    "observed_value": "text",
    "message": "text",
}


@dataclass
class PostgresWarehouse:
    """A PostgreSQL target of profiles.yml: GE runs the suites' SQL on the server."""

    target: Target
    name: str = field(default="postgres")

    @property
    def connection_string(self) -> str:
        """The SQLAlchemy URL GE connects with; credentials escaped by URL.create (a password may
        hold '@', ':' or '/')."""
        from sqlalchemy.engine import URL

        settings = self.target.settings
        url = URL.create(
            "postgresql+psycopg2",
            username=settings["user"],
            password=settings.get("password") or None,
            host=settings["host"],
            port=int(settings["port"]),
            database=settings["dbname"],
        )
        return url.render_as_string(hide_password=False)

    def sql_source(self, batch: Batch) -> SqlSource:
        return SqlSource(name="warehouse", connection_string=self.connection_string, kind="postgres")

    def keep_open(self, batch: Batch) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext()

    def clean_up(self) -> None:
        """Nothing to remove: GE ran on the server."""

    def exists(self) -> bool:
        try:
            return bool(self.scalar("select count(*) from information_schema.schemata where schema_name = 'marts'"))
        except Exception:
            return False

    def query_batch(self, sql: str) -> Batch:
        with connect(self.target) as warehouse:
            columns = self._columns_of(warehouse, sql)
        return Batch(columns=columns, query=sql)

    @staticmethod
    def _columns_of(warehouse, sql: str) -> set[str]:
        with warehouse.connection.cursor() as cursor:
            cursor.execute(f"select * from ({sql}) as probe limit 0")
            return {column.name for column in cursor.description}

    def scalar(self, sql: str) -> Any:
        with connect(self.target) as warehouse:
            return warehouse.query(sql)[0][0]

    def raw_columns(self, table: RawTable) -> list[str] | None:
        """Columns of raw.<table> (load-raw writes every contract column), or None when the table
        is absent, or optional and empty (its file was not supplied)."""
        with connect(self.target) as warehouse:
            rows = warehouse.query(
                "select column_name from information_schema.columns "
                f"where table_schema = 'raw' and table_name = '{table.name}'"
            )
            if not rows:
                return None
            if not table.is_required and not warehouse.query(f"select exists (select 1 from raw.{table.name})")[0][0]:
                return None
            return [row[0] for row in rows]

    def raw_batch(
        self, table: RawTable, needed: set[str], references: dict[str, str], changed_only: bool = False
    ) -> Batch:
        """Every row: the base models are tables on PostgreSQL, and keep no list of changed keys."""
        present = set(self.raw_columns(table) or [])
        resolved = {column: (f"raw.{ref.split('.')[0]}", ref.split(".")[1]) for column, ref in references.items()}
        query = POSTGRES.raw_query(table, present, needed, f"raw.{table.name}", resolved)
        return self.query_batch(query)

    def write_results(self, frame: pd.DataFrame) -> None:
        """Append to quarantine.dq_results (created on first use)."""
        columns = ", ".join(f"{name} {kind}" for name, kind in DQ_RESULTS_COLUMNS.items())
        names = list(DQ_RESULTS_COLUMNS)
        rows = [
            tuple(None if pd.isna(value) else (value.item() if hasattr(value, "item") else value) for value in row)
            for row in frame[names].itertuples(index=False)
        ]
        with connect(self.target) as warehouse, warehouse.connection.cursor() as cursor:
            cursor.execute("create schema if not exists quarantine")
            cursor.execute(f"create table if not exists quarantine.dq_results ({columns})")
            cursor.executemany(
                f"insert into quarantine.dq_results ({', '.join(names)}) values ({', '.join(['%s'] * len(names))})",
                rows,
            )
