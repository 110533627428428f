"""The raw-data contract, read from the dbt sources file (its single source of truth)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCES_FILE = PROJECT_ROOT / "models" / "staging" / "raw" / "_raw__sources.yml"


@dataclass(frozen=True)
class RawColumn:
    name: str
    data_type: str
    is_required: bool


@dataclass(frozen=True)
class RawTable:
    name: str
    is_required: bool
    columns: tuple[RawColumn, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _meta(node: dict) -> dict:
    return (node.get("config") or {}).get("meta") or {}


def dbt_vars(project_file: Path = PROJECT_ROOT / "dbt_project.yml") -> dict:
    """Default values of the dbt vars (rendered Jinja is not evaluated: literal values only)."""
    return yaml.safe_load(project_file.read_text(encoding="utf-8")).get("vars", {})


def load_contract(sources_file: Path = SOURCES_FILE) -> dict[str, RawTable]:
    """Tables of the ``raw`` source, keyed by name, in file order."""
    document = yaml.safe_load(sources_file.read_text(encoding="utf-8"))
    (source,) = [s for s in document["sources"] if s["name"] == "raw"]
    tables: dict[str, RawTable] = {}
    for table in source["tables"]:
        columns = tuple(
            RawColumn(
                name=column["name"],
                data_type=column["data_type"],
                is_required=bool(_meta(column).get("required", False)),
            )
            for column in table["columns"]
        )
        tables[table["name"]] = RawTable(
            name=table["name"],
            is_required=bool(_meta(table).get("required_table", False)),
            columns=columns,
        )
    return tables
