"""A person's customer_key survives a newer source record joining them (ADR 0004), over two loads."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
from conftest import run_dbt

from segmentation.raw_folder import recorded_as_of_date

RESOLVE = ["build", "--select", "+int_customers_resolved", "--exclude-resource-type", "test", "unit_test"]


def _keys(warehouse: Path) -> dict[str, tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select customer_id, customer_key, anchor_customer_id from intermediate.int_customers_resolved"
        ).fetchall()
    return {customer_id: (key, anchor) for customer_id, key, anchor in rows}


def test_a_newer_record_joining_a_person_keeps_their_key(fixture_warehouse: tuple[Path, Path], tmp_path: Path) -> None:
    raw_dir, _ = fixture_warehouse
    as_of = recorded_as_of_date(raw_dir)
    first_load, second_load = tmp_path / "load1", tmp_path / "load2"
    shutil.copytree(raw_dir, first_load)
    first = run_dbt(RESOLVE, first_load, tmp_path / "first.duckdb", {"SEGMENTATION_AS_OF_DATE": as_of})
    assert first.returncode == 0, first.stdout[-3000:]
    before = _keys(tmp_path / "first.duckdb")

    # a person known by one record, with an email
    with open(first_load / "customers.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    person = next(
        row
        for row in rows
        if row["email"]
        and row["customer_id"] in before
        and before[row["customer_id"]][1] == row["customer_id"]
        and sum(anchor == row["customer_id"] for _, anchor in before.values()) == 1
    )
    # the web shop sends a record for the same email, created later, whose id sorts first:
    # the rule "hash of the smallest id" would have given the person another key
    newcomer = {**person, "customer_id": "A0000001", "source_system": "eshop"}
    newcomer["created_at"] = newcomer["updated_at"] = f"{as_of} 09:00:00"
    assert newcomer["customer_id"] < person["customer_id"] and "A0000001" not in before
    shutil.copytree(raw_dir, second_load)
    with open(second_load / "customers.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows([*rows, newcomer])
    second = run_dbt(RESOLVE, second_load, tmp_path / "second.duckdb", {"SEGMENTATION_AS_OF_DATE": as_of})
    assert second.returncode == 0, second.stdout[-3000:]
    after = _keys(tmp_path / "second.duckdb")

    assert after[person["customer_id"]] == before[person["customer_id"]]
    assert after["A0000001"] == before[person["customer_id"]]  # merged into the person, same key
    # and nobody else's key moved
    assert {customer_id: after[customer_id] for customer_id in before} == before
