"""`python -m segmentation summary`: the as-of date of $SEGMENTATION_AS_OF_DATE is a date checked
before it reaches SQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from segmentation.cli import main
from segmentation.outcomes import DDL
from segmentation.summary import parse_as_of_date, summarize
from segmentation.targets import Target

NOT_DATES = [
    "2026-09-30'; drop schema marts cascade; --",
    "2026-09-30' or '1' = '1",
    "30/09/2026",
    "20260930",
    "2026-9-30",
    "2026-02-30",
    "2026-09-30T00:00:00",
    "today",
]


def test_an_iso_date_is_read():
    assert parse_as_of_date("2026-09-30") == dt.date(2026, 9, 30)
    assert parse_as_of_date(" 2026-09-30 ") == dt.date(2026, 9, 30)
    assert parse_as_of_date("") is None
    assert parse_as_of_date(None) is None


@pytest.mark.parametrize("text", NOT_DATES)
def test_anything_else_is_refused_with_a_clear_message(text: str):
    with pytest.raises(ValueError, match="SEGMENTATION_AS_OF_DATE must be a date written YYYY-MM-DD"):
        parse_as_of_date(text)


def _warehouse(path: Path) -> Target:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.segment_summary as select date '2026-09-30' as as_of_date, 'rfm' as segmentation, "
            "'Champions' as segment_label, 1 as sort_order, 10 as customer_count, 1.0 as customer_share, "
            "1.0 as revenue_share, 1.0 as lifetime_revenue_share"
        )
        # a whole build recorded as a success (the summary refuses a failed one, ADR 0020)
        connection.execute("create schema quarantine")
        connection.execute(DDL)
        connection.execute(
            "insert into quarantine.run_outcomes values ('i1', 'build', date '2026-09-30', timestamp '2026-10-01', "
            "timestamp '2026-10-01 00:05', 'success', 0, 70, true, '')"
        )
    return Target(name="dev", type="duckdb", settings={"path": str(path)})


def test_summarize_refuses_text_that_is_no_date_before_any_query(tmp_path: Path):
    target = _warehouse(tmp_path / "w.duckdb")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        summarize(target, NOT_DATES[0])
    assert "date '2026-09-30'" in summarize(target, "2026-09-30")
    assert "Champions" in summarize(target, dt.date(2026, 9, 30))


def test_the_command_fails_with_the_message(tmp_path: Path, monkeypatch, capsys):
    _warehouse(tmp_path / "w.duckdb")
    monkeypatch.setenv("SEGMENTATION_DUCKDB", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("SEGMENTATION_TARGET", "dev")
    monkeypatch.setenv("SEGMENTATION_AS_OF_DATE", NOT_DATES[0])
    assert main(["summary"]) == 2
    assert "SEGMENTATION_AS_OF_DATE must be a date written YYYY-MM-DD" in capsys.readouterr().err
    monkeypatch.setenv("SEGMENTATION_AS_OF_DATE", "2026-09-30")
    assert main(["summary"]) == 0
    assert "Champions" in capsys.readouterr().out


def test_the_segmentations_without_their_evidence_are_listed_with_what_is_missing(tmp_path: Path):
    target = _warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(target.settings["path"]) as connection:
        connection.execute(
            "create table marts.segmentation_coverage as "
            "select * from (values "
            "(date '2026-09-30', 'promo', 'Promotion sensitivity', false, "
            "'missing for 100.0% of customers: orders.promo_code'), "
            "(date '2026-09-30', 'rfm', 'RFM', true, 'observed for 100.0% of customers'), "
            "(date '2026-08-31', 'payment', 'Payment behaviour', false, 'missing for 100.0% of customers: payments')"
            ") as t(as_of_date, segmentation, segmentation_label, is_evidence_sufficient, coverage_note)"
        )
    text = summarize(target, "2026-09-30")
    assert "Promotion sensitivity: missing for 100.0% of customers: orders.promo_code" in text
    assert "RFM:" not in text and "Payment behaviour" not in text, "only the date summarised, only the missing"
    with duckdb.connect(target.settings["path"]) as connection:
        connection.execute("update marts.segmentation_coverage set is_evidence_sufficient = true")
    assert "Every segmentation has the evidence its labels need" in summarize(target, "2026-09-30")
