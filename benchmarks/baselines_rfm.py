"""What users pick instead of a warehouse: the pandas RFM helpers, timed on the same raw files.

Runs in the baselines' virtualenv (benchmarks/baselines-constraints.txt), started by bench.py:

    python baselines_rfm.py --raw DIR --as-of YYYY-MM-DD --library pymc-marketing|lifetimes

Load = read orders and order lines (Parquet), value each order (quantity x unit price - discount),
keep non-cancelled orders with a customer and a date; summary = the library's per-customer
frequency / recency / T / monetary value. Prints one JSON line of seconds (import excluded).
"""

from __future__ import annotations

import argparse
import json
import time

import pandas as pd


def load_transactions(raw: str) -> pd.DataFrame:
    orders = pd.read_parquet(f"{raw}/orders.parquet", columns=["order_id", "customer_id", "ordered_at", "status"])
    lines = pd.read_parquet(
        f"{raw}/order_lines.parquet", columns=["order_id", "quantity", "unit_price", "discount_amount"]
    )
    lines["amount"] = lines["quantity"] * lines["unit_price"] - lines["discount_amount"].fillna(0)
    amounts = lines.groupby("order_id", as_index=False)["amount"].sum()
    kept = orders[orders["status"].str.strip().str.lower() != "cancelled"].dropna(subset=["customer_id", "ordered_at"])
    return kept.merge(amounts, on="order_id")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--library", choices=("pymc-marketing", "lifetimes"), required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.library == "pymc-marketing":
        from pymc_marketing.clv.utils import rfm_summary as summarize

        unit = {"time_unit": "D"}
    else:
        from lifetimes.utils import summary_data_from_transaction_data as summarize

        unit = {"freq": "D"}
    imported = time.perf_counter()
    transactions = load_transactions(args.raw)
    loaded = time.perf_counter()
    summary = summarize(
        transactions,
        "customer_id",
        "ordered_at",
        monetary_value_col="amount",
        observation_period_end=args.as_of,
        **unit,
    )
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "import_seconds": imported - started,
                "load_seconds": loaded - imported,
                "summary_seconds": done - loaded,
                "seconds": done - imported,
                "transactions": len(transactions),
                "customers": len(summary),
            }
        )
    )


if __name__ == "__main__":
    main()
