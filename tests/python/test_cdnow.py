"""Real data: the CDNOW transaction log (lifetimes package) end to end, checked against an
independent pandas computation of the metrics, scores and lifecycle stages."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from conftest import DBT, PROJECT_ROOT, run_dbt

from segmentation.loaders.cdnow import installed_source, load_cdnow, read_purchases
from segmentation.quality.runner import run_checks
from segmentation.quality.sources import DuckDBWarehouse

AS_OF_DATES = ("1997-12-31", "1998-06-30")
# the defaults of dbt_project.yml the expectations below are computed with
RECENCY_DAYS = [30, 90, 180, 365]
ACTIVE_DAYS, LAPSING_DAYS, NEW_DAYS, REPEAT_MIN_ORDERS, TILES = 90, 180, 90, 2, 5
LIVE_STATUSES = {"active", "lapsing"}


def test_the_loader_keeps_every_purchase_and_its_exact_amount(tmp_path: Path):
    source = installed_source()
    purchases = read_purchases(source)
    assert len(purchases) == 69_659 and len({p.customer_id for p in purchases}) == 23_570
    load_cdnow(tmp_path / "raw", source)
    lines = pd.read_csv(tmp_path / "raw" / "order_lines.csv", dtype=str, keep_default_na=False)
    orders = pd.read_csv(tmp_path / "raw" / "orders.csv", dtype=str)
    assert len(lines) == len(orders) == len(purchases) and lines["order_line_id"].is_unique
    net = [
        int(q) * Decimal(price) - Decimal(discount or "0")
        for q, price, discount in zip(lines["quantity"], lines["unit_price"], lines["discount_amount"], strict=True)
    ]
    assert net == [Decimal(p.cents) / 100 for p in purchases], "quantity x unit price - discount = dollars"
    assert [int(q) for q in lines["quantity"]] == [p.cds for p in purchases]
    assert all(
        Decimal(d or "0") < Decimal("0.01") * int(q)
        for d, q in zip(lines["discount_amount"], lines["quantity"], strict=True)
    )


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    """The log read independently of the loader: one row per purchase."""
    frame = pd.read_csv(
        installed_source(),
        sep=r"\s+",
        skiprows=1,
        header=None,
        names=["customer_id", "day", "cds", "dollars"],
        dtype={"customer_id": str, "day": str},
    )
    frame["day"] = pd.to_datetime(frame["day"], format="%Y%m%d")
    frame["cents"] = (frame["dollars"] * 100).round().astype(int)  # exact sums: ties stay ties
    return frame


@pytest.fixture(scope="module")
def cdnow_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """CDNOW loaded as CSV and built at both as-of dates into one warehouse (history kept), with a
    copy after each date (_at)."""
    root = tmp_path_factory.mktemp("cdnow")
    raw, warehouse = root / "raw", root / "warehouse.duckdb"
    load_cdnow(raw)
    for as_of in AS_OF_DATES:
        result = run_dbt(["build", "--vars", f"{{as_of_date: '{as_of}'}}"], raw, warehouse)
        assert result.returncode == 0, result.stdout[-4000:]
        # the fact describes the run's date: a copy keeps each date's metrics for the tests of that date
        shutil.copyfile(warehouse, _at((raw, warehouse), as_of))
    return raw, warehouse


def _at(cdnow_warehouse: tuple[Path, Path], as_of: str) -> Path:
    """The warehouse as it was right after the build of `as_of`."""
    return cdnow_warehouse[1].with_name(f"at-{as_of}.duckdb")


def _frame(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).df()


def _expected(transactions: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Metrics, scores and lifecycle stage per customer, from the rules of docs/decisions/0008."""
    day = pd.Timestamp(as_of)
    seen = transactions[transactions["day"] <= day]
    per = seen.groupby("customer_id").agg(
        first=("day", "min"), last=("day", "max"), frequency=("day", "size"), cents=("cents", "sum")
    )
    per["monetary"] = per["cents"] / 100
    per["recency"] = (day - per["last"]).dt.days
    per["tenure"] = (day - per["first"]).dt.days
    per["recent_orders"] = (
        seen[(day - seen["day"]).dt.days <= ACTIVE_DAYS].groupby("customer_id").size().reindex(per.index, fill_value=0)
    )
    last_day_orders = seen.merge(per[["last"]], left_on="customer_id", right_index=True)
    on_last_day = last_day_orders[last_day_orders["day"] == last_day_orders["last"]].groupby("customer_id").size()
    before_last = last_day_orders[last_day_orders["day"] < last_day_orders["last"]].groupby("customer_id")["day"].max()
    gap = (per["last"] - before_last.reindex(per.index)).dt.days
    per["gap"] = gap.where(on_last_day.reindex(per.index) == 1, 0).where(per["frequency"] > 1)

    def quantile(values: pd.Series) -> pd.Series:  # 1 + floor(tiles x share strictly below)
        ranked = values[values > 0]
        below = ranked.rank(method="min") - 1
        scores = (1 + (below * TILES / len(ranked)).apply(math.floor)).reindex(values.index)
        return scores.fillna(1).astype(int)

    per["f_score"] = quantile(per["frequency"])
    per["m_score"] = quantile(per["cents"])
    per["r_score"] = per["recency"].apply(lambda d: TILES - sum(d > cut for cut in RECENCY_DAYS))

    def stage(row: pd.Series) -> str:
        if row.tenure <= NEW_DAYS:
            return "new"
        if row.recency <= ACTIVE_DAYS and row.gap > LAPSING_DAYS:
            return "reactivated"
        if row.recent_orders >= REPEAT_MIN_ORDERS:
            return "repeat"
        if row.recency <= ACTIVE_DAYS:
            return "active"
        return "lapsing" if row.recency <= LAPSING_DAYS else "churned"

    per["lifecycle_stage"] = per.apply(stage, axis=1)
    return per


def _actual(warehouse: Path, as_of: str) -> pd.DataFrame:
    frame = _frame(
        warehouse,
        f"""
        select
            customer_key, segmentation, segment_code, r_score, f_score, m_score, recency_days, frequency,
            cast(monetary_amount as double) as monetary_amount
        from marts.fct_customer_segments
        where as_of_date = '{as_of}'
        """,
    )
    rfm = frame[frame["segmentation"] == "rfm"].set_index("customer_key")
    lifecycle = frame[frame["segmentation"] == "lifecycle"].set_index("customer_key")["segment_code"]
    keys = _frame(warehouse, "select customer_key, customer_id from intermediate.int_customers_resolved")
    rfm = rfm.join(lifecycle.rename("lifecycle_stage"))
    return rfm.join(keys.set_index("customer_key")).set_index("customer_id")


def test_raw_rows_reconcile_with_nothing_quarantined(cdnow_warehouse):
    _, warehouse = cdnow_warehouse
    rows = _frame(warehouse, "select * from quarantine.quarantine_reconciliation").set_index("table_name")
    assert rows.loc["orders", "raw_row_count"] == rows.loc["orders", "staged_row_count"] == 69_659
    assert rows.loc["customers", "staged_row_count"] == 23_570
    assert rows["quarantined_row_count"].sum() == 0 and rows["unaccounted_row_count"].sum() == 0


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_metrics_scores_and_stages_equal_an_independent_computation(cdnow_warehouse, transactions, as_of):
    warehouse = _at(cdnow_warehouse, as_of)
    expected, actual = _expected(transactions, as_of), _actual(warehouse, as_of)
    assert len(actual) == len(expected) == 23_570
    actual = actual.loc[expected.index]
    assert (actual["recency_days"] == expected["recency"]).all()
    assert (actual["frequency"] == expected["frequency"]).all()
    assert ((actual["monetary_amount"] - expected["monetary"]).abs() < 1e-6).all()
    for score in ("r_score", "f_score", "m_score"):
        assert (actual[score] == expected[score]).all(), score
    assert (actual["lifecycle_stage"] == expected["lifecycle_stage"]).all()


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_segments_tell_the_truth(cdnow_warehouse, as_of):
    warehouse = _at(cdnow_warehouse, as_of)
    rows = _frame(
        warehouse,
        f"""
        select segments.segment_code, segments.frequency, segments.recency_days, labels.activity_status
        from marts.fct_customer_segments as segments
        inner join staging.segment_labels as labels using (segmentation, segment_code)
        where segments.as_of_date = '{as_of}' and segments.segmentation = 'rfm'
        """,
    )
    gone = rows[rows["recency_days"] > LAPSING_DAYS]
    assert not gone["activity_status"].isin(LIVE_STATUSES).any(), "a churned customer in a live segment"
    assert (rows.loc[rows["activity_status"] == "active", "recency_days"] <= ACTIVE_DAYS).all()
    f_scores = _frame(
        warehouse,
        f"select distinct f_score from marts.fct_customer_segments "
        f"where as_of_date = '{as_of}' and segmentation = 'rfm' and frequency = 1",
    )
    assert f_scores["f_score"].tolist() == [1], "one-time buyers (the majority) get F = 1"


def test_formerly_valuable_customers_who_left_are_named_so(cdnow_warehouse):
    _, warehouse = cdnow_warehouse
    summary = _frame(
        warehouse,
        "select segment_code, customer_count from marts.segment_summary "
        "where as_of_date = '1998-06-30' and segmentation = 'rfm'",
    ).set_index("segment_code")["customer_count"]
    assert summary["cant_lose"] > 0 and summary["at_risk"] > 0
    assert len(summary) == 12, "every segment listed, empty ones with 0"


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_every_lifecycle_stage_the_data_allows_occurs(cdnow_warehouse, transactions, as_of):
    warehouse = _at(cdnow_warehouse, as_of)
    counts = _frame(
        warehouse,
        f"select segment_code, customer_count from marts.segment_summary "
        f"where as_of_date = '{as_of}' and segmentation = 'lifecycle'",
    ).set_index("segment_code")["customer_count"]
    # every CDNOW customer bought in the first quarter of 1997: nobody is a prospect or new later
    assert transactions["day"].min() == pd.Timestamp("1997-01-01")
    assert transactions.groupby("customer_id")["day"].min().max() == pd.Timestamp("1997-03-25")
    assert counts["prospect"] == 0 and counts["new"] == 0
    for stage in ("reactivated", "repeat", "active", "lapsing", "churned"):
        assert counts[stage] > 0, stage


def test_freshness_and_checks_pass_with_only_the_required_files(cdnow_warehouse, tmp_path: Path):
    raw, warehouse = cdnow_warehouse
    assert sorted(p.name for p in raw.glob("*.csv")) == ["customers.csv", "order_lines.csv", "orders.csv"]
    env_as_of = "1998-06-30"
    freshness = subprocess.run(
        [DBT, "source", "freshness", "--target-path", str(tmp_path / "t"), "--log-path", str(tmp_path / "l")],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DO_NOT_TRACK": "1",
            "DBT_PROFILES_DIR": str(PROJECT_ROOT),
            "SEGMENTATION_RAW_DIR": str(raw),
            "SEGMENTATION_DUCKDB": str(warehouse),
            "SEGMENTATION_AS_OF_DATE": env_as_of,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert freshness.returncode == 0, freshness.stdout[-3000:]
    assert "ERROR" not in freshness.stdout
    assert "PASS freshness of raw.orders" in freshness.stdout
    # a cohort: no customer record created since March 1997, which is worth a warning, no more
    assert "WARN freshness of raw.customers" in freshness.stdout
    assert freshness.stdout.count("not measured: optional table with no rows") == 2  # payments, marketing events
    report = run_checks(DuckDBWarehouse(warehouse, raw), tmp_path / "dq", build_docs=False)
    assert report.errors == [] and report.warnings == []
    notes = {o.data_asset: o.message for o in report.notes}
    # order_lines has all its columns; the others lack optional columns or the whole file
    assert set(notes) == {
        "raw.customers",
        "raw.companies",
        "raw.products",
        "raw.orders",
        "raw.payments",
        "raw.marketing_events",
    }
    assert "optional file not supplied" in notes["raw.payments"]
    assert "optional columns not supplied" in notes["raw.customers"] and "email" in notes["raw.customers"]


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_every_segmentation_is_built_and_the_absent_inputs_read_unknown(cdnow_warehouse, as_of):
    """Only customers, orders and lines: every segmentation of the registry still gives each customer
    one segment, and those needing an absent file or column say so instead of guessing."""
    warehouse = _at(cdnow_warehouse, as_of)
    registry = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["segmentations"]
    counts = _frame(
        warehouse,
        f"select segmentation, segment_code, count(*) as customers from marts.fct_customer_segments "
        f"where as_of_date = '{as_of}' group by all",
    )
    per_segmentation = counts.groupby("segmentation")["customers"].sum()
    assert set(per_segmentation.index) == {entry["name"] for entry in registry if entry.get("enabled", True)}
    assert (per_segmentation == 23_570).all()
    codes = counts.groupby("segmentation")["segment_code"].apply(set)
    assert codes["product"] == {"unknown"}, "no products file: no category to favour"
    assert codes["payment"] == {"no_payment_data"}
    assert codes["contact_channel"] == {"consent_unknown"}, "no consent column: neither consent nor refusal"
    assert codes["pressure"] == {"no_contact_data"}, "no marketing events: nobody is said not contacted"
    assert codes["geography"] == {"unknown"} and codes["profile"] == {"unknown"}
    assert codes["customer_type"] == {"b2c_customer"}
    assert "omnichannel" not in codes["channel"] and "no_purchase" not in codes["channel"]


def test_parquet_input_gives_the_same_marts(cdnow_warehouse, tmp_path: Path):
    _, csv_warehouse = cdnow_warehouse
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    load_cdnow(raw, file_format="parquet")
    result = run_dbt(["build", "--vars", "{as_of_date: '1998-06-30'}"], raw, warehouse)
    assert result.returncode == 0, result.stdout[-4000:]
    query = (
        "select * exclude (customer_key), (select customer_id from intermediate.int_customers_resolved r "
        "where r.customer_key = f.customer_key) as customer_id from marts.fct_customer_segments f "
        "where as_of_date = '1998-06-30' order by customer_id, segmentation"
    )
    pd.testing.assert_frame_equal(_frame(warehouse, query), _frame(csv_warehouse, query))


# the behaviour labels that need an input CDNOW lacks, and the segments saying it is missing
WITHOUT_INPUT = {
    "promo": ({"promophile", "neutral", "promophobe"}, {"unknown"}),
    "life_moment": ({"birthday_month", "winback_birthday_month", "no_moment"}, {"unknown"}),
    "contact_channel": ({"email", "sms", "no_consent"}, {"consent_unknown"}),
    "pressure": ({"over_solicited", "within_limit", "not_contacted"}, {"no_contact_data"}),
    "payment": ({"good_payer", "late_payer", "bad_payer"}, {"no_payment_data"}),
}


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_no_behaviour_label_without_its_input_and_the_coverage_says_what_is_missing(cdnow_warehouse, as_of):
    """CDNOW has no promo code (its discounts are sub-cent rounding residues), no birth date, no
    consent, no marketing event and no payment: no customer gets a label claiming one, the
    coverage mart counts them as missing evidence and names the inputs."""
    warehouse = _at(cdnow_warehouse, as_of)
    memberships = _frame(
        warehouse,
        f"select segmentation, segment_code, count(*) as customers from marts.fct_customer_segments "
        f"where as_of_date = '{as_of}' group by all",
    )
    coverage = _frame(warehouse, f"select * from marts.segmentation_coverage where as_of_date = '{as_of}'")
    coverage = coverage.set_index("segmentation")
    for segmentation, (claims, missing) in WITHOUT_INPUT.items():
        found = memberships[memberships["segmentation"] == segmentation]
        labelled = found[found["segment_code"].isin(claims)]["customers"].sum()
        assert labelled == 0, f"{segmentation}: {labelled} customers labelled without the input"
        row = coverage.loc[segmentation]
        unknown = found[found["segment_code"].isin(missing)]["customers"].sum()
        assert row["customers_without_evidence"] == unknown > 0
        assert not row["is_evidence_sufficient"]
        assert row["coverage_note"].startswith("missing for ") and row["evidence_needed"] in row["coverage_note"]
    # what the orders show stands: lifecycle and RFM rest on the required files
    assert coverage.loc["rfm", "is_evidence_sufficient"] and coverage.loc["rfm", "evidence_share"] == 1
    assert "promo_code" in coverage.loc["promo", "coverage_note"]
    assert "birth_date" in coverage.loc["life_moment", "coverage_note"]
    assert "every customer in one segment (web)" in coverage.loc["channel", "coverage_note"]


def test_no_buyer_reads_no_purchase_without_the_window(cdnow_warehouse):
    """As of 1998-06-30 most CDNOW buyers made no purchase in the last year: PMG names the window
    they lack revenue in; "No purchase" without a window is for those who never bought."""
    as_of = AS_OF_DATES[-1]
    labels = _frame(
        _at(cdnow_warehouse, as_of),
        "select f.segmentation, f.segment_label, count(*) as customers "
        "from marts.fct_customer_segments as f inner join marts.customer_segments as c using (customer_key) "
        f"where c.lifecycle_stage != 'prospect' and f.as_of_date = '{as_of}' group by all",
    )
    no_purchase = labels[labels["segment_label"].str.startswith("No purchase")]
    assert no_purchase.empty, no_purchase
    lapsed = labels[(labels["segmentation"] == "pmg") & (labels["segment_label"] == "No revenue in the last 365 days")]
    assert lapsed["customers"].sum() > 10_000


def test_no_lost_customer_in_a_top_future_value_tier(cdnow_warehouse):
    """On CDNOW the top half by predicted value reaches down to a few dollars a year and held
    1,912 RFM Lost customers: what they did comes first (ranked_high_but_lost), and a top tier
    needs half the average predicted value (low_value below it)."""
    tiers = _frame(
        _at(cdnow_warehouse, AS_OF_DATES[-1]),
        "select future_value_tier, count(*) as customers, count(*) filter (where rfm_segment = 'lost') as lost "
        "from marts.customer_segments group by all",
    ).set_index("future_value_tier")
    top = tiers[tiers.index.str.startswith("top_")]
    assert top["lost"].sum() == 0 and top["customers"].sum() > 5_000
    ranked_high_but_lost = tiers.loc["ranked_high_but_lost"]
    assert ranked_high_but_lost["lost"] == ranked_high_but_lost["customers"] > 1_000
    assert tiers.loc["low_value", "customers"] > 1_000 and tiers.loc["low_value", "lost"] == 0
