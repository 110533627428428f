"""Buy-till-you-die models by maximum likelihood: BG/NBD (purchases) and Gamma-Gamma (spend).

Written from the papers' formulas (docs/decisions/0012):
  - Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the
    Pareto/NBD Model", Marketing Science 24(2): likelihood (eq. 6), P(alive) (eq. 11),
    conditional expectation (eq. 10);
  - Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value": likelihood and the
    conditional expected spend.

Conventions of the papers: x = repeat purchase days (the first purchase day excluded), t_x = time
from the first to the last purchase day, T = time from the first purchase day to the end of the
observation, zbar = mean value of the repeat purchase days. The time unit is the caller's (we use
weeks, as the papers). Fits run on distinct (x, t_x, T) rows with a weight (their customer count):
the cost follows the distinct combinations, not the customers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

gammaln, betaln, digamma = special.gammaln, special.betaln, special.digamma

BGNBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "gamma")
# a fitted parameter outside this range (after rescaling time and money to order 1) is a
# degenerate fit running to a boundary, not an estimate
PLAUSIBLE_RANGE = (1e-3, 1e3)
# below this many repeat buyers the dropout (a, b) and spend (p, q, gamma) parameters are not
# identified: the likelihood is flat in them and the optimiser stays where it started
MIN_REPEAT_BUYERS = 10
# first purchase, start of the search: CDNOW-like values (a = b = 1 is a saddle of nothing to learn)
BGNBD_START = (1.0, 1.0, 0.8, 2.5)


@dataclass
class FitResult:
    params: dict[str, float]
    log_likelihood: float
    customers: float
    distinct_rows: int
    iterations: int
    converged: bool
    message: str


def _dot(u: np.ndarray, v: np.ndarray) -> float:
    # not `u @ v`: a threaded BLAS dot on 1-D vectors was 5x slower on 2 cores
    return float(np.sum(np.multiply(u, v)))


def _factor(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and, per element, the index of its value."""
    distinct, index = np.unique(values, return_inverse=True)
    return distinct, index.ravel()


def _minimize(objective, start, names, max_iterations: int) -> tuple[dict[str, float], optimize.OptimizeResult]:
    """L-BFGS-B over the logarithms of the parameters (keeps them positive), analytic gradient."""
    result = optimize.minimize(
        objective,
        np.log(np.asarray(start, float)),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iterations, "gtol": 1e-9, "ftol": 1e-15},
    )
    return dict(zip(names, map(float, np.exp(result.x)), strict=True)), result


# first-order optimality: the largest gradient of the mean log-likelihood per customer (over
# log-parameters) accepted at a solution. L-BFGS-B can stop on a failed line search right at the
# optimum (numerical noise); its gradient then says whether it is there.
GRADIENT_TOLERANCE = 1e-5


def _converged(result: optimize.OptimizeResult) -> bool:
    return bool(result.success) or bool(np.max(np.abs(result.jac)) < GRADIENT_TOLERANCE)


def _plausible(params: dict[str, float]) -> bool:
    low, high = PLAUSIBLE_RANGE
    return all(np.isfinite(v) and low < v < high for v in params.values())


def bgnbd_log_likelihood(params: dict[str, float], frequency, recency, age) -> np.ndarray:
    """Log-likelihood of each (x, t_x, T) row under BG/NBD (FHL 2005, eq. 6)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMETERS)
    x, t_x, big_t = (np.asarray(v, float) for v in (frequency, recency, age))
    repeat = x > 0
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    survived = betaln(a, b + x) - (r + x) * np.log(alpha + big_t)
    with np.errstate(invalid="ignore", divide="ignore"):
        dropped = np.where(
            repeat, betaln(a + 1.0, b + np.maximum(x - 1.0, 0.0)) - (r + x) * np.log(alpha + t_x), -np.inf
        )
    return common + np.logaddexp(survived, dropped)


def fit_bgnbd(frequency, recency, age, weights=None, max_iterations: int = 1000) -> FitResult:
    """Maximum-likelihood BG/NBD. Rows may be distinct (x, t_x, T) combinations with weights = counts."""
    x, t_x, big_t = (np.asarray(v, float) for v in (frequency, recency, age))
    w = np.ones_like(x) if weights is None else np.asarray(weights, float)
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > big_t + 1e-9) or np.any((x == 0) & (t_x != 0)):
        raise ValueError("BG/NBD needs 0 <= recency <= T, frequency >= 0 and recency 0 without repeat purchases")
    rows = pd.DataFrame({"x": x, "t": t_x, "T": big_t, "w": w}).groupby(["x", "t", "T"], sort=True)["w"].sum()
    rows = rows.reset_index()
    x, t_x, big_t, w = (rows[k].to_numpy(float) for k in ("x", "t", "T", "w"))
    # time rescaled so that the optimiser sees alpha of order 1 (alpha scales with time)
    scale = 10.0 / max(float(big_t.max()), 1e-12)
    x_values, x_index = _factor(x)
    age_values, age_index = _factor(big_t * scale)
    recency_values, recency_index = _factor(t_x * scale)
    repeat_values = x_values > 0
    x_minus_one = np.where(repeat_values, x_values - 1.0, 0.0)
    repeat = repeat_values[x_index]
    total = w.sum()

    def objective(log_params):
        r, alpha, a, b = params = np.exp(log_params)
        with np.errstate(all="ignore"):
            # special functions once per distinct x, logarithms once per distinct T or t_x
            common = gammaln(r + x_values) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
            log_age, log_recency = np.log(alpha + age_values)[age_index], np.log(alpha + recency_values)[recency_index]
            rx = r + x
            survived = betaln(a, b + x_values)[x_index] - rx * log_age
            dropped = np.where(repeat_values, betaln(a + 1.0, b + x_minus_one), 0.0)[x_index] - rx * log_recency
            top = np.where(repeat, np.maximum(survived, dropped), survived)
            e_survived = np.exp(survived - top)
            e_dropped = np.where(repeat, np.exp(np.where(repeat, dropped - top, 0.0)), 0.0)
            both = e_survived + e_dropped
            value = -_dot(w, common[x_index] + top + np.log(both)) / total
            if not np.isfinite(value):
                return np.inf, np.zeros(4)
            w1 = w * e_survived / both
            w2 = w - w1
            psi_ab, psi_abx = digamma(a + b), digamma(a + b + x_values)
            g_r = (
                _dot(w, (digamma(r + x_values) - digamma(r) + np.log(alpha))[x_index])
                - _dot(w1, log_age)
                - _dot(w2, log_recency)
            )
            g_alpha = (
                total * r / alpha
                - _dot(w1, rx / (alpha + age_values[age_index]))
                - _dot(w2, rx / (alpha + recency_values[recency_index]))
            )
            w1_per_x = np.bincount(x_index, w1, len(x_values))
            w2_per_x = np.bincount(x_index, w2, len(x_values))
            g_a = (
                -total * (digamma(a) - psi_ab)
                + _dot(w1_per_x, digamma(a) - psi_abx)
                + _dot(w2_per_x, np.where(repeat_values, digamma(a + 1.0) - psi_abx, 0.0))
            )
            g_b = (
                -total * (digamma(b) - psi_ab)
                + _dot(w1_per_x, digamma(b + x_values) - psi_abx)
                + _dot(w2_per_x, np.where(repeat_values, digamma(b + x_minus_one) - psi_abx, 0.0))
            )
        return value, -np.array([g_r, g_alpha, g_a, g_b]) / total * params

    params, result = _minimize(objective, BGNBD_START, BGNBD_PARAMETERS, max_iterations)
    plausible = _plausible(params)
    params["alpha"] /= scale
    log_likelihood = _dot(w, bgnbd_log_likelihood(params, x, t_x, big_t))
    repeaters = w[x > 0].sum()
    # with every repeat buyer's last purchase on the last day, a and b are not identified either
    identified = repeaters >= MIN_REPEAT_BUYERS and bool(np.any((x > 0) & (t_x < big_t)))
    message = str(result.message) if identified else f"{repeaters:.0f} repeat buyers: dropout not identified"
    return FitResult(
        params,
        log_likelihood,
        float(total),
        len(x),
        int(result.nit),
        identified and _converged(result) and plausible and np.isfinite(log_likelihood),
        message,
    )


def gamma_gamma_log_likelihood(params: dict[str, float], frequency, mean_value) -> np.ndarray:
    """Log density of each repeat buyer's mean spend zbar over x repeat purchases (Fader & Hardie 2013)."""
    p, q, g = (params[k] for k in GAMMA_GAMMA_PARAMETERS)
    x, z = np.asarray(frequency, float), np.asarray(mean_value, float)
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(g)
        + (px - 1.0) * np.log(z)
        + px * np.log(x)
        - (px + q) * np.log(g + x * z)
    )


def fit_gamma_gamma(frequency, mean_value, weights=None, max_iterations: int = 1000) -> FitResult:
    """Maximum-likelihood Gamma-Gamma on the rows with x > 0 and a positive mean value."""
    x, z = np.asarray(frequency, float), np.asarray(mean_value, float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, float)
    keep = (x > 0) & (z > 0) & np.isfinite(z)
    x, z, w = x[keep], z[keep], w[keep]
    if w.sum() == 0:
        return FitResult(
            dict.fromkeys(GAMMA_GAMMA_PARAMETERS, float("nan")), float("nan"), 0.0, 0, 0, False, "no repeat buyer"
        )
    # money rescaled so that gamma is of order 1 (p and q are scale free)
    scale = 1.0 / np.average(z, weights=w)
    z_scaled = z * scale
    total = w.sum()
    x_values, x_index = _factor(x)
    w_per_x = np.bincount(x_index, w, len(x_values))
    log_z = np.log(z_scaled)
    sum_x_log_zx = _dot(w, x * (log_z + np.log(x)))
    sum_log_z = _dot(w, log_z)

    def objective(log_params):
        p, q, g = params = np.exp(log_params)
        with np.errstate(all="ignore"):
            px_values = p * x_values
            log_total = np.log(g + x * z_scaled)
            value = (
                _dot(w_per_x, gammaln(px_values + q) - gammaln(px_values))
                - total * gammaln(q)
                + total * q * np.log(g)
                + p * sum_x_log_zx
                - sum_log_z
                - _dot(w * (p * x + q), log_total)
            )
            value = -value / total
            if not np.isfinite(value):
                return np.inf, np.zeros(3)
            g_p = _dot(w_per_x, x_values * (digamma(px_values + q) - digamma(px_values))) + sum_x_log_zx
            g_p -= _dot(w * x, log_total)
            g_q = _dot(w_per_x, digamma(px_values + q)) - total * digamma(q) + total * np.log(g) - _dot(w, log_total)
            g_g = total * q / g - _dot(w * (p * x + q), 1.0 / (g + x * z_scaled))
        return value, -np.array([g_p, g_q, g_g]) / total * params

    params, result = _minimize(objective, (1.0, 1.0, 1.0), GAMMA_GAMMA_PARAMETERS, max_iterations)
    plausible = _plausible(params)
    params["gamma"] /= scale
    log_likelihood = _dot(w, gamma_gamma_log_likelihood(params, x, z))
    identified = total >= MIN_REPEAT_BUYERS
    message = str(result.message) if identified else f"{total:.0f} repeat buyers: spend not identified"
    # q > 1: the expected spend p * gamma / (q - 1) exists
    return FitResult(
        params,
        log_likelihood,
        float(total),
        len(x),
        int(result.nit),
        identified and _converged(result) and plausible and params["q"] > 1.0 and np.isfinite(log_likelihood),
        message,
    )


def probability_alive(params: dict[str, float], frequency, recency, age) -> np.ndarray:
    """P(alive | x, t_x, T) (FHL 2005, eq. 11): 1 without repeat purchase (BG/NBD drops out only after a purchase)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMETERS)
    x, t_x, big_t = (np.asarray(v, float) for v in (frequency, recency, age))
    repeat = x > 0
    log_odds_dead = (
        np.log(a) - np.log(np.where(repeat, b + x - 1.0, 1.0)) + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
    )
    return np.where(repeat, 1.0 / (1.0 + np.exp(log_odds_dead)), 1.0)


def probability_no_purchase(params: dict[str, float], horizon, frequency, recency, age) -> np.ndarray:
    """P(no purchase in the next ``horizon`` | x, t_x, T): dead, or alive with no purchase before the horizon.

    Alive, the purchase rate is Gamma(r + x, alpha + T) given the history, and a BG/NBD customer can
    only drop out right after a purchase, so P(none | alive) = ((alpha + T) / (alpha + T + horizon))^(r + x).
    """
    r, alpha = params["r"], params["alpha"]
    x, big_t = np.asarray(frequency, float), np.asarray(age, float)
    alive = probability_alive(params, frequency, recency, age)
    none_if_alive = np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + horizon)))
    return 1.0 - alive + alive * none_if_alive


def expected_purchases(params: dict[str, float], horizon, frequency, recency, age) -> np.ndarray:
    """E[purchases in the next ``horizon`` | x, t_x, T] (FHL 2005, eq. 10)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMETERS)
    # eq. 10 divides by a - 1; its limit at a = 1 is continuous: step just off it
    a = a if abs(a - 1.0) >= 1e-7 else 1.0 + 1e-7
    x, big_t = np.asarray(frequency, float), np.asarray(age, float)
    horizon = np.asarray(horizon, float)
    hypergeometric = special.hyp2f1(r + x, b + x, a + b + x - 1.0, horizon / (alpha + big_t + horizon))
    decay = np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + horizon)))
    if_alive = (a + b + x - 1.0) / (a - 1.0) * (1.0 - decay * hypergeometric)
    return if_alive * probability_alive(params, frequency, recency, age)


def expected_spend(params: dict[str, float], frequency, mean_value) -> np.ndarray:
    """E[spend per purchase | x, zbar] = p (gamma + x zbar) / (p x + q - 1).

    Without a repeat purchase (or with a mean value that is not positive: returns) the customer's
    own spend is not informative and this is the population mean p gamma / (q - 1)."""
    p, q, g = (params[k] for k in GAMMA_GAMMA_PARAMETERS)
    x, z = np.asarray(frequency, float), np.asarray(mean_value, float)
    informative = (x > 0) & np.isfinite(z) & (z > 0)
    x = np.where(informative, x, 0.0)
    z = np.where(informative, z, 0.0)
    return p * (g + x * z) / (p * x + q - 1.0)


def simulate_bgnbd(
    customers: int, params: dict[str, float], age, seed: int = 0, days_per_unit: float = 7.0
) -> tuple[np.ndarray, np.ndarray]:
    """(x, t_x) of customers observed for ``age`` time units each, drawn from BG/NBD. Purchases are
    placed on whole days and a day counts once, as in a real summary (benchmarks and tests)."""
    rng = np.random.default_rng(seed)
    age = np.broadcast_to(np.asarray(age, float), (customers,))
    rate = rng.gamma(params["r"], 1.0 / params["alpha"], customers)
    drop = rng.beta(params["a"], params["b"], customers)
    clock = np.zeros(customers)
    x = np.zeros(customers, np.int64)
    last_day = np.zeros(customers, np.int64)
    active = np.arange(customers)
    while active.size:
        clock[active] += rng.exponential(1.0, active.size) / rate[active]
        active = active[clock[active] <= age[active]]
        day = np.floor(clock[active] * days_per_unit).astype(np.int64)
        new_day = day > last_day[active]
        x[active[new_day]] += 1
        last_day[active[new_day]] = day[new_day]
        active = active[rng.random(active.size) >= drop[active]]
    return x, last_day / days_per_unit


def simulate_mean_spend(frequency, params: dict[str, float], seed: int = 0) -> np.ndarray:
    """Mean repeat spend of each customer drawn from Gamma-Gamma (0 without a repeat purchase), to the cent."""
    rng = np.random.default_rng(seed)
    x = np.asarray(frequency)
    nu = rng.gamma(params["q"], 1.0 / params["gamma"], x.size)
    # the mean of x draws Gamma(p, rate nu) is Gamma(p x, rate nu x)
    spend = rng.gamma(np.maximum(params["p"] * x, 1e-12), 1.0 / (nu * np.maximum(x, 1)))
    return np.round(np.where(x > 0, spend, 0.0), 2)
