"""Deterministic, vectorized demo data for the raw-data contract.

``generate(customers=N, seed=S, out_dir=DIR)`` writes the seven raw tables, plus two side files
recording what was planted: ``_planted_defects.csv`` (table, reason, rows, outcome: quarantined or nulled) and
``_planted_duplicate_customers.csv`` (pairs of records of the same person), and the manifest of
``segmentation.raw_folder`` (the files written and the as-of date the data end on). It writes only
into an empty folder or one holding nothing but its own earlier output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from segmentation.contract import load_contract
from segmentation.generator.defects import DEFECTS, OUTCOMES, applicable, plant_defects
from segmentation.generator.marketing import generate_marketing_events
from segmentation.generator.people import (
    YEAR,
    generate_people,
    move_some_copies,
    spread_first_orders_of_earlier_customers,
)
from segmentation.generator.transactions import generate_products, generate_transactions
from segmentation.raw_folder import OwnFolderWriter
from segmentation.raw_writer import FORMATS, side_file_name, table_file_name, write_side_file, write_table

DEFAULT_END_DATE = dt.date(2026, 9, 30)
HISTORY_YEARS = 3
# share of second-system customer records holding a newer address (the person moved)
MOVED_COPY_SHARE = 0.3


@dataclass(frozen=True)
class GenerationResult:
    """What was written: row counts per table and the planted defects."""

    row_counts: dict[str, int]
    planted: list[tuple[str, str, int]]
    files: list[Path]


def generate(
    customers: int,
    seed: int,
    out_dir: Path,
    file_format: str = "csv",
    end_date: dt.date = DEFAULT_END_DATE,
    defect_share: float = 0.002,
    show_progress: bool = True,
) -> GenerationResult:
    """Write the raw tables for ``customers`` people; the same arguments give the same files."""
    if customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}")
    if not 0 <= defect_share < 0.03:
        raise ValueError(f"defect_share must be in [0, 0.03), got {defect_share}")
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {file_format!r}")
    contract = load_contract()
    planned = [table_file_name(name, file_format) for name in contract]
    planned += [side_file_name("planted_defects"), side_file_name("planted_duplicate_customers")]
    arguments = {"customers": customers, "seed": seed, "format": file_format, "end_date": end_date.isoformat()}
    # checks the folder before any work: a folder holding anyone else's file is refused untouched
    folder = OwnFolderWriter(out_dir, planned, {"written_by": "segmentation generate", "arguments": arguments})
    end = int(dt.datetime.combine(end_date, dt.time(23, 59, 59), tzinfo=dt.UTC).timestamp())
    start = int(end - HISTORY_YEARS * YEAR)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    typed_output = file_format == "parquet"

    progress = tqdm(total=5, desc="generate", unit="step", disable=not show_progress)
    people, customer_table, companies, duplicate_pairs = generate_people(
        streams[0], customers, start, end, text_variants=not typed_output
    )
    customer_table = move_some_copies(streams[6], customer_table, people.count, MOVED_COPY_SHARE)
    people = spread_first_orders_of_earlier_customers(streams[7], people, start)
    progress.update()
    products, price = generate_products(streams[1])
    orders, order_lines, payments = generate_transactions(streams[2], people, price, end)
    progress.update()
    marketing_events = generate_marketing_events(streams[3], people, start, end)
    progress.update()

    tables = {
        "customers": customer_table,
        "companies": companies,
        "products": products,
        "orders": orders,
        "order_lines": order_lines,
        "payments": payments,
        "marketing_events": marketing_events,
    }
    in_duplicate_pair = np.zeros(customer_table.num_rows, dtype=bool)
    in_duplicate_pair[people.count :] = True
    in_duplicate_pair[np.flatnonzero(people.duplicate_record >= 0)] = True
    planted: list[tuple[str, str, int]] = []
    defect_rng = streams[4]
    for name, table in tables.items():
        defects = [d for d in DEFECTS if d.table == name and applicable(d, contract[name], typed_output)]
        protected = in_duplicate_pair if name == "customers" else None
        tables[name], planted_here = plant_defects(defect_rng, table, defects, defect_share, protected)
        planted.extend(planted_here)
    progress.update()

    folder.start()
    files = [write_table(table, contract[name], out_dir, file_format) for name, table in tables.items()]
    files.append(
        write_side_file(
            pa.table(
                {
                    "table_name": [p[0] for p in planted],
                    "reason": [p[1] for p in planted],
                    "planted_row_count": [p[2] for p in planted],
                    "outcome": [OUTCOMES.get((p[0], p[1]), "quarantined") for p in planted],
                }
            ),
            out_dir,
            "planted_defects",
        )
    )
    files.append(write_side_file(duplicate_pairs, out_dir, "planted_duplicate_customers"))
    folder.finish(as_of_date=end_date)
    progress.update()
    progress.close()
    return GenerationResult(
        row_counts={name: table.num_rows for name, table in tables.items()}, planted=planted, files=files
    )
