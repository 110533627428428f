"""The semantic layer (models/marts/semantic): `dbt parse` validates it, and MetricFlow's `mf query`
on the backfilled fixture warehouse gives the figures the marts give.

`mf` reads target/semantic_manifest.json under the project it runs in, whatever the target path:
the test parses into its own folder and runs `mf` in a folder holding only dbt_project.yml and that
manifest, so that a dbt run of another test (another target, another database name) cannot
replace the manifest under it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import Backfilled

from segmentation.contract import PROJECT_ROOT

MF = Path(sys.executable).parent / "mf"
DBT = Path(sys.executable).parent / "dbt"


def _env(warehouse: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "SEGMENTATION_TARGET": "dev",
        "SEGMENTATION_DUCKDB": str(warehouse),
    }


def _mf(project: Path, warehouse: Path, out: Path, *arguments: str) -> list[dict[str, str]]:
    """`mf query ... --csv out` in `project` (MetricFlow reads target/semantic_manifest.json there)."""
    command = [str(MF), "query", *arguments, "--csv", str(out)]
    result = subprocess.run(command, cwd=project, env=_env(warehouse), capture_output=True, text=True, check=False)
    assert result.returncode == 0 and out.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    with open(out, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_metrics_agree_with_the_marts(backfilled_warehouse: Backfilled, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(backfilled_warehouse.warehouse, warehouse)
    project = tmp_path / "project"
    (project / "target").mkdir(parents=True)
    shutil.copyfile(PROJECT_ROOT / "dbt_project.yml", project / "dbt_project.yml")
    parsed = subprocess.run(
        [str(DBT), "parse", "--quiet", "--target-path", str(project / "target")],
        cwd=PROJECT_ROOT,
        env=_env(warehouse),
        capture_output=True,
        text=True,
        check=False,
    )
    assert parsed.returncode == 0, parsed.stdout[-3000:]
    manifest = json.loads((project / "target" / "semantic_manifest.json").read_text())
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    assert {"customers", "revenue_365d", "churned_customer_share", "segment_moves", "segment_retention_rate"} <= set(
        metrics
    )
    assert all(metric["description"] for metric in metrics.values())

    by_day = _mf(
        project,
        warehouse,
        tmp_path / "by_day.csv",
        "--metrics",
        "customers,revenue_365d,churned_customer_share",
        "--group-by",
        "metric_time__day",
        "--order",
        "metric_time__day",
    )
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        expected = connection.execute(
            """
            with members as (
                -- each built date's members, from the history (not the summary the metrics read)
                select days.as_of_date, history.customer_key, history.segmentation, history.segment_code
                from (select distinct as_of_date from marts.segment_summary) as days
                inner join marts.segment_membership_history as history
                    on history.valid_from <= days.as_of_date
                    and (history.valid_to is null or history.valid_to > days.as_of_date)
            ),
            revenue as (
                select as_of_date, sum(revenue_amount) as revenue
                from marts.segment_summary where segmentation = 'rfm' group by all
            )
            select cast(members.as_of_date as varchar), count(distinct customer_key), any_value(revenue.revenue),
                sum(case when segmentation = 'lifecycle' and segment_code = 'churned' then 1 end)
                    / sum(case when segmentation = 'lifecycle' then 1.0 end)
            from members inner join revenue using (as_of_date)
            group by all order by 1
            """
        ).fetchall()
        moved = connection.execute(
            """
            select cast(as_of_date as varchar), from_segment_code, sum(customer_count)
            from marts.segment_migrations
            where segmentation = 'rfm' and migration_type = 'moved'
            group by all order by 1, 2
            """
        ).fetchall()
    assert len(by_day) == len(expected) >= 3
    for row, (day, customers, revenue, churned_share) in zip(by_day, expected, strict=True):
        assert row["metric_time__day"][:10] == day
        assert int(row["customers"]) == customers
        assert abs(float(row["revenue_365d"]) - float(revenue)) < 0.01
        assert abs(float(row["churned_customer_share"]) - float(churned_share)) < 1e-9

    migrations = _mf(
        project,
        warehouse,
        tmp_path / "moved.csv",
        "--metrics",
        "segment_moves",
        "--group-by",
        "metric_time__day,segment_migration__from_segment_code",
        "--where",
        "{{ Dimension('segment_migration__segmentation') }} = 'rfm'",
    )
    found = sorted(
        (row["metric_time__day"][:10], row["segment_migration__from_segment_code"], int(row["segment_moves"]))
        for row in migrations
        if int(row["segment_moves"]) > 0
    )
    assert found == [(day, code, count) for day, code, count in moved if code is not None]
    assert len(found) > 5
