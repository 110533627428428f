"""TPC-DS mapped into the raw contract (segmentation/loaders/tpcds.py): the files, their mapping,
and a build on them. Generated at SF 0.01 (about 1,000 customers) in the generator's own venv."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, run_dbt

from segmentation.raw_folder import MANIFEST_NAME

SCALE_FACTOR = "0.01"


def _load(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "segmentation", "load", "tpcds", "--scale-factor", SCALE_FACTOR, "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def tpcds_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tpcds") / "raw"
    result = _load(out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_raw_files_follow_the_contract_with_a_complete_manifest(tpcds_raw: Path):
    manifest = json.loads((tpcds_raw / MANIFEST_NAME).read_text())
    assert manifest["status"] == "complete"
    assert sorted(manifest["files"]) == [
        "customers.parquet",
        "order_lines.parquet",
        "orders.parquet",
        "products.parquet",
    ]
    with duckdb.connect() as connection:
        columns = {
            name: [row[0] for row in connection.execute(f"describe from '{tpcds_raw}/{name}.parquet'").fetchall()]
            for name in ("customers", "orders", "order_lines", "products")
        }
        last_day = connection.execute(f"select max(ordered_at)::date from '{tpcds_raw}/orders.parquet'").fetchone()[0]
    assert columns["orders"][:4] == ["order_id", "customer_id", "ordered_at", "channel"]
    assert "discount_amount" in columns["order_lines"]
    assert manifest["as_of_date"] == last_day.isoformat()


def test_the_mapping_keeps_channels_returns_and_customers_consistent(tpcds_raw: Path):
    with duckdb.connect() as connection:
        connection.execute(f"create view orders as select * from '{tpcds_raw}/orders.parquet'")
        connection.execute(f"create view lines as select * from '{tpcds_raw}/order_lines.parquet'")
        connection.execute(f"create view customers as select * from '{tpcds_raw}/customers.parquet'")
        channels = {row[0] for row in connection.execute("select distinct channel from orders").fetchall()}
        # a return is a negative line of a product sold on that very order (whose quantity TPC-DS may
        # leave null), and marks the order returned
        unmatched_returns = connection.execute(
            """select count(*) from lines as returned
            where returned.order_line_id like '%-R'
              and not exists (
                  select 1 from lines as sold
                  where sold.order_line_id || '-R' = returned.order_line_id and coalesce(sold.quantity, 1) > 0
              )"""
        ).fetchone()[0]
        # TPC-DS leaves some returned quantities null on purpose: those lines reach the quarantine
        return_quantities = connection.execute(
            "select count(*), count(*) filter (where quantity >= 0) from lines where order_line_id like '%-R'"
        ).fetchone()
        returned_orders_without_return = connection.execute(
            """select count(*) from orders where status = 'returned'
            and order_id not in (select order_id from lines where order_line_id like '%-R')"""
        ).fetchone()[0]
        unknown_customers = connection.execute(
            "select count(*) from orders where customer_id not in (select customer_id from customers)"
        ).fetchone()[0]
        customer_keys = connection.execute("select count(*), count(distinct customer_id) from customers").fetchone()
    assert channels == {"store", "web", "phone"}
    assert return_quantities[0] > 0 and return_quantities[1] == 0
    assert unmatched_returns == 0
    assert returned_orders_without_return == 0
    assert unknown_customers == 0
    assert customer_keys[0] == customer_keys[1]


def test_the_same_scale_factor_writes_the_same_files(tpcds_raw: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert _load(again).returncode == 0
    first = json.loads((tpcds_raw / MANIFEST_NAME).read_text())["files"]
    second = json.loads((again / MANIFEST_NAME).read_text())["files"]
    assert first == second


def test_a_folder_holding_someone_elses_file_is_refused_untouched(tmp_path: Path):
    out = tmp_path / "theirs"
    out.mkdir()
    (out / "orders.csv").write_text("order_id\n1\n")
    result = _load(out)
    assert result.returncode == 2
    assert "refusing to write" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["orders.csv"]


def test_tpcds_builds_with_every_error_test_passing(tpcds_raw: Path, tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    result = run_dbt(["build", "--exclude-resource-type", "unit_test"], tpcds_raw, warehouse)
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        channel_segments = dict(
            connection.execute(
                "select segment_code, count(*) from marts.fct_customer_segments "
                "where segmentation = 'channel' group by segment_code"
            ).fetchall()
        )
        customers = connection.execute("select count(*) from marts.customer_segments").fetchone()[0]
    # three channels in the data: both single-channel and omnichannel buyers are found
    assert customers > 0
    assert channel_segments.get("omnichannel", 0) > 0
