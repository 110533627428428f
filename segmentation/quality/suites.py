"""Expectation suites: read from great_expectations/suites/*.yml, completed from the raw contract."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from segmentation.contract import PROJECT_ROOT, RawTable, dbt_vars, load_contract

SUITES_DIR = PROJECT_ROOT / "great_expectations" / "suites"
SEVERITIES = ("error", "warn")
SHADOW_SUFFIXES = ("__value", "__unparseable", "__lower", "__known")


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation: GE type name, its keyword arguments and what a failure means."""

    type: str
    kwargs: dict[str, Any]
    severity: str

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column")


@dataclass
class SuiteSpec:
    """A suite and the data it validates: a raw table (`table`) or a warehouse query (`query`)."""

    name: str
    expectations: list[ExpectationSpec]
    table: str | None = None
    query: str | None = None
    references: dict[str, str] = field(default_factory=dict)


def _seed_rows(name: str) -> list[dict[str, str]]:
    with (PROJECT_ROOT / "seeds" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def resolve(value: Any, variables: dict[str, Any], scalar_query: Callable[[str], Any]) -> Any:
    """Turn a dynamic value of the suite YAML into a literal."""
    if not isinstance(value, dict):
        return value
    if "canonical_domain" in value:
        return sorted(
            {
                row["raw_value"]
                for row in _seed_rows("canonical_codes")
                if row["code_domain"] == value["canonical_domain"]
            }
        )
    if "segment_codes" in value:
        return sorted(
            {
                row["segment_code"]
                for row in _seed_rows("segment_labels")
                if row["segmentation"] == value["segment_codes"]
            }
        )
    if "segmentations" in value:
        return [e["name"] for e in variables["segmentations"] if e.get("enabled", True)]
    if "var" in value:
        return variables[value["var"]]
    if "run_date" in value:
        return dt.datetime.combine(dt.date.today(), dt.time.max)
    if "sql" in value:
        return scalar_query(value["sql"])
    raise ValueError(f"unknown dynamic value in a suite: {value}")


def _contract_expectations(table: RawTable) -> list[ExpectationSpec]:
    """Required columns must exist (error) and be filled (warn); typed columns must parse (warn).
    An optional column the file does not have is not an error: the runner notes it as info."""
    specs = []
    for column in table.columns:
        if column.is_required:
            specs.append(ExpectationSpec("expect_column_to_exist", {"column": column.name}, "error"))
            specs.append(ExpectationSpec("expect_column_values_to_not_be_null", {"column": column.name}, "warn"))
        if column.data_type != "varchar":
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_in_set",
                    {"column": f"{column.name}__unparseable", "value_set": [False]},
                    "warn",
                )
            )
    return specs


def _segmentation_built(name: str, scalar_query: Callable[[str], Any]) -> bool:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"only_if_built must name a segmentation, got {name!r}")
    query = f"select count(*) from marts.segmentation_registry where segmentation = '{name}' and is_enabled"
    return bool(scalar_query(query))


def load_suites(
    scalar_query: Callable[[str], Any],
    variables: dict[str, Any] | None = None,
    suites_dir: Path = SUITES_DIR,
    only: set[str] | None = None,
) -> list[SuiteSpec]:
    """Every suite of every YAML file in suites_dir (raw suites first), with dynamic values resolved."""
    variables = {**dbt_vars(), **(variables or {})}
    contract = load_contract()
    suites: list[SuiteSpec] = []
    for path in sorted(suites_dir.glob("*.yml"), key=lambda p: (p.stem != "raw", p.stem)):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["suites"]:
            if only and entry["name"] not in only and path.stem not in only:
                continue
            if "only_if_built" in entry and not _segmentation_built(entry["only_if_built"], scalar_query):
                continue  # a segmentation this warehouse does not build (a Python one on PostgreSQL, say)
            default_severity = entry.get("severity", "error")
            expectations = []
            if "table" in entry:
                expectations.extend(_contract_expectations(contract[entry["table"]]))
            for item in entry.get("expectations", []):
                item = dict(item)
                severity = item.pop("severity", default_severity)
                if severity not in SEVERITIES:
                    raise ValueError(f"suite {entry['name']}: severity must be one of {SEVERITIES}, got {severity!r}")
                kind = item.pop("type")
                kwargs = {key: resolve(value, variables, scalar_query) for key, value in item.items()}
                expectations.append(ExpectationSpec(kind, kwargs, severity))
            suites.append(
                SuiteSpec(
                    name=entry["name"],
                    expectations=expectations,
                    table=entry.get("table"),
                    query=entry.get("query"),
                    references=entry.get("references", {}),
                )
            )
    return suites
