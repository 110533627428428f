"""People and companies: customer records of several source systems, with their hidden behaviour."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from segmentation.generator import reference as ref
from segmentation.generator.arrays import (
    SECONDS_PER_DAY,
    categorical,
    categorical_by_row,
    dates,
    pick,
    prefixed_ids,
    text,
    timestamps,
    with_nulls,
)

YEAR = 365.25 * SECONDS_PER_DAY
CHANNELS = ("web", "store", "phone", "marketplace")
MARITAL = ("single", "couple", "married", "divorced", "widowed")
# marital status probabilities by age band: <25, 25-39, 40-64, 65+
MARITAL_BY_AGE = np.array(
    [
        [0.80, 0.17, 0.03, 0.00, 0.00],
        [0.35, 0.30, 0.30, 0.05, 0.00],
        [0.15, 0.15, 0.55, 0.13, 0.02],
        [0.08, 0.07, 0.55, 0.10, 0.20],
    ]
)
CHILDREN_RATE = np.array([0.3, 0.9, 1.8, 1.5, 2.0])


@dataclass
class People:
    """Hidden per-person facts that drive orders, payments and marketing."""

    count: int
    is_b2b: np.ndarray
    is_prospect: np.ndarray
    first_order_at: np.ndarray  # epoch seconds
    active_until: np.ndarray  # epoch seconds: the customer churns after this
    purchase_rate: np.ndarray  # orders per year while active
    preferred_channel: np.ndarray  # index in CHANNELS
    favourite_category: np.ndarray  # index in reference.CATEGORIES
    promo_affinity: np.ndarray  # probability an order uses a promo code
    is_bad_payer: np.ndarray
    engagement: np.ndarray  # 0..1, drives opens and clicks
    has_email_opt_in: np.ndarray
    has_sms_opt_in: np.ndarray
    primary_record: np.ndarray  # index of the person's record in the customers table
    duplicate_record: np.ndarray  # index of a second record in another system, or -1
    record_ids: pa.Array  # customer_id of every record


def _ascii(value: str) -> str:
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _phone_layouts(digits: pa.Array, layout: np.ndarray) -> pa.Array:
    """'0612345678' written as one of the layouts people use."""
    national = pc.utf8_slice_codeunits(digits, 1)  # without the leading 0
    pairs = [pc.utf8_slice_codeunits(digits, start, start + 2) for start in range(0, 10, 2)]
    spaced = pc.binary_join_element_wise(*pairs, " ")
    dotted = pc.binary_join_element_wise(*pairs, ".")
    international = pc.binary_join_element_wise(
        "+33 ", pc.utf8_slice_codeunits(digits, 1, 2), " ", pc.binary_join_element_wise(*pairs[1:], " "), ""
    )
    zero_zero = pc.binary_join_element_wise("0033", national, "")
    choices = [digits, spaced, dotted, international, zero_zero]
    result = choices[0]
    for index, candidate in enumerate(choices[1:], start=1):
        result = pc.if_else(pa.array(layout == index), candidate, result)
    return result


def generate_people(
    rng: np.random.Generator, count: int, start: int, end: int, text_variants: bool
) -> tuple[People, pa.Table, pa.Table, pa.Table]:
    """People, then (customers, companies, duplicate_pairs) tables as text."""
    is_b2b = rng.random(count) < 0.06
    company_count = max(1, int(is_b2b.sum()) // 2)
    company_of = np.minimum((rng.pareto(1.5, count) * company_count / 8).astype(np.int64), company_count - 1)

    # demography
    age = np.clip(rng.normal(46, 16, count), 18, 92)
    birth = (end - age * YEAR - rng.random(count) * YEAR).astype(np.int64)
    gender = categorical(rng, np.array([0.52, 0.47, 0.01]), count)
    age_band = np.digitize(age, [25, 40, 65])
    marital = categorical_by_row(rng, MARITAL_BY_AGE[age_band])
    children = rng.poisson(CHILDREN_RATE[marital] * np.where(age < 25, 0.3, 1.0))
    education = categorical(rng, np.array([0.10, 0.22, 0.22, 0.20, 0.20, 0.06]), count)
    csp_weights = np.array([0.02, 0.07, 0.20, 0.25, 0.27, 0.19, 0.0])
    csp_floor = np.array([row[2] for row in ref.CSP])
    weights = np.where(education[:, None] >= csp_floor[None, :], csp_weights[None, :], csp_weights[None, :] * 0.1)
    weights[(age < 25) & (education >= 2), 6] = 1.5
    csp = categorical_by_row(rng, weights / weights.sum(axis=1, keepdims=True))
    is_retired = (age >= 64) & (rng.random(count) < 0.9)
    is_unemployed = ~is_retired & (rng.random(count) < 0.05)
    income_centre = np.array([row[3] for row in ref.CSP])[csp]
    income_centre = np.where(is_retired, 2, np.where(is_unemployed, 0, income_centre))
    income = np.clip(income_centre + np.round(rng.normal(0, 0.8, count)), 0, 5).astype(np.int64)
    commune_weights = np.array([row[5] for row in ref.COMMUNES])
    commune = categorical(rng, commune_weights, count)
    is_urban = np.array([row[6] for row in ref.COMMUNES])[commune]
    is_flat = rng.random(count) < np.where(is_urban, 0.65, 0.15)

    # behaviour
    is_prospect = rng.random(count) < np.where(is_b2b, 0.05, 0.18)
    created_at = (end - rng.random(count) ** 0.8 * 5 * YEAR).astype(np.int64)
    first_order_at = np.maximum(created_at + rng.exponential(20, count) * SECONDS_PER_DAY, start).astype(np.int64)
    lifetime = np.where(rng.random(count) < 0.2, 50 * YEAR, rng.exponential(2.0, count) * YEAR)
    active_until = np.minimum(first_order_at + lifetime, end).astype(np.int64)
    is_prospect |= first_order_at >= end
    purchase_rate = rng.lognormal(np.log(1.8), 0.8, count) * np.where(is_b2b, 3.0, 1.0)
    preferred_channel = categorical(rng, np.array([0.50, 0.38, 0.06, 0.06]), count)
    favourite_category = rng.integers(0, len(ref.CATEGORIES), count)
    promo_affinity = rng.beta(0.6, 2.4, count)
    is_bad_payer = rng.random(count) < np.where(is_b2b, 0.12, 0.04)
    engagement = rng.beta(1.5, 3.0, count)
    has_email = rng.random(count) > 0.08
    has_phone = rng.random(count) > 0.10
    has_email_opt_in = has_email & (rng.random(count) < 0.65)
    has_sms_opt_in = has_phone & (rng.random(count) < 0.35)

    # the same person in a second source system, linked by email or by phone + name + birth date
    is_duplicated = (rng.random(count) < 0.03) & has_phone & ~is_b2b
    duplicate_people = np.flatnonzero(is_duplicated)
    duplicate_record = np.full(count, -1, dtype=np.int64)
    duplicate_record[duplicate_people] = count + np.arange(len(duplicate_people))

    record_person = np.concatenate([np.arange(count), duplicate_people])
    record_count = len(record_person)
    is_copy = np.arange(record_count) >= count
    record_ids = prefixed_ids("C", np.arange(1, record_count + 1))

    primary_system = categorical(rng, np.array([0.6, 0.3, 0.1]), count)
    systems = ("crm", "eshop", "loyalty")
    record_system = np.concatenate([primary_system, (primary_system[duplicate_people] + 1) % 3])

    p = record_person
    female = gender[p] == 0
    first_index = rng.integers(0, 20, count)[p]
    first_name = pc.if_else(
        pa.array(female), pick(ref.FEMALE_FIRST_NAMES, first_index), pick(ref.MALE_FIRST_NAMES, first_index)
    )
    last_index = rng.integers(0, len(ref.LAST_NAMES), count)[p]
    last_name = pick(ref.LAST_NAMES, last_index)
    ascii_first = pc.if_else(
        pa.array(female),
        pick([_ascii(n) for n in ref.FEMALE_FIRST_NAMES], first_index),
        pick([_ascii(n) for n in ref.MALE_FIRST_NAMES], first_index),
    )
    domain = pick(ref.EMAIL_DOMAINS, rng.integers(0, len(ref.EMAIL_DOMAINS), count)[p])
    local_part = pc.binary_join_element_wise(
        ascii_first, pick([_ascii(n) for n in ref.LAST_NAMES], last_index), text(p + 1), "."
    )
    email = pc.binary_join_element_wise(local_part, domain, "@")
    phone_digits = pc.binary_join_element_wise("06", text(10_000_000 + p), "")
    phone_layout = np.where(
        is_copy, rng.integers(1, 5, record_count), 0 if not text_variants else rng.integers(0, 5, record_count)
    )
    phone = _phone_layouts(phone_digits, phone_layout)
    if text_variants:
        # second systems write the same address differently
        email = pc.if_else(pa.array(is_copy & (rng.random(record_count) < 0.5)), pc.utf8_upper(email), email)
        email = pc.if_else(
            pa.array(is_copy & (rng.random(record_count) < 0.3)),
            pc.binary_join_element_wise(" ", email, " ", ""),
            email,
        )
        last_name = pc.if_else(
            pa.array(is_copy & (rng.random(record_count) < 0.5)), pc.utf8_upper(last_name), last_name
        )
    # a third of the copies have no email: they can only be linked by phone + last name + birth date
    email = with_nulls(email, ~has_email[p] | (is_copy & (rng.random(record_count) < 0.33)))
    phone = with_nulls(phone, ~has_phone[p])

    commune_rows = ref.COMMUNES
    b2c = ~is_b2b[p]
    customer_type = pick(("B2C", "B2B"), is_b2b[p].astype(np.int64))
    gender_text = pick(("F", "M", "X"), gender[p])
    marital_text = pick(MARITAL, marital[p])
    if text_variants:
        variant = rng.random(record_count) < 0.1
        customer_type = pc.if_else(
            pa.array(variant), pick(("particulier", "professionnel"), is_b2b[p].astype(np.int64)), customer_type
        )
        gender_text = pc.if_else(pa.array(variant), pick(("femme", "homme", "autre"), gender[p]), gender_text)
        marital_text = pc.if_else(
            pa.array(variant), pick(("célibataire", "en couple", "marié", "divorcé", "veuf"), marital[p]), marital_text
        )
    csp_label = np.array([row[0] for row in ref.CSP] + [ref.RETIRED_CSP[0], ref.UNEMPLOYED_CSP[0]])
    occupation_label = np.array([row[1] for row in ref.CSP] + [ref.RETIRED_CSP[1], ref.UNEMPLOYED_CSP[1]])
    csp_index = np.where(is_retired, len(ref.CSP), np.where(is_unemployed, len(ref.CSP) + 1, csp))[p]
    opt_in_words = ("false", "true") if not text_variants else ("0", "1")
    created = created_at[p] + np.where(is_copy, rng.integers(30, 400, record_count) * SECONDS_PER_DAY, 0)
    created = np.minimum(created, end - SECONDS_PER_DAY)
    updated = np.minimum(created + rng.exponential(200, record_count) * SECONDS_PER_DAY, end).astype(np.int64)

    def b2c_only(array: pa.Array) -> pa.Array:
        return with_nulls(array, ~b2c)

    customers = pa.table(
        {
            "customer_id": record_ids,
            "source_system": pick(systems, record_system),
            "customer_type": customer_type,
            "company_id": with_nulls(prefixed_ids("K", company_of[p] + 1, 5), b2c),
            "email": email,
            "phone": phone,
            "first_name": first_name,
            "last_name": last_name,
            "birth_date": with_nulls(dates(birth[p]), ~b2c & (rng.random(record_count) < 0.7)),
            "gender": gender_text,
            "marital_status": b2c_only(marital_text),
            "children_count": b2c_only(text(children[p])),
            "education_level": b2c_only(pick(ref.EDUCATION_LEVELS, education[p])),
            "occupation": b2c_only(pa.array(occupation_label[csp_index])),
            "socio_professional_category": b2c_only(pa.array(csp_label[csp_index])),
            "income_band": b2c_only(pick(ref.INCOME_BANDS, income[p])),
            "housing_type": b2c_only(pick(("house", "flat"), is_flat[p].astype(np.int64))),
            "postal_code": pick([row[4] for row in commune_rows], commune[p]),
            "city": pick([row[3] for row in commune_rows], commune[p]),
            "department": pick([row[2] for row in commune_rows], commune[p]),
            "region": pick([row[0] for row in commune_rows], commune[p]),
            "country": pa.array(np.full(record_count, "FR")),
            "email_opt_in": pick(opt_in_words, has_email_opt_in[p].astype(np.int64)),
            "sms_opt_in": pick(opt_in_words, has_sms_opt_in[p].astype(np.int64)),
            "created_at": timestamps(created),
            "updated_at": timestamps(updated),
        }
    )

    sector = rng.integers(0, len(ref.INDUSTRY_SECTORS), company_count)
    employees = np.maximum(1, rng.lognormal(np.log(25), 1.4, company_count)).astype(np.int64)
    company_commune = categorical(rng, commune_weights, company_count)
    companies = pa.table(
        {
            "company_id": prefixed_ids("K", np.arange(1, company_count + 1), 5),
            "company_name": pc.binary_join_element_wise(
                pick(ref.LAST_NAMES, rng.integers(0, len(ref.LAST_NAMES), company_count)),
                pick(("SARL", "SAS", "& Fils", "Conseil", "Group"), rng.integers(0, 5, company_count)),
                " ",
            ),
            "industry_sector": pick(ref.INDUSTRY_SECTORS, sector),
            "employee_count": text(employees),
            "annual_revenue": text(np.round(employees * rng.lognormal(np.log(120_000), 0.5, company_count), -3)),
            "region": pick([row[0] for row in commune_rows], company_commune),
            "country": pa.array(np.full(company_count, "FR")),
            "created_at": timestamps((end - rng.random(company_count) * 8 * YEAR).astype(np.int64)),
        }
    )

    duplicate_pairs = pa.table(
        {
            "customer_id": record_ids.take(pa.array(duplicate_people)),
            "duplicate_customer_id": record_ids.take(pa.array(duplicate_record[duplicate_people])),
        }
    )

    people = People(
        count=count,
        is_b2b=is_b2b,
        is_prospect=is_prospect,
        first_order_at=first_order_at,
        active_until=active_until,
        purchase_rate=purchase_rate,
        preferred_channel=preferred_channel,
        favourite_category=favourite_category,
        promo_affinity=promo_affinity,
        is_bad_payer=is_bad_payer,
        engagement=engagement,
        has_email_opt_in=has_email_opt_in,
        has_sms_opt_in=has_sms_opt_in,
        primary_record=np.arange(count),
        duplicate_record=duplicate_record,
        record_ids=record_ids,
    )
    return people, customers, companies, duplicate_pairs


def spread_first_orders_of_earlier_customers(rng: np.random.Generator, people: People, start: int) -> People:
    """Customers from before the history start were clamped to buy first on its first day; in a real
    extract their first order in the history comes when their next purchase does. Each gets a first
    order within one of their purchase intervals after the start (and before they churn), so
    first-order dates, and the anniversaries of them, are not all on one day."""
    earlier = people.first_order_at <= start
    interval = YEAR / people.purchase_rate
    span = np.minimum(interval, people.active_until - start)
    shifted = start + rng.random(people.count) * np.maximum(span, 0)
    first_order_at = np.where(earlier, shifted, people.first_order_at).astype(np.int64)
    return replace(people, first_order_at=first_order_at)


def move_some_copies(rng: np.random.Generator, customers: pa.Table, people_count: int, share: float) -> pa.Table:
    """A share of the second-system records carry another address: the person moved (a life moment).

    Drawn from its own stream so the rest of the demo stays as it was.
    """
    rows = customers.num_rows
    is_moved = np.zeros(rows, dtype=bool)
    is_moved[people_count:] = rng.random(rows - people_count) < share
    commune = rng.integers(0, len(ref.COMMUNES), rows)
    moved = pa.array(is_moved)
    for column, position in (("postal_code", 4), ("city", 3), ("department", 2), ("region", 0)):
        new_value = pick([row[position] for row in ref.COMMUNES], commune)
        index = customers.schema.get_field_index(column)
        customers = customers.set_column(index, column, pc.if_else(moved, new_value, customers[column]))
    return customers
