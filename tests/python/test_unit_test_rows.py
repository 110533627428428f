"""dbt unit tests must feed states the pipeline can produce: a metrics row that no order history
could give (recency 60 days with one order and a previous gap of 100) makes a rule look covered
while proving nothing. These checks hold every int_customer_metrics row given to a unit test to
the invariants of the model."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from segmentation.contract import PROJECT_ROOT

METRICS = "ref('int_customer_metrics')"


def _project_vars() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


def _metrics_rows() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(unit test name, vars in effect, row) for every int_customer_metrics row given to a unit test."""
    found = []
    for path in sorted((PROJECT_ROOT / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for test in document.get("unit_tests", []):
            variables = {**_project_vars(), **(test.get("overrides") or {}).get("vars", {})}
            for given in test.get("given", []):
                if given.get("input") == METRICS and given.get("format", "dict") == "dict":
                    found.extend((test["name"], variables, row) for row in given["rows"])
    return found


def violations(row: dict[str, Any], variables: dict[str, Any]) -> list[str]:
    """The invariants of int_customer_metrics that the row breaks (columns it omits are not checked)."""
    problems = []

    def given(*columns: str) -> bool:
        return all(row.get(column) is not None for column in columns)

    active_days = int(variables["lifecycle_active_days"])
    window = variables.get("rfm_window_days")
    whole_history = window is None or str(window).strip().lower() in ("", "none", "null")
    sum_mode = str(variables.get("rfm_amount", "sum")).strip() == "sum"
    if row.get("is_prospect"):
        for column in ("recency_days", "tenure_days", "days_before_last_order"):
            if row.get(column) is not None:
                problems.append(f"a prospect has no {column}")
        for column in ("frequency", "recent_order_count", "lifetime_order_count"):
            if row.get(column) not in (None, 0):
                problems.append(f"a prospect has {column} 0")
        return problems
    if given("recency_days") and row["recency_days"] < 0:
        problems.append("recency_days < 0")
    if given("tenure_days", "recency_days") and row["tenure_days"] < row["recency_days"]:
        problems.append("first order after the last one (tenure_days < recency_days)")
    if given("tenure_days", "recency_days", "days_before_last_order") and (
        row["tenure_days"] < row["recency_days"] + row["days_before_last_order"]
    ):
        problems.append("the order before the last is older than the first order")
    if given("lifetime_order_count"):
        count = row["lifetime_order_count"]
        if count == 1 and given("tenure_days", "recency_days") and row["tenure_days"] != row["recency_days"]:
            problems.append("one order, yet first and last orders differ")
        if count == 1 and given("days_before_last_order"):
            problems.append("one order, yet a gap before the last one")
        if given("frequency") and row["frequency"] > count:
            problems.append("more orders in the RFM period than in the whole history")
        if count >= 2 and given("avg_days_between_orders", "tenure_days", "recency_days"):
            span = row["tenure_days"] - row["recency_days"]
            if abs(row["avg_days_between_orders"] * (count - 1) - span) > 1e-6:
                problems.append("mean gap x (orders - 1) != days from first to last order")
    if given("frequency") and whole_history and row["frequency"] < 1:
        problems.append("a buyer has at least one order over the whole history")
    if whole_history and given("frequency", "lifetime_order_count") and row["frequency"] != row["lifetime_order_count"]:
        problems.append("over the whole history, frequency is the lifetime order count")
    if (
        whole_history
        and sum_mode
        and given("monetary_amount", "lifetime_revenue_amount")
        and row["monetary_amount"] != row["lifetime_revenue_amount"]
    ):
        problems.append("over the whole history, the summed amount is the lifetime revenue")
    if (
        not whole_history
        and given("frequency", "recency_days")
        and (row["frequency"] > 0) != (row["recency_days"] < int(window))
    ):
        problems.append(f"frequency must be > 0 exactly when the last order is in the {window}-day window")
    if given("recent_order_count", "lifetime_order_count") and row["recent_order_count"] > row["lifetime_order_count"]:
        problems.append("more recent orders than orders")
    if given("frequency") and row["frequency"] == 0 and given("monetary_amount") and row["monetary_amount"] != 0:
        problems.append("an amount without an order in the RFM period")
    if given("recent_order_count", "recency_days"):
        if (row["recent_order_count"] > 0) != (row["recency_days"] <= active_days):
            problems.append(f"recent_order_count must be > 0 exactly when recency_days <= {active_days}")
        previous_is_recent = given("days_before_last_order") and (
            row["recency_days"] + row["days_before_last_order"] <= active_days
        )
        if row["recent_order_count"] >= 2 and given("days_before_last_order") and not previous_is_recent:
            problems.append("two recent orders, yet the one before the last is not recent")
        if row["recent_order_count"] == 1 and previous_is_recent:
            problems.append("one recent order, yet the one before the last is recent too")
    return problems


ROWS = _metrics_rows()


def test_unit_tests_give_metrics_rows():
    names = {name for name, _, _ in ROWS}
    assert len(ROWS) >= 20 and "lifecycle_every_stage_with_the_default_vars" in names


@pytest.mark.parametrize(("test_name", "variables", "row"), ROWS, ids=[f"{t}:{r['customer_key']}" for t, _, r in ROWS])
def test_every_metrics_row_is_a_reachable_state(test_name: str, variables: dict[str, Any], row: dict[str, Any]):
    assert violations(row, variables) == []


@pytest.mark.parametrize(
    "impossible",
    [
        # the row that made `active` look covered when it could never occur
        {
            "is_prospect": False,
            "tenure_days": 800,
            "recency_days": 60,
            "recent_order_count": 1,
            "days_before_last_order": 100,
            "lifetime_order_count": 1,
        },
        {"is_prospect": False, "tenure_days": 30, "recency_days": 60},
        {"is_prospect": False, "recency_days": 120, "recent_order_count": 1},
        {"is_prospect": True, "recency_days": 10},
        {"is_prospect": False, "frequency": 3, "lifetime_order_count": 5},
        {"is_prospect": False, "monetary_amount": 10, "lifetime_revenue_amount": 999},
        {"is_prospect": False, "recent_order_count": 3, "lifetime_order_count": 1},
        {
            "is_prospect": False,
            "lifetime_order_count": 6,
            "tenure_days": 500,
            "recency_days": 30,
            "avg_days_between_orders": 80,
        },
    ],
)
def test_the_checks_catch_impossible_rows(impossible: dict[str, Any]):
    assert violations(impossible, _project_vars()) != []


def test_a_window_needs_an_order_in_it():
    row = {"is_prospect": False, "recency_days": 120, "frequency": 0}
    assert violations(row, {**_project_vars(), "rfm_window_days": 365}) != []
