"""How the values of a file are written, and the SQL that rewrites them in the form staging reads
(ISO dates, dot decimals, SQL nulls). A value is rewritten only when its reading is certain; a
value that stays unreadable reaches staging unchanged (and is quarantined or nulled there with its
reason); an ambiguous one reaches staging with the ambiguity spelt out, so it is never read
silently.

- **Nulls**: ``NULL``, ``\\N``, ``N/A``... (var raw_formats null_strings) are SQL nulls.
- **Numbers**: a value's own shape decides when it can (``1.234,56``, ``12,5``, ``1 234``,
  ``1,234,567``). ``1.234`` and ``1,234`` can be a thousand or a decimal: the column decides when
  its other values use that separator for one role only (``2.345.678`` -> thousands; ``12.5`` ->
  decimal), var raw_formats decimal_separator / thousands_separator otherwise; else it is flagged.
  Symbols and codes of the extract's currencies (orders.currency) are set aside; ``10%`` in
  discount_amount is that share of the line (quantity x unit price), rounded to the cent.
- **Dates** ``31/12/2025``, ``12.31.2025``, ``2025/12/31``, with ``HH:MM[:SS]`` or ``HHhMM``:
  a day above 12 settles the order for the whole column; a column that cannot settle it (all days
  1-12) follows the order the rest of the extract settled, else var raw_formats date_order.
"""

from __future__ import annotations

from dataclasses import dataclass

NULL_STRINGS = ("NULL", "null", "Null", "\\N", "N/A", "n/a", "#N/A", "NaN", "nan", "(null)", "None", "#NULL!")
NUMBER_TYPES = ("decimal", "integer")
DATE_TYPES = ("date", "timestamp")
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "SEK": "kr", "DKK": "kr", "NOK": "kr"}

# Shapes of a number once spaces, currency and a trailing % are set aside (RE2 syntax).
BOTH_DOT_LAST = r"^[-+]?\d{1,3}(,\d{3})+\.\d+$"
BOTH_COMMA_LAST = r"^[-+]?\d{1,3}(\.\d{3})+,\d+$"
COMMA_GROUPS = r"^[-+]?\d{1,3}(,\d{3}){2,}$"
DOT_GROUPS = r"^[-+]?\d{1,3}(\.\d{3}){2,}$"
AMBIGUOUS_COMMA = r"^[-+]?[1-9]\d{0,2},\d{3}$"
AMBIGUOUS_DOT = r"^[-+]?[1-9]\d{0,2}\.\d{3}$"
COMMA_DECIMAL = r"^[-+]?\d*,\d+$"
DOT_DECIMAL = r"^[-+]?\d*\.\d+$"
PLAIN_NUMBER = r"^[-+]?(\d+|\d*\.\d+)$"
SPACES = r"[\s\x{00A0}\x{202F}'']"  # '' : inside a SQL literal

# Day-month-year or month-day-year with any of / . - and an optional time; year-first with / or .
DAY_MONTH = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$"
YEAR_FIRST = r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$"


@dataclass(frozen=True)
class ValueColumn:
    """A contract column supplied by a file: its text in the file's reader and its type."""

    table: str
    name: str
    source: str
    data_type: str


def sql_list(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _clean(source: str) -> str:
    return f"nullif(trim({source}), '')"


def number_core(text: str, currencies: list[str]) -> str:
    """The digits and separators of a number: spaces, the extract's currency marks and % set aside."""
    marks = sorted({m for code in currencies for m in (code, CURRENCY_SYMBOLS.get(code, code))}, key=len, reverse=True)
    core = f"regexp_replace({text}, '{SPACES}', '', 'g')"
    if marks:
        alternatives = "|".join(_re_escape(m) for m in marks)
        core = f"regexp_replace({core}, '^({alternatives})|({alternatives})$', '', 'g')"
    return f"rtrim({core}, '%')"


def _re_escape(text: str) -> str:
    return "".join("\\" + c if c in r".^$*+?()[]{}|\-" else c for c in text).replace("'", "''")


def first_pass_selects(column: ValueColumn, index: int, null_strings: list[str]) -> list[str]:
    """Cheap aggregates telling whether a column holds anything but plain ISO / dot-decimal values
    (s<index>_unusual); only such columns pay for the shapes of stats_selects."""
    text = _clean(column.source)
    selects = [f"count(*) filter (where {text} in ({sql_list(null_strings)})) as s{index}_nulls"]
    if column.data_type in NUMBER_TYPES:
        selects.append(
            f"count(*) filter (where {text} not in ({sql_list(null_strings)}) and (try_cast({text} as double) is null"
            f" or {text} like '%,%' or ({text} like '%.___' and regexp_matches({text}, '{AMBIGUOUS_DOT}'))))"
            f" as s{index}_unusual"
        )
    elif column.data_type in DATE_TYPES:
        selects.append(
            f"count(*) filter (where {text} not in ({sql_list(null_strings)})"
            f" and try_cast({text} as timestamp) is null) as s{index}_unusual"
        )
    return selects


def stats_selects(column: ValueColumn, index: int, currencies: list[str]) -> list[str]:
    """The shapes of one column's values (numbers: separators; dates: day/month order), named
    s<index>_<what>."""
    text = _clean(column.source)
    selects = []
    if column.data_type in NUMBER_TYPES:
        core = number_core(text, currencies)
        shapes = {
            "both_dot_last": BOTH_DOT_LAST, "both_comma_last": BOTH_COMMA_LAST, "comma_groups": COMMA_GROUPS,
            "dot_groups": DOT_GROUPS, "ambiguous_comma": AMBIGUOUS_COMMA, "ambiguous_dot": AMBIGUOUS_DOT,
        }  # fmt: skip
        for name, pattern in shapes.items():
            selects.append(f"count(*) filter (where regexp_matches({core}, '{pattern}')) as s{index}_{name}")
        selects += [
            f"count(*) filter (where regexp_matches({core}, '{COMMA_DECIMAL}') "
            f"and not regexp_matches({core}, '{AMBIGUOUS_COMMA}')) as s{index}_comma_decimal",
            f"count(*) filter (where regexp_matches({core}, '{DOT_DECIMAL}') "
            f"and not regexp_matches({core}, '{AMBIGUOUS_DOT}')) as s{index}_dot_decimal",
            f"count(*) filter (where {text} is not null and {core} <> {text} "
            f"and regexp_matches({core}, '^[-+]?[0-9.,]+$')) as s{index}_marked",
        ]
    elif column.data_type in DATE_TYPES:
        first = f"try_cast(regexp_extract({text}, '{DAY_MONTH}', 1) as integer)"
        second = f"try_cast(regexp_extract({text}, '{DAY_MONTH}', 2) as integer)"
        selects += [
            f"count(*) filter (where regexp_matches({text}, '{DAY_MONTH}')) as s{index}_day_month",
            f"count(*) filter (where {first} > 12 and {second} <= 12) as s{index}_day_first",
            f"count(*) filter (where {second} > 12 and {first} <= 12) as s{index}_month_first",
            f"count(*) filter (where regexp_matches({text}, '{YEAR_FIRST}')) as s{index}_year_first",
            f"any_value({text}) filter (where regexp_matches({text}, '{DAY_MONTH}')) as s{index}_example",
        ]
    return selects


@dataclass(frozen=True)
class NumberReading:
    """How a number column's ambiguous values (``1.234``) are read: 'thousands', 'decimal' or
    None (flagged), for each of the dot and the comma, and why."""

    dot: str | None
    comma: str | None
    decided_by: str


def decide_numbers(stats: dict, index: int, settings: dict) -> NumberReading:
    def n(what: str) -> int:
        return int(stats.get(f"s{index}_{what}") or 0)

    dot_thousands = n("dot_groups") + n("both_comma_last")
    dot_decimal = n("dot_decimal") + n("both_dot_last")
    comma_thousands = n("comma_groups") + n("both_dot_last")
    comma_decimal = n("comma_decimal") + n("both_comma_last")
    decimal_var, thousands_var = settings.get("decimal_separator"), settings.get("thousands_separator")

    def role(separator: str, thousands: int, decimal: int) -> tuple[str | None, str]:
        if thousands and not decimal:
            return "thousands", "column"
        if decimal and not thousands:
            return "decimal", "column"
        if decimal_var == separator:
            return "decimal", "var raw_formats"
        if thousands_var == separator:
            return "thousands", "var raw_formats"
        return None, "column is mixed" if thousands and decimal else "nothing settles it"

    dot, dot_by = role(".", dot_thousands, dot_decimal)
    comma, comma_by = role(",", comma_thousands, comma_decimal)
    return NumberReading(dot, comma, f"'.': {dot_by}; ',': {comma_by}")


def number_needs_rewrite(stats: dict, index: int) -> bool:
    keys = ("both_dot_last", "both_comma_last", "comma_groups", "dot_groups", "ambiguous_comma", "comma_decimal",
            "marked")  # fmt: skip
    return any(int(stats.get(f"s{index}_{k}") or 0) for k in keys) or bool(stats.get(f"s{index}_ambiguous_dot"))


def number_expression(text: str, reading: NumberReading, currencies: list[str]) -> str:
    """SQL rewriting a number as written into dot-decimal text; unreadable text is left as it is
    and an ambiguous value is flagged in the text itself, so staging cannot read it."""
    core = number_core(text, currencies)

    def ambiguous(separator: str, role: str | None) -> str:
        if role == "thousands":
            return f"replace({core}, '{separator}', '')"
        if role == "decimal":
            return f"replace({core}, '{separator}', '.')"
        return f"{text} || ' (ambiguous: thousands or decimal separator; set var raw_formats)'"

    return (
        f"case when {text} is null then null"
        f" when regexp_matches({core}, '{BOTH_DOT_LAST}') then replace({core}, ',', '')"
        f" when regexp_matches({core}, '{BOTH_COMMA_LAST}') then replace(replace({core}, '.', ''), ',', '.')"
        f" when regexp_matches({core}, '{COMMA_GROUPS}') then replace({core}, ',', '')"
        f" when regexp_matches({core}, '{DOT_GROUPS}') then replace({core}, '.', '')"
        f" when regexp_matches({core}, '{AMBIGUOUS_COMMA}') then {ambiguous(',', reading.comma)}"
        f" when regexp_matches({core}, '{AMBIGUOUS_DOT}') then {ambiguous('.', reading.dot)}"
        f" when regexp_matches({core}, '{COMMA_DECIMAL}') then replace({core}, ',', '.')"
        f" when regexp_matches({core}, '{PLAIN_NUMBER}') then {core}"
        f" else {text} end"
    )


def percent_of_line(text: str, reading: NumberReading, quantity: str, unit_price: str, currencies: list[str]) -> str:
    """A discount written ``10%``: that share of quantity x unit price, rounded to the cent."""
    share = f"try_cast({number_expression(text, reading, currencies)} as double)"
    line = f"abs(try_cast({quantity} as double) * try_cast({unit_price} as double))"
    return f"cast(round({line} * {share} / 100, 2) as decimal(18, 2))::varchar"


def decide_date_order(stats: dict, index: int) -> tuple[str | None, bool]:
    """('dmy' | 'mdy' | 'mixed' | None, has day-month values) from one column's values."""
    written = int(stats.get(f"s{index}_day_month") or 0)
    day_first, month_first = int(stats.get(f"s{index}_day_first") or 0), int(stats.get(f"s{index}_month_first") or 0)
    if day_first and month_first:
        return "mixed", bool(written)
    if day_first:
        return "dmy", True
    if month_first:
        return "mdy", True
    return None, bool(written)


def date_expression(text: str, order: str | None) -> str:
    """SQL rewriting ``dd/mm/yyyy[ HH:MM[:SS]]`` (order 'dmy'), ``mm/dd/yyyy`` ('mdy') and
    ``yyyy/mm/dd`` as ISO text. With order 'mixed' or None a value with a part above 12 is read
    by it, the others are flagged."""

    def part(pattern: str, n: int) -> str:
        return f"regexp_extract({text}, '{pattern}', {n})"

    def iso(pattern: str, year: int, month: int, day: int) -> str:
        date = (
            f"printf('%04d-%02d-%02d', cast({part(pattern, year)} as integer), "
            f"cast({part(pattern, month)} as integer), cast({part(pattern, day)} as integer))"
        )
        time = (
            f"case when {part(pattern, 4)} = '' then '' else printf(' %02d:%02d:%02d', "
            f"cast({part(pattern, 4)} as integer), cast({part(pattern, 5)} as integer), "
            f"coalesce(try_cast(nullif({part(pattern, 6)}, '') as integer), 0)) end"
        )
        # a day that does not exist (31/02) stays as written, so staging reports the raw text
        return f"case when try_cast({date} as date) is null then {text} else {date} || {time} end"

    first, second = f"cast({part(DAY_MONTH, 1)} as integer)", f"cast({part(DAY_MONTH, 2)} as integer)"
    if order == "dmy":
        day_month = iso(DAY_MONTH, 3, 2, 1)
    elif order == "mdy":
        day_month = iso(DAY_MONTH, 3, 1, 2)
    else:
        day_month = (
            f"case when {first} > 12 then {iso(DAY_MONTH, 3, 2, 1)} when {second} > 12 then {iso(DAY_MONTH, 3, 1, 2)}"
            f" else {text} || ' (ambiguous: day/month order; set var raw_formats date_order)' end"
        )
    return (
        f"case when {text} is null then null"
        f" when regexp_matches({text}, '{DAY_MONTH}') then {day_month}"
        f" when regexp_matches({text}, '{YEAR_FIRST}') then {iso(YEAR_FIRST, 1, 2, 3)}"
        f" else {text} end"
    )


def null_expression(source: str, null_strings: list[str]) -> str:
    return f"case when trim({source}) in ({sql_list(null_strings)}) then null else {source} end"
