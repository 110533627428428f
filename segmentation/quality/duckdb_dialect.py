"""The SQLAlchemy dialect Great Expectations computes with on DuckDB (ADR 0022): duckdb-engine's, with
two changes that make GE's SQL engine work on DuckDB 2.0.

- Each cursor runs its statement on a DuckDB connection of its own. GE runs a query, gives the
  connection back (SQLAlchemy then rolls back) and only then fetches the rows; on DuckDB that
  rollback, or any other statement on the connection, closes the pending result, so GE saw no
  rows at all. A result stays a DuckDB stream until it is fetched: GE also runs each suite's whole
  query only to read its column names, which costs a plan, not the rows.
- No pool: each connection is opened for one use and closed when given back, with the settings the
  check passes (read_only, memory_limit): DuckDB refuses a second connection to a file with other
  settings, so the check can write its results once GE is done (close_cursors() closes the
  cursors GE left unfetched).

    engine = sqlalchemy.create_engine(
        "duckdb+segmentation:///path/to/warehouse.duckdb",
        connect_args={"read_only": True, "config": {"memory_limit": "4GB"}},
    )
"""

from __future__ import annotations

import weakref
from typing import Any

import duckdb
import duckdb_engine
from sqlalchemy import pool
from sqlalchemy.dialects import registry

DRIVER = "segmentation"
URL_SCHEME = f"duckdb+{DRIVER}"

_open_cursors: weakref.WeakSet[StatementCursor] = weakref.WeakSet()


class StatementCursor(duckdb_engine.CursorWrapper):
    """duckdb-engine's cursor over a DuckDB connection of its own, closed with the cursor."""

    def __init__(self, wrapper: Connection) -> None:
        self._own = duckdb.connect(*wrapper.connect_args, **wrapper.connect_kwargs)
        super().__init__(self._own, wrapper)
        _open_cursors.add(self)

    def fetchone(self) -> tuple | None:
        return self._own.fetchone()

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        return self._own.fetchmany(size or 1)

    def fetchall(self) -> list[tuple]:
        return self._own.fetchall()

    def close(self) -> None:
        self._own.close()
        _open_cursors.discard(self)


class Connection(duckdb_engine.ConnectionWrapper):
    """What SQLAlchemy begins, rolls back and closes; statements run on its cursors' connections."""

    def __init__(self, *cargs: Any, **cparams: Any) -> None:
        super().__init__(duckdb.connect(*cargs, **cparams))
        self.connect_args, self.connect_kwargs = cargs, cparams

    def cursor(self) -> StatementCursor:
        return StatementCursor(self)


class Dialect(duckdb_engine.Dialect):
    """Named `duckdb` (what GE and SQLAlchemy see), driver `segmentation`."""

    driver = DRIVER
    supports_statement_cache = False  # as duckdb-engine's (said here, or SQLAlchemy warns)

    @classmethod
    def get_pool_class(cls, url: Any) -> type[pool.Pool]:
        return pool.NullPool

    def connect(self, *cargs: Any, **cparams: Any) -> Connection:
        config = {**cparams.pop("config", {}), **cparams.pop("url_config", {})}
        return Connection(*cargs, config=config, **cparams)


def register() -> None:
    """Make `duckdb+segmentation://` URLs open this dialect (idempotent)."""
    registry.register(f"duckdb.{DRIVER}", __name__, "Dialect")


def close_cursors() -> None:
    """Close the cursors whose results were never fetched (and their DuckDB connections)."""
    for cursor in list(_open_cursors):
        cursor.close()
