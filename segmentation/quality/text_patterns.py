"""The grammar staging reads raw text with (macros/staging/text_patterns.sql and the parse_* macros),
for the checks of `python -m segmentation check`, which must count as unparseable exactly what
staging quarantines. tests/python/test_text_patterns.py holds these to the macros.

Regular expressions valid alike in RE2 (DuckDB), POSIX ARE (PostgreSQL) and Java (Spark), written
without backslashes and without single quotes (they go into SQL string literals as they are)."""

from __future__ import annotations

# number_pattern(): dot decimals, an optional exponent of at most three digits
NUMBER_PATTERN = "^[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][+-]?[0-9]{1,3})?$"

# timestamp_pattern(): groups 1 date, 2 time (hh:mm or hh:mm:ss), 3 fraction (to the microsecond),
# 4 UTC offset (Z, +hh, +hhmm, +hh:mm)
TIMESTAMP_PATTERN = (
    "^([0-9]{4}-[0-9]{2}-[0-9]{2})"
    "(?:[ T]((?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)"
    "(?:([.][0-9]{1,6})[0-9]*)?"
    "(Z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?)?$"
)

# parse_decimal(): a number of the pattern that fits dbt.type_numeric(), numeric(28, 6)
NUMERIC_TYPE = "numeric(28, 6)"
# parse_integer(): a whole number in the bigint range
BIGINT_MAX = 9223372036854775807
