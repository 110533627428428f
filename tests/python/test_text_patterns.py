"""`python -m segmentation check` reads raw text with staging's grammar: the patterns of
segmentation/quality/text_patterns.py are the ones macros/staging/text_patterns.sql returns, and
the checks' parsed values on a tiny raw file follow parse_decimal, parse_integer and
parse_timestamp (the dbt test raw_text_parses_alike_on_every_engine holds the macros to the same
cases on every engine)."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import duckdb
import jinja2
import pandas as pd
import pytest

from segmentation.contract import PROJECT_ROOT, load_contract
from segmentation.quality import text_patterns
from segmentation.quality.sources import DuckDBWarehouse

MACROS = PROJECT_ROOT / "macros" / "staging"


def _macros(name: str):
    """The macros of a file, callable (only those that need no dbt context)."""
    return jinja2.Environment().from_string((MACROS / name).read_text(encoding="utf-8")).module


def test_the_patterns_are_the_ones_of_the_macros():
    macros = _macros("text_patterns.sql")
    assert str(macros.number_pattern()) == text_patterns.NUMBER_PATTERN
    assert str(macros.timestamp_pattern()) == text_patterns.TIMESTAMP_PATTERN


def test_the_bounds_are_the_ones_of_the_macros():
    assert f"<= {text_patterns.BIGINT_MAX}" in (MACROS / "parse_integer.sql").read_text(encoding="utf-8")
    casts = (MACROS / "create_cast_functions.sql").read_text(encoding="utf-8")
    assert f"cast(trim(value) as {text_patterns.NUMERIC_TYPE})" in casts
    assert "< 1e22" in casts  # numeric(28, 6): 22 digits before the point


def _read(tmp_path: Path, table: str, column: str, values: list[str]) -> list[tuple[object, bool]]:
    """(value, unparseable) as the checks see each value of one column of a raw file whose other
    columns hold valid text."""
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    contract = load_contract()[table]
    valid = {"varchar": "x", "integer": "1", "decimal": "1", "timestamp": "2024-01-01", "date": "2024-01-01"}
    with (raw_dir / f"{table}.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerow(contract.column_names)
        for value in values:
            writer.writerow([value if c.name == column else valid[c.data_type] for c in contract.columns])
    for required in ("customers", "orders", "order_lines"):  # the reader reads whole extracts
        if required != table:
            header = ",".join(load_contract()[required].column_names)
            (raw_dir / f"{required}.csv").write_text(header + "\n", encoding="utf-8")
    query = DuckDBWarehouse(tmp_path / "unused.duckdb", raw_dir).raw_query(contract, set(), {})
    with duckdb.connect() as connection:
        frame = connection.execute(query).df()

    def plain(value: object) -> object:
        if pd.isna(value):
            return None
        return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value

    pairs = zip(frame[f"{column}__value"], frame[f"{column}__unparseable"], strict=True)
    return [(plain(value), bool(unparseable)) for value, unparseable in pairs]


NUMBERS = {
    "NaN": None,
    "inf": None,
    "-Infinity": None,
    "1e30": None,
    "12345678901234567890123": None,  # 23 digits: beyond numeric(28, 6)
    "1_000": None,
    "1,5": 1.5,  # the reader rewrites a decimal comma (segmentation/inputs)
    "1e3": 1000.0,
    " 12.50 ": 12.5,
    "-0.5": -0.5,
    ".5": 0.5,
    "1.5E-2": 0.015,
    "9999999999999999999999": 9999999999999999999999.0,  # 22 digits: fits
}


def test_numbers_parse_as_staging_parses_them(tmp_path: Path):
    read = _read(tmp_path, "order_lines", "unit_price", list(NUMBERS))
    assert read == [(expected, expected is None and raw not in READ_AS_NULL) for raw, expected in NUMBERS.items()]


INTEGERS = {
    "3": 3.0,
    "3.0": 3.0,
    "1e2": 100.0,
    "3.5": None,
    "9223372036854775807": float(9223372036854775807),
    "9223372036854775808": None,
    "1e19": None,
    "NaN": None,
}


def test_whole_numbers_parse_as_staging_parses_them(tmp_path: Path):
    read = _read(tmp_path, "order_lines", "quantity", list(INTEGERS))
    assert read == [(expected, expected is None and raw not in READ_AS_NULL) for raw, expected in INTEGERS.items()]


TIMESTAMPS = {
    "2024-01-01": datetime.datetime(2024, 1, 1),
    "2024-01-01T10:00:00Z": datetime.datetime(2024, 1, 1, 10),
    "2024-01-01 10:00:00+02:00": datetime.datetime(2024, 1, 1, 8),
    "2024-01-01T00:30:00+0530": datetime.datetime(2023, 12, 31, 19),
    "2024-01-01 22:00:00-03:00": datetime.datetime(2024, 1, 2, 1),
    "2024-01-01 10:00:00.1234567": datetime.datetime(2024, 1, 1, 10, 0, 0, 123456),
    "2024-02-30": None,
    "2024-10": None,
    "10:00:00": None,
    "2024-01-01 10:00:00 UTC": None,
    "31/01/2024": datetime.datetime(2024, 1, 31),  # the reader rewrites day-first dates
}
# null strings (segmentation/inputs): read as null, hence not unparseable
READ_AS_NULL = {"NaN"}


def test_timestamps_parse_as_staging_parses_them(tmp_path: Path):
    read = _read(tmp_path, "orders", "ordered_at", list(TIMESTAMPS))
    assert read == [(expected, expected is None) for expected in TIMESTAMPS.values()]


@pytest.mark.parametrize("pattern", [text_patterns.NUMBER_PATTERN, text_patterns.TIMESTAMP_PATTERN])
def test_the_patterns_fit_in_a_sql_string_on_every_engine(pattern: str):
    assert "'" not in pattern and "\\" not in pattern
