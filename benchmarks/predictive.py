"""Benchmark of the predictive models (docs/decisions/0012): what the dbt Python models run (fit
BG/NBD and Gamma-Gamma, then score every customer), on CDNOW and on a synthetic 500K-customer
summary, beside the reference library (lifetimes) fitting the same weighted rows.

    python benchmarks/predictive.py [--customers 500000]

Figures, not assertions: compare the ratios of one run (these machines are noisy).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from segmentation.loaders.cdnow import installed_source
from segmentation.predictive import btyd, scoring

CDNOW_PARAMETERS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
CDNOW_SPEND = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def _cdnow_inputs(sample: bool, end: str = "1997-09-30") -> pd.DataFrame:
    """Inputs in days, as int_btyd_inputs holds them, from the master file (or the sample's ids)."""
    source = installed_source()
    frame = pd.read_csv(source, sep=r"\s+", skiprows=1, header=None, names=["id", "day", "cds", "dollars"])
    if sample:
        ids = pd.read_csv(source.parent / "CDNOW_sample.txt", sep=r"\s+", header=None, usecols=[0]).iloc[:, 0]
        frame = frame[frame["id"].isin(set(ids))]
    frame["day"] = pd.to_datetime(frame["day"].astype(str), format="%Y%m%d")
    days = frame[frame["day"] <= end].groupby(["id", "day"])["dollars"].sum().reset_index()
    first = days.groupby("id")["day"].transform("min")
    per = days.groupby("id").agg(first=("day", "min"), last=("day", "max"), count=("day", "size"))
    return pd.DataFrame(
        {
            "repeat_purchase_days": per["count"] - 1,
            "first_to_last_purchase_days": (per["last"] - per["first"]).dt.days,
            "first_purchase_to_as_of_days": (pd.Timestamp(end) - per["first"]).dt.days,
            "mean_repeat_purchase_value": days[days["day"] > first].groupby("id")["dollars"].mean(),
        }
    )


def _synthetic_inputs(customers: int) -> pd.DataFrame:
    """Customers acquired over two years, observed to day 730, purchases from the CDNOW estimates."""
    rng = np.random.default_rng(42)
    age_days = 730 - rng.integers(0, 730, customers)
    x, t_x = btyd.simulate_bgnbd(customers, CDNOW_PARAMETERS, age_days / 7.0, seed=1)
    spend = btyd.simulate_mean_spend(x, CDNOW_SPEND, seed=2)
    return pd.DataFrame(
        {
            "repeat_purchase_days": x,
            "first_to_last_purchase_days": np.round(t_x * 7).astype(int),
            "first_purchase_to_as_of_days": age_days,
            "mean_repeat_purchase_value": np.where(x > 0, spend, np.nan),
        }
    )


def _columns(inputs: pd.DataFrame) -> tuple:
    return tuple(
        inputs[name]
        for name in (
            "repeat_purchase_days",
            "first_to_last_purchase_days",
            "first_purchase_to_as_of_days",
            "mean_repeat_purchase_value",
        )
    )


def _ours(inputs: pd.DataFrame) -> dict[str, object]:
    started = time.perf_counter()
    fits = scoring.fit_models(*_columns(inputs), max_iterations=1000)
    fitted = time.perf_counter()
    parameters = {model: fit.params for model, fit in fits.items()}
    predicted = scoring.predict(parameters, *_columns(inputs), horizon_days=365, annual_discount_rate=0.1)
    done = time.perf_counter()
    return {
        "fit_s": fitted - started,
        "predict_s": done - fitted,
        "distinct_rows": fits["bg_nbd"].distinct_rows,
        "parameters": {name: round(float(value), 4) for fit in fits.values() for name, value in fit.params.items()},
        "converged": all(fit.converged for fit in fits.values()),
        "any_nan": bool(predicted.isna().any().any()),
    }


def _lifetimes(inputs: pd.DataFrame) -> float | None:
    """lifetimes' BG/NBD + Gamma-Gamma fit on the same weighted distinct rows (None if not installed)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lifetimes import BetaGeoFitter, GammaGammaFitter
    except ImportError:
        return None
    x, t_x, age, value = _columns(inputs)
    rows = pd.DataFrame({"x": x, "t": t_x / 7, "T": age / 7}).value_counts().reset_index(name="w")
    repeat = (x > 0) & (value > 0)  # as our fit: Gamma-Gamma needs a positive mean spend
    spend = pd.DataFrame({"x": x[repeat], "z": value[repeat]}).value_counts().reset_index(name="w")
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        BetaGeoFitter().fit(rows["x"], rows["t"], rows["T"], weights=rows["w"])
        GammaGammaFitter().fit(spend["x"], spend["z"], weights=spend["w"])
    return time.perf_counter() - started


def _installed_size_mb(distribution: str) -> float:
    files = importlib.metadata.distribution(distribution).files or []
    return sum(Path(file.locate()).stat().st_size for file in files if Path(file.locate()).is_file()) / 1e6


def _required_by(name: str) -> list[str]:
    """Installed distributions that declare ``name`` as a (non-extra) requirement."""
    users = set()
    for distribution in importlib.metadata.distributions():
        for requirement in distribution.requires or []:
            head = requirement.split(";")[0].strip().lower()
            project = re.match(r"[a-z0-9_.-]*", head).group(0)
            if project == name and "extra ==" not in requirement:
                users.add(distribution.metadata["Name"])
    return sorted(users)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=500_000, help="synthetic customers (default 500000)")
    args = parser.parse_args()

    datasets = {
        "CDNOW sample (2,357)": _cdnow_inputs(sample=True),
        "CDNOW master (23,570)": _cdnow_inputs(sample=False),
    }
    started = time.perf_counter()
    datasets[f"synthetic ({args.customers:,})"] = _synthetic_inputs(args.customers)
    simulated = time.perf_counter() - started
    print(f"synthetic summary simulated in {simulated:.1f} s\n")
    print("| dataset | customers | distinct (x, t_x, T) | fit s | predict s | lifetimes fit s | ratio | converged |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, inputs in datasets.items():
        ours = _ours(inputs)
        reference = _lifetimes(inputs)
        ratio = f"{reference / ours['fit_s']:.1f}x" if reference else "n/a"
        lifetimes_s = f"{reference:.2f}" if reference else "n/a"
        print(
            f"| {name} | {len(inputs):,} | {ours['distinct_rows']:,} | {ours['fit_s']:.2f} | {ours['predict_s']:.2f} | "
            f"{lifetimes_s} | {ratio} | {ours['converged'] and not ours['any_nan']} |"
        )
        print(f"|   parameters | {ours['parameters']} |")
    print(
        f"\nscipy {importlib.metadata.version('scipy')}: {_installed_size_mb('scipy'):.0f} MB installed, "
        f"already required by {', '.join(_required_by('scipy')) or 'nothing else'}"
    )


if __name__ == "__main__":
    main()
