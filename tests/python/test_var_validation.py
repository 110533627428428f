"""Vars pasted into SQL are validated: a payload or a typo in --vars stops the build with an error
naming the var, before any SQL runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT, run_dbt

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


SQL_PAYLOAD = "1) or (select count(*) from raw.customers) > 0 or (1"
# a payload per var, in the var's own shape where it has one (a list, a mapping, a path, a name)
PAYLOADS = {
    "raw_dir": "data/raw') union all select * from read_csv('/etc/passwd",
    "bi_role": "bi; drop schema marts cascade",
    "rfm_recency_days": [30, SQL_PAYLOAD],
    "age_bands": [25, SQL_PAYLOAD],
    "account_employee_bands": [10, SQL_PAYLOAD],
    "account_revenue_bands": [SQL_PAYLOAD],
    "future_value_top_shares": [0.01, SQL_PAYLOAD],
    "rfm_thresholds": {"frequency": [2, 3], "monetary_amount": [SQL_PAYLOAD]},
    "segmentations": [
        {
            "name": "rfm' as segmentation, (select 1) as x --",
            "model": "int_segmentation__rfm",
            "column": "rfm_segment",
            "label": "RFM",
            "description": "d",
            "owner": "crm",
        }
    ],
}
PROJECT_FILES = ["models", "macros", "tests", "analyses", "snapshots", "dbt_project.yml"]
VAR_USE = re.compile(r"""\b(?:var|[a-z_]+_var)\(\s*['"]([a-z_]+)['"]""")


def _var_problems(values: dict, tmp_path: Path) -> dict:
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir(exist_ok=True)
    result = run_dbt(
        ["run-operation", "var_problems", "--args", json.dumps({"values": values})], raw_dir, tmp_path / "w.duckdb"
    )
    assert result.returncode == 0, result.stdout[-2000:]
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("var_problems: ")]
    return json.loads(line.removeprefix("var_problems: "))


@pytest.fixture(scope="module")
def injection_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("vars")
    names = _var_problems({}, folder)["rules"]
    return _var_problems({name: PAYLOADS.get(name, SQL_PAYLOAD) for name in names}, folder)


def test_every_var_the_project_uses_has_a_rule(injection_verdicts: dict):
    used = set()
    for entry in PROJECT_FILES:
        path = PROJECT_ROOT / entry
        for file in [path] if path.is_file() else [*path.rglob("*.sql"), *path.rglob("*.yml"), *path.rglob("*.py")]:
            used |= set(VAR_USE.findall(file.read_text(encoding="utf-8")))
    used -= {"name"}  # the accessors' own var(name)
    assert used, "the scan finds the vars"
    assert sorted(used - set(injection_verdicts["rules"])) == []


@pytest.mark.parametrize("name", sorted(set(PAYLOADS) | {"segment_min_share", "as_of_date", "python_models"}))
def test_an_injection_payload_in_a_var_is_refused(injection_verdicts: dict, name: str):
    assert injection_verdicts["problems"][name], f"{name} accepted {PAYLOADS.get(name, SQL_PAYLOAD)!r}"


def test_every_var_refuses_an_injection_payload(injection_verdicts: dict):
    accepted = [name for name, problem in injection_verdicts["problems"].items() if not problem]
    assert accepted == []
    assert len(injection_verdicts["problems"]) == len(injection_verdicts["rules"]) > 50


def test_the_project_defaults_pass_their_rules(tmp_path: Path):
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    defaults = {name: value for name, value in project.items() if not str(value).startswith("{{")}
    verdicts = _var_problems(defaults, tmp_path)
    assert {name: problem for name, problem in verdicts["problems"].items() if problem} == {}
    assert set(defaults) <= set(verdicts["rules"])


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("segment_min_share", "'0.1) or (1=1'", "var segment_min_share must be a number from 0 to 1"),
        ("raw_dir", '"data/raw\') union all select 1 --"', "var raw_dir must be a folder path"),
        ("rfm_recency_days", "[30, 20]", "var rfm_recency_days must be a non-empty list of strictly increasing"),
    ],
)
def test_a_bad_var_stops_the_build_before_any_sql(tmp_path: Path, name: str, value: str, expected: str):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    result = run_dbt(["build", "--vars", f"{{{name}: {value}}}"], raw_dir, tmp_path / "w.duckdb")
    assert result.returncode != 0
    assert expected in result.stdout, result.stdout[-2000:]
    assert not (tmp_path / "w.duckdb").exists(), "nothing ran: not even the warehouse was created"


def test_a_registry_evidence_text_that_could_break_its_sql_string_is_refused(tmp_path: Path):
    entry = {"name": "rfm", "model": "int_segmentation__rfm", "column": "rfm_segment"}
    entry |= {"label": "RFM", "description": "d", "owner": "crm"}
    verdicts = _var_problems(
        {"segmentations": [entry | {"evidence": "orders\\' || (select 1) || '"}]},
        tmp_path,
    )
    assert "evidence" in verdicts["problems"]["segmentations"]
    assert not _var_problems({"segmentations": [entry | {"evidence": "orders: dates"}]}, tmp_path)["problems"][
        "segmentations"
    ]
