"""The serving side: what BI tools read, apart from the database dbt builds (docs/decisions/0013).

A publish copies the `marts` schema of the build database into a new, immutable DuckDB file
`<serving dir>/versions/<version>.duckdb`, then makes `<serving dir>/segmentation.duckdb` that
version by renaming a hard link over it. The change log is not copied: each date's rows are
written once to a Parquet file all versions share, and a version holds a view over its dates'
files (segmentation/serving_shared.py, docs/decisions/0024); the views of the marts stay views.
A rename is atomic: a reader opening the file gets one whole version, a reader already connected
keeps reading the version it opened, and nothing ever opens the build database on their behalf.
The last N versions are kept; a rollback points the serving file back at the one before.

    published = publish(Path("segmentation.duckdb"), Path("serving"), keep=5)
    duckdb.connect("serving/segmentation.duckdb", read_only=True)   # what a BI tool opens
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb

from segmentation.history import CHANGES, remove_date_statements
from segmentation.serving_shared import prune_shared, view_sql, write_dates

SERVING_FILE = "segmentation.duckdb"
VERSIONS_DIR = "versions"
SCHEMA = "marts"
VERSION_TABLE = "serving_version"
# beside each version: the shared files it reads (JSON), written before the version appears
MANIFEST_SUFFIX = ".json"
# the marts whose dates are written once to files the versions share (the rest is copied)
SHARED_MARTS = (CHANGES,)
# the marts whose as-of dates must agree in a version: the current mart's date is in both histories,
# which hold the same dates (order matters: _agreed_as_of_date)
DATED_MARTS = ("customer_segments", "fct_customer_segments", "segment_summary")
READABLE_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
OWNER_ONLY = stat.S_IRUSR | stat.S_IWUSR


class PublishError(Exception):
    """The build database cannot be published (missing, or its marts disagree)."""


@dataclass(frozen=True)
class Version:
    name: str
    path: Path
    as_of_date: dt.date | None
    table_rows: dict[str, int]


def serving_dir_default() -> Path:
    return Path(os.environ.get("SEGMENTATION_SERVING_DIR", "serving"))


def serving_file(serving_dir: Path) -> Path:
    return serving_dir / SERVING_FILE


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def restrict_build_database(build_path: Path) -> None:
    """The build database holds personal data (staging, intermediate, quarantine): owner only."""
    for path in (build_path, build_path.with_name(build_path.name + ".wal")):
        if path.exists():
            path.chmod(OWNER_ONLY)


def _dates(query, prefix: str) -> dict[str, set[dt.date]]:
    """The as-of dates each dated mart holds; `query(sql)` returns rows, `prefix` is the schema
    (with its catalog) of the marts."""
    return {
        mart: {value for (value,) in query(f"select distinct as_of_date from {prefix}.{mart}") if value is not None}
        for mart in DATED_MARTS
    }


def _agreed_as_of_date(dates: dict[str, set[dt.date]]) -> dt.date | None:
    """The date the current marts describe (customer_segments and fct_customer_segments hold one:
    the as-of date of the latest build, ADR 0020), once the marts agree: that date is one of the
    dates segment_summary keeps. A PublishError naming them otherwise (a build stopped between two
    marts)."""
    current, facts, summary = (dates[mart] for mart in DATED_MARTS)
    problems = []
    for name, held in (("customer_segments", current), ("fct_customer_segments", facts)):
        if len(held) > 1:
            problems.append(f"{SCHEMA}.{name} holds {len(held)} dates")
    if current and facts and current != facts:
        problems.append(
            f"{SCHEMA}.customer_segments is as of {min(current)}, {SCHEMA}.fct_customer_segments of {min(facts)}"
        )
    missing = (current | facts) - summary
    if missing:
        listed = ", ".join(str(value) for value in sorted(missing))
        problems.append(f"{SCHEMA}.segment_summary lacks {listed}")
    if problems:
        raise PublishError(
            f"the marts of the build database hold different as-of dates ({'; '.join(problems)}): not published"
        )
    if current or facts:
        return min(current or facts)
    return max(summary) if summary else None


def _require_marts(connection: duckdb.DuckDBPyConnection, catalog: str) -> None:
    present = {
        name
        for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_catalog = ? and table_schema = ?",
            [catalog, SCHEMA],
        ).fetchall()
    }
    missing = [mart for mart in DATED_MARTS if mart not in present]
    if missing:
        raise PublishError(f"the build database has no {', '.join(SCHEMA + '.' + m for m in missing)}: run dbt build")


def _version_name(now: dt.datetime) -> str:
    return "v" + now.strftime("%Y%m%dT%H%M%S%fZ")


def versions(serving_dir: Path) -> list[Path]:
    """The published versions, oldest first."""
    folder = serving_dir / VERSIONS_DIR
    return sorted(folder.glob("v*.duckdb")) if folder.is_dir() else []


def current_version(serving_dir: Path) -> Path | None:
    """The version the serving file is (same inode), None before the first publish."""
    current = serving_file(serving_dir)
    if not current.exists():
        return None
    inode = current.stat().st_ino
    return next((path for path in versions(serving_dir) if path.stat().st_ino == inode), None)


def read_version(path: Path) -> Version:
    with duckdb.connect(str(path), read_only=True) as connection:
        name, as_of_date, tables = connection.execute(
            f"select version, as_of_date, table_rows from {SCHEMA}.{VERSION_TABLE}"
        ).fetchone()
    return Version(name, path, as_of_date, dict(tables))


def _point_serving_file_at(version: Path, serving_dir: Path) -> None:
    staged = serving_dir / f".{SERVING_FILE}.next"
    staged.unlink(missing_ok=True)
    os.link(version, staged)
    os.replace(staged, serving_file(serving_dir))


def publish(
    build_path: Path,
    serving_dir: Path,
    keep: int = 5,
    now: dt.datetime | None = None,
    duckdb_settings: dict[str, str] | None = None,
) -> Version:
    """Copy the marts of the build database into a new version and serve it (see the module).
    `duckdb_settings`: the build target's DuckDB settings (its memory_limit: a publish sorts each
    new date of the change log, 16M rows the first date at 1M customers, and must spill, not grow,
    as dbt does)."""
    if keep < 1:
        raise ValueError("keep at least one published version")
    if not build_path.is_file():
        raise PublishError(f"no build database at {build_path}: run dbt build first")
    restrict_build_database(build_path)
    moment = now or dt.datetime.now(dt.UTC)
    version = _new_version(build_path, serving_dir, moment, settings=_memory_limit(duckdb_settings))
    prune(serving_dir, keep, moment)
    return version


def _new_version(
    source: Path,
    serving_dir: Path,
    moment: dt.datetime,
    removed: dt.date | None = None,
    settings: dict[str, str] | None = None,
) -> Version:
    """Write a version from the marts of `source` (a build database or a version), without the
    rows of as-of date `removed` when given, with its manifest (the shared files it reads, so that
    pruning never opens the versions), and serve it."""
    folder = serving_dir / VERSIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = _version_name(moment)
    partial = folder / f".{name}.duckdb.partial"
    final = folder / f"{name}.duckdb"
    partial.unlink(missing_ok=True)
    try:
        as_of_date, rows, shared_files = _copy_marts(source, partial, name, moment, serving_dir, removed, settings)
        manifest = _manifest(final)
        manifest.unlink(missing_ok=True)
        manifest.write_text(json.dumps({"version": name, "shared_files": shared_files}, indent=1) + "\n")
        manifest.chmod(READABLE_FILE)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, final)
    final.chmod(READABLE_FILE)
    _point_serving_file_at(final, serving_dir)
    return Version(name, final, as_of_date, rows)


def _manifest(version: Path) -> Path:
    return version.with_suffix(MANIFEST_SUFFIX)


def _copy_marts(
    build_path: Path,
    partial: Path,
    name: str,
    moment: dt.datetime,
    serving_dir: Path,
    removed: dt.date | None = None,
    settings: dict[str, str] | None = None,
) -> tuple[dt.date | None, dict[str, int], list[str]]:
    """Write the marts of the build database (or of a published version) and the version row into
    `partial`; without the rows of as-of date `removed` when given (remove-date). The shared marts
    become views over their dates' files, the views of the marts views again (a table when one
    reads something else than marts)."""
    with duckdb.connect(str(partial), config=settings or {}) as connection:
        connection.execute(f"attach {_quoted(build_path.resolve())} as build (read_only)")
        _require_marts(connection, "build")
        relations = connection.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_catalog = 'build' and table_schema = ? and table_name != ? order by table_name",
            [SCHEMA, VERSION_TABLE],
        ).fetchall()
        connection.execute(f"create schema {SCHEMA}")
        shared_files: list[str] = []
        rows: dict[str, int] = {}
        views = []
        for table, kind in relations:
            if table in SHARED_MARTS:
                files, rows[table] = _share(connection, table, serving_dir, partial, removed)
                shared_files += files
            elif kind == "VIEW":
                views.append(table)
            else:
                kept = _without_date(connection, "build", table, removed)
                connection.execute(f'create table {SCHEMA}."{table}" as select * from build.{SCHEMA}."{table}"{kept}')
        for view in views:
            _copy_view(connection, view, removed)
        count = 'select count(*) from {}."{}"'
        for table, _ in relations:
            if table not in rows:
                rows[table] = connection.execute(count.format(SCHEMA, table)).fetchone()[0]
        rows = dict(sorted(rows.items()))
        as_of_date = _agreed_as_of_date(_dates(lambda sql: connection.execute(sql).fetchall(), SCHEMA))
        connection.execute(
            f"create table {SCHEMA}.{VERSION_TABLE} as select ? as version, cast(? as date) as as_of_date, "
            "cast(? as timestamp) as published_at, cast(? as map(varchar, bigint)) as table_rows, "
            "cast(? as varchar[]) as shared_files",
            [name, as_of_date, moment.replace(tzinfo=None), rows, shared_files],
        )
        connection.execute("detach build")
        connection.execute("checkpoint")
    return as_of_date, rows, shared_files


def _memory_limit(duckdb_settings: dict[str, str] | None) -> dict[str, str]:
    limit = (duckdb_settings or {}).get("memory_limit")
    return {"memory_limit": str(limit)} if limit else {}


def _share(
    connection: duckdb.DuckDBPyConnection, table: str, serving_dir: Path, partial: Path, removed: dt.date | None
) -> tuple[list[str], int]:
    """Write the dates of the change log `table` the shared folder lacks and make the version's
    view over its files; returns them and their rows. Without date `removed`: the log is folded (the later dates
    read the removed date's rows) in a scratch database beside the version, deleted after."""
    source = f'build.{SCHEMA}."{table}"'
    scratch = partial.with_name(partial.name + ".scratch")
    try:
        if removed is not None:
            scratch.unlink(missing_ok=True)
            connection.execute(f"attach {_quoted(scratch)} as scratch")
            connection.execute(f"create table scratch.main.folded as select * from {source}")
            summary_dates = f"select distinct as_of_date from build.{SCHEMA}.segment_summary"
            built = [day for (day,) in connection.execute(summary_dates).fetchall()]
            for statement in remove_date_statements("scratch.main.folded", removed, built):
                connection.execute(statement)
            source = "scratch.main.folded"
        files, rows = write_dates(connection, source, table, serving_dir)
        if files:
            connection.execute(f'create view {SCHEMA}."{table}" as {view_sql(serving_dir, files)}')
        else:
            connection.execute(f'create table {SCHEMA}."{table}" as select * from {source} limit 0')
    finally:
        if removed is not None:
            connection.execute("detach database if exists scratch")
            scratch.unlink(missing_ok=True)
            scratch.with_name(scratch.name + ".wal").unlink(missing_ok=True)
    return files, rows


def _copy_view(connection: duckdb.DuckDBPyConnection, view: str, removed: dt.date | None) -> None:
    """The view `view` of the marts in the version as the build defines it, when it reads only
    marts (DuckDB keeps its SQL with names relative to its catalog); a copy of its rows otherwise."""
    (definition,) = connection.execute(
        "select sql from duckdb_views() where database_name = 'build' and schema_name = ? and view_name = ?",
        [SCHEMA, view],
    ).fetchone()
    try:
        connection.execute(definition)
    except duckdb.Error:
        kept = _without_date(connection, "build", view, removed)
        connection.execute(f'create table {SCHEMA}."{view}" as select * from build.{SCHEMA}."{view}"{kept}')


# the columns naming an as-of date a row belongs to (segment_migrations: both ends of its pair)
DATE_COLUMNS = ("as_of_date", "previous_as_of_date")


def _without_date(connection: duckdb.DuckDBPyConnection, catalog: str, table: str, removed: dt.date | None) -> str:
    """A where clause leaving out the rows of as-of date `removed` ('' when None or undated)."""
    if removed is None:
        return ""
    columns = [
        column
        for (column,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [catalog, SCHEMA, table],
        ).fetchall()
        if column in DATE_COLUMNS
    ]
    if not columns:
        return ""
    return " where " + " and ".join(f"{column} is distinct from date '{removed.isoformat()}'" for column in columns)


def version_dates(path: Path) -> set[dt.date]:
    """The as-of dates a published version holds (segment_summary has every built date)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        rows = connection.execute(f"select distinct as_of_date from {SCHEMA}.segment_summary").fetchall()
    return {value for (value,) in rows if value is not None}


def publish_without_date(
    serving_dir: Path,
    removed: dt.date,
    keep: int = 5,
    now: dt.datetime | None = None,
    duckdb_settings: dict[str, str] | None = None,
) -> tuple[Version | None, list[Path]]:
    """Publish a copy of the served version without the rows of as-of date `removed`, serve it,
    and delete the kept versions that hold that date (a rollback must not bring it back; a reader
    still connected to one keeps reading it). Returns (the new version or None when the served
    version does not hold the date, the versions deleted). The caller holds the refresh lock."""
    served = current_version(serving_dir)
    holding = [path for path in versions(serving_dir) if removed in version_dates(path)]
    new = None
    if served is not None and served in holding:
        moment = now or dt.datetime.now(dt.UTC)
        new = _new_version(served, serving_dir, moment, removed, _memory_limit(duckdb_settings))
    for path in holding:
        path.unlink(missing_ok=True)
        _manifest(path).unlink(missing_ok=True)
    # the files of the removed date go with the versions that held it, not a day later
    prune(serving_dir, keep, now or dt.datetime.now(dt.UTC), at_once=True)
    return new, holding


def prune(serving_dir: Path, keep: int, now: dt.datetime | None = None, at_once: bool = False) -> list[Path]:
    """Delete the versions older than the `keep` newest, never the one being served, and
    leftovers of publishes that were stopped, then the shared files no version kept names (a day
    after, or `at_once`); returns what was deleted. A reader still connected to a deleted version
    keeps reading it (the file lives until it is closed, its shared files a day)."""
    serving = current_version(serving_dir)
    deleted = [path for path in versions(serving_dir)[:-keep] if path != serving]
    deleted += [path for path in (serving_dir / VERSIONS_DIR).glob(".v*.duckdb.partial*")]
    for path in deleted:
        path.unlink(missing_ok=True)
    kept = versions(serving_dir)
    # manifests of versions no longer there (deleted above, or a publish stopped before its rename)
    for manifest in sorted((serving_dir / VERSIONS_DIR).glob(f"v*{MANIFEST_SUFFIX}")):
        if manifest.with_suffix(".duckdb") not in kept:
            manifest.unlink(missing_ok=True)
    referenced = set()
    for path in kept:
        referenced |= set(_shared_files(path))
    return deleted + prune_shared(serving_dir, referenced, now or dt.datetime.now(dt.UTC), at_once)


def _shared_files(path: Path) -> list[str]:
    """The shared files a version reads: its manifest, or its serving_version row for a version
    published before manifests (none before shared files existed)."""
    manifest = _manifest(path)
    if manifest.is_file():
        return list(json.loads(manifest.read_text())["shared_files"])
    with duckdb.connect(str(path), read_only=True) as connection:
        columns = {
            column
            for (column,) in connection.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [SCHEMA, VERSION_TABLE],
            ).fetchall()
        }
        if "shared_files" not in columns:
            return []
        (files,) = connection.execute(f"select shared_files from {SCHEMA}.{VERSION_TABLE}").fetchone()
    return list(files or [])


def rollback(serving_dir: Path) -> Version:
    """Serve the version published before the current one (the newer one stays on disk, so that a
    later publish or rollback can move on)."""
    current = current_version(serving_dir)
    if current is None:
        raise PublishError(f"nothing is published in {serving_dir}")
    older = [path for path in versions(serving_dir) if path.name < current.name]
    if not older:
        raise PublishError(f"{current.name} is the oldest version kept in {serving_dir}: nothing to roll back to")
    _point_serving_file_at(older[-1], serving_dir)
    return read_version(older[-1])


# PostgreSQL: each version is a schema serving_v<stamp> holding copies of the marts; the schema
# `serving` holds one view per mart over the served version, replaced in one transaction. The BI
# role (SEGMENTATION_BI_ROLE) may read `serving` only: views run with their owner's rights, so it
# needs nothing on the version schemas, and every build revokes what it may hold elsewhere.
PG_SERVING_SCHEMA = "serving"
PG_VERSION_PREFIX = "serving_v"
PG_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _pg_versions(cursor) -> list[str]:
    cursor.execute("select nspname from pg_namespace where nspname like %s order by nspname", [PG_VERSION_PREFIX + "%"])
    return [name for (name,) in cursor.fetchall()]


def _pg_current(cursor) -> str | None:
    cursor.execute("select 1 from pg_views where schemaname = %s and viewname = %s", [PG_SERVING_SCHEMA, VERSION_TABLE])
    if not cursor.fetchall():
        return None
    cursor.execute(f"select version from {PG_SERVING_SCHEMA}.{VERSION_TABLE}")
    return PG_VERSION_PREFIX + cursor.fetchone()[0].removeprefix("v").lower()


def _pg_serve(connection, schema: str, bi_role: str | None) -> None:
    """Point every view of `serving` at `schema`, in one transaction (readers see one or the other)."""
    connection.autocommit = False
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"create schema if not exists {PG_SERVING_SCHEMA}")
            cursor.execute("select viewname from pg_views where schemaname = %s", [PG_SERVING_SCHEMA])
            for (view,) in cursor.fetchall():
                cursor.execute(f'drop view {PG_SERVING_SCHEMA}."{view}"')
            cursor.execute("select tablename from pg_tables where schemaname = %s order by tablename", [schema])
            for (table,) in cursor.fetchall():
                cursor.execute(f'create view {PG_SERVING_SCHEMA}."{table}" as select * from {schema}."{table}"')
            if bi_role:
                cursor.execute(f"grant usage on schema {PG_SERVING_SCHEMA} to {bi_role}")
                cursor.execute(f"grant select on all tables in schema {PG_SERVING_SCHEMA} to {bi_role}")
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.autocommit = True


def _bi_role() -> str | None:
    role = os.environ.get("SEGMENTATION_BI_ROLE", "").strip()
    if role and not PG_ROLE.fullmatch(role):
        raise PublishError(f"SEGMENTATION_BI_ROLE must be a plain role name (a-z, 0-9, _), got {role!r}")
    return role or None


def publish_postgres(connection, keep: int = 5, now: dt.datetime | None = None) -> Version:
    """The PostgreSQL publish (see above); `connection` is a psycopg2 connection of the build owner."""
    if keep < 1:
        raise ValueError("keep at least one published version")
    bi_role = _bi_role()
    moment = now or dt.datetime.now(dt.UTC)
    name = _version_name(moment)
    schema = PG_VERSION_PREFIX + name.removeprefix("v").lower()
    connection.autocommit = False
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select table_name from information_schema.tables where table_schema = %s order by table_name",
                [SCHEMA],
            )
            tables = [table for (table,) in cursor.fetchall()]
            missing = [mart for mart in DATED_MARTS if mart not in tables]
            if missing:
                raise PublishError(f"the build has no {', '.join(SCHEMA + '.' + m for m in missing)}: run dbt build")

            def query(sql: str) -> list[tuple]:
                cursor.execute(sql)
                return cursor.fetchall()

            as_of_date = _agreed_as_of_date(_dates(query, SCHEMA))
            cursor.execute(f"create schema {schema}")
            rows = {}
            for table in tables:
                cursor.execute(f'create table {schema}."{table}" as select * from {SCHEMA}."{table}"')
                rows[table] = cursor.rowcount
            cursor.execute(
                f"create table {schema}.{VERSION_TABLE} as select %s::text as version, %s::date as as_of_date, "
                "%s::timestamp as published_at, %s::jsonb as table_rows",
                [name, as_of_date, moment.replace(tzinfo=None), json.dumps(rows)],
            )
        connection.commit()  # the new version exists whole before anything points at it
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.autocommit = True
    _pg_serve(connection, schema, bi_role)
    with connection.cursor() as cursor:
        for old in _pg_versions(cursor)[:-keep]:
            if old != schema:
                cursor.execute(f"drop schema {old} cascade")
    return Version(name, Path(schema), as_of_date, rows)


def rollback_postgres(connection) -> Version:
    with connection.cursor() as cursor:
        current = _pg_current(cursor)
        if current is None:
            raise PublishError("nothing is published in the serving schema")
        older = [schema for schema in _pg_versions(cursor) if schema < current]
    if not older:
        raise PublishError(f"{current} is the oldest version kept: nothing to roll back to")
    _pg_serve(connection, older[-1], _bi_role())
    with connection.cursor() as cursor:
        cursor.execute(f"select version, as_of_date, table_rows from {PG_SERVING_SCHEMA}.{VERSION_TABLE}")
        name, as_of_date, rows = cursor.fetchone()
    return Version(name, Path(older[-1]), as_of_date, dict(rows))
