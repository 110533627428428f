"""Predictive segmentations (docs/decisions/0012): the BG/NBD and Gamma-Gamma fits on simulated
data, the published CDNOW estimates reproduced through the whole pipeline and compared with the
reference library (lifetimes), the backtest, the failure modes, and labels that tell the truth."""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import run_dbt

from segmentation.loaders.cdnow import installed_source, load_cdnow
from segmentation.predictive import btyd, scoring

# Fader, Hardie & Lee (2005), CDNOW sample, 39-week calibration ending 1997-09-30 (weeks)
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}
PUBLISHED_LOG_LIKELIHOOD = -9582.4
CALIBRATION_END, HOLDOUT_END, HOLDOUT_DAYS = "1997-09-30", "1998-06-30", 273


def _lifetimes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifetimes 0.11 warns about pandas options it still sets
        from lifetimes import BetaGeoFitter, GammaGammaFitter
    return BetaGeoFitter, GammaGammaFitter


def _relative_gaps(fitted: dict[str, float], reference: dict[str, float]) -> dict[str, float]:
    return {name: abs(fitted[name] - value) / value for name, value in reference.items()}


def test_the_fits_recover_the_parameters_they_simulated():
    rng = np.random.default_rng(3)
    customers = 40_000
    age = rng.integers(10 * 7, 80 * 7, customers) / 7.0  # observed 10 to 80 weeks
    x, t_x = btyd.simulate_bgnbd(customers, PUBLISHED_BGNBD, age, seed=4)
    spend = btyd.simulate_mean_spend(x, PUBLISHED_GAMMA_GAMMA, seed=5)
    bgnbd = btyd.fit_bgnbd(x, t_x, age)
    gamma_gamma = btyd.fit_gamma_gamma(x, spend)
    assert bgnbd.converged and gamma_gamma.converged
    assert max(_relative_gaps(bgnbd.params, PUBLISHED_BGNBD).values()) < 0.10, bgnbd.params
    assert max(_relative_gaps(gamma_gamma.params, PUBLISHED_GAMMA_GAMMA).values()) < 0.10, gamma_gamma.params


def test_a_weighted_fit_on_distinct_rows_is_the_per_customer_fit_of_the_reference_library():
    age = np.repeat([20.0, 30.0, 39.0], 2_000)
    x, t_x = btyd.simulate_bgnbd(len(age), PUBLISHED_BGNBD, age, seed=6)
    rows = pd.DataFrame({"x": x, "t": t_x, "T": age}).value_counts().reset_index(name="w")
    assert len(rows) < len(age) / 2  # the point of weighting: far fewer rows
    weighted = btyd.fit_bgnbd(rows["x"], rows["t"], rows["T"], rows["w"])
    # the log-likelihood reported is the sum over every customer, evaluated row by row
    assert weighted.log_likelihood == pytest.approx(btyd.bgnbd_log_likelihood(weighted.params, x, t_x, age).sum())
    beta_geo, _ = _lifetimes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = beta_geo().fit(x, t_x, age)  # one row per customer, no weights
    for name in btyd.BGNBD_PARAMETERS:
        assert weighted.params[name] == pytest.approx(reference.params_[name], rel=2e-3)


def _numeric_gradient(log_likelihood, params: dict[str, float]) -> dict[str, float]:
    """d total log-likelihood / d log(parameter), by central differences."""
    gradient = {}
    for name, value in params.items():
        step = 1e-5
        up, down = {**params, name: value * np.exp(step)}, {**params, name: value * np.exp(-step)}
        gradient[name] = (log_likelihood(up) - log_likelihood(down)) / (2 * step)
    return gradient


def test_the_fits_stop_where_the_likelihood_is_flat():
    """At the fitted values the numeric gradient of the likelihood (computed apart from the
    optimiser's analytic one) vanishes: the optimiser followed a correct gradient to the top."""
    age = np.random.default_rng(8).integers(10 * 7, 60 * 7, 20_000) / 7.0
    x, t_x = btyd.simulate_bgnbd(len(age), PUBLISHED_BGNBD, age, seed=9)
    spend = btyd.simulate_mean_spend(x, PUBLISHED_GAMMA_GAMMA, seed=10)
    bgnbd = btyd.fit_bgnbd(x, t_x, age)
    gradient = _numeric_gradient(lambda p: btyd.bgnbd_log_likelihood(p, x, t_x, age).sum(), bgnbd.params)
    assert max(abs(g) for g in gradient.values()) < 1e-3 * len(x), gradient
    repeat = x > 0
    gamma_gamma = btyd.fit_gamma_gamma(x, spend)
    gradient = _numeric_gradient(
        lambda p: btyd.gamma_gamma_log_likelihood(p, x[repeat], spend[repeat]).sum(), gamma_gamma.params
    )
    assert max(abs(g) for g in gradient.values()) < 1e-3 * repeat.sum(), gradient


def test_data_that_cannot_identify_the_models_gives_no_fit():
    age = np.full(500, 20.0)
    nobody_returned = btyd.fit_bgnbd(np.zeros(500), np.zeros(500), np.linspace(1, 17, 500))
    three_returned = btyd.fit_bgnbd(np.r_[np.zeros(497), 1, 2, 1], np.r_[np.zeros(497), 3, 5, 2], age)
    all_on_the_last_day = btyd.fit_bgnbd(
        np.r_[np.zeros(450), np.ones(50)], np.r_[np.zeros(450), np.full(50, 20.0)], age
    )
    few_spenders = btyd.fit_gamma_gamma([1, 2, 1, 3], [10.0, 20.0, 15.0, 12.0])
    for fit in (nobody_returned, three_returned, all_on_the_last_day, few_spenders):
        assert not fit.converged, fit
    with pytest.warns(scoring.PredictiveFitWarning):
        rows = scoring.parameter_rows(
            pd.Timestamp("2026-01-31"),
            "scoring",
            pd.Timestamp("2026-01-31"),
            {"bg_nbd": three_returned, "gamma_gamma": few_spenders},
        )
    assert set(rows["fit_status"]) == {"not_fitted"} and rows["value"].isna().all()


def test_expected_purchases_stay_finite_when_a_is_one():
    at_one = {**PUBLISHED_BGNBD, "a": 1.0}
    near_one = {**PUBLISHED_BGNBD, "a": 1.0 + 1e-5}
    args = (52.0, [0, 1, 4], [0.0, 10.0, 30.0], [40.0, 40.0, 40.0])
    assert np.isfinite(btyd.expected_purchases(at_one, *args)).all()
    assert btyd.expected_purchases(at_one, *args) == pytest.approx(btyd.expected_purchases(near_one, *args), rel=1e-3)


def _simulate_two_periods(customers: int, params: dict[str, float], age: float, horizon: float, seed: int):
    """Continuous-time BG/NBD written independently of the module: per customer the repeat
    purchases up to `age` (x, t_x) and those in (age, age + horizon]."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(params["r"], 1 / params["alpha"], customers)
    drop = rng.beta(params["a"], params["b"], customers)
    x = np.zeros(customers, int)
    t_x = np.zeros(customers)
    later = np.zeros(customers, int)
    for i in range(customers):
        clock = 0.0
        while True:
            clock += rng.exponential(1 / rate[i])
            if clock > age + horizon:
                break
            if clock <= age:
                x[i] += 1
                t_x[i] = clock
            else:
                later[i] += 1
            if rng.random() < drop[i]:
                break
    return x, t_x, later


def test_churn_probability_and_expected_purchases_match_what_happens_next():
    age, horizon = 39.0, 52.0
    x, t_x, later = _simulate_two_periods(30_000, PUBLISHED_BGNBD, age, horizon, seed=7)
    no_purchase = btyd.probability_no_purchase(PUBLISHED_BGNBD, horizon, x, t_x, age)
    expected = btyd.expected_purchases(PUBLISHED_BGNBD, horizon, x, t_x, age)
    assert no_purchase.mean() == pytest.approx((later == 0).mean(), abs=0.01)
    assert expected.mean() == pytest.approx(later.mean(), rel=0.05)
    for group in (x == 0, x == 1, (x >= 2) & (x <= 4), x >= 5):
        assert no_purchase[group].mean() == pytest.approx((later[group] == 0).mean(), abs=0.025)


def _cdnow_sample_summary() -> pd.DataFrame:
    """The calibration summary of lifetimes' CDNOW sample file, computed with pandas alone."""
    sample = pd.read_csv(
        installed_source().parent / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master_id", "sample_id", "day", "cds", "dollars"],
        dtype={"master_id": str, "day": str},
    )
    sample["day"] = pd.to_datetime(sample["day"], format="%Y%m%d")
    days = sample[sample["day"] <= CALIBRATION_END].groupby(["master_id", "day"])["dollars"].sum().reset_index()
    first = days.groupby("master_id")["day"].transform("min")
    per = days.groupby("master_id").agg(first=("day", "min"), last=("day", "max"), days=("day", "size"))
    summary = pd.DataFrame(
        {
            "frequency": per["days"] - 1,
            "recency": (per["last"] - per["first"]).dt.days / 7,
            "T": (pd.Timestamp(CALIBRATION_END) - per["first"]).dt.days / 7,
            "mean_value": days[days["day"] > first].groupby("master_id")["dollars"].mean(),
        }
    )
    later = sample[(sample["day"] > CALIBRATION_END) & (sample["day"] <= HOLDOUT_END)]
    summary["holdout_days"] = later.groupby("master_id")["day"].nunique().reindex(summary.index).fillna(0)
    return summary


def test_a_fit_that_does_not_converge_keeps_the_previous_parameters():
    summary = _cdnow_sample_summary()
    args = (summary["frequency"], summary["recency"] * 7, summary["T"] * 7, summary["mean_value"])
    good = scoring.fit_models(*args, max_iterations=1000)
    failed = scoring.fit_models(*args, max_iterations=1)  # a real failure: the optimiser stops early
    assert all(fit.converged for fit in good.values()) and not any(fit.converged for fit in failed.values())
    earlier = scoring.parameter_rows(pd.Timestamp("1997-09-30"), "scoring", pd.Timestamp("1997-09-30"), good)
    assert set(earlier["fit_status"]) == {"fitted"}
    with pytest.warns(scoring.PredictiveFitWarning, match="the parameters of 1997-09-30"):
        later = pd.Timestamp("1997-12-31")
        kept = scoring.parameter_rows(later, "scoring", later, failed, earlier)
    assert set(kept["fit_status"]) == {"previous_kept"}
    assert list(kept["value"]) == list(earlier["value"])
    assert set(kept["parameters_as_of_date"]) == {pd.Timestamp("1997-09-30")}
    assert not kept["converged"].any()
    with pytest.warns(scoring.PredictiveFitWarning, match="no earlier fit"):
        nothing = scoring.parameter_rows(pd.Timestamp("1997-09-30"), "scoring", pd.Timestamp("1997-09-30"), failed)
    assert set(nothing["fit_status"]) == {"not_fitted"} and nothing["value"].isna().all()
    assert scoring.parameters_of(nothing, "scoring") == {"bg_nbd": None, "gamma_gamma": None}
    predicted = scoring.predict(scoring.parameters_of(nothing, "scoring"), *args, horizon_days=365)
    assert predicted.isna().all().all()  # nothing scored rather than garbage


def test_prospects_get_no_prediction_and_one_purchase_customers_the_population_spend():
    parameters = {"bg_nbd": PUBLISHED_BGNBD, "gamma_gamma": PUBLISHED_GAMMA_GAMMA}
    predicted = scoring.predict(
        parameters,
        frequency=[None, 0, 0, 3],
        recency_days=[None, 0, 0, 100],
        age_days=[None, 30, 300, 200],
        mean_value=[None, None, None, 40.0],
        horizon_days=365,
        annual_discount_rate=0.1,
    )
    assert predicted.iloc[0].isna().all()
    population = PUBLISHED_GAMMA_GAMMA["p"] * PUBLISHED_GAMMA_GAMMA["gamma"] / (PUBLISHED_GAMMA_GAMMA["q"] - 1)
    assert predicted.loc[1:2, "expected_order_value"].tolist() == pytest.approx([population, population])
    assert list(predicted.loc[1:2, "probability_alive"]) == [1.0, 1.0]  # BG/NBD: no repeat, no dropout
    # the longer a one-purchase customer stays silent, the likelier no purchase next year
    assert predicted.loc[2, "churn_probability"] > predicted.loc[1, "churn_probability"]
    undiscounted = scoring.predict(parameters, [3], [100], [200], [40.0], horizon_days=365)
    assert predicted.loc[3, "predicted_customer_value"] < undiscounted.loc[0, "predicted_customer_value"]
    assert undiscounted.loc[0, "predicted_customer_value"] == pytest.approx(
        undiscounted.loc[0, "expected_purchases"] * undiscounted.loc[0, "expected_order_value"]
    )


# --- CDNOW through the pipeline -------------------------------------------------------------


def _query(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).df()


@pytest.fixture(scope="module")
def cdnow_sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The 2,357-customer sample loaded through the raw contract and built: at the calibration end,
    at 1997-12-31 with a fit stopped after one iteration (the earlier fit is kept), and at the end
    of the holdout with a 273-day (39-week) backtest."""
    root = tmp_path_factory.mktemp("cdnow_sample")
    raw, warehouse = root / "raw", root / "warehouse.duckdb"
    load_cdnow(raw, sample=True)
    builds = {}
    for as_of, extra in (
        (CALIBRATION_END, ""),
        ("1997-12-31", ", predictive_fit_max_iterations: 1"),
        (HOLDOUT_END, f", backtest_holdout_days: {HOLDOUT_DAYS}"),
    ):
        result = run_dbt(["build", "--vars", f"{{as_of_date: '{as_of}'{extra}}}"], raw, warehouse)
        assert result.returncode == 0, result.stdout[-4000:]
        builds[as_of] = result.stdout
    return {"raw": raw, "warehouse": warehouse, "builds": builds}


def _parameters(warehouse: Path, as_of: str, purpose: str) -> pd.DataFrame:
    return _query(
        warehouse,
        f"select * from marts.predictive_model_parameters where as_of_date = '{as_of}' and purpose = '{purpose}'",
    )


@pytest.mark.slow
def test_cdnow_reproduces_the_published_estimates(cdnow_sample):
    warehouse = cdnow_sample["warehouse"]
    for as_of, purpose in ((CALIBRATION_END, "scoring"), (HOLDOUT_END, "backtest")):
        rows = _parameters(warehouse, as_of, purpose)
        assert set(rows["fit_status"]) == {"fitted"} and set(rows["observation_end_date"].astype(str)) == {
            CALIBRATION_END
        }
        values = dict(zip(rows["parameter"], rows["value"], strict=True))
        gaps = _relative_gaps(values, {**PUBLISHED_BGNBD, **PUBLISHED_GAMMA_GAMMA})
        assert max(gaps.values()) < 0.02, (purpose, values)
        bgnbd = rows[rows["model"] == "bg_nbd"].iloc[0]
        assert bgnbd["log_likelihood"] == pytest.approx(PUBLISHED_LOG_LIKELIHOOD, abs=0.1)
        assert bgnbd["customers"] == 2357 and rows[rows["model"] == "gamma_gamma"].iloc[0]["customers"] == 946
        assert set(rows.loc[rows["parameter"] == "alpha", "unit"]) == {"weeks"}


@pytest.mark.slow
def test_cdnow_inputs_equal_an_independent_summary_of_the_transactions(cdnow_sample):
    inputs = _query(
        cdnow_sample["warehouse"],
        """
        select resolved.customer_id, inputs.*
        from intermediate.int_btyd_backtest_inputs as inputs
        inner join intermediate.int_customers_resolved as resolved using (customer_key)
        """,
    ).set_index("customer_id")
    summary = _cdnow_sample_summary()
    assert len(inputs) == len(summary) == 2357
    inputs = inputs.loc[summary.index]
    assert (inputs["repeat_purchase_days"] == summary["frequency"]).all()
    assert np.allclose(inputs["first_to_last_purchase_days"] / 7, summary["recency"])
    assert np.allclose(inputs["first_purchase_to_calibration_end_days"] / 7, summary["T"])
    assert np.allclose(inputs["mean_repeat_purchase_value"].astype(float), summary["mean_value"], equal_nan=True)
    assert (inputs["holdout_purchase_days"] == summary["holdout_days"]).all()


@pytest.mark.slow
def test_cdnow_predictions_equal_the_reference_library(cdnow_sample):
    beta_geo, gamma_gamma = _lifetimes()
    warehouse = cdnow_sample["warehouse"]
    predictions = _query(
        warehouse, f"select * from marts.customer_predictions where as_of_date = '{HOLDOUT_END}' order by customer_key"
    )
    assert len(predictions) == 2357
    x = predictions["repeat_purchase_days"].astype(float)
    t_x, age = predictions["first_to_last_purchase_days"] / 7, predictions["first_purchase_to_as_of_days"] / 7
    value = predictions["mean_repeat_purchase_value"].astype(float).fillna(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = beta_geo().fit(x, t_x, age)
        repeat = x > 0
        spend = gamma_gamma().fit(x[repeat], value[repeat])
        ours = _parameters(warehouse, HOLDOUT_END, "scoring")
        ours = dict(zip(ours["parameter"], ours["value"], strict=True))
        for name in btyd.BGNBD_PARAMETERS:
            assert ours[name] == pytest.approx(reference.params_[name], rel=2e-3)
        for name, theirs in zip(("p", "q", "gamma"), ("p", "q", "v"), strict=True):
            assert ours[name] == pytest.approx(spend.params_[theirs], rel=2e-3)
        expected = reference.conditional_expected_number_of_purchases_up_to_time(365 / 7, x, t_x, age)
        alive = reference.conditional_probability_alive(x, t_x, age)
        order_value = spend.conditional_expected_average_profit(x, value)
    # same models and data, parameters equal to the optimisers' precision: predictions to 1%
    assert np.allclose(predictions["expected_purchases"], expected, rtol=0.01)
    assert np.allclose(predictions["probability_alive"], alive, rtol=0.01, atol=1e-4)
    assert np.allclose(predictions["expected_order_value"], order_value, rtol=0.01)


@pytest.mark.slow
def test_cdnow_backtest_predicts_the_holdout_like_the_reference_library(cdnow_sample):
    beta_geo, _ = _lifetimes()
    backtest = _query(
        cdnow_sample["warehouse"],
        f"select * from marts.model_backtest where as_of_date = '{HOLDOUT_END}' order by all",
    )
    everyone = backtest[backtest["breakdown"] == "all"].iloc[0]
    summary = _cdnow_sample_summary()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = beta_geo().fit(summary["frequency"], summary["recency"], summary["T"])
        expected = reference.conditional_expected_number_of_purchases_up_to_time(
            HOLDOUT_DAYS / 7, summary["frequency"], summary["recency"], summary["T"]
        )
    assert everyone["customers"] == 2357 and everyone["holdout_days"] == HOLDOUT_DAYS
    assert everyone["actual_purchases"] == summary["holdout_days"].sum()
    assert everyone["predicted_purchases"] == pytest.approx(expected.sum(), rel=0.005)
    deciles = backtest[backtest["breakdown"] == "predicted_purchases_decile"]
    assert list(deciles["breakdown_value"]) == list(range(1, 11))
    # the model ranks customers: the top decile buys most, far above the bottom half
    assert deciles.iloc[0]["actual_purchases"] > 3 * deciles.iloc[5:]["actual_purchases"].mean()
    assert everyone["purchases_correlation"] > 0.5
    # churn probability: as many non-buyers as predicted overall, and more of them the higher the band
    assert everyone["mean_predicted_churn_probability"] == pytest.approx(everyone["actual_no_purchase_share"], abs=0.05)
    bands = backtest[backtest["breakdown"] == "churn_probability_band"].copy()
    bands["non_buyers"] = bands["customers"] * bands["actual_no_purchase_share"]
    grouped = bands.groupby(pd.cut(bands["breakdown_value"], [-1, 2, 5, 9]), observed=True)[
        ["non_buyers", "customers"]
    ].sum()
    shares = list(grouped["non_buyers"] / grouped["customers"])  # under 0.3, 0.3 to 0.6, 0.6 and over
    assert shares == sorted(shares) and shares[0] < 0.3 and shares[2] > 0.6, shares


@pytest.mark.slow
def test_cdnow_a_fit_that_does_not_converge_keeps_the_previous_parameters_and_warns(cdnow_sample):
    warehouse = cdnow_sample["warehouse"]
    kept = _parameters(warehouse, "1997-12-31", "scoring")
    earlier = _parameters(warehouse, CALIBRATION_END, "scoring")
    assert set(kept["fit_status"]) == {"previous_kept"} and not kept["converged"].any()
    assert set(kept["parameters_as_of_date"].astype(str)) == {CALIBRATION_END}
    assert dict(zip(kept["parameter"], kept["value"], strict=True)) == dict(
        zip(earlier["parameter"], earlier["value"], strict=True)
    )
    log = cdnow_sample["builds"]["1997-12-31"]
    assert "Warning in test predictive_fit_converged" in log
    segments = _query(
        warehouse,
        # a past date: its segments are in the history
        "select segment_code, count(*) as customers from marts.segment_membership_history "
        "where valid_from <= '1997-12-31' and (valid_to is null or valid_to > '1997-12-31') "
        "and segmentation = 'churn_risk' group by all",
    )
    assert "not_scored" not in set(segments["segment_code"]) and segments["customers"].sum() == 2357


@pytest.mark.slow
def test_without_any_converged_fit_nobody_is_scored(cdnow_sample, tmp_path: Path):
    warehouse = tmp_path / "warehouse.duckdb"
    result = run_dbt(
        ["build", "--vars", f"{{as_of_date: '{CALIBRATION_END}', predictive_fit_max_iterations: 1}}"],
        cdnow_sample["raw"],
        warehouse,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Warning in test predictive_fit_converged" in result.stdout
    segments = _query(
        warehouse,
        "select segmentation, segment_code, count(*) as customers from marts.fct_customer_segments "
        "where segmentation in ('churn_risk', 'future_value') group by all",
    )
    assert set(segments["segment_code"]) == {"not_scored"} and set(segments["customers"]) == {2357}


@pytest.mark.slow
def test_churn_risk_and_future_value_describe_their_customers(cdnow_sample):
    """As a marketer reads them, on real data at the end of the holdout: high churn risk = silent
    for longer; future value tiers ordered by predicted value and by what customers spent."""
    facts = _query(
        cdnow_sample["warehouse"],
        f"""
        select segmentation, segment_code, recency_days, cast(lifetime_revenue_amount as double) as revenue
        from marts.fct_customer_segments
        where as_of_date = '{HOLDOUT_END}' and segmentation in ('churn_risk', 'future_value')
        """,
    )
    churn = facts[facts["segmentation"] == "churn_risk"].groupby("segment_code")["recency_days"].median()
    assert churn["low"] < churn["medium"] < churn["high"], churn
    value = facts[facts["segmentation"] == "future_value"].groupby("segment_code")["revenue"].mean()
    tiers = ["top_1", "top_5", "top_10", "top_25", "top_50", "bottom_50"]
    assert list(value[tiers]) == sorted(value[tiers], reverse=True), value
    predictions = _query(
        cdnow_sample["warehouse"], f"select * from marts.customer_predictions where as_of_date = '{HOLDOUT_END}'"
    )
    one_purchase = predictions[predictions["repeat_purchase_days"] == 0].sort_values("first_purchase_to_as_of_days")
    # one-purchase customers: BG/NBD keeps them alive, yet the longer the silence the likelier no purchase
    assert (one_purchase["probability_alive"] == 1).all()
    assert one_purchase["churn_probability"].is_monotonic_increasing


def test_prospects_are_prospects_in_the_predictive_segmentations(query):
    rows = query(
        """
        select segmentation, count(*) from marts.fct_customer_segments
        where segment_code = 'prospect' and segmentation in ('lifecycle', 'churn_risk', 'future_value')
        group by all
        """
    )
    counts = dict(rows)
    assert counts["lifecycle"] > 0 and counts["churn_risk"] == counts["future_value"] == counts["lifecycle"]


@pytest.mark.slow
def test_history_built_without_the_predictive_segmentations_stays_valid(tmp_path: Path):
    """An earlier date built without Python models (an upgrade, or python_models: false) and a later
    one with them, in one warehouse: both build, and the summary of the earlier date lists only
    what was built for it (no empty churn segments with undefined shares)."""
    from segmentation.generator import generate

    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    generate(customers=400, seed=23, out_dir=raw, show_progress=False)
    for variables in ("{as_of_date: '2026-03-31', python_models: false}", "{}"):
        result = run_dbt(["build", "--vars", variables], raw, warehouse)
        assert result.returncode == 0, result.stdout[-4000:]
    summary = _query(
        warehouse,
        "select as_of_date, segmentation, count(*) as segments, count(customer_share) as shares "
        "from marts.segment_summary group by all",
    )
    earlier = summary[summary["as_of_date"].astype(str) == "2026-03-31"]
    assert not set(earlier["segmentation"]) & {"churn_risk", "future_value"} and len(earlier) == 14
    assert (summary["segments"] == summary["shares"]).all()
    later = summary[summary["as_of_date"].astype(str) != "2026-03-31"]
    assert {"churn_risk", "future_value"} <= set(later["segmentation"])
