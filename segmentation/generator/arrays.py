"""Small vectorized helpers that turn numpy draws into Arrow text columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SECONDS_PER_DAY = 86_400


def text(values: pa.Array | np.ndarray) -> pa.Array:
    """Any Arrow/numpy array as an Arrow string array."""
    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values)
    return pc.cast(array, pa.string())


def prefixed_ids(prefix: str, numbers: np.ndarray, width: int = 7) -> pa.Array:
    """'C0000042'-style identifiers."""
    digits = pc.utf8_lpad(text(numbers.astype(np.int64)), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def pick(values: tuple[str, ...] | list[str], indexes: np.ndarray) -> pa.Array:
    """values[indexes] as an Arrow string array (fast for millions of rows)."""
    return pa.array(list(values), pa.string()).take(pa.array(indexes.astype(np.int64)))


def timestamps(seconds: np.ndarray) -> pa.Array:
    """Epoch seconds as 'YYYY-MM-DD hh:mm:ss' text."""
    return pc.strftime(pa.array(seconds.astype("int64"), pa.timestamp("s")), format="%Y-%m-%d %H:%M:%S")


def dates(seconds: np.ndarray) -> pa.Array:
    """Epoch seconds as 'YYYY-MM-DD' text."""
    return pc.strftime(pa.array(seconds.astype("int64"), pa.timestamp("s")), format="%Y-%m-%d")


def amounts(values: np.ndarray) -> pa.Array:
    """Money rounded to cents, as text."""
    return text(np.round(values, 2))


def with_nulls(array: pa.Array, mask: np.ndarray) -> pa.Array:
    """array with null wherever mask is true."""
    return pc.if_else(pa.array(mask), pa.nulls(len(array), array.type), array)


def categorical(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indexes drawn with the given (unnormalized) weights."""
    probabilities = np.asarray(weights, dtype=float)
    return rng.choice(len(probabilities), size=size, p=probabilities / probabilities.sum())


def categorical_by_row(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One index per row, row i drawn from the distribution probabilities[i] (rows sum to 1)."""
    cumulative = np.cumsum(probabilities, axis=1)
    draws = rng.random(len(probabilities))[:, None]
    return np.minimum((draws > cumulative).sum(axis=1), probabilities.shape[1] - 1)
