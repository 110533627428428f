"""Vars pasted into SQL are validated: a payload or a typo in --vars stops the build with an error
naming the var, before any SQL runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_dbt

CASES = [
    ("earliest_birth_date", "\"1900-01-01' as date) or (select 1) = 1 or cast('1900-01-01\"", "base_raw__customers"),
    ("earliest_birth_date", "'1900-02-30'", "base_raw__customers"),
    ("phone_country_code", '"33\' or 1=1 --"', "base_raw__customers"),
    ("loyalty_max_interval_cv", "'1.0 or true'", "int_segmentation__loyalty"),
    ("loyalty_max_interval_cv", "-1", "int_segmentation__loyalty"),
]


@pytest.mark.parametrize(("name", "value", "model"), CASES)
def test_a_bad_var_stops_the_build_with_its_name(fixture_warehouse, tmp_path: Path, name: str, value: str, model: str):
    raw, _ = fixture_warehouse
    result = run_dbt(["compile", "--select", model, "--vars", f"{{{name}: {value}}}"], raw, tmp_path / "w.duckdb")
    assert result.returncode != 0
    assert f"var {name} must be" in result.stdout, result.stdout[-2000:]


def test_valid_values_compile(fixture_warehouse, tmp_path: Path):
    raw, _ = fixture_warehouse
    variables = "{earliest_birth_date: '1910-01-01', phone_country_code: '44', loyalty_max_interval_cv: 0.8}"
    result = run_dbt(
        [
            "compile",
            "--select",
            "base_raw__customers stg_raw__customers int_segmentation__loyalty",
            "--vars",
            variables,
        ],
        raw,
        tmp_path / "w.duckdb",
    )
    assert result.returncode == 0, result.stdout[-2000:]
