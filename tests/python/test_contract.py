"""The raw-data contract is written twice (sources YAML for docs and Python, a macro for dbt):
these tests keep the two identical."""

from __future__ import annotations

import re

from segmentation.contract import PROJECT_ROOT, load_contract

MACRO = PROJECT_ROOT / "macros" / "staging" / "raw_contract.sql"


def _macro_contract() -> dict[str, tuple[bool, list[tuple[str, str, bool]]]]:
    text = MACRO.read_text(encoding="utf-8")
    tables: dict[str, tuple[bool, list[tuple[str, str, bool]]]] = {}
    current = None
    for line in text.splitlines():
        table = re.match(r"\s*\('(\w+)', (true|false), \[$", line)
        column = re.match(r"\s*\('(\w+)', '(\w+)', (true|false)\),$", line)
        if table:
            current = table.group(1)
            tables[current] = (table.group(2) == "true", [])
        elif column and current:
            tables[current][1].append((column.group(1), column.group(2), column.group(3) == "true"))
    return tables


def test_macro_and_sources_yaml_declare_the_same_contract():
    yaml_contract = {
        name: (table.is_required, [(c.name, c.data_type, c.is_required) for c in table.columns])
        for name, table in load_contract().items()
    }
    assert _macro_contract() == yaml_contract


def test_contract_has_the_seven_tables_and_their_keys_are_required():
    contract = load_contract()
    assert list(contract) == [
        "customers",
        "companies",
        "orders",
        "order_lines",
        "products",
        "payments",
        "marketing_events",
    ]
    for table in contract.values():
        assert table.columns[0].is_required, f"{table.name}: its id column must be required"
    assert {t.name for t in contract.values() if t.is_required} == {"customers", "orders", "order_lines"}
