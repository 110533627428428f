"""Malformed extracts, one defect per file, each with a clear verdict: an error naming the file,
table or column, a quarantine reason, or a warning naming what to fix (docs/decisions/0013)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_ROOT, run_dbt

from segmentation.generator import generate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clean_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("malformed") / "raw"
    generate(customers=300, seed=13, out_dir=out, show_progress=False)
    return out


def _copy(raw: Path, tmp_path: Path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(raw, target)
    return target


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(header or list(rows[0]))
        writer.writerows([list(row.values()) for row in rows])


def _build(raw: Path, tmp_path: Path, *select: str):
    return run_dbt(
        [
            "build",
            "--exclude-resource-type",
            "unit_test",
            "--indirect-selection",
            "cautious",
            *(["--select", *select] if select else []),
        ],
        raw,
        tmp_path / "w.duckdb",
        {"SEGMENTATION_AS_OF_DATE": "2026-09-30"},
    )


def test_a_header_only_orders_file_stops_the_build_naming_the_table(clean_raw: Path, tmp_path: Path):
    raw = _copy(clean_raw, tmp_path)
    header = (raw / "orders.csv").read_text(encoding="utf-8").splitlines()[0]
    (raw / "orders.csv").write_text(header + "\n", encoding="utf-8")
    result = _build(raw, tmp_path, "+quarantine_reconciliation")
    assert result.returncode == 1
    assert "Failure in test raw_orders_has_valid_rows" in result.stdout, result.stdout[-3000:]


def test_parquet_order_lines_all_quarantined_stop_the_build_naming_the_table(clean_raw: Path, tmp_path: Path):
    raw = _copy(clean_raw, tmp_path)
    lines = _rows(raw / "order_lines.csv")
    (raw / "order_lines.csv").unlink()
    table = pa.Table.from_pylist([{**line, "quantity": "lots"} for line in lines])  # every quantity unreadable
    pq.write_table(table, raw / "order_lines.parquet")
    result = _build(raw, tmp_path, "+quarantine_reconciliation")
    assert result.returncode == 1
    assert "Failure in test raw_order_lines_has_valid_rows" in result.stdout, result.stdout[-3000:]
    assert "Failure in test raw_order_lines_quarantined_share_within_quarantine_error_share" in result.stdout


def test_a_share_quarantined_above_the_limit_stops_the_build(clean_raw: Path, tmp_path: Path):
    raw = _copy(clean_raw, tmp_path)
    products = _rows(raw / "products.csv")
    for product in products[: len(products) // 3]:
        product["product_id"] = ""  # a third of the products without an id
    _write(raw / "products.csv", products)
    result = _build(raw, tmp_path, "+quarantine_reconciliation")
    assert result.returncode == 1
    assert "Failure in test raw_products_quarantined_share_within_quarantine_error_share" in result.stdout
    relaxed = run_dbt(
        ["build", "--select", "+quarantine_reconciliation", "--vars", "{quarantine_error_share: 0.5}"],
        raw,
        tmp_path / "w.duckdb",
        {"SEGMENTATION_AS_OF_DATE": "2026-09-30"},
    )
    assert "raw_products_quarantined_share_within_quarantine_error_share" in relaxed.stdout
    assert "Failure in test raw_products_quarantined" not in relaxed.stdout, "the limit is the var's"


def test_a_duplicated_header_column_fails_naming_the_file_and_column(clean_raw: Path, tmp_path: Path):
    raw = _copy(clean_raw, tmp_path)
    customers = _rows(raw / "customers.csv")
    header = list(customers[0])
    position = header.index("email")
    # the copy comes first and holds the phone numbers: no way to tell which one is the email
    doubled = [list(row.values()) for row in customers]
    for row, customer in zip(doubled, customers, strict=True):
        row.insert(position, customer["phone"])
    with open(raw / "customers.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*header[:position], "email", *header[position:]])
        writer.writerows(doubled)
    result = run_dbt(["run", "--select", "base_raw__products"], raw, tmp_path / "w.duckdb")
    assert result.returncode != 0
    assert "customers.csv has the column 'email' twice (columns 5 and 6)" in result.stdout, result.stdout[-3000:]


def test_an_empty_file_says_it_is_empty(clean_raw: Path, tmp_path: Path):
    raw = _copy(clean_raw, tmp_path)
    (raw / "products.csv").write_bytes(b"")
    result = run_dbt(["run", "--select", "base_raw__products"], raw, tmp_path / "w.duckdb")
    assert result.returncode != 0
    assert "products.csv is empty (0 bytes)" in result.stdout, result.stdout[-3000:]


def test_a_return_without_a_matching_sale_is_warned_about(clean_raw: Path, tmp_path: Path):
    raw = _copy(clean_raw, tmp_path)
    orders = {order["order_id"]: order for order in _rows(raw / "orders.csv")}
    lines = _rows(raw / "order_lines.csv")
    bought = {
        (orders[line["order_id"]]["customer_id"], line["product_id"]) for line in lines if line["order_id"] in orders
    }
    products = [product["product_id"] for product in _rows(raw / "products.csv")]
    line = next(line for line in lines if line["order_id"] in orders and line["quantity"] == "1")
    customer = orders[line["order_id"]]["customer_id"]
    never_bought = next(product for product in products if (customer, product) not in bought)
    lines.append({**line, "order_line_id": "L_RETURN_NO_SALE", "product_id": never_bought, "quantity": "-1"})
    _write(raw / "order_lines.csv", lines)
    result = _build(raw, tmp_path, "+returns_have_a_matching_sale")
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as warehouse:
        found = warehouse.execute(
            "select count(*) from staging.stg_raw__order_lines where order_line_id = 'L_RETURN_NO_SALE'"
        ).fetchone()[0]
    assert found == 1, "staged (nothing lost), and warned about:"
    warned = [line for line in result.stdout.splitlines() if "returns_have_a_matching_sale" in line]
    assert any("WARN" in line for line in warned), warned


def test_control_characters_are_warned_about_naming_the_table(clean_raw: Path, tmp_path: Path):
    raw = _copy(clean_raw, tmp_path)
    customers = _rows(raw / "customers.csv")
    customers[3]["first_name"] = "Ma\x00rie"
    customers[4]["last_name"] = "Du\x1bpont"
    _write(raw / "customers.csv", customers)
    result = _build(raw, tmp_path, "+raw_text_has_no_control_characters")
    assert result.returncode == 0, result.stdout[-3000:]
    warned = [line for line in result.stdout.splitlines() if "raw_text_has_no_control_characters" in line]
    assert any("WARN 1" in line for line in warned), warned
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as warehouse:
        compiled = next(
            (tmp_path / "dbt_target" / "compiled").rglob("raw_text_has_no_control_characters.sql")
        ).read_text()
        assert warehouse.execute(compiled).fetchall() == [("customers", 2)]


def test_the_raw_views_read_the_same_files_from_any_working_directory(clean_raw: Path, tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    relative = Path(os.path.relpath(clean_raw, PROJECT_ROOT))  # as a user writes data/raw
    result = run_dbt(["run", "--select", "base_raw__products"], relative, warehouse)
    assert result.returncode == 0, result.stdout[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        f"import duckdb; connection = duckdb.connect('{warehouse}', read_only=True); "
        "print(connection.execute('select count(*) from raw.orders').fetchone()[0])"
    )
    counted = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, capture_output=True, text=True, check=False)
    assert counted.returncode == 0, counted.stderr
    assert int(counted.stdout) == len(_rows(clean_raw / "orders.csv"))
