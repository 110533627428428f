"""CRM and ad-audience exports (segmentation/activation.py) on the backfilled fixture warehouse:
consent filtering, the column contract, determinism, the delta and the hashed identifiers."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import Backfilled

from segmentation.activation import crm_columns, e164_phone, normalized_email
from segmentation.contract import PROJECT_ROOT


def _export(warehouse: Path, out: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "segmentation", "export", *arguments, "--target", "dev"]
    command += ["--warehouse", str(warehouse), "--out", str(out)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_crm_export_holds_the_consenting_records_with_their_segments(
    backfilled_warehouse: Backfilled, tmp_path: Path, channel: str
) -> None:
    warehouse, as_of = backfilled_warehouse.warehouse, backfilled_warehouse.dates[-1]
    _export(warehouse, tmp_path, "crm", "--channel", channel)
    rows = _read(tmp_path / f"crm_{channel}_{as_of}.csv")
    registry = [
        name
        for (name,) in _query(
            warehouse, "select segmentation from marts.segmentation_registry where is_enabled order by sort_order"
        )
    ]
    assert list(rows[0]) == crm_columns(registry)
    assert list(rows[0])[:4] == ["source_system", "source_customer_id", "customer_key", "as_of_date"]

    expected = _query(
        warehouse,
        f"""
        select records.source_system, records.customer_id
        from intermediate.int_customers_resolved as records
        inner join staging.stg_raw__customers as source_records on records.customer_id = source_records.customer_id
        inner join marts.dim_customers as people on records.customer_key = people.customer_key
        where people.has_{channel}_opt_in and source_records.has_{channel}_opt_in
        order by 1, 2
        """,
    )
    assert [(row["source_system"], row["source_customer_id"]) for row in rows] == expected
    # some records of consenting people are left out because the record itself did not consent
    people_only = _query(
        warehouse,
        f"""
        select count(*) from intermediate.int_customers_resolved as records
        inner join marts.dim_customers as people on records.customer_key = people.customer_key
        where people.has_{channel}_opt_in
        """,
    )[0][0]
    assert 0 < len(rows) <= people_only
    # the segments are the fact's at the as-of date
    facts = dict(
        _query(
            warehouse,
            f"select customer_key, segment_code from marts.fct_customer_segments "
            f"where segmentation = 'rfm' and as_of_date = '{as_of}'",
        )
    )
    assert all(row["rfm_code"] == facts[row["customer_key"]] for row in rows)
    assert {row["as_of_date"] for row in rows} == {as_of}
    # no direct identifier travels: no email, no phone of the golden records
    identifiers = {
        value
        for pair in _query(warehouse, "select email, phone from intermediate.int_customers_golden")
        for value in pair
        if value
    }
    assert not identifiers & {value for row in rows for value in row.values()}


def test_crm_export_is_deterministic(backfilled_warehouse: Backfilled, tmp_path: Path) -> None:
    warehouse, as_of = backfilled_warehouse.warehouse, backfilled_warehouse.dates[-1]
    _export(warehouse, tmp_path / "one", "crm", "--channel", "email")
    _export(warehouse, tmp_path / "two", "crm", "--channel", "email")
    for suffix in ("csv", "parquet"):
        name = f"crm_email_{as_of}.{suffix}"
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_crm_delta_lists_what_changed_since_the_previous_export(
    backfilled_warehouse: Backfilled, tmp_path: Path
) -> None:
    warehouse = backfilled_warehouse.warehouse
    _, previous_date, as_of = backfilled_warehouse.dates
    _export(warehouse, tmp_path, "crm", "--channel", "email", "--as-of-date", previous_date)
    _export(warehouse, tmp_path, "crm", "--channel", "email", "--delta")
    before = {
        (r["source_system"], r["source_customer_id"]): r
        for r in pq.read_table(tmp_path / f"crm_email_{previous_date}.parquet").to_pylist()
    }
    now = {
        (r["source_system"], r["source_customer_id"]): r
        for r in pq.read_table(tmp_path / f"crm_email_{as_of}.parquet").to_pylist()
    }
    delta = {(r["source_system"], r["source_customer_id"]): r for r in _read(tmp_path / f"crm_email_{as_of}_delta.csv")}
    codes = [column for column in next(iter(now.values())) if column.endswith("_code")]

    moved = {key: [c[:-5] for c in codes if now[key][c] != before[key][c]] for key in now.keys() & before.keys()}
    expected = {key: "changed" for key, names in moved.items() if names}
    expected |= dict.fromkeys(now.keys() - before.keys(), "new")
    expected |= dict.fromkeys(before.keys() - now.keys(), "removed")
    assert {key: row["change"] for key, row in delta.items()} == expected
    assert any(change == "changed" for change in expected.values())
    assert len(delta) < len(now)  # customers whose segments did not move are not in the delta
    for key, row in delta.items():
        assert row["previous_as_of_date"] == previous_date
        if row["change"] == "changed":
            assert row["changed_segmentations"].split(",") == moved[key]


def test_audiences_hash_normalized_identifiers_of_consenting_customers(
    backfilled_warehouse: Backfilled, tmp_path: Path
) -> None:
    warehouse, as_of = backfilled_warehouse.warehouse, backfilled_warehouse.dates[-1]
    _export(warehouse, tmp_path, "audience", "--segmentation", "rfm")
    people = _query(
        warehouse,
        f"""
        select members.segment_code, golden.email, golden.phone, people.has_email_opt_in, people.has_sms_opt_in
        from marts.fct_customer_segments as members
        inner join marts.dim_customers as people on members.customer_key = people.customer_key
        inner join intermediate.int_customers_golden as golden on members.customer_key = golden.customer_key
        where members.segmentation = 'rfm' and members.as_of_date = '{as_of}'
        """,
    )
    files = {path.name: _read(path) for path in tmp_path.glob("audience_rfm_*.csv")}
    checked = 0
    for segment, email, phone, email_consent, sms_consent in people:
        google = files.get(f"audience_rfm_{segment}_{as_of}_google.csv", [])
        meta = files.get(f"audience_rfm_{segment}_{as_of}_meta.csv", [])
        if email:
            hashed = hashlib.sha256(normalized_email(email, "google").encode()).hexdigest()
            assert (hashed in {row["Email"] for row in google}) == bool(email_consent)
            checked += 1
        if phone:
            number = e164_phone(phone, "33")
            hashed = hashlib.sha256(number.lstrip("+").encode()).hexdigest()
            assert (hashed in {row["phone"] for row in meta}) == bool(sms_consent)
    assert checked > 100
    # what was hashed never reaches a mart
    hashes = {value for rows in files.values() for row in rows for value in row.values() if value}
    columns = _query(
        warehouse,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR'",
    )
    for table, column in columns:
        values = {value for (value,) in _query(warehouse, f'select distinct "{column}" from marts."{table}"')}
        assert not values & hashes, (table, column)


@pytest.mark.parametrize(
    ("email", "platform", "expected"),
    [
        ("  Jean.Dupont@Gmail.com ", "google", "jeandupont@gmail.com"),
        ("jean.dupont@gmail.com", "meta", "jean.dupont@gmail.com"),
        ("jean.dupont@laposte.net", "google", "jean.dupont@laposte.net"),
    ],
)
def test_normalized_email(email: str, platform: str, expected: str) -> None:
    assert normalized_email(email, platform) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [("0610000001", "+33610000001"), ("0044207946000", "+44207946000"), ("12", None)],
)
def test_e164_phone(phone: str, expected: str | None) -> None:
    assert e164_phone(phone, "33") == expected


def test_crm_export_of_chosen_segmentations(backfilled_warehouse: Backfilled, tmp_path: Path) -> None:
    warehouse, as_of = backfilled_warehouse.warehouse, backfilled_warehouse.dates[-1]
    _export(warehouse, tmp_path, "crm", "--channel", "sms", "--segmentations", "lifecycle,rfm")
    rows = _read(tmp_path / f"crm_sms_{as_of}.csv")
    assert list(rows[0]) == crm_columns(["rfm", "lifecycle"])  # registry order
    command = [sys.executable, "-m", "segmentation", "export", "crm", "--channel", "sms", "--segmentations", "rfm,nope"]
    command += ["--target", "dev", "--warehouse", str(warehouse), "--out", str(tmp_path / "bad")]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "not enabled in this warehouse's registry: nope" in result.stderr
    assert not (tmp_path / "bad").exists()
