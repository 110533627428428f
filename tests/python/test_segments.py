"""Behavioural segmentations end to end: as-of date handling, history, reproducibility, vars."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import PROJECT_ROOT, run_dbt

from segmentation.generator import generate
from segmentation.raw_folder import recorded_as_of_date

pytestmark = pytest.mark.slow
AS_OF = "2026-06-30"
EARLIER = "2026-03-31"


def _vars(**values: object) -> list[str]:
    return [
        "--vars",
        "{" + ", ".join(f"{k}: '{v}'" if isinstance(v, str) else f"{k}: {v}" for k, v in values.items()) + "}",
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("segments")
    raw, warehouse = root / "raw", root / "w.duckdb"
    generate(customers=400, seed=5, out_dir=raw, show_progress=False)
    result = run_dbt(["build", *_vars(as_of_date=AS_OF)], raw, warehouse)
    assert result.returncode == 0, result.stdout[-3000:]
    return raw, warehouse


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _registry() -> list[dict]:
    return yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["segmentations"]


def _digest(warehouse: Path, sql: str) -> str:
    return hashlib.sha256(repr(_query(warehouse, sql)).encode()).hexdigest()


def test_invalid_as_of_date_fails_at_compile_time_naming_the_var(built, tmp_path: Path):
    raw, _ = built
    result = run_dbt(
        ["compile", "-s", "int_customer_metrics", *_vars(as_of_date="2026-02-30")], raw, tmp_path / "w.duckdb"
    )
    assert result.returncode != 0
    assert "as_of_date" in result.stdout and "YYYY-MM-DD" in result.stdout


def test_every_customer_gets_one_segment_per_segmentation(built):
    _, warehouse = built
    (customers,) = _query(warehouse, "select count(*) from intermediate.int_customer_metrics")[0]
    rows = _query(
        warehouse,
        f"select segmentation, count(*), count(distinct customer_key) from marts.fct_customer_segments "
        f"where as_of_date = '{AS_OF}' group by all",
    )
    assert {segmentation for segmentation, _, _ in rows} == {
        entry["name"] for entry in _registry() if entry.get("enabled", True)
    }
    assert all(count == distinct == customers for _, count, distinct in rows)


def test_tied_customers_share_a_score_on_real_data(built):
    _, warehouse = built
    for metric, score in [("recency_days", "r_score"), ("frequency", "f_score"), ("monetary_amount", "m_score")]:
        split = _query(
            warehouse,
            f"select {metric} from intermediate.int_rfm_scores group by {metric} having count(distinct {score}) > 1",
        )
        assert split == [], f"tied {metric} values got different scores"


def test_past_as_of_date_rebuilds_identically_and_history_is_kept(built):
    raw, warehouse = built
    fct = f"select * from marts.fct_customer_segments where as_of_date = '{AS_OF}' order by all"
    before = _digest(warehouse, fct)
    for as_of in (EARLIER, AS_OF):
        result = run_dbt(["build", *_vars(as_of_date=as_of)], raw, warehouse)
        assert result.returncode == 0, result.stdout[-3000:]
    assert _digest(warehouse, fct) == before
    # the fact holds the run's date; the history keeps both (its changes, and the summary's dates)
    facts = _query(warehouse, "select distinct cast(as_of_date as varchar) from marts.fct_customer_segments")
    assert facts == [(AS_OF,)]
    for history in ("segment_summary", "fct_segment_changes"):
        dates = {d for (d,) in _query(warehouse, f"select distinct cast(as_of_date as varchar) from marts.{history}")}
        assert dates == {EARLIER, AS_OF}, history
    latest = _query(warehouse, "select distinct cast(as_of_date as varchar) from marts.customer_segments")
    assert latest == [(AS_OF,)]


def test_a_var_changes_the_segments_without_touching_sql(built):
    raw, warehouse = built
    stages = "select segment_code, count(*) from intermediate.int_segmentation__lifecycle group by all order by all"
    default = _query(warehouse, stages)
    result = run_dbt(
        [
            "run",
            "-s",
            "int_segmentation__lifecycle",
            *_vars(as_of_date=AS_OF, lifecycle_active_days=30, lifecycle_new_days=30),
        ],
        raw,
        warehouse,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    changed = dict(_query(warehouse, stages))
    assert changed != dict(default)
    assert changed.get("lapsing", 0) > dict(default).get("lapsing", 0)
    run_dbt(["run", "-s", "int_segmentation__lifecycle", *_vars(as_of_date=AS_OF)], raw, warehouse)


def test_every_lifecycle_stage_and_rfm_segment_occurs_on_the_demo(fixture_warehouse, query):
    """On the demo data at its as-of date (the end of the data), each stage and segment has customers:
    no rule is unreachable with the default vars."""
    raw_dir, _ = fixture_warehouse
    as_of = recorded_as_of_date(raw_dir)
    assert as_of == "2026-09-30"
    counts = query(
        "select segmentation, segment_code, customer_count from marts.segment_summary "
        f"where as_of_date = '{as_of}' and segmentation in ('lifecycle', 'rfm')"
    )
    assert {(s, c) for s, c, _ in counts} >= {
        ("lifecycle", stage) for stage in ("prospect", "new", "reactivated", "repeat", "active", "lapsing", "churned")
    }
    assert len(counts) == 7 + 12
    assert [(s, c) for s, c, n in counts if n == 0] == []


def test_rfm_and_lifecycle_activity_agree_customer_by_customer(fixture_warehouse, query):
    raw_dir, _ = fixture_warehouse
    rows = query(
        f"""
        select rfm.segment_code, lifecycle.segment_code, rfm.recency_days
        from marts.fct_customer_segments as rfm
        inner join marts.fct_customer_segments as lifecycle
            on rfm.customer_key = lifecycle.customer_key and rfm.as_of_date = lifecycle.as_of_date
        where rfm.segmentation = 'rfm' and lifecycle.segmentation = 'lifecycle'
            and rfm.as_of_date = '{recorded_as_of_date(raw_dir)}'
        """
    )
    live = {"champions", "loyal", "potential_loyalist", "recent", "promising"}
    for rfm_segment, stage, recency in rows:
        assert (rfm_segment in live) == (stage in {"new", "reactivated", "repeat", "active"}), (rfm_segment, stage)
        if stage == "churned":
            assert rfm_segment in {"at_risk", "cant_lose", "hibernating", "lost"} and recency > 180


def _quantile(values: list[float], tiles: int = 5) -> list[int]:
    """1 + floor(tiles x share strictly below), among the positive values; 1 for the others."""
    ranked = sorted(v for v in values if v > 0)
    below = {v: ranked.index(v) for v in set(ranked)}
    return [1 + below[v] * tiles // len(ranked) if v > 0 else 1 for v in values]


def test_average_amount_over_a_window_scores_every_customer_by_its_quantile(built, tmp_path: Path):
    raw, warehouse = built
    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse, copy)
    result = run_dbt(["build", *_vars(as_of_date=AS_OF, rfm_amount="average", rfm_window_days=365)], raw, copy)
    assert result.returncode == 0, result.stdout[-3000:]
    rows = _query(copy, "select frequency, monetary_amount, f_score, m_score from intermediate.int_rfm_scores")
    frequencies = [float(f) for f, _, _, _ in rows]
    amounts = [float(m) if m is not None else 0.0 for _, m, _, _ in rows]
    assert [f for _, _, f, _ in rows] == _quantile(frequencies)
    assert [m for _, _, _, m in rows] == _quantile(amounts)
    explanation = _query(
        copy,
        f"select explanation from marts.fct_customer_segments "
        f"where as_of_date = '{AS_OF}' and segmentation = 'rfm' and f_score > 1 limit 1",
    )[0][0]
    assert "average per order of net revenue over the last 365 days" in explanation


def test_a_reference_date_after_the_as_of_date_is_refused(built, tmp_path: Path):
    raw, _ = built
    result = run_dbt(
        ["compile", "-s", "int_rfm_score_bounds", *_vars(as_of_date=EARLIER, rfm_reference_as_of_date=AS_OF)],
        raw,
        tmp_path / "w.duckdb",
    )
    assert result.returncode != 0
    assert "rfm_reference_as_of_date" in result.stdout and "after as_of_date" in result.stdout


def test_frozen_bounds_score_a_date_against_the_reference_date(built, tmp_path: Path):
    raw, warehouse = built
    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse, copy)
    result = run_dbt(["build", *_vars(as_of_date=AS_OF, rfm_reference_as_of_date=EARLIER)], raw, copy)
    assert result.returncode == 0, result.stdout[-3000:]
    dates = _query(
        copy,
        f"select distinct cast(bounds_as_of_date as varchar) from intermediate.int_rfm_cutpoints "
        f"where as_of_date = '{AS_OF}' and metric != 'recency_days' and bounds_as_of_date is not null",
    )
    assert dates == [(EARLIER,)]
    explanation = _query(
        copy,
        f"select explanation from marts.fct_customer_segments "
        f"where as_of_date = '{AS_OF}' and segmentation = 'rfm' and f_score > 0 limit 1",
    )[0][0]
    assert explanation.endswith(f"F and M bounds of {EARLIER}")


def test_segments_below_the_minimum_size_are_flagged_and_warned_about(built):
    raw, warehouse = built
    rows = _query(
        warehouse,
        "select customer_count, customer_share, is_below_min_size from marts.segment_summary "
        f"where as_of_date = '{AS_OF}'",
    )
    variables = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    minimum, share = variables["segment_min_customers"], variables["segment_min_share"]
    assert all(flag == (count > 0 and (count < minimum or fraction < share)) for count, fraction, flag in rows)
    assert any(flag for *_, flag in rows) and any(count > 0 and not flag for count, _, flag in rows)
    assert any(count == 0 and not flag for count, _, flag in rows), "an empty segment is shown, not flagged"
    result = run_dbt(["test", "--select", "no_segment_below_min_size", *_vars(as_of_date=AS_OF)], raw, warehouse)
    assert result.returncode == 0 and "WARN=1" in result.stdout, result.stdout[-2000:]
