"""The dbt pipeline on the fixture dataset: nothing lost, every planted defect quarantined (or, in an
optional column, nulled) with its reason, duplicated people resolved, BI marts free of direct
identifiers."""

from __future__ import annotations

import duckdb
import pytest
from conftest import planted_defects

from segmentation.contract import load_contract
from segmentation.generator.defects import OUTCOMES

# reasons caused by another table's rejects, so a planted defect may cascade into more of them
REFERENCE_REASONS = {"unknown_order", "unknown_customer", "order_quarantined", "customer_quarantined"}
SCHEMAS = {"raw", "staging", "intermediate", "marts", "quarantine"}

pytestmark = pytest.mark.slow


def test_raw_rows_reconcile_with_staged_quarantined_and_duplicates(query):
    rows = query(
        "select table_name, raw_row_count, staged_row_count, quarantined_row_count, duplicate_row_count "
        "from quarantine.quarantine_reconciliation"
    )
    assert {row[0] for row in rows} == set(load_contract())
    for table, raw, staged, quarantined, duplicates in rows:
        assert raw == staged + quarantined + duplicates, table
        assert staged > 0, table
    # value by value: every raw value staged, nulled with a reason or quarantined (ADR 0019)
    values = query(
        "select table_name, raw_value_count, staged_value_count, nulled_value_count, quarantined_value_count "
        "from quarantine.quarantine_reconciliation"
    )
    for table, raw, staged, nulled, quarantined in values:
        assert raw == staged + nulled + quarantined, table
    nulled_by_table = dict(query("select table_name, count(*) from quarantine.quarantine_nulled_values group by all"))
    assert nulled_by_table == {table: nulled for table, _, _, nulled, _ in values if nulled}


def test_each_planted_defect_lands_in_quarantine_with_its_reason(fixture_warehouse, query):
    raw_dir, _ = fixture_warehouse
    found = {
        (t, r): n
        for t, r, n in query(
            "select table_name, reason, quarantined_row_count from quarantine.quarantine_reason_counts"
        )
    }
    duplicates = dict(query("select table_name, duplicate_row_count from quarantine.quarantine_reconciliation"))
    nulled = {
        (t, r): n
        for t, r, n in query(
            "select table_name, reason, count(*) from quarantine.quarantine_nulled_values group by all"
        )
    }
    planted = planted_defects(raw_dir)
    assert len(planted) >= 20
    assert {OUTCOMES[key] for key in planted} == {"quarantined", "nulled"}, "both outcomes planted"
    for (table, reason), count in planted.items():
        if OUTCOMES[(table, reason)] == "nulled":
            # the row is staged, the value null; a line or payment of a quarantined order goes with it
            assert found.get((table, reason), 0) == 0, f"{table}.{reason}: nulled, not quarantined"
            if table in {"order_lines", "payments"}:
                assert 0 < nulled.get((table, reason), 0) <= count, f"{table}.{reason}: planted {count}"
            else:
                assert nulled.get((table, reason), 0) == count, f"{table}.{reason}: planted {count}"
        elif reason == "exact_duplicate":
            assert duplicates[table] == count, f"{table}: exact duplicates"
        elif reason in REFERENCE_REASONS:
            assert found.get((table, reason), 0) >= count, f"{table}.{reason}"
        else:
            assert found.get((table, reason), 0) == count, f"{table}.{reason}: planted {count}"
    unexplained = {key for key in found if key not in planted and key[1] not in REFERENCE_REASONS}
    assert not unexplained, f"quarantined for reasons nobody planted: {unexplained}"
    assert set(nulled) <= set(planted), f"nulled for reasons nobody planted: {set(nulled) - set(planted)}"


def test_a_nulled_value_keeps_its_row_and_its_raw_text(query):
    rows = query(
        "select n.row_key, n.raw_value, c.birth_date from quarantine.quarantine_nulled_values as n "
        "join staging.stg_raw__customers as c on n.row_key = c.customer_id "
        "where n.table_name = 'customers' and n.column_name = 'birth_date'"
    )
    assert rows and all(raw == "31/02/1985" and birth_date is None for _, raw, birth_date in rows)


def test_quarantine_keeps_the_raw_values_as_text(query):
    rows = query(
        "select order_line_id, quantity, reason from quarantine.quarantine_order_lines "
        "where reason = 'invalid_quantity'"
    )
    assert rows and all(quantity == "two" for _, quantity, _ in rows)


def test_people_in_two_source_systems_resolve_to_one_customer_key(fixture_warehouse, query):
    raw_dir, _ = fixture_warehouse
    pairs = duckdb.execute(
        f"select * from read_csv('{raw_dir / '_planted_duplicate_customers.csv'}', all_varchar=true)"
    ).fetchall()
    keys = dict(query("select customer_id, customer_key from intermediate.int_customers_resolved"))
    assert pairs
    for first, second in pairs:
        assert keys[first] == keys[second], (first, second)
    # and nobody else was merged
    (merged,) = query("select count(*) from intermediate.int_customers_golden where source_record_count > 1")[0]
    assert merged == len(pairs)


def test_bi_marts_hold_no_direct_identifier(query):
    columns = {
        name for (name,) in query("select column_name from information_schema.columns where table_schema = 'marts'")
    }
    assert columns, "marts exist"
    assert not columns & {"email", "phone", "first_name", "last_name", "birth_date"}
    # nor anything derived from them that a list of addresses or numbers would reverse (a hash)
    derived = {name for name in columns if ("email" in name or "phone" in name) and not name.startswith("has_")}
    assert derived == set(), derived


def test_models_live_only_in_the_five_schemas(query):
    schemas = {
        schema
        for (schema,) in query(
            "select distinct table_schema from information_schema.tables where table_catalog = current_database()"
        )
    }
    assert schemas <= SCHEMAS | {"main"}
    assert not [s for s in schemas if s.startswith("main_")]
