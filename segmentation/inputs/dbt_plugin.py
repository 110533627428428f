"""The dbt-duckdb plugin (profiles.yml, ``plugins``) giving the run-start hook the reader of
users' extracts: the SQL function ``segmentation_plan_extract(request)`` takes the request as
JSON (raw folder, vars raw_formats and raw_column_aliases, cache folder, cutoff date) and returns
the reading plan as JSON (segmentation.inputs.reading.ExtractPlan)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

from segmentation.inputs.reading import plan_extract

FUNCTION_NAME = "segmentation_plan_extract"


def plan_from_request(request_json: str) -> str:
    request = json.loads(request_json)
    plan = plan_extract(
        Path(request["raw_dir"]),
        formats=request.get("formats") or {},
        aliases=request.get("aliases") or {},
        cache_dir=Path(request["cache_dir"]) if request.get("cache_dir") else None,
        cutoff=dt.date.fromisoformat(request["cutoff"]) if request.get("cutoff") else None,
    )
    return plan.to_json()


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        conn.create_function(
            FUNCTION_NAME, plan_from_request, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"), side_effects=True
        )
