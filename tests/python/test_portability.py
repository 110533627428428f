"""SQL stays portable: a function or syntax that only one engine knows may appear only inside an
`<adapter>__` macro (dispatch), never in a model, a singular test or a shared macro. The list
holds what DuckDB (the default engine, where code is written first) accepts and PostgreSQL or
Spark refuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from segmentation.contract import PROJECT_ROOT

ENGINE_SPECIFIC = {
    r"\btry_cast\s*\(": "try_cast (PostgreSQL has none): use the try_cast macro",
    r"\barg_(min|max)\s*\(": "arg_min/arg_max (DuckDB): dispatch it",
    r"\bmin_by\s*\(|\bmax_by\s*\(": "min_by/max_by (Spark, DuckDB): dispatch it",
    r"\bread_(csv|parquet|json)\w*\s*\(": "a DuckDB file reader",
    r"\b(strftime|strptime|epoch_ms|date_diff|date_add)\s*\(": "a DuckDB date function: use dbt.datediff/dateadd",
    r"\b(list_\w+|array_length|string_split|regexp_matches|struct_pack)\s*\(": "a DuckDB list/string function",
    r"::\s*[a-z]": "a :: cast (PostgreSQL, DuckDB): use cast(... as ...)",
    r"\bgroup\s+by\s+all\b|\border\s+by\s+all\b": "group/order by all (DuckDB, Spark)",
    r"\bexclude\s*\(|\bqualify\b": "select * exclude / qualify",
    r"\b(double|varchar)\s*\)": "a type name one engine lacks (double, varchar): use dbt.type_*() or type_double()",
    r"\bilike\b": "ilike: use lower(...) like",
}
ADAPTER_MACRO = re.compile(r"\{%-?\s*macro\s+(duckdb|postgres|spark|snowflake|bigquery|databricks|redshift)__")
MACRO_BLOCK = re.compile(r"\{%-?\s*macro\s+(\w+).*?\{%-?\s*endmacro\s*-?%\}", re.DOTALL)
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
SQL_COMMENT = re.compile(r"--[^\n]*")


def _checked_text(path: Path) -> str:
    """The SQL of a file that must be portable: comments, `<adapter>__` macros and Jinja tags
    (macro calls, Python in templates) removed."""
    text = JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))
    text = SQL_COMMENT.sub("", text)
    text = MACRO_BLOCK.sub(lambda m: "" if ADAPTER_MACRO.match(m.group(0)) else m.group(0), text)
    return JINJA_TAG.sub(" ", text)


def findings(text: str) -> list[str]:
    return [why for pattern, why in ENGINE_SPECIFIC.items() if re.search(pattern, text, re.IGNORECASE)]


SQL_FILES = sorted(
    path
    for folder in ("models", "tests", "macros", "analyses", "snapshots")
    for path in (PROJECT_ROOT / folder).rglob("*.sql")
    # the raw-file reader of the DuckDB run-start hook is DuckDB by design (other engines: raw tables)
    if path.name != "register_raw_tables.sql"
)


def test_the_files_are_found():
    assert len(SQL_FILES) > 60


@pytest.mark.parametrize("path", SQL_FILES, ids=[str(p.relative_to(PROJECT_ROOT)) for p in SQL_FILES])
def test_sql_is_portable_outside_adapter_macros(path: Path):
    assert findings(_checked_text(path)) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "select arg_min(a, b) from t",
        "select try_cast(a as date) from t",
        "select a::date from t",
        "select * from t group by all",
        "select cast(a as double) from t",
        "select * from read_parquet('x')",
        "{% macro default__x() %} select arg_min(a, b) {% endmacro %}",
    ],
)
def test_the_lint_catches_engine_specific_sql(snippet: str, tmp_path: Path):
    path = tmp_path / "m.sql"
    path.write_text(snippet, encoding="utf-8")
    assert findings(_checked_text(path)) != []


def test_adapter_macros_are_exempt(tmp_path: Path):
    path = tmp_path / "m.sql"
    path.write_text(
        "{% macro duckdb__x() %} select arg_min(a, b) from t {% endmacro %}\n"
        "{% macro default__x() %} select min(a) from t {% endmacro %}\n",
        encoding="utf-8",
    )
    assert findings(_checked_text(path)) == []
    path.write_text("{% macro default__x() %} select arg_min(a, b) from t {% endmacro %}\n", encoding="utf-8")
    assert findings(_checked_text(path)) != []


def test_every_not_null_constraint_is_also_a_test():
    """Spark's Parquet tables do not enforce contract constraints: a not_null test must check
    each constrained column on every engine."""
    import yaml

    unchecked = []
    for path in (PROJECT_ROOT / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            for column in model.get("columns", []):
                constrained = any(c.get("type") == "not_null" for c in column.get("constraints", []))
                tests = [t if isinstance(t, str) else next(iter(t)) for t in column.get("data_tests", [])]
                if constrained and "not_null" not in tests:
                    unchecked.append(f"{model['name']}.{column['name']}")
    assert unchecked == []
