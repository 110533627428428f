"""Catalogue, orders, order lines and payments drawn from each person's purchase process."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from segmentation.generator import reference as ref
from segmentation.generator.arrays import (
    SECONDS_PER_DAY,
    amounts,
    categorical,
    dates,
    pick,
    prefixed_ids,
    text,
    timestamps,
    with_nulls,
)
from segmentation.generator.people import CHANNELS, YEAR, People

ORDER_STATUSES = ("completed", "cancelled", "returned")
PRODUCTS_PER_CATEGORY = 60


def generate_products(rng: np.random.Generator) -> tuple[pa.Table, np.ndarray]:
    """The catalogue and each product's list price."""
    categories = list(ref.CATEGORIES)
    category = np.repeat(np.arange(len(categories)), PRODUCTS_PER_CATEGORY)
    count = len(category)
    median = np.array([ref.CATEGORIES[name][1] for name in categories])[category]
    spread = np.array([ref.CATEGORIES[name][2] for name in categories])[category]
    price = np.round(rng.lognormal(np.log(median), spread), 2) + 0.99
    subcategory = [
        ref.CATEGORIES[categories[c]][0][i % len(ref.CATEGORIES[categories[c]][0])] for i, c in enumerate(category)
    ]
    brand = rng.integers(0, len(ref.BRANDS), count)
    products = pa.table(
        {
            "product_id": prefixed_ids("P", np.arange(1, count + 1), 5),
            "product_name": pc.binary_join_element_wise(
                pick(ref.BRANDS, brand), pa.array(subcategory), text(np.arange(1, count + 1)), " "
            ),
            "category": pick(categories, category),
            "subcategory": pa.array(subcategory),
            "collection": pick(ref.COLLECTIONS, rng.integers(0, len(ref.COLLECTIONS), count)),
            "brand": pick(ref.BRANDS, brand),
            "unit_cost": amounts(price * rng.uniform(0.3, 0.6, count)),
        }
    )
    return products, price


def _order_times(rng: np.random.Generator, people: People, person: np.ndarray, is_first: np.ndarray) -> np.ndarray:
    """First order at the person's first purchase, the others spread over their active span, with
    a share pulled into the pre-Christmas weeks."""
    first = people.first_order_at[person]
    span = np.maximum(people.active_until[person] - first, 0)
    at = first + np.where(is_first, 0, rng.random(len(person)) * span)
    year_start = (at.astype("datetime64[s]").astype("datetime64[Y]")).astype("datetime64[s]").astype(np.int64)
    festive = year_start + (318 + rng.random(len(person)) * 40) * SECONDS_PER_DAY
    pull = ~is_first & (rng.random(len(person)) < 0.15) & (festive >= first) & (festive <= people.active_until[person])
    at = np.where(pull, festive, at)
    hour = np.where(
        people.preferred_channel[person] == 1, rng.integers(9, 19, len(person)), rng.integers(0, 24, len(person))
    )
    day = at - at % SECONDS_PER_DAY
    return (day + hour * 3600 + rng.integers(0, 3600, len(person))).astype(np.int64)


def generate_transactions(
    rng: np.random.Generator, people: People, price: np.ndarray, end: int
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """(orders, order_lines, payments) tables."""
    buyers = np.flatnonzero(~people.is_prospect)
    active_years = (people.active_until[buyers] - people.first_order_at[buyers]) / YEAR
    order_count = 1 + np.minimum(rng.poisson(people.purchase_rate[buyers] * active_years), 300)
    person = np.repeat(buyers, order_count)
    order_total = len(person)
    is_first = np.zeros(order_total, dtype=bool)
    is_first[np.cumsum(order_count) - order_count] = True
    ordered_at = _order_times(rng, people, person, is_first)
    # sorted by time within each person so that order ids follow the calendar
    order = np.lexsort((ordered_at, person))
    person, ordered_at = person[order], ordered_at[order]

    # a person known in two systems buys some of the time under the second record
    record = np.where(
        (people.duplicate_record[person] >= 0) & (rng.random(order_total) < 0.35),
        people.duplicate_record[person],
        people.primary_record[person],
    )
    channel = np.where(
        rng.random(order_total) < 0.8,
        people.preferred_channel[person],
        categorical(rng, np.array([0.5, 0.38, 0.06, 0.06]), order_total),
    )
    status = categorical(rng, np.array([0.90, 0.04, 0.06]), order_total)
    has_promo = rng.random(order_total) < people.promo_affinity[person]
    promo_share = np.where(has_promo, rng.choice([0.1, 0.15, 0.2, 0.3], order_total), 0.0)
    payment_method = np.where(
        people.is_b2b[person],
        3,
        np.where(
            channel == 1,
            rng.choice([0, 2, 4], order_total, p=[0.7, 0.25, 0.05]),
            rng.choice([0, 1], order_total, p=[0.75, 0.25]),
        ),
    )
    order_ids = prefixed_ids("O", np.arange(1, order_total + 1), 8)
    orders = pa.table(
        {
            "order_id": order_ids,
            "customer_id": people.record_ids.take(pa.array(record)),
            "ordered_at": timestamps(ordered_at),
            "channel": pick(CHANNELS, channel),
            "store_id": with_nulls(prefixed_ids("S", 1 + person % 40, 3), channel != 1),
            "status": pick(ORDER_STATUSES, status),
            "currency": pa.array(np.full(order_total, "EUR")),
            "payment_method": pick(ref.PAYMENT_METHODS, payment_method),
            "promo_code": with_nulls(
                pick(("WELCOME10", "SPRING15", "VIP20", "BLACKFRIDAY30"), (promo_share * 10).astype(np.int64) % 4),
                ~has_promo,
            ),
        }
    )

    # lines: favourite category most of the time, popular products more often
    b2b = people.is_b2b[person]
    line_count = 1 + np.where(b2b, rng.poisson(3.0, order_total), rng.poisson(1.1, order_total))
    line_order = np.repeat(np.arange(order_total), line_count)
    line_total = len(line_order)
    line_person = person[line_order]
    in_favourite = rng.random(line_total) < 0.6
    rank = (rng.random(line_total) ** 1.6 * PRODUCTS_PER_CATEGORY).astype(np.int64)
    favourite_product = people.favourite_category[line_person] * PRODUCTS_PER_CATEGORY + rank
    any_product = (rng.random(line_total) ** 2 * len(price)).astype(np.int64)
    product = np.where(in_favourite, favourite_product, any_product)
    quantity = 1 + np.where(b2b[line_order], rng.poisson(4.0, line_total), rng.poisson(0.25, line_total))
    unit_price = np.round(price[product] * np.where(rng.random(line_total) < 0.1, 0.7, 1.0), 2)
    discount = np.round(quantity * unit_price * promo_share[line_order], 2)

    # returns: a returned order gives back some of its lines, as negative quantities
    returned_line = (status[line_order] == 2) & (rng.random(line_total) < 0.6)
    first_line = np.cumsum(line_count) - line_count
    returned_line[first_line[status == 2]] = True
    back = np.flatnonzero(returned_line)
    back_quantity = np.maximum(1, (quantity[back] * rng.uniform(0.3, 1.0, len(back))).round().astype(np.int64))
    all_order = np.concatenate([line_order, line_order[back]])
    all_product = np.concatenate([product, product[back]])
    all_quantity = np.concatenate([quantity, -back_quantity])
    all_price = np.concatenate([unit_price, unit_price[back]])
    all_discount = np.concatenate([discount, np.round(discount[back] * back_quantity / quantity[back], 2)])
    sequence = np.lexsort((np.arange(len(all_order)), all_order))
    all_order, all_product, all_quantity = all_order[sequence], all_product[sequence], all_quantity[sequence]
    all_price, all_discount = all_price[sequence], all_discount[sequence]
    order_lines = pa.table(
        {
            "order_line_id": prefixed_ids("L", np.arange(1, len(all_order) + 1), 9),
            "order_id": order_ids.take(pa.array(all_order)),
            "product_id": prefixed_ids("P", all_product + 1, 5),
            "quantity": text(all_quantity),
            "unit_price": amounts(all_price),
            "discount_amount": amounts(all_discount),
        }
    )

    # payments: one per order that was not cancelled, plus a refund for returns
    sold = np.bincount(line_order, weights=quantity * unit_price - discount, minlength=order_total)
    refunded = np.bincount(
        all_order,
        weights=np.where(all_quantity < 0, -(all_quantity * all_price) - all_discount, 0.0),
        minlength=order_total,
    )
    paid = np.flatnonzero(status != 1)
    is_b2b_order = b2b[paid]
    due = ordered_at[paid] + np.where(is_b2b_order, 30 * SECONDS_PER_DAY, 0)
    bad = people.is_bad_payer[person[paid]]
    behaviour = rng.random(len(paid))
    delay_days = np.where(
        bad,
        rng.uniform(20, 150, len(paid)),
        np.where(is_b2b_order, rng.normal(-3, 8, len(paid)), 0.0),
    )
    paid_at = (np.maximum(due + delay_days * SECONDS_PER_DAY, ordered_at[paid])).astype(np.int64)
    payment_status = np.where(bad & (behaviour < 0.25), 2, np.where(bad & (behaviour < 0.45), 1, 0))
    payment_status = np.where((payment_status == 0) & (paid_at > end), 1, payment_status)
    refund = paid[refunded[paid] > 0]
    payment_total = len(paid) + len(refund)
    payments = pa.table(
        {
            "payment_id": prefixed_ids("Y", np.arange(1, payment_total + 1), 8),
            "order_id": order_ids.take(pa.array(np.concatenate([paid, refund]))),
            "amount": amounts(np.concatenate([sold[paid], refunded[refund]])),
            "due_date": dates(np.concatenate([due, ordered_at[refund]])),
            "paid_at": with_nulls(
                timestamps(np.concatenate([paid_at, np.minimum(ordered_at[refund] + 14 * SECONDS_PER_DAY, end)])),
                np.concatenate([payment_status != 0, np.zeros(len(refund), dtype=bool)]),
            ),
            "payment_method": pick(ref.PAYMENT_METHODS, np.concatenate([payment_method[paid], payment_method[refund]])),
            "status": pick(
                ("paid", "pending", "failed", "refunded"), np.concatenate([payment_status, np.full(len(refund), 3)])
            ),
        }
    )
    return orders, order_lines, payments
