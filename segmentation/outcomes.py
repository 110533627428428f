"""Outputs only from a good build (docs/decisions/0020).

Every dbt invocation that runs nodes records in `quarantine.run_outcomes` that it started (an
on-run-start hook) and how it ended (on-run-end: success or failed, failed nodes, models run,
whether every model was rebuilt); `python -m segmentation check` records its outcome there too.
`export`, `report`, `summary` and `publish` call `require_good_build` and refuse a build database:

- whose last failed (or unfinished: killed, still running) dbt invocation that touched the
  warehouse is not followed by a successful whole build (every model rebuilt): a later partial
  run (`dbt build --select x`) does not hide it;
- whose last data-quality check failed (until a check passes again);
- that holds no record of a successful whole build.

A published serving version never needs the guard: refresh publishes only after the build and
the checks passed, and the serving file holds the marts only (`--serving` reads it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from segmentation.targets import Target, connect

TABLE = "quarantine.run_outcomes"
COLUMNS = (
    "invocation_id",
    "command",
    "as_of_date",
    "started_at",
    "recorded_at",
    "status",
    "failed_count",
    "models_run",
    "models_rebuilt",
    "detail",
)
# the same table the dbt hooks create (macros/engines/record_run_outcome.sql)
DDL = (
    f"create table if not exists {TABLE} (invocation_id varchar, command varchar, as_of_date date, "
    "started_at timestamp, recorded_at timestamp, status varchar, failed_count bigint, models_run bigint, "
    "models_rebuilt boolean, detail varchar)"
)
SERVING_HINT = "read the published version with --serving"


class NotAGoodBuild(Exception):
    """The build database's last build or check failed; the message says which and what to do."""


@dataclass(frozen=True)
class Outcome:
    invocation_id: str
    command: str
    as_of_date: str | None
    started_at: dt.datetime
    recorded_at: dt.datetime
    status: str
    failed_count: int
    models_run: int
    models_rebuilt: bool
    detail: str

    @property
    def touched_the_warehouse(self) -> bool:
        """A failure that ran no node (a refused as-of date, an unreadable raw file) changed nothing."""
        return self.failed_count > 0 or self.models_run > 0


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def _tables(warehouse, schema: str) -> set[str]:
    if warehouse.target.type == "spark":
        return {str(row[1]) for row in warehouse.query(f"show tables in {schema}")}
    rows = warehouse.query(f"select table_name from information_schema.tables where table_schema = '{schema}'")
    return {str(name) for (name,) in rows}


def is_published_version(warehouse) -> bool:
    """A serving version (marts.serving_version), not a build database."""
    return "serving_version" in _tables(warehouse, "marts")


def read_outcomes(warehouse) -> list[Outcome]:
    """The recorded runs and checks, oldest first (none before the first recorded run)."""
    if "run_outcomes" not in _tables(warehouse, "quarantine"):
        return []
    rows = warehouse.query(f"select {', '.join(COLUMNS[:2])}, as_of_date, {', '.join(COLUMNS[3:])} from {TABLE}")
    outcomes = [
        Outcome(
            str(row[0]),
            str(row[1]),
            None if row[2] is None else str(row[2])[:10],
            row[3],
            row[4],
            str(row[5]),
            int(row[6] or 0),
            int(row[7] or 0),
            bool(row[8]),
            str(row[9] or ""),
        )
        for row in rows
    ]
    return sorted(outcomes, key=lambda outcome: outcome.recorded_at)


def verdict(outcomes: list[Outcome]) -> str | None:
    """None when the marts come from a good build; otherwise why not (the message to print)."""
    runs = [outcome for outcome in outcomes if outcome.command != "check"]
    ended = {outcome.invocation_id for outcome in runs if outcome.status != "started"}
    unfinished = [o for o in runs if o.status == "started" and o.invocation_id not in ended]
    failed = [o for o in runs if o.status == "failed" and o.touched_the_warehouse]
    rebuilt = [o for o in runs if o.status == "success" and o.models_rebuilt]
    last_rebuild = rebuilt[-1] if rebuilt else None
    bad = sorted(unfinished + failed, key=lambda outcome: outcome.recorded_at)
    if bad and (last_rebuild is None or last_rebuild.recorded_at <= bad[-1].recorded_at):
        last = bad[-1]
        if last.status == "started":
            return (
                f"the last dbt {last.command} (invocation {last.invocation_id}, started at {_stamp(last.started_at)}, "
                f"as of {last.as_of_date}) did not finish (stopped, or still running): its marts may be half "
                f"rebuilt; run it again or {SERVING_HINT}"
            )
        if last.command == "remove-date":
            return (
                f"remove-date removed {last.as_of_date}, the date the current marts described (at "
                f"{_stamp(last.recorded_at)}): build a date again or {SERVING_HINT}"
            )
        nodes = f"{last.failed_count} node{'s' if last.failed_count != 1 else ''}"
        named = f" ({last.detail})" if last.detail else ""
        return (
            f"the last dbt {last.command} (invocation {last.invocation_id}, at {_stamp(last.recorded_at)}, as of "
            f"{last.as_of_date}) failed: {nodes}{named}; run it again or {SERVING_HINT}"
        )
    if last_rebuild is None:
        return (
            f"{TABLE} records no successful dbt build of every model (a build database built before "
            f"outcomes were recorded, or never fully built): run dbt build again or {SERVING_HINT}"
        )
    checks = [outcome for outcome in outcomes if outcome.command == "check"]
    if checks and checks[-1].status != "success":
        last = checks[-1]
        errors = f"{last.failed_count} error{'s' if last.failed_count != 1 else ''}"
        named = f" ({last.detail})" if last.detail else ""
        return (
            f"the last data-quality check (run {last.invocation_id}, at {_stamp(last.recorded_at)}) failed: "
            f"{errors}{named}; fix the data, build and run python -m segmentation check again, or {SERVING_HINT}"
        )
    return None


def unchecked_note(outcomes: list[Outcome]) -> str | None:
    """A note when no check ran since the last run that changed the marts (allowed, said)."""
    touched = [o for o in outcomes if o.command != "check" and o.status == "success" and o.models_run > 0]
    checks = [o for o in outcomes if o.command == "check"]
    if touched and (not checks or checks[-1].recorded_at < touched[-1].recorded_at):
        return (
            f"note: no data-quality check since the last dbt {touched[-1].command} (at "
            f"{_stamp(touched[-1].recorded_at)}); run python -m segmentation check"
        )
    return None


def require_good_build(warehouse, hint: str = SERVING_HINT) -> str | None:
    """Raise NotAGoodBuild unless the warehouse's marts come from a good build (or it is a
    published version); returns a note to show (not checked since the build) or None. `hint`
    replaces the advice to read the published version where that cannot serve (CRM export)."""
    if is_published_version(warehouse):
        return None
    outcomes = read_outcomes(warehouse)
    problem = verdict(outcomes)
    if problem:
        raise NotAGoodBuild(f"refused: {problem.replace(SERVING_HINT, hint)}")
    return unchecked_note(outcomes)


def check_target(target: Target, hint: str = SERVING_HINT) -> str | None:
    """require_good_build on a target's warehouse."""
    with connect(target) as warehouse:
        return require_good_build(warehouse, hint)


def record(warehouse, outcome: Outcome) -> None:
    """Append one outcome (DuckDB and PostgreSQL: the check and remove-date; dbt writes its own)."""
    warehouse.execute("create schema if not exists quarantine")
    warehouse.execute(DDL)
    values = [
        outcome.invocation_id,
        outcome.command,
        outcome.as_of_date,
        outcome.started_at,
        outcome.recorded_at,
        outcome.status,
        outcome.failed_count,
        outcome.models_run,
        outcome.models_rebuilt,
        outcome.detail,
    ]
    literals = ", ".join(_literal(value) for value in values)
    warehouse.execute(f"insert into {TABLE} ({', '.join(COLUMNS)}) values ({literals})")


def _literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"cast('{value.strftime('%Y-%m-%d %H:%M:%S.%f')}' as timestamp)"
    return "'" + str(value).replace("'", "''") + "'"


def now() -> dt.datetime:
    """UTC without a time zone, as the dbt hooks write it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def record_check(target: Target, run_id: str, started_at: dt.datetime, errors: list[str]) -> None:
    """Record a `python -m segmentation check` outcome in the build database."""
    outcome = Outcome(
        run_id,
        "check",
        None,
        started_at,
        now(),
        "failed" if errors else "success",
        len(errors),
        0,
        False,
        ", ".join(errors[:5]),
    )
    with connect(target, read_only=False) as warehouse:
        record(warehouse, outcome)


def current_as_of_date(warehouse) -> str | None:
    """The date the current marts describe: that of marts.customer_segments (the as-of date of the
    latest build), else the latest date of marts.segment_summary (an empty build)."""
    for sql in (
        "select max(as_of_date) from marts.customer_segments",
        "select max(as_of_date) from marts.segment_summary",
    ):
        rows = warehouse.query(sql)
        if rows and rows[0][0] is not None:
            return str(rows[0][0])[:10]
    return None
