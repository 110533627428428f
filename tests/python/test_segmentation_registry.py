"""The segmentation registry (var segmentations): a segmentation is added with one model, one registry
entry and its labels, with no edit of any mart; one disabled in the registry leaves every mart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import DBT, PROJECT_ROOT

from segmentation.generator import generate

pytestmark = pytest.mark.slow
AS_OF = "2026-06-30"
COPIED = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses", "snapshots")

TOY_MODEL = """{{ config(enabled=segmentation_enabled('basket')) }}
-- a toy segmentation: big or small baskets by RFM amount, no_purchase for prospects
select
    customer_key,
    as_of_date,
    case
        when is_prospect then 'no_purchase'
        when monetary_amount >= 100 then 'big_basket'
        else 'small_basket'
    end as segment_code,
    cast(null as integer) as score,
    'rfm amount ' || coalesce(cast(monetary_amount as varchar), 'n/a') as explanation
from {{ ref('int_customer_metrics') }}
"""
TOY_LABELS = [
    "basket,big_basket,Big basket,Spends 100 or more.,Offer premium ranges.,1,,observed",
    "basket,small_basket,Small basket,Spends under 100.,Suggest bundles.,2,,observed",
    "basket,no_purchase,No purchase,Has not bought yet.,Welcome offer.,3,,observed",
]


def _registry() -> list[dict]:
    return yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["segmentations"]


def _copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def _dbt(project: Path, args: list[str], raw: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(project),
        "SEGMENTATION_RAW_DIR": str(raw),
        "SEGMENTATION_DUCKDB": str(warehouse),
        "SEGMENTATION_AS_OF_DATE": AS_OF,
    }
    return subprocess.run(
        [DBT, *args, "--target-path", str(warehouse.parent / f"{warehouse.stem}_target")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registry") / "raw"
    generate(customers=300, seed=11, out_dir=folder, show_progress=False)
    return folder


def test_a_toy_segmentation_takes_one_model_one_registry_entry_and_labels(raw: Path, tmp_path: Path):
    """The copy's marts are untouched: only the model, the registry entry and the labels are added."""
    project = _copy_project(tmp_path / "project")
    (project / "models" / "intermediate" / "segmentations" / "int_segmentation__basket.sql").write_text(TOY_MODEL)
    settings = yaml.safe_load((project / "dbt_project.yml").read_text(encoding="utf-8"))
    settings["vars"]["segmentations"].append(
        {
            "name": "basket",
            "model": "int_segmentation__basket",
            "column": "basket_segment",
            "label": "Basket size",
            "description": "Big or small baskets.",
            "owner": "tests",
            "enabled": True,
        }
    )
    (project / "dbt_project.yml").write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True))
    labels = project / "seeds" / "segment_labels.csv"
    labels.write_text(labels.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(TOY_LABELS) + "\n")

    warehouse = tmp_path / "toy.duckdb"
    result = _dbt(project, ["build", "--exclude", "test_type:unit"], raw, warehouse)
    assert result.returncode == 0, result.stdout[-4000:]

    (customers,) = _query(warehouse, "select count(*) from intermediate.int_customer_metrics")[0]
    fct = dict(
        _query(
            warehouse,
            "select segment_code, count(*) from marts.fct_customer_segments where segmentation = 'basket' group by all",
        )
    )
    assert sum(fct.values()) == customers and set(fct) <= {"big_basket", "small_basket", "no_purchase"}
    assert fct.get("big_basket", 0) > 0 and fct.get("small_basket", 0) > 0
    columns = {row[0] for row in _query(warehouse, "describe marts.customer_segments")}
    assert "basket_segment" in columns
    summary = _query(
        warehouse,
        "select segment_code, customer_count from marts.segment_summary where segmentation = 'basket' order by all",
    )
    assert [code for code, _ in summary] == ["big_basket", "no_purchase", "small_basket"]
    assert dict(summary) == {code: fct.get(code, 0) for code, _ in summary}
    assert _query(
        warehouse, "select segmentation_label from marts.segmentation_registry where segmentation = 'basket'"
    ) == [("Basket size",)]


def test_a_segmentation_disabled_in_the_registry_leaves_every_mart(raw: Path, tmp_path: Path):
    entries = [{**entry, "enabled": entry["name"] != "loyalty"} for entry in _registry()]
    warehouse = tmp_path / "disabled.duckdb"
    result = _dbt(
        PROJECT_ROOT,
        ["build", "--exclude", "test_type:unit", "--vars", json.dumps({"segmentations": entries})],
        raw,
        warehouse,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    built = {row[0] for row in _query(warehouse, "select table_name from information_schema.tables")}
    assert "int_segmentation__loyalty" not in built and "int_segmentation__lifecycle" in built
    segmentations = {
        row[0] for row in _query(warehouse, "select distinct segmentation from marts.fct_customer_segments")
    }
    assert segmentations == {entry["name"] for entry in entries if entry["enabled"]}
    assert not _query(warehouse, "select 1 from marts.segment_summary where segmentation = 'loyalty'")
    columns = {row[0] for row in _query(warehouse, "describe marts.customer_segments")}
    assert "loyalty_segment" not in columns and "lifecycle_stage" in columns
    assert _query(warehouse, "select is_enabled from marts.segmentation_registry where segmentation = 'loyalty'") == [
        (False,)
    ]
