"""Demo data generator: deterministic, shaped like a retailer's extracts, with planted defects."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from segmentation.contract import load_contract
from segmentation.generator import generate


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "raw"
    generate(customers=800, seed=3, out_dir=out, show_progress=False)
    return out


def test_same_seed_gives_identical_files(small: Path, tmp_path: Path):
    generate(customers=800, seed=3, out_dir=tmp_path, show_progress=False)
    assert _digest(tmp_path) == _digest(small)


def test_another_seed_gives_other_data(small: Path, tmp_path: Path):
    generate(customers=800, seed=4, out_dir=tmp_path, show_progress=False)
    assert _digest(tmp_path)["orders.csv"] != _digest(small)["orders.csv"]


def test_every_contract_table_is_written_with_its_columns(small: Path):
    for table in load_contract().values():
        columns = duckdb.sql(
            f"select * from read_csv('{small / (table.name + '.csv')}', all_varchar=true) limit 0"
        ).columns
        assert columns == table.column_names


def test_data_look_like_a_retailer(small: Path):
    con = duckdb.connect()
    orders = f"read_csv('{small / 'orders.csv'}', all_varchar=true)"
    lines = f"read_csv('{small / 'order_lines.csv'}', all_varchar=true)"
    customers = f"read_csv('{small / 'customers.csv'}', all_varchar=true)"
    buyers, people = con.execute(
        f"select count(distinct customer_id), (select count(*) from {customers}) from {orders}"
    ).fetchall()[0]
    assert 0.6 < buyers / people < 0.95, "some customers must be prospects with no order"
    channels = dict(con.sql(f"select channel, count(*) from {orders} group by all").fetchall())
    assert {"web", "store", "phone"} <= set(channels)
    (returns,) = con.execute(f"select count(*) from {lines} where try_cast(quantity as int) < 0").fetchall()[0]
    assert returns > 0, "returns are negative lines"
    spend = con.sql(
        f"select sum(try_cast(quantity as int) * try_cast(unit_price as double)) as s from {lines} l "
        f"join {orders} o using (order_id) group by o.customer_id order by s desc"
    ).fetchall()
    top_decile = sum(s for (s,) in spend[: len(spend) // 10] if s)
    assert top_decile / sum(s for (s,) in spend if s) > 0.3, "spend is heavy-tailed"
    types = dict(con.sql(f"select customer_type, count(*) from {customers} group by all").fetchall())
    assert any(t in types for t in ("B2B", "professionnel")), "some B2B accounts"


def test_planted_defects_are_recorded(small: Path):
    planted = duckdb.sql(
        f"select table_name, reason, planted_row_count from read_csv('{small / '_planted_defects.csv'}')"
    ).fetchall()
    reasons = {(table, reason) for table, reason, _ in planted}
    for expected in [
        ("customers", "missing_customer_id"),
        ("orders", "duplicate_order_id"),
        ("orders", "unknown_channel"),
        ("order_lines", "unknown_order"),
        ("order_lines", "negative_unit_price"),
        ("order_lines", "invalid_quantity"),
        ("orders", "future_ordered_at"),
        ("customers", "invalid_created_at"),
        ("customers", "invalid_birth_date"),
    ]:
        assert expected in reasons
    outcomes = dict(
        duckdb.sql(
            f"select reason, outcome from read_csv('{small / '_planted_defects.csv'}') where table_name = 'customers'"
        ).fetchall()
    )
    assert outcomes["invalid_created_at"] == "quarantined" and outcomes["invalid_birth_date"] == "nulled"
    assert all(rows > 0 for _, _, rows in planted)
    (pairs,) = duckdb.execute(
        f"select count(*) from read_csv('{small / '_planted_duplicate_customers.csv'}')"
    ).fetchall()[0]
    assert pairs > 0


def test_parquet_output_is_typed_and_has_no_text_in_numeric_columns(tmp_path: Path):
    result = generate(customers=300, seed=1, out_dir=tmp_path, file_format="parquet", show_progress=False)
    schema = pq.read_schema(tmp_path / "order_lines.parquet")
    assert str(schema.field("quantity").type) == "int64"
    assert str(pq.read_schema(tmp_path / "orders.parquet").field("ordered_at").type).startswith("timestamp")
    assert not any(reason.startswith("invalid_") for _, reason, _ in result.planted)
    assert not (tmp_path / "orders.csv").exists()


@pytest.mark.parametrize(("customers", "share"), [(0, 0.002), (10, -0.1), (10, 0.5)])
def test_invalid_arguments_are_refused(tmp_path: Path, customers: int, share: float):
    with pytest.raises(ValueError):
        generate(customers=customers, seed=1, out_dir=tmp_path, defect_share=share, show_progress=False)
