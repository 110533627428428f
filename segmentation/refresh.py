"""`python -m segmentation refresh`: what a scheduler calls. Lock, build, check, publish, in that
order; the serving file changes only when every step before the publish passed (docs/decisions/0013).

Exit codes: 0 published; 1 the build failed (a model or an error-severity test); 2 usage or
configuration error; 3 a data-quality check failed (source freshness or Great Expectations);
4 another refresh holds the lock; 5 the publish failed. One log line per step on stderr; the
output of dbt and of the checks goes to files named in those lines.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from segmentation.contract import PROJECT_ROOT
from segmentation.serving import PublishError, publish, publish_postgres, restrict_build_database
from segmentation.targets import connect, load_target

LOCK_FILE = ".refresh.lock"
EXIT_OK, EXIT_BUILD, EXIT_USAGE, EXIT_CHECKS, EXIT_LOCKED, EXIT_PUBLISH = 0, 1, 2, 3, 4, 5
# What a scheduled refresh leaves out of `dbt build`: unit tests and the ci_only tests (ADR 0014).
REFRESH_EXCLUSIONS = ("--exclude-resource-type", "unit_test", "--exclude", "tag:ci_only")
PR_SET_PDEATHSIG = 1


try:
    from psycopg2 import DatabaseError
except ImportError:  # pragma: no cover (psycopg2 comes with dbt-postgres)

    class DatabaseError(Exception):
        pass


class Locked(Exception):
    """Another refresh holds the lock."""


@dataclass(frozen=True)
class RefreshSettings:
    raw_dir: Path
    build_database: Path
    serving_dir: Path
    keep: int
    wait_seconds: float
    log_dir: Path
    as_of_date: str  # empty: dbt uses the run date
    target: str = "dev"  # profiles.yml target: DuckDB (dev) or PostgreSQL


def dbt_env(target: str, raw_dir: Path, build_database: Path) -> dict[str, str]:
    """The environment of a dbt run on a target, raw folder and build database, telemetry off."""
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(PROJECT_ROOT)),
        "SEGMENTATION_TARGET": target,
        "SEGMENTATION_RAW_DIR": str(raw_dir.resolve()),
        "SEGMENTATION_DUCKDB": str(build_database.resolve()),
    }


def log(step: str, status: str, detail: str = "") -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{stamp} refresh {step} {status}{' ' + detail if detail else ''}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def refresh_lock(serving_dir: Path, wait_seconds: float) -> Iterator[None]:
    """An exclusive lock on <serving dir>/.refresh.lock, released when the process ends however it
    ends (a kill -9 included): the next refresh never finds a stale lock."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    path = serving_dir / LOCK_FILE
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise Locked(f"another refresh holds {path} ({holder})") from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _die_with_parent() -> None:
    """Run in the child before exec: if the refresh is killed, its dbt goes with it (Linux), so a
    killed refresh leaves no build running behind the next one's back."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _run(step: str, command: list[str], env: dict[str, str], log_dir: Path) -> bool:
    log_file = log_dir / f"{step}.log"
    started = time.perf_counter()
    with open(log_file, "w", encoding="utf-8") as output:
        result = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            check=False,
        )
    status = "ok" if result.returncode == 0 else f"failed (exit {result.returncode})"
    detail = f"{time.perf_counter() - started:.1f}s log {log_file}"
    if result.returncode != 0:
        detail += "".join(f"; {line}" for line in _failures(log_file))
    log(step, status, detail)
    return result.returncode == 0


def _failures(log_file: Path, most: int = 5) -> list[str]:
    """The first failing nodes dbt or the checks name in their output (what to look at first)."""
    text = log_file.read_text(encoding="utf-8", errors="replace")
    found = re.findall(r"((?:Failure|Error) in (?:test|model|seed|snapshot|operation) [^\s]+)", text)
    # what a run-start hook refused (an extract that cannot be read, an as-of date without data)
    for message in re.findall(r"Error in operation \S+[^\n]*\n(.*?)\n\s*> in macro", text, flags=re.DOTALL):
        found.append(" ".join(line.strip() for line in message.splitlines() if line.strip()))
    found += re.findall(r"^(ERROR \S+: [^:]+)", text, flags=re.MULTILINE)  # Great Expectations
    return list(dict.fromkeys(found))[:most]


def refresh(settings: RefreshSettings) -> int:
    """Run the refresh; returns the exit code (see the module)."""
    started = time.perf_counter()
    try:
        with refresh_lock(settings.serving_dir, settings.wait_seconds):
            log("lock", "ok", str(settings.serving_dir / LOCK_FILE))
            return _locked_refresh(settings, started)
    except Locked as error:
        log("lock", "busy", f"{error}; try again later or pass --wait SECONDS")
        return EXIT_LOCKED


def _locked_refresh(settings: RefreshSettings, started: float) -> int:
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    # the build database and the logs are created for the owner only (personal data)
    os.umask(0o077)
    bin_dir = Path(sys.executable).parent
    env = {
        **dbt_env(settings.target, settings.raw_dir, settings.build_database),
        "SEGMENTATION_AS_OF_DATE": settings.as_of_date,
    }
    log("as_of_date", "ok", settings.as_of_date or "(the run date)")
    target = load_target(settings.target)
    if target.type not in ("duckdb", "postgres"):
        log("refresh", "failed", f"refresh publishes on DuckDB and PostgreSQL, not {target.type}")
        return EXIT_USAGE
    cli = [sys.executable, "-m", "segmentation"]
    if target.type == "postgres" and not _run(
        "load_raw",
        [*cli, "load-raw", "--target", settings.target, "--raw-dir", str(settings.raw_dir)],
        env,
        settings.log_dir,
    ):
        log("refresh", "failed", "the raw files could not be loaded: nothing published")
        return EXIT_BUILD
    dbt = [str(bin_dir / "dbt")]
    # unit tests check the code, not the data, and tests tagged ci_only restate what a model
    # guarantees by construction: `make test` runs both, a scheduled refresh neither (ADR 0014)
    build = [*dbt, "build", "--target", settings.target, *REFRESH_EXCLUSIONS]
    if not _run("build", build, env, settings.log_dir):
        restrict_build_database(settings.build_database)
        log("refresh", "failed", "the build failed: nothing published")
        return EXIT_BUILD
    restrict_build_database(settings.build_database)
    if not _run("freshness", [*dbt, "source", "freshness", "--target", settings.target], env, settings.log_dir):
        log("refresh", "failed", "a source is stale beyond freshness_error_after_days: nothing published")
        return EXIT_CHECKS
    check = [
        *cli,
        "check",
        "--target",
        settings.target,
        "--warehouse",
        str(settings.build_database),
        "--raw-dir",
        str(settings.raw_dir),
        "--docs-dir",
        str(settings.log_dir / "data_quality"),
        # where the change is: the raw rows the build re-parsed (the full check: make build, CI)
        "--changed-only",
    ]
    if not _run("checks", check, env, settings.log_dir):
        log("refresh", "failed", "a data-quality check of error severity failed: nothing published")
        return EXIT_CHECKS
    publish_started = time.perf_counter()
    try:
        if target.type == "postgres":
            with connect(target, read_only=False) as warehouse:
                version = publish_postgres(warehouse.connection, settings.keep)
            served = f"schema serving of {target.name}"
        else:
            version = publish(
                settings.build_database,
                settings.serving_dir,
                settings.keep,
                duckdb_settings=target.settings.get("settings"),
            )
            served = str(settings.serving_dir / "segmentation.duckdb")
    except (PublishError, OSError, DatabaseError) as error:
        log("publish", "failed", str(error))
        return EXIT_PUBLISH
    published = time.perf_counter() - publish_started
    log(
        "publish",
        "ok",
        f"{published:.1f}s {version.name} as of {version.as_of_date} -> {served}",
    )
    total = time.perf_counter() - started
    log("refresh", "ok", f"{total:.1f}s, publish {published / total:.1%} of it")
    return EXIT_OK
