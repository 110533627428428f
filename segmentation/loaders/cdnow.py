"""CDNOW: the public transaction log of 23,570 customers of the online CD store CDNOW who made
their first purchase in the first quarter of 1997, followed to the end of June 1998 (Fader &
Hardie). Shipped in the ``lifetimes`` package as ``datasets/CDNOW_master.txt``: one purchase per
row, ``customer_id date(YYYYMMDD) number_of_cds dollar_value``.

Mapped into the raw-data contract (the compromises, also in docs/decisions/0008):
  - customers: one row per customer id, ``created_at`` = day of the first purchase (the log has
    no sign-up date), ``customer_type`` B2C, ``source_system`` cdnow; no other attribute.
  - orders: one per row of the log (two rows on one day are two purchases, as in the
    literature), ``order_id`` = customer id + rank of the row within the customer, ordered at
    midnight of its day, channel ``web`` (an online store), status ``completed``, USD.
  - order_lines: one per order, ``quantity`` = CDs, ``product_id`` ``CD``. The unit price is the
    dollar value divided by the CDs, rounded up to the cent; the rounding (less than one cent
    per CD) is the line's ``discount_amount``, so that quantity x unit price - discount = the
    dollar value exactly.
  - no companies, products, payments or marketing events (optional files, not written).

``--sample`` keeps the 2,357 customers of the published analyses (Fader, Hardie & Lee 2005; the
BG/NBD validation of docs/decisions/0012): the master ids listed in ``CDNOW_sample.txt``, shipped
beside the master file (its first column is the master id, its rows are the master's rows of
those customers, unchanged). That list is a 1/10 systematic sample stratified by the week of the
first purchase; ties in its sort order are unknown, so it is read, not recomputed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from segmentation.contract import load_contract
from segmentation.raw_folder import OwnFolderWriter
from segmentation.raw_writer import FORMATS, table_file_name, write_table

SOURCE_IN_LIFETIMES = Path("datasets") / "CDNOW_master.txt"
SAMPLE_FILE_NAME = "CDNOW_sample.txt"


@dataclass(frozen=True)
class Purchase:
    customer_id: str
    day: dt.date
    cds: int
    cents: int


@dataclass(frozen=True)
class LoadResult:
    row_counts: dict[str, int]
    as_of_date: dt.date
    source: Path


def installed_source() -> Path:
    """CDNOW_master.txt inside the installed ``lifetimes`` package (found without importing it)."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the lifetimes package is not installed: pip install 'segmentation[cdnow]' (make install does), "
            "or pass --source PATH to CDNOW_master.txt"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_IN_LIFETIMES
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found in the installed lifetimes package")
    return path


def _cents(text: str) -> int:
    units, _, fraction = text.partition(".")
    if not units.isdigit() or not (fraction.isdigit() or fraction == "") or len(fraction) > 2:
        raise ValueError(f"not a dollar amount with at most 2 decimals: {text!r}")
    return int(units) * 100 + int(fraction.ljust(2, "0") or 0)


def read_purchases(source: Path) -> list[Purchase]:
    """Every purchase of the log, in file order. Raises on a malformed line (with its number)."""
    purchases = []
    with source.open(encoding="ascii") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields or (number == 1 and not fields[0].isdigit()):
                continue  # blank line or the header
            try:
                customer_id, day, cds, dollars = fields
                purchase = Purchase(customer_id, dt.datetime.strptime(day, "%Y%m%d").date(), int(cds), _cents(dollars))
            except ValueError as error:
                raise ValueError(f"{source}:{number}: {line.strip()!r}: {error}") from None
            if purchase.cds < 1:
                raise ValueError(f"{source}:{number}: a purchase of {purchase.cds} CDs")
            purchases.append(purchase)
    if not purchases:
        raise ValueError(f"{source}: no purchase found")
    return purchases


def read_sample_ids(source: Path) -> set[str]:
    """Master ids of the 2,357-customer sample: the first column of CDNOW_sample.txt beside ``source``."""
    path = source.parent / SAMPLE_FILE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: the sample list ships beside CDNOW_master.txt in lifetimes")
    with path.open(encoding="ascii") as handle:
        ids = {line.split()[0] for line in handle if line.strip()}
    if not ids or not all(i.isdigit() for i in ids):
        raise ValueError(f"{path}: expected a master customer id in the first column of every line")
    return ids


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def to_raw_tables(purchases: list[Purchase]) -> dict[str, pa.Table]:
    """The raw-contract tables (as text, like a CSV extract) for a list of purchases."""
    first_day: dict[str, dt.date] = {}
    rank: dict[str, int] = {}
    orders: dict[str, list[str]] = {k: [] for k in ("order_id", "customer_id", "ordered_at")}
    lines: dict[str, list[str]] = {k: [] for k in ("order_line_id", "order_id", "quantity", "unit_price")}
    discounts: list[str | None] = []
    for purchase in purchases:
        first_day[purchase.customer_id] = min(first_day.get(purchase.customer_id, purchase.day), purchase.day)
        rank[purchase.customer_id] = rank.get(purchase.customer_id, 0) + 1
        order_id = f"{purchase.customer_id}-{rank[purchase.customer_id]}"
        unit_cents = -(-purchase.cents // purchase.cds)  # rounded up to the cent
        rounding = unit_cents * purchase.cds - purchase.cents
        orders["order_id"].append(order_id)
        orders["customer_id"].append(purchase.customer_id)
        orders["ordered_at"].append(f"{purchase.day.isoformat()} 00:00:00")
        lines["order_line_id"].append(f"{order_id}-1")
        lines["order_id"].append(order_id)
        lines["quantity"].append(str(purchase.cds))
        lines["unit_price"].append(_money(unit_cents))
        discounts.append(_money(rounding) if rounding else None)
    count = len(purchases)
    customer_ids = sorted(first_day)
    return {
        "customers": pa.table(
            {
                "customer_id": customer_ids,
                "source_system": ["cdnow"] * len(customer_ids),
                "customer_type": ["B2C"] * len(customer_ids),
                "created_at": [f"{first_day[c].isoformat()} 00:00:00" for c in customer_ids],
            }
        ),
        "orders": pa.table(
            {
                **orders,
                "channel": ["web"] * count,
                "status": ["completed"] * count,
                "currency": ["USD"] * count,
            }
        ),
        "order_lines": pa.table(
            {
                "order_line_id": lines["order_line_id"],
                "order_id": lines["order_id"],
                "product_id": ["CD"] * count,
                "quantity": lines["quantity"],
                "unit_price": lines["unit_price"],
                "discount_amount": pa.array(discounts, pa.string()),
            }
        ),
    }


def load_cdnow(out_dir: Path, source: Path | None = None, file_format: str = "csv", sample: bool = False) -> LoadResult:
    """Write CDNOW as raw files into ``out_dir`` (empty, or written by this tool before); with
    ``sample``, only the customers of the published 2,357-customer sample."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {file_format!r}")
    source = source or installed_source()
    contract = load_contract()
    names = ("customers", "orders", "order_lines")
    folder = OwnFolderWriter(
        out_dir,
        [table_file_name(name, file_format) for name in names],
        {
            "written_by": "segmentation load cdnow",
            "arguments": {"format": file_format, "source": source.name, "sample": sample},
        },
    )
    purchases = read_purchases(source)
    if sample:
        kept = read_sample_ids(source)
        purchases = [p for p in purchases if p.customer_id in kept]
    tables = to_raw_tables(purchases)
    folder.start()
    for name in names:
        write_table(tables[name], contract[name], out_dir, file_format)
    as_of_date = max(p.day for p in purchases)
    folder.finish(as_of_date=as_of_date)
    return LoadResult({name: tables[name].num_rows for name in names}, as_of_date, source)
