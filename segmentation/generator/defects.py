"""Defects real extracts have, planted in a small share of rows, and the record of what was planted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from segmentation.contract import RawTable


@dataclass(frozen=True)
class Defect:
    """One class of defect: what is done to a row, and the reason it must produce: the row
    quarantined (a required column), or only the value nulled, the row kept (an optional column,
    ADR 0019)."""

    table: str
    reason: str
    column: str
    kind: str  # null | blank | text | future | negative | orphan | duplicate_key | exact_duplicate
    value: str = ""
    outcome: str = "quarantined"  # quarantined | nulled


# Text values are unreadable in any format: no day-first date order, decimal comma, currency or
# null string (NULL, N/A...) reads them.
DEFECTS: tuple[Defect, ...] = (
    Defect("customers", "missing_customer_id", "customer_id", "null"),
    Defect("customers", "missing_customer_id", "customer_id", "blank"),
    Defect("customers", "invalid_created_at", "created_at", "text", "31/02/2023"),
    Defect("customers", "future_created_at", "created_at", "future"),
    Defect("customers", "exact_duplicate", "customer_id", "exact_duplicate"),
    Defect("customers", "invalid_birth_date", "birth_date", "text", "31/02/1985", "nulled"),
    Defect("companies", "invalid_employee_count", "employee_count", "text", "about fifty", "nulled"),
    Defect("products", "negative_unit_cost", "unit_cost", "negative", outcome="nulled"),
    Defect("products", "missing_category", "category", "blank"),
    Defect("orders", "missing_order_id", "order_id", "blank"),
    Defect("orders", "invalid_ordered_at", "ordered_at", "text", "yesterday"),
    Defect("orders", "future_ordered_at", "ordered_at", "future"),
    Defect("orders", "unknown_channel", "channel", "text", "fax"),
    Defect("orders", "unknown_status", "status", "text", "lost in transit"),
    Defect("orders", "duplicate_order_id", "payment_method", "duplicate_key", "voucher"),
    Defect("orders", "exact_duplicate", "order_id", "exact_duplicate"),
    Defect("order_lines", "missing_order_line_id", "order_line_id", "null"),
    Defect("order_lines", "invalid_quantity", "quantity", "text", "two"),
    Defect("order_lines", "invalid_unit_price", "unit_price", "text", "twelve euros"),
    Defect("order_lines", "negative_unit_price", "unit_price", "negative"),
    Defect("order_lines", "unknown_order", "order_id", "orphan", "O-GHOST-"),
    Defect("order_lines", "exact_duplicate", "order_line_id", "exact_duplicate"),
    Defect("order_lines", "invalid_discount_amount", "discount_amount", "text", "a few euros", "nulled"),
    Defect("payments", "invalid_amount", "amount", "text", "see invoice"),
    Defect("payments", "negative_amount", "amount", "negative"),
    Defect("payments", "invalid_due_date", "due_date", "text", "soon", "nulled"),
    Defect("marketing_events", "unknown_channel", "channel", "text", "pigeon"),
    Defect("marketing_events", "invalid_event_at", "event_at", "text", "2024-02-30 10:00:00"),
    Defect("marketing_events", "future_event_at", "event_at", "future"),
)
FUTURE_TIMESTAMP = "2031-06-15 12:00:00"
# each planted key duplicate puts two conflicting versions of the id in the extract
ROWS_PER_PLANT = {"duplicate_key": 2}
# (table, reason) -> quarantined | nulled
OUTCOMES = {(defect.table, defect.reason): defect.outcome for defect in DEFECTS}


def applicable(defect: Defect, contract: RawTable, typed_output: bool) -> bool:
    """Text in a typed column cannot exist in a typed (Parquet) file."""
    data_type = next(column.data_type for column in contract.columns if column.name == defect.column)
    return not (typed_output and defect.kind == "text" and data_type != "varchar")


def plant_defects(
    rng: np.random.Generator,
    table: pa.Table,
    defects: list[Defect],
    share: float,
    protected: np.ndarray | None = None,
) -> tuple[pa.Table, list[tuple[str, str, int]]]:
    """The table with each defect planted in its own rows, and (table, reason, rows) planted."""
    eligible = np.flatnonzero(~protected) if protected is not None else np.arange(table.num_rows)
    rows = rng.permutation(eligible)
    if share == 0:
        return table, []
    per_defect = max(1, round(table.num_rows * share))
    appended: list[pa.Table] = []
    planted: list[tuple[str, str, int]] = []
    position = 0
    for defect in defects:
        chosen = np.sort(rows[position : position + per_defect])
        position += per_defect
        if len(chosen) == 0:
            continue
        mask = np.zeros(table.num_rows, dtype=bool)
        mask[chosen] = True
        if defect.kind == "exact_duplicate":
            appended.append(table.take(pa.array(chosen)))
        elif defect.kind == "duplicate_key":
            copy = table.take(pa.array(chosen))
            index = copy.schema.get_field_index(defect.column)
            copy = copy.set_column(index, defect.column, pa.array([defect.value] * len(chosen), pa.string()))
            appended.append(copy)
        else:
            column = table.column(defect.column).combine_chunks()
            table = table.set_column(
                table.schema.get_field_index(defect.column), defect.column, _damaged(column, mask, defect, chosen)
            )
        planted.append((defect.table, defect.reason, len(chosen) * ROWS_PER_PLANT.get(defect.kind, 1)))
    if appended:
        table = pa.concat_tables([table, *appended])
    return table, planted


def _damaged(column: pa.Array, mask: np.ndarray, defect: Defect, chosen: np.ndarray) -> pa.Array:
    count = len(chosen)
    if defect.kind == "null":
        replacement = pa.nulls(count, pa.string())
    elif defect.kind == "blank":
        replacement = pa.array(["   "] * count)
    elif defect.kind == "text":
        replacement = pa.array([defect.value] * count)
    elif defect.kind == "future":
        replacement = pa.array([FUTURE_TIMESTAMP] * count)
    elif defect.kind == "negative":
        replacement = pc.binary_join_element_wise("-", column.filter(pa.array(mask)), "")
    elif defect.kind == "orphan":
        replacement = pa.array([f"{defect.value}{index}" for index in chosen])
    else:
        raise ValueError(f"unknown defect kind {defect.kind!r}")
    return pc.replace_with_mask(column, pa.array(mask), replacement)
