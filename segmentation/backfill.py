"""`python -m segmentation backfill`: build a series of past as-of dates, oldest first, so that
the marts kept per as-of date (fct_segment_changes, segment_summary, segment_migrations, ...) hold a history.

- The first date of a run is a whole `dbt build`; the next ones leave out what does not depend on
  the as-of date (seeds, staging, quarantine, identity and order models): the raw files are parsed
  once per backfill, not once per date.
- Resumable: a date is recorded in the state file once its build passed, and a later backfill
  skips the dates recorded for the same warehouse that its fact still holds (--redo builds them
  again). A failed date stops the backfill; the next run starts from it.
- When the current marts described a later date than the backfill's last, that date is built
  again at the end, so that the marts describing one date (dim_customers, customer_segments...)
  describe it again.
- One progress line per date on stderr; dbt's output goes to one log file per date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from segmentation.contract import PROJECT_ROOT
from segmentation.outcomes import current_as_of_date
from segmentation.refresh import dbt_env
from segmentation.targets import Target, connect, load_target

STEPS = ("day", "week", "month")
# Scheduled builds leave out unit tests and ci_only tests (ADR 0014); so does a backfill.
BUILD_EXCLUSIONS = ("--exclude-resource-type", "unit_test")
ALWAYS_EXCLUDED = ("tag:ci_only",)
# What does not read the as-of date: built by the first date of a backfill, reused by the others.
AS_OF_INDEPENDENT = (
    "resource_type:seed",
    "path:models/staging",
    "path:models/quarantine",
    "path:models/intermediate/customers",
    "path:models/intermediate/orders",
)
BAR_WIDTH = 20


@dataclass(frozen=True)
class BackfillSettings:
    start: dt.date
    end: dt.date
    every: str
    raw_dir: Path
    build_database: Path
    target: str
    log_dir: Path
    state_file: Path
    redo: bool = False


def backfill_dates(start: dt.date, end: dt.date, every: str) -> list[dt.date]:
    """start, then every day, week or month after it, up to end included. Monthly steps keep the
    day of the month (the 31st becomes the last day of shorter months); from a month's last day
    they stay on month ends."""
    if every not in STEPS:
        raise ValueError(f"--every must be one of {', '.join(STEPS)}, got {every!r}")
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    dates: list[dt.date] = []
    month_end = start.day == calendar.monthrange(start.year, start.month)[1]
    step = 0
    while True:
        if every == "day":
            date = start + dt.timedelta(days=step)
        elif every == "week":
            date = start + dt.timedelta(weeks=step)
        else:
            months = start.month - 1 + step
            year, month = start.year + months // 12, months % 12 + 1
            last_day = calendar.monthrange(year, month)[1]
            date = dt.date(year, month, last_day if month_end else min(start.day, last_day))
        if date > end:
            return dates
        dates.append(date)
        step += 1


def warehouse_identity(target: Target) -> str:
    """What the state file is valid for: the target and its database."""
    settings = target.settings
    if target.type == "duckdb":
        return f"duckdb:{Path(settings['path']).resolve()}"
    return f"{target.type}:{settings.get('host', '')}:{settings.get('port', '')}/{settings.get('dbname', '')}"


def read_state(path: Path, identity: str) -> set[str]:
    if not path.is_file():
        return set()
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return set()
    if state.get("warehouse") != identity:
        return set()
    return set(state.get("built_dates", []))


def write_state(path: Path, identity: str, built: set[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(json.dumps({"warehouse": identity, "built_dates": sorted(built)}, indent=1) + "\n")
    scratch.replace(path)


def dates_in_fact(target: Target) -> set[str]:
    """The as-of dates built into the history (segment_summary has every one; none before a first build)."""
    try:
        with connect(target) as warehouse:
            rows = warehouse.query("select distinct as_of_date from marts.segment_summary")
    except Exception:
        return set()
    return {str(value)[:10] for (value,) in rows}


def current_date(target: Target) -> str | None:
    """The date the current marts describe (none before a first build)."""
    try:
        with connect(target) as warehouse:
            return current_as_of_date(warehouse)
    except Exception:
        return None


def progress_line(done: int, total: int, date: dt.date, seconds: float, elapsed: float) -> str:
    filled = round(BAR_WIDTH * done / total)
    left = (total - done) * elapsed / max(done, 1)
    return f"backfill [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total} {date} built in {seconds:.1f}s" + (
        f", about {_duration(left)} left" if done < total else ""
    )


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def build_command(target_name: str, reuse_staging: bool) -> list[str]:
    excluded = [*ALWAYS_EXCLUDED, *(AS_OF_INDEPENDENT if reuse_staging else ())]
    return [
        str(Path(sys.executable).parent / "dbt"),
        "build",
        "--target",
        target_name,
        *BUILD_EXCLUSIONS,
        "--exclude",
        *excluded,
    ]


def backfill(settings: BackfillSettings) -> int:
    """0 when every date is built (or was); 1 when a build failed; 2 on a usage error."""
    try:
        dates = backfill_dates(settings.start, settings.end, settings.every)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    env = dbt_env(settings.target, settings.raw_dir, settings.build_database)
    with mock.patch.dict(os.environ, {key: env[key] for key in ("SEGMENTATION_TARGET", "SEGMENTATION_DUCKDB")}):
        target = load_target(settings.target)
    if target.type not in ("duckdb", "postgres"):
        print(f"backfill builds on DuckDB and PostgreSQL, not {target.type}", file=sys.stderr)
        return 2
    identity = warehouse_identity(target)
    current = current_date(target)
    built = read_state(settings.state_file, identity) & dates_in_fact(target)
    todo = [date for date in dates if settings.redo or date.isoformat() not in built]
    print(
        f"backfill {len(dates)} dates from {dates[0]} to {dates[-1]} every {settings.every}: "
        f"{len(dates) - len(todo)} already built, {len(todo)} to build; logs in {settings.log_dir}",
        file=sys.stderr,
        flush=True,
    )
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    if target.type == "postgres" and todo:
        load = [sys.executable, "-m", "segmentation", "load-raw", "--target", settings.target]
        load += ["--raw-dir", str(settings.raw_dir)]
        if not _run(load, env, settings.log_dir / "load_raw.log"):
            print(f"backfill failed: raw files not loaded (log {settings.log_dir / 'load_raw.log'})", file=sys.stderr)
            return 1
    started = time.perf_counter()
    for done, date in enumerate(todo, start=1):
        log_file = settings.log_dir / f"build-{date}.log"
        date_started = time.perf_counter()
        command = build_command(settings.target, reuse_staging=done > 1)
        if not _run(command, {**env, "SEGMENTATION_AS_OF_DATE": date.isoformat()}, log_file):
            print(
                f"backfill failed on {date} (log {log_file}); the next backfill starts from it",
                file=sys.stderr,
                flush=True,
            )
            return 1
        built.add(date.isoformat())
        write_state(settings.state_file, identity, built)
        seconds = time.perf_counter() - date_started
        print(progress_line(done, len(todo), date, seconds, time.perf_counter() - started), file=sys.stderr, flush=True)
    latest = current or ""
    if todo and latest > todo[-1].isoformat():
        # the marts that describe one date (dim_customers, customer_segments, ...) go back to the
        # date they described before the backfill (the latest build's, not the latest date held,
        # ADR 0020), so that BI does not read a backfilled past
        log_file = settings.log_dir / f"build-{latest}-latest.log"
        if not _run(
            build_command(settings.target, reuse_staging=True), {**env, "SEGMENTATION_AS_OF_DATE": latest}, log_file
        ):
            print(f"backfill failed rebuilding the latest date {latest} (log {log_file})", file=sys.stderr, flush=True)
            return 1
        print(f"backfill rebuilt the latest date {latest} for the current marts", file=sys.stderr, flush=True)
    print(f"backfill done in {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    return 0


def _run(command: list[str], env: dict[str, str], log_file: Path) -> bool:
    with open(log_file, "w", encoding="utf-8") as output:
        result = subprocess.run(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, check=False
        )
    return result.returncode == 0
