"""A Dagster job that runs `python -m segmentation refresh` once a day.

Dagster lives in its own virtualenv (see README.md beside this file): the refresh runs as a subprocess with the
project's own .venv, so the two dependency sets never meet.

    SEGMENTATION_PROJECT_DIR=/path/to/project dagster job execute -f docs/orchestration/dagster_refresh.py -j refresh
"""

import os
import subprocess
from collections import deque
from pathlib import Path

from dagster import (
    Config,
    Definitions,
    Failure,
    MetadataValue,
    OpExecutionContext,
    RetryRequested,
    ScheduleDefinition,
    job,
    op,
)
from pydantic import Field

PROJECT_DIR = Path(os.environ.get("SEGMENTATION_PROJECT_DIR", Path(__file__).resolve().parents[2]))

EXIT_MEANINGS = {
    1: "the build failed (a model or an error-severity test)",
    2: "usage or configuration error",
    3: "a data-quality check failed (source freshness or Great Expectations)",
    4: "another refresh holds the lock",
    5: "the publish failed",
}
EXIT_LOCKED = 4


class RefreshConfig(Config):
    # Dagster retries a locked refresh itself instead of `--wait`, so no worker sits idle on the lock.
    max_retries: int = 3
    retry_delay_seconds: int = 300
    extra_args: list[str] = Field(default_factory=list)  # e.g. ["--keep", "10", "--log-dir", "/var/log/segmentation"]


@op
def segmentation_refresh(context: OpExecutionContext, config: RefreshConfig) -> None:
    command = [str(PROJECT_DIR / ".venv" / "bin" / "python"), "-m", "segmentation", "refresh", *config.extra_args]
    context.log.info(f"running {' '.join(command)} in {PROJECT_DIR}")
    env = {**os.environ, "DO_NOT_TRACK": "1"}
    tail: deque[str] = deque(maxlen=20)
    # refresh writes one line per step on stderr (dbt's own output goes to files): relay them as they come.
    with subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for raw_line in process.stdout:
            line = raw_line.rstrip()
            tail.append(line)
            context.log.info(line)
    code = process.returncode
    if code == 0:
        return
    meaning = EXIT_MEANINGS.get(code, "unexpected exit code")
    if code == EXIT_LOCKED and context.retry_number < config.max_retries:
        context.log.warning(f"refresh exit {code}: {meaning}; retrying in {config.retry_delay_seconds}s")
        raise RetryRequested(max_retries=config.max_retries, seconds_to_wait=config.retry_delay_seconds)
    tries = f" (after {context.retry_number + 1} tries)" if code == EXIT_LOCKED else ""
    raise Failure(
        description=f"refresh exit {code}: {meaning}{tries}",
        metadata={"exit_code": code, "last_lines": MetadataValue.text("\n".join(tail))},
    )


@job
def refresh() -> None:
    segmentation_refresh()


# 06:00 UTC: the project computes days and recency in UTC (docs/decisions/0013).
daily_refresh = ScheduleDefinition(
    name="daily_refresh", job=refresh, cron_schedule="0 6 * * *", execution_timezone="UTC"
)

defs = Definitions(jobs=[refresh], schedules=[daily_refresh])
