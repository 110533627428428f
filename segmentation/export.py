"""Export the BI marts of any target to Parquet files, rows in a stable order: the same marts
built on DuckDB, PostgreSQL and Spark can then be compared file by file (and handed over)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from segmentation.contract import PROJECT_ROOT
from segmentation.targets import Target, connect

MARTS_FILE = PROJECT_ROOT / "models" / "marts" / "segments" / "_segments__models.yml"

# mart -> its key columns (the export is sorted by them)
MARTS = {
    "customer_segments": ["customer_key"],
    "fct_customer_segments": ["as_of_date", "customer_key", "segmentation"],
    "fct_segment_changes": ["as_of_date", "customer_key", "segmentation"],
    "segment_summary": ["as_of_date", "segmentation", "segment_code"],
    "segmentation_coverage": ["as_of_date", "segmentation"],
    "segment_migrations": ["as_of_date", "segmentation", "from_segment_code", "to_segment_code", "migration_type"],
    "segmentation_registry": ["segmentation"],
    "customer_product_appetence": ["customer_key", "dimension", "dimension_value"],
    "commercial_pressure_summary": ["as_of_date", "rfm_segment"],
    "account_segments": ["as_of_date", "company_id"],
}
# marts built only while a segmentation of the registry is enabled
MART_SEGMENTATION = {"commercial_pressure_summary": "pressure"}


def exported_marts(enabled: set[str]) -> dict[str, list[str]]:
    """The marts the registry builds when `enabled` segmentations are on, with their key columns."""
    return {
        mart: keys
        for mart, keys in MARTS.items()
        if mart not in MART_SEGMENTATION or MART_SEGMENTATION[mart] in enabled
    }


def contract_columns(mart: str, segment_columns: list[str]) -> list[str]:
    """The mart's columns in the order of its YAML (Spark moves partition columns last); for
    customer_segments, then its column per enabled segmentation."""
    document = yaml.safe_load(MARTS_FILE.read_text(encoding="utf-8"))
    (model,) = [m for m in document["models"] if m["name"] == mart]
    columns = [column["name"] for column in model["columns"]]
    return columns + segment_columns if mart == "customer_segments" else columns


def export_marts(target: Target, out_dir: Path) -> dict[str, int]:
    """Write <out_dir>/<mart>.parquet for each mart; returns rows per mart."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    with connect(target) as warehouse:
        # the registry the warehouse was built with (a run's --vars may differ from dbt_project.yml)
        registry = warehouse.query(
            "select segmentation, customer_segments_column from marts.segmentation_registry "
            "where is_enabled order by sort_order"
        )
        enabled = {str(name) for name, _ in registry}
        for mart, keys in exported_marts(enabled).items():
            columns = contract_columns(mart, [str(column) for _, column in registry])
            # nulls last everywhere (Spark sorts them first by default): the same order on every engine
            order = ", ".join(f"{key} nulls last" for key in keys)
            rows = warehouse.query(f"select {', '.join(columns)} from marts.{mart} order by {order}")
            table = pa.Table.from_pylist([dict(zip(columns, row, strict=True)) for row in rows]) if rows else None
            if table is None:
                table = pa.table({column: pa.array([], pa.null()) for column in columns})
            pq.write_table(table, out_dir / f"{mart}.parquet")
            counts[mart] = len(rows)
    return counts
