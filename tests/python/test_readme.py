"""The demo `make build` makes (20,000 customers, seed 42, built at the end of its data): the
README's worked example must match it row for row, and every lifecycle stage and RFM segment
must have customers on it."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import PROJECT_ROOT, run_dbt

from segmentation.generator import generate
from segmentation.raw_folder import recorded_as_of_date

pytestmark = pytest.mark.slow
DEMO_CUSTOMERS, DEMO_SEED = 20_000, 42  # the Makefile's DEMO_CUSTOMERS and DEMO_SEED


def _worked_example() -> tuple[str, str, list[tuple[str, str, str, str]]]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- worked-example:start -->")[1].split("<!-- worked-example:end -->")[0]
    (customer_key,) = re.findall(r"customer_key = '([0-9a-f]+)'", block)
    (as_of,) = re.findall(r"as_of_date = '([0-9-]+)'", block)
    rows = []
    for line in block.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("segmentation", "---"):
            rows.append(tuple(cells))
    return customer_key, as_of, rows


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("demo")
    raw, warehouse = root / "raw", root / "warehouse.duckdb"
    generate(customers=DEMO_CUSTOMERS, seed=DEMO_SEED, out_dir=raw, show_progress=False)
    for command in (["seed"], ["run", "--select", "+fct_customer_segments"]):
        result = run_dbt(command, raw, warehouse)  # at the recorded as-of date, as make build does
        assert result.returncode == 0, result.stdout[-3000:]
    return warehouse, recorded_as_of_date(raw)


def test_makefile_demo_settings_are_the_ones_used_here():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"DEMO_CUSTOMERS ?= {DEMO_CUSTOMERS}" in makefile and f"DEMO_SEED ?= {DEMO_SEED}" in makefile


def test_the_worked_example_is_reproducible(demo_warehouse):
    warehouse, demo_as_of = demo_warehouse
    customer_key, as_of, expected = _worked_example()
    registry = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["segmentations"]
    assert len(expected) == sum(entry.get("enabled", True) for entry in registry) and as_of == demo_as_of
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        actual = connection.execute(
            "select segmentation, segment_label, coalesce(cast(score as varchar), ''), explanation "
            "from marts.fct_customer_segments where customer_key = ? and as_of_date = ? order by segmentation",
            [customer_key, as_of],
        ).fetchall()
    assert actual == expected


def test_every_lifecycle_stage_and_rfm_segment_occurs_on_the_demo(demo_warehouse):
    warehouse, as_of = demo_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        found = set(
            connection.execute(
                "select distinct segmentation, segment_code from marts.fct_customer_segments where as_of_date = ?",
                [as_of],
            ).fetchall()
        )
        expected = set(
            connection.execute(
                "select segmentation, segment_code from staging.segment_labels "
                "where segmentation in ('rfm', 'lifecycle')"
            ).fetchall()
        )
    assert len(expected) == 19 and expected <= found


def test_no_lost_customer_in_a_top_future_value_tier_of_the_demo(demo_warehouse):
    warehouse, _ = demo_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tiers = dict(
            connection.execute(
                "select future_value.segment_code, count(*) from marts.fct_customer_segments as future_value "
                "inner join marts.fct_customer_segments as rfm using (customer_key, as_of_date) "
                "where future_value.segmentation = 'future_value' and rfm.segmentation = 'rfm' "
                "and rfm.segment_code = 'lost' group by all"
            ).fetchall()
        )
    assert not [tier for tier in tiers if tier.startswith("top_")], tiers
    assert tiers.get("low_value", 0) + tiers.get("bottom_50", 0) > 0
