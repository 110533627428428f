"""What the dbt Python models of the predictive segmentations call (docs/decisions/0012):
fit BG/NBD and Gamma-Gamma on the SQL inputs (in days, fitted in weeks), keep the previous
parameters when a fit fails, and score customers with the fitted parameters."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from segmentation.predictive import btyd

DAYS_PER_WEEK = 7.0
MODELS = {"bg_nbd": btyd.BGNBD_PARAMETERS, "gamma_gamma": btyd.GAMMA_GAMMA_PARAMETERS}
UNITS = {"alpha": "weeks", "gamma": "currency"}
PARAMETER_COLUMNS = [
    "as_of_date",
    "purpose",
    "observation_end_date",
    "model",
    "parameter",
    "value",
    "unit",
    "fit_status",
    "parameters_as_of_date",
    "log_likelihood",
    "converged",
    "iterations",
    "customers",
    "distinct_rows",
    "message",
]


class PredictiveFitWarning(UserWarning):
    """A fit did not converge: the previous parameters were kept, or none exist."""


def fit_models(frequency, recency_days, age_days, mean_value, max_iterations: int) -> dict[str, btyd.FitResult]:
    """Both fits on the customers who bought (null inputs are prospects), time in weeks.

    BG/NBD runs on the distinct (x, t_x, T) rows weighted by their customer count, Gamma-Gamma on
    the distinct (x, zbar) rows of the repeat buyers."""
    frame = pd.DataFrame(
        {
            "x": pd.to_numeric(frequency, errors="coerce"),
            "t": pd.to_numeric(recency_days, errors="coerce") / DAYS_PER_WEEK,
            "T": pd.to_numeric(age_days, errors="coerce") / DAYS_PER_WEEK,
            "z": pd.to_numeric(mean_value, errors="coerce").astype(float),
        }
    )
    bought = frame.dropna(subset=["x", "t", "T"])
    if bought.empty:
        empty = {"bg_nbd": btyd.BGNBD_PARAMETERS, "gamma_gamma": btyd.GAMMA_GAMMA_PARAMETERS}
        return {
            model: btyd.FitResult(dict.fromkeys(names, math.nan), math.nan, 0.0, 0, 0, False, "no customer bought")
            for model, names in empty.items()
        }
    rows = bought.groupby(["x", "t", "T"], sort=True).size().reset_index(name="w")
    bgnbd = btyd.fit_bgnbd(rows["x"], rows["t"], rows["T"], rows["w"], max_iterations=max_iterations)
    repeat = bought[(bought["x"] > 0) & (bought["z"] > 0)]
    values = repeat.groupby(["x", "z"], sort=True).size().reset_index(name="w")
    gamma_gamma = btyd.fit_gamma_gamma(values["x"], values["z"], values["w"], max_iterations=max_iterations)
    return {"bg_nbd": bgnbd, "gamma_gamma": gamma_gamma}


def parameter_rows(
    as_of_date,
    purpose: str,
    observation_end_date,
    fits: dict[str, btyd.FitResult],
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per model and parameter with the fit's quality line.

    A converged fit gives fit_status 'fitted'. Otherwise the latest earlier fitted parameters of
    ``previous`` (rows of this table) are kept ('previous_kept', parameters_as_of_date says from
    when) or, without any, the values are null ('not_fitted'); a PredictiveFitWarning is raised."""
    rows = []
    for model, names in MODELS.items():
        fit = fits[model]
        earlier = _latest_fitted(previous, model, as_of_date)
        if fit.converged:
            status, values, values_as_of = "fitted", fit.params, as_of_date
        elif earlier is not None:
            status, values, values_as_of = "previous_kept", earlier[0], earlier[1]
        else:
            status, values, values_as_of = "not_fitted", dict.fromkeys(names, None), None
        if status != "fitted":
            warnings.warn(
                f"{model} {purpose} fit as of {as_of_date} did not converge ({fit.message}); "
                + (f"the parameters of {values_as_of} are kept" if earlier is not None else "no earlier fit to keep"),
                PredictiveFitWarning,
                stacklevel=2,
            )
        for name in names:
            rows.append(
                {
                    "as_of_date": as_of_date,
                    "purpose": purpose,
                    "observation_end_date": observation_end_date,
                    "model": model,
                    "parameter": name,
                    "value": values[name],
                    "unit": UNITS.get(name, "none"),
                    "fit_status": status,
                    "parameters_as_of_date": values_as_of,
                    "log_likelihood": _finite_or_none(fit.log_likelihood),
                    "converged": fit.converged,
                    "iterations": fit.iterations,
                    "customers": int(fit.customers),
                    "distinct_rows": fit.distinct_rows,
                    "message": fit.message,
                }
            )
    frame = pd.DataFrame(rows, columns=PARAMETER_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["log_likelihood"] = frame["log_likelihood"].astype(float)
    return frame


def _finite_or_none(value: float) -> float | None:
    return value if value is not None and np.isfinite(value) else None


def _latest_fitted(previous: pd.DataFrame | None, model: str, as_of_date) -> tuple[dict[str, float], object] | None:
    """The values and date of the latest fitted parameters of ``model`` before ``as_of_date``."""
    if previous is None or previous.empty:
        return None
    rows = previous[
        (previous["purpose"] == "scoring")
        & (previous["model"] == model)
        & (previous["fit_status"] == "fitted")
        & (pd.to_datetime(previous["as_of_date"]) < pd.Timestamp(as_of_date))
    ]
    if rows.empty:
        return None
    latest = rows["as_of_date"].max()
    chosen = rows[rows["as_of_date"] == latest]
    return dict(zip(chosen["parameter"], chosen["value"].astype(float), strict=True)), latest


def parameters_of(parameters: pd.DataFrame, purpose: str) -> dict[str, dict[str, float] | None]:
    """Per model, the parameters to score with (None when the model has none: not fitted)."""
    chosen = {}
    for model, names in MODELS.items():
        rows = parameters[(parameters["purpose"] == purpose) & (parameters["model"] == model)]
        values = dict(zip(rows["parameter"], rows["value"].astype(float), strict=True))
        complete = all(name in values and np.isfinite(values[name]) for name in names)
        chosen[model] = {name: values[name] for name in names} if complete else None
    return chosen


def predict(
    parameters: dict[str, dict[str, float] | None],
    frequency,
    recency_days,
    age_days,
    mean_value,
    horizon_days: float,
    margin_rate: float = 1.0,
    annual_discount_rate: float = 0.0,
) -> pd.DataFrame:
    """Per customer: probability alive, churn probability (no purchase within the horizon), expected
    purchases within the horizon, expected spend per purchase and the discounted value of the horizon.

    Customers without a purchase (null inputs) and models without parameters give nulls. The value is
    cut in monthly steps, each discounted from its end at the annual rate, times the margin rate."""
    if not horizon_days >= 1:
        raise ValueError(f"var prediction_horizon_days (or the backtest holdout) must be >= 1 day, got {horizon_days}")
    if not margin_rate >= 0 or not annual_discount_rate >= 0:
        raise ValueError(
            f"vars clv_margin_rate and clv_annual_discount_rate must be >= 0, got {margin_rate}, {annual_discount_rate}"
        )
    x = pd.to_numeric(pd.Series(frequency), errors="coerce").to_numpy(float)
    t_x = pd.to_numeric(pd.Series(recency_days), errors="coerce").to_numpy(float) / DAYS_PER_WEEK
    big_t = pd.to_numeric(pd.Series(age_days), errors="coerce").to_numpy(float) / DAYS_PER_WEEK
    z = pd.to_numeric(pd.Series(mean_value), errors="coerce").to_numpy(float)
    horizon = horizon_days / DAYS_PER_WEEK
    bought = ~(np.isnan(x) | np.isnan(t_x) | np.isnan(big_t))
    result = pd.DataFrame(
        np.nan,
        index=range(len(x)),
        columns=[
            "probability_alive",
            "churn_probability",
            "expected_purchases",
            "expected_order_value",
            "predicted_customer_value",
        ],
    )
    bgnbd, gamma_gamma = parameters["bg_nbd"], parameters["gamma_gamma"]
    if bgnbd is None or not bought.any():
        return result
    args = (x[bought], t_x[bought], big_t[bought])
    # the BG/NBD quantities depend on (x, t_x, T) only: compute them once per distinct row
    distinct, codes = np.unique(np.column_stack(args), axis=0, return_inverse=True)
    codes = codes.ravel()
    dx, dt, dT = distinct[:, 0], distinct[:, 1], distinct[:, 2]
    result.loc[bought, "probability_alive"] = btyd.probability_alive(bgnbd, dx, dt, dT)[codes]
    result.loc[bought, "churn_probability"] = btyd.probability_no_purchase(bgnbd, horizon, dx, dt, dT)[codes]
    result.loc[bought, "expected_purchases"] = btyd.expected_purchases(bgnbd, horizon, dx, dt, dT)[codes]
    if gamma_gamma is None:
        return result
    spend = btyd.expected_spend(gamma_gamma, x[bought], z[bought])
    steps = max(1, round(horizon_days / (365.25 / 12)))
    discount_per_step = (1.0 + annual_discount_rate) ** (horizon_days / steps / 365.25) - 1.0
    step_purchases = np.zeros(len(dx))
    value = np.zeros(len(codes))
    before = np.zeros(len(dx))
    for step in range(1, steps + 1):
        cumulative = btyd.expected_purchases(bgnbd, horizon * step / steps, dx, dt, dT)
        step_purchases = cumulative - before
        value += step_purchases[codes] * spend / (1.0 + discount_per_step) ** step
        before = cumulative
    result.loc[bought, "expected_order_value"] = spend
    result.loc[bought, "predicted_customer_value"] = value * margin_rate
    return result


def typed_relation(session, frame: pd.DataFrame, types: dict[str, str]):
    """``frame`` as a DuckDB relation with the given SQL type per column, in that order (pandas
    dtypes alone would turn dates into timestamps and all-null columns into anything)."""
    relation = session.from_df(frame)
    return relation.project(", ".join(f'cast("{name}" as {sql_type}) as "{name}"' for name, sql_type in types.items()))
