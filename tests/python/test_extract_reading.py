"""The reader of users' extracts (segmentation/inputs), one defect per extract: every file and
column accounted for, formats read as written, nothing read silently wrong. These tests read
through the same plan the dbt run-start hook uses, without dbt; test_french_excel_extract.py
builds the whole pipeline on a French Excel extract."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from segmentation.inputs.columns import normalise_header
from segmentation.inputs.reading import ExtractPlan, plan_extract

CUSTOMERS = "customer_id,email,email_opt_in,birth_date,created_at\n"
ORDERS = "order_id,customer_id,ordered_at,channel,status,currency,promo_code\n"
ORDER_LINES = "order_line_id,order_id,product_id,quantity,unit_price,discount_amount\n"


def write_extract(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A consistent three-file extract (two customers, two orders, three lines) with `files`
    replacing or adding files."""
    base = {
        "customers.csv": CUSTOMERS
        + "C1,ann@example.com,true,1980-05-17,2024-01-02 10:00:00\n"
        + "C2,bob@example.com,false,1975-11-30,2024-03-04 11:30:00\n",
        "orders.csv": ORDERS
        + "O1,C1,2025-06-01 09:00:00,web,completed,EUR,\n"
        + "O2,C2,2025-06-20 15:45:00,store,completed,EUR,SUMMER\n",
        "order_lines.csv": ORDER_LINES + "L1,O1,P1,2,19.90,0\nL2,O1,P2,1,5.50,0\nL3,O2,P1,1,19.90,1.99\n",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in {**base, **files}.items():
        if content is None:
            continue
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def plan_of(tmp_path: Path, files: dict, **settings) -> ExtractPlan:
    raw = write_extract(tmp_path / "raw", files)
    return plan_extract(raw, cache_dir=tmp_path / "cache", **settings)


def rows(plan: ExtractPlan, table: str, columns: str) -> list[tuple]:
    assert not plan.problems, plan.problems
    with duckdb.connect() as connection:
        return connection.execute(f"select {columns} from ({plan.selects[table]}) order by all").fetchall()


def readings(plan: ExtractPlan, setting: str) -> list[dict]:
    return [r for r in plan.readings if r["setting"] == setting]


def test_headers_under_other_names_are_mapped_and_reported(tmp_path):
    plan = plan_of(
        tmp_path,
        {
            "customers.csv": "Customer ID;E-mail;Opt-in email;Date de naissance;Phone Number;zip;Notes;created_at\n"
            "C1;ann@example.com;oui;17/05/1980;0601020304;75011;vip;2024-01-02\n",
            "order_lines.csv": "order_line_id,order_id,product_id,quantity,unit_price,discount\n"
            "L1,O1,P1,2,19.90,2.00\nL2,O1,P2,1,5.50,0\nL3,O2,P1,1,19.90,1.99\n",
        },
    )
    assert rows(plan, "customers", "email, email_opt_in, birth_date, phone, postal_code") == [
        ("ann@example.com", "oui", "1980-05-17", "0601020304", "75011")
    ]
    assert rows(plan, "order_lines", "cast(sum(cast(discount_amount as decimal(9, 2))) as varchar)") == [("3.99",)]
    mapped = {(r["column_name"], r["value"]) for r in readings(plan, "header")}
    assert {("email", "E-mail"), ("email_opt_in", "Opt-in email"), ("discount_amount", "discount")} <= mapped
    assert [r["value"] for r in readings(plan, "column not read")] == ["Notes"]
    assert any("columns not read: Notes" in m for m in plan.messages)


def test_a_var_maps_any_other_header_or_sets_it_aside(tmp_path):
    plan = plan_of(
        tmp_path,
        {"customers.csv": "customer_id,Consentement courriel,old email,created_at\nC1,1,x@example.com,2024-01-02\n"},
        aliases={"customers": {"Consentement courriel": "email_opt_in", "old email": None}},
    )
    assert rows(plan, "customers", "email_opt_in, email") == [("1", None)]
    assert [r["value"] for r in readings(plan, "column set aside")] == ["old email"]


def test_a_consent_column_under_an_unknown_name_stops_the_run(tmp_path):
    customers = "customer_id,email,Accord mail marketing,created_at\nC1,a@b.fr,1,2024-01-02\n"
    plan = plan_of(tmp_path, {"customers.csv": customers})
    assert len(plan.problems) == 1
    assert "customers.csv has no column 'email_opt_in' (it decides consent)" in plan.problems[0]
    assert "'Accord mail marketing'" in plan.problems[0]


def test_two_headers_for_one_column_stop_the_run(tmp_path):
    plan = plan_of(tmp_path, {"customers.csv": "customer_id,email,courriel,created_at\nC1,a@b.fr,c@d.fr,2024-01-02\n"})
    assert plan.problems == [
        "customers.csv: columns 'email' and 'courriel' both stand for 'email' (name and synonym); keep one, or set "
        "one aside with var raw_column_aliases: {customers: {'courriel': null}}"
    ]


def test_two_files_for_one_table_stop_the_run_naming_both(tmp_path):
    raw = write_extract(tmp_path / "raw", {})
    duckdb.execute(f"copy (select * from read_csv('{raw / 'customers.csv'}')) to '{raw / 'customers.parquet'}'")
    plan = plan_extract(raw, cache_dir=tmp_path / "cache")
    assert len(plan.problems) == 1
    assert "table 'customers' has 2 files: customers.csv, customers.parquet" in plan.problems[0]


@pytest.mark.parametrize("name", ["Products.CSV", "products.txt", "PRODUCTS.csv.gz"])
def test_a_file_named_after_a_table_in_another_case_or_extension_is_read(tmp_path, name):
    content = b"product_id,category\nP1,shoes\nP2,bags\n"
    plan = plan_of(tmp_path, {name: gzip.compress(content) if name.endswith(".gz") else content})
    assert rows(plan, "products", "product_id, category") == [("P1", "shoes"), ("P2", "bags")]


def test_a_near_name_or_a_workbook_stops_the_run(tmp_path):
    plan = plan_of(tmp_path, {"product.csv": "product_id,category\nP1,shoes\n", "payments.xlsx": b"PK\x03\x04"})
    assert any("product.csv looks like the file of table 'products'" in p for p in plan.problems)
    assert any("payments.xlsx is a spreadsheet" in p for p in plan.problems)


def test_null_strings_are_nulls_and_counted(tmp_path):
    orders = ORDERS + "O1,C1,2025-06-01,web,completed,EUR,NULL\nO2,C2,2025-06-20,web,completed,EUR,\\N\n"
    plan = plan_of(tmp_path, {"orders.csv": orders})
    assert rows(plan, "orders", "promo_code") == [(None,), (None,)]
    (reading,) = [r for r in readings(plan, "null strings") if r["column_name"] == "promo_code"]
    assert reading["value"] == "2 values read as null"


def test_windows_1252_semicolons_decimal_commas_and_day_first_dates_are_read(tmp_path):
    customers = (
        "customer_id;email;email_opt_in;birth_date;created_at\r\nC1;léa@exemple.fr;1;17/05/1980;02/01/2024 10:00\r\n"
    )
    plan = plan_of(
        tmp_path,
        {
            "customers.csv": customers.encode("cp1252"),
            "order_lines.csv": "order_line_id;order_id;product_id;quantity;unit_price;discount_amount\r\n"
            "L1;O1;P1;2;19,90;0\r\nL2;O1;P2;1;5,5;0\r\nL3;O2;P1;1;1 234,50 €;12,5 %\r\n",
        },
    )
    assert rows(plan, "customers", "email, birth_date, created_at") == [
        ("léa@exemple.fr", "1980-05-17", "2024-01-02 10:00:00")
    ]
    assert rows(plan, "order_lines", "unit_price, discount_amount") == [
        ("1234.50", "154.31"),
        ("19.90", "0"),
        ("5.5", "0"),
    ]
    encoding = {r["table_name"]: r["value"] for r in readings(plan, "encoding")}
    assert encoding["customers"] == "cp1252"
    assert {r["value"] for r in readings(plan, "delimiter") if r["table_name"] != "orders"} == {";"}


def test_a_discount_written_as_a_percentage_is_that_share_of_the_line(tmp_path):
    lines = ORDER_LINES + "L1,O1,P1,2,19.90,10%\nL2,O1,P2,1,5.50,0\nL3,O2,P1,1,19.90,1.99\n"
    plan = plan_of(tmp_path, {"order_lines.csv": lines})
    assert rows(plan, "order_lines", "order_line_id, discount_amount") == [("L1", "3.98"), ("L2", "0"), ("L3", "1.99")]


def test_ambiguous_thousands_are_flagged_unless_the_column_or_a_var_settles_them(tmp_path):
    lines = ORDER_LINES + 'L1,O1,P1,2,"1.234",0\nL2,O1,P2,1,"2.500",0\nL3,O2,P1,1,"12,5",0\n'
    flagged = plan_of(tmp_path / "a", {"order_lines.csv": lines})
    assert [v for _, v in rows(flagged, "order_lines", "order_line_id, unit_price")] == [
        "1.234 (ambiguous: thousands or decimal separator; set var raw_formats)",
        "2.500 (ambiguous: thousands or decimal separator; set var raw_formats)",
        "12.5",
    ]
    settled = plan_of(tmp_path / "b", {"order_lines.csv": lines + 'L4,O2,P2,1,"1.234.567,00",0\n'})
    settled_prices = [v for _, v in rows(settled, "order_lines", "order_line_id, unit_price")]
    assert settled_prices == ["1234", "2500", "12.5", "1234567.00"]
    told = plan_of(tmp_path / "c", {"order_lines.csv": lines}, formats={"order_lines": {"thousands_separator": "."}})
    assert [v for _, v in rows(told, "order_lines", "order_line_id, unit_price")] == ["1234", "2500", "12.5"]


def test_a_dot_decimal_column_reads_three_decimals_as_decimals(tmp_path):
    lines = ORDER_LINES + "L1,O1,P1,2,1.234,0\nL2,O1,P2,1,5.50,0\nL3,O2,P1,1,19.90,0\n"
    plan = plan_of(tmp_path, {"order_lines.csv": lines})
    assert [v for (v,) in rows(plan, "order_lines", "unit_price")] == ["1.234", "19.90", "5.50"]


def test_one_source_writing_day_first_dates_is_read_and_dates_that_cannot_decide_follow_the_extract(tmp_path):
    customers = (
        CUSTOMERS
        + "C1,a@b.fr,1,1980-05-17,2024-01-02\nC2,c@d.fr,0,30/11/1975,2024-03-04\nC3,e@f.fr,0,05/04/1990,2024-03-04\n"
    )
    orders = ORDERS + "O1,C1,03/02/2025 09:00,web,completed,EUR,\nO2,C2,04/05/2025 15h45,web,completed,EUR,\n"
    plan = plan_of(tmp_path, {"customers.csv": customers, "orders.csv": orders})
    assert rows(plan, "customers", "birth_date") == [("1975-11-30",), ("1980-05-17",), ("1990-04-05",)]
    assert rows(plan, "orders", "ordered_at") == [("2025-02-03 09:00:00",), ("2025-05-04 15:45:00",)]
    (order_reading,) = [r for r in readings(plan, "date order") if r["table_name"] == "orders"]
    assert order_reading["value"] == "dmy" and order_reading["decided_by"].startswith("extract convention")


def test_dates_nothing_settles_stop_the_run_until_a_var_does(tmp_path):
    orders = ORDERS + "O1,C1,03/02/2025,web,completed,EUR,\nO2,C2,04/05/2025,web,completed,EUR,\n"
    plan = plan_of(tmp_path / "a", {"orders.csv": orders})
    assert len(plan.problems) == 1 and "orders.csv, column 'ordered_at'" in plan.problems[0]
    told = plan_of(tmp_path / "b", {"orders.csv": orders}, formats={"default": {"date_order": "mdy"}})
    assert rows(told, "orders", "ordered_at") == [("2025-03-02",), ("2025-04-05",)]


def test_an_unescaped_quote_names_the_file_line_and_cause(tmp_path):
    orders = ORDERS + 'O1,C1,2025-06-01,web,completed,EUR,\nO2,C2,2025-06-20,web,"completed,EUR,\n'
    plan = plan_of(tmp_path, {"orders.csv": orders})
    assert len(plan.problems) == 1
    assert plan.problems[0].startswith("orders.csv, line 3: ") and "quote" in plan.problems[0]


def test_a_field_of_three_megabytes_is_read(tmp_path):
    note = "x" * 3_000_000
    plan = plan_of(tmp_path, {"products.csv": f"product_id,category,product_name\nP1,shoes,{note}\nP2,bags,short\n"})
    assert rows(plan, "products", "product_id, length(product_name)") == [("P1", 3_000_000), ("P2", 5)]
    assert [r["decided_by"] for r in readings(plan, "max line size")] == ["longest line"]


def test_bom_crlf_padded_upper_case_reordered_headers_are_read(tmp_path):
    content = '\ufeff CUSTOMER_ID ,Created_At,EMAIL\r\nC1,2024-01-02,"a@b.fr"\r\nC2,2024-01-03,"multi\r\nline"\r\n'
    plan = plan_of(tmp_path, {"customers.csv": content})
    assert rows(plan, "customers", "customer_id, created_at, email") == [
        ("C1", "2024-01-02", "a@b.fr"),
        ("C2", "2024-01-03", "multi\r\nline"),
    ]


def test_the_last_day_of_data_stops_at_the_cutoff(tmp_path):
    orders = ORDERS + "O1,C1,2025-06-01,web,completed,EUR,\nO2,C2,2031-06-15,web,completed,EUR,\n"
    plan = plan_of(tmp_path, {"orders.csv": orders})
    assert plan.latest_data_date == "2025-06-01"


def test_a_plan_is_cached_until_a_file_changes(tmp_path):
    first = plan_of(tmp_path, {})
    assert plan_extract(tmp_path / "raw", cache_dir=tmp_path / "cache") == first
    (tmp_path / "raw" / "orders.csv").write_text(ORDERS + "O1,C1,2025-07-01,web,completed,EUR,\n", encoding="utf-8")
    assert plan_extract(tmp_path / "raw", cache_dir=tmp_path / "cache").latest_data_date == "2025-07-01"


def test_headers_are_compared_without_case_accents_or_punctuation():
    assert normalise_header("  Date de Naissance ") == "date_de_naissance"
    assert normalise_header("Opt-in E-mail") == "opt_in_e_mail"
    assert normalise_header("Téléphone") == "telephone"


def test_a_day_that_does_not_exist_stays_as_written_for_staging_to_report(tmp_path):
    customers = CUSTOMERS + "C1,a@b.fr,1,31/02/1985,2024-01-02\nC2,c@d.fr,0,30/11/1975,2024-03-04\n"
    plan = plan_of(tmp_path, {"customers.csv": customers})
    assert rows(plan, "customers", "customer_id, birth_date") == [("C1", "31/02/1985"), ("C2", "1975-11-30")]
