"""The reading plan of an extract: for each table, the SQL that reads its file as written into the
contract's columns as text (ISO dates, dot decimals, SQL nulls), and what was decided for each
file and column, with why. The dbt run-start hook creates the ``raw.<table>`` views from it
(DuckDB); ``load`` (PostgreSQL, Spark) and ``check`` read through the same SQL.

A plan costs one scan of each file (two for orders), and is kept in a cache folder beside the
warehouse, keyed by the files' names, sizes and modification times, the settings and this code:
a run on unchanged files reads nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from segmentation.contract import PROJECT_ROOT, RawTable, dbt_vars, load_contract
from segmentation.inputs import columns as column_names
from segmentation.inputs import files, text_files, values
from segmentation.inputs.problems import ExtractError

DEFAULT_MAX_LINE_SIZE = 2_097_152
LARGEST_LINE_SIZE = 268_435_456
DEFAULT_CACHE_DIR = PROJECT_ROOT / "target" / "raw-cache"
# another run may still read what an older plan names: only entries older than this are pruned
PRUNE_AFTER_SECONDS = 3600
PLAN_MEMORY_LIMIT = "1GB"
SETTING_KEYS = (
    "encoding",
    "delimiter",
    "quote",
    "escape",
    "decimal_separator",
    "thousands_separator",
    "date_order",
    "null_strings",
    "max_line_size",
)
LATEST_DATA_COLUMNS = {
    "orders": ("ordered_at",),
    "payments": ("paid_at",),
    "marketing_events": ("event_at",),
    "customers": ("created_at", "updated_at"),
}
CODE_FILES = ("columns.py", "files.py", "reading.py", "text_files.py", "values.py")


@dataclass
class ExtractPlan:
    """What the hook needs: the SELECT of each table (None: no file), the readings table, one
    log line per file, the last day of data (orders, marketing events) and the problems."""

    selects: dict[str, str | None] = field(default_factory=dict)
    files: dict[str, str | None] = field(default_factory=dict)
    read_files: dict[str, str] = field(default_factory=dict)
    supplied: dict[str, list[str]] = field(default_factory=dict)
    readings: list[dict] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    latest_data_date: str | None = None
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ExtractPlan:
        return cls(**json.loads(text))


@dataclass
class _FilePlan:
    table: RawTable
    path: Path
    reader: str
    mapping: column_names.ColumnMapping
    sources: dict[str, str]
    layout: text_files.TextLayout | None
    max_line_size: int = DEFAULT_MAX_LINE_SIZE
    line_size_is_set: bool = False
    stats: dict = field(default_factory=dict)


def table_settings(formats: dict | None, table: str) -> dict:
    """var raw_formats for one table: its own entry over `default`."""
    formats = formats or {}
    merged = dict(formats.get("default") or {})
    merged.update(formats.get(table) or {})
    return merged


def _validate_formats(formats: dict | None, tables: list[str]) -> list[str]:
    problems = []
    for scope, settings in (formats or {}).items():
        if scope != "default" and scope not in tables:
            problems.append(f"var raw_formats: '{scope}' is neither 'default' nor a table ({', '.join(tables)})")
            continue
        for key, value in (settings or {}).items():
            if key not in SETTING_KEYS:
                problems.append(f"var raw_formats.{scope}: unknown setting '{key}' (one of {', '.join(SETTING_KEYS)})")
            elif key == "date_order" and value not in ("dmy", "mdy"):
                problems.append(f"var raw_formats.{scope}.date_order must be 'dmy' or 'mdy', got {value!r}")
            elif key in ("decimal_separator", "thousands_separator") and value not in (".", ",", " ", "'"):
                problems.append(f"var raw_formats.{scope}.{key} must be one of '.', ',', ' ', \"'\", got {value!r}")
    return problems


def fingerprint(raw_dir: Path, request: dict) -> str:
    """Changes when a file of raw_dir, a setting or this code changes."""
    digest = hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode())
    for path in sorted(raw_dir.iterdir()) if raw_dir.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    here = Path(__file__).parent
    for name in CODE_FILES:
        digest.update((here / name).read_bytes())
    digest.update(column_names.SYNONYMS_FILE.read_bytes())
    return digest.hexdigest()


def plan_extract(
    raw_dir: Path,
    formats: dict | None = None,
    aliases: dict | None = None,
    cache_dir: Path | None = None,
    cutoff: dt.date | None = None,
) -> ExtractPlan:
    """The reading plan of the extract in raw_dir (cached in cache_dir when given). Problems that
    stop the run are returned in ``problems``, not raised, so that the hook can word them."""
    request = {"formats": formats or {}, "aliases": aliases or {}, "cutoff": str(cutoff or dt.date.today())}
    key = fingerprint(raw_dir, request)
    cache_dir = cache_dir or DEFAULT_CACHE_DIR
    cached = cache_dir / f"plan-{key[:24]}.json"
    if cached.exists():
        return ExtractPlan.from_json(cached.read_text(encoding="utf-8"))
    try:
        plan = _plan(raw_dir, formats or {}, aliases or {}, cache_dir, key, cutoff)
    except ExtractError as error:
        return ExtractPlan(problems=error.problems)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(plan.to_json(), encoding="utf-8")
    partial.replace(cached)
    _prune(cache_dir, keep={cached.name, *(Path(f).name for f in plan.read_files.values())})
    return plan


def project_plan(raw_dir: Path, cache_dir: Path | None = None) -> ExtractPlan:
    """The plan with the project's vars (dbt_project.yml: raw_formats, raw_column_aliases,
    future_date_cutoff), for Python readers of the extract (load, check, as-of), cached where the
    dbt run caches it (beside $SEGMENTATION_DUCKDB); raises
    ExtractError when the extract cannot be read as it is, as the dbt run would."""
    project_vars = dbt_vars()
    warehouse = os.environ.get("SEGMENTATION_DUCKDB")
    cache_dir = cache_dir or (Path(f"{warehouse}.raw-cache") if warehouse else None)
    cutoff = project_vars.get("future_date_cutoff")
    plan = plan_extract(
        raw_dir,
        project_vars.get("raw_formats") or {},
        project_vars.get("raw_column_aliases") or {},
        cache_dir,
        dt.date.fromisoformat(str(cutoff)) if cutoff else None,
    )
    if plan.problems:
        raise ExtractError(raw_dir, plan.problems)
    return plan


def _prune(cache_dir: Path, keep: set[str]) -> None:
    """Plans and transcoded copies of earlier extracts: a year of daily files must not pile up."""
    now = time.time()
    for path in cache_dir.iterdir():
        if path.name in keep:
            continue
        try:  # another run sharing the folder may have renamed or removed it since
            old = now - path.stat().st_mtime > PRUNE_AFTER_SECONDS
        except FileNotFoundError:
            continue
        if old:
            path.unlink(missing_ok=True)


def _plan(
    raw_dir: Path, formats: dict, aliases: dict, cache_dir: Path, key: str, cutoff: dt.date | None
) -> ExtractPlan:
    if not raw_dir.is_dir():
        raise ExtractError(raw_dir, [f"the raw folder {raw_dir} does not exist (set SEGMENTATION_RAW_DIR)"])
    contract = load_contract()
    problems = _validate_formats(formats, list(contract))
    for table, mapped in (aliases or {}).items():
        if table not in contract:
            problems.append(f"var raw_column_aliases: '{table}' is not a table of the contract")
        elif not isinstance(mapped, dict):
            problems.append(f"var raw_column_aliases.{table} must map headers to columns, got {mapped!r}")
    if problems:
        raise ExtractError(raw_dir, problems)
    found = files.find_extract_files(raw_dir, list(contract))
    plan = ExtractPlan()
    for name, reason in found.not_read:
        plan.readings.append(_reading("", name, "", "file not read", name, "file name", reason))
        plan.messages.append(f"not read: {name} ({reason})")
    synonyms = column_names.load_synonyms()
    file_plans: dict[str, _FilePlan] = {}
    # aggregates only: a small memory limit keeps the hook's scans beside the build's own limit
    with duckdb.connect(config={"memory_limit": PLAN_MEMORY_LIMIT, "threads": 2}) as connection:
        for table in contract.values():
            path = found.by_table[table.name]
            plan.files[table.name] = str(path) if path else None
            if path is None:
                if table.is_required:
                    problems.append(
                        f"file for table '{table.name}' not found (the contract requires it): expected "
                        f"{raw_dir}/{table.name}.csv (or .parquet, .csv.gz, .txt, .tsv; any case)"
                    )
                continue
            file_plan, file_problems = _open_file(
                connection,
                table,
                path,
                table_settings(formats, table.name),
                synonyms,
                (aliases or {}).get(table.name) or {},
                cache_dir,
                key,
            )
            problems += file_problems
            if file_plan is not None:
                file_plans[table.name] = file_plan
        if problems:
            raise ExtractError(raw_dir, problems)
        currencies = _currencies(connection, file_plans.get("orders"))
        for file_plan in file_plans.values():
            file_plan.stats = _scan(connection, file_plan, formats, currencies)
            if file_plan.layout is not None:
                plan.read_files[file_plan.table.name] = str(file_plan.layout.read_path)
        convention = _date_convention(file_plans, formats)
        for table in contract.values():
            file_plan = file_plans.get(table.name)
            if file_plan is None:
                plan.selects[table.name] = None
                plan.messages.append(f"raw.{table.name} <- no file: empty table")
                continue
            plan.supplied[table.name] = [c for c in table.column_names if c in file_plan.sources]
            select, readings, line = _select(file_plan, formats, currencies, convention, problems)
            plan.selects[table.name] = select
            plan.readings += readings
            plan.messages.append(line)
        if problems:
            raise ExtractError(raw_dir, problems)
        plan.latest_data_date = _latest_data_date(connection, plan, cutoff or dt.date.today())
    return plan


def _reading(table: str, file_name: str, column: str, setting: str, value, decided_by: str, detail: str = "") -> dict:
    return {
        "table_name": table,
        "file_name": file_name,
        "column_name": column,
        "setting": setting,
        "value": "" if value is None else str(value),
        "decided_by": decided_by,
        "detail": detail,
    }


def _open_file(connection, table, path, settings, synonyms, aliases, cache_dir, key):
    """The reader of one file and the mapping of its headers, or the problems found."""
    if path.stat().st_size == 0:
        return None, [f"{path.name} is empty (0 bytes): an extract with no rows still needs its header line"]
    layout = None
    if path.name.lower().endswith(".parquet"):
        reader = f"read_parquet({text_files.sql_text(str(path))})"
        try:
            headers = [row[0] for row in connection.execute(f"describe select * from {reader}").fetchall()]
        except duckdb.Error as error:
            return None, [f"{path.name} cannot be read as Parquet: {_first_line(error)}"]
        source_of = {header: f'cast("{header}" as varchar)' for header in headers}
    else:
        layout, problems = text_files.read_layout(path, settings, cache_dir, key)
        if layout is None:
            return None, problems
        headers = layout.headers
        line_size = int(settings.get("max_line_size", DEFAULT_MAX_LINE_SIZE))
        reader = text_files.csv_reader_sql(layout, line_size)
        source_of = {header: f"c{i}" for i, header in enumerate(headers, start=1)}
    mapping, problems = column_names.map_columns(path.name, headers, table, synonyms, aliases)
    sources = {column: source_of[header] for column, header in mapping.source_of.items()}
    file_plan = _FilePlan(table, path, reader, mapping, sources, layout)
    if layout is not None:
        file_plan.max_line_size, file_plan.line_size_is_set = line_size, "max_line_size" in settings
    return file_plan, problems


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def _read_error(path: Path, error: duckdb.Error) -> str:
    """`orders.csv, line 12: Value with unterminated quote found` from DuckDB's CSV error."""
    text = str(error)
    line = re.search(r"on Line: (\d+)", text)
    causes = [x.strip() for x in text.splitlines() if x.strip() and not x.startswith(("Original Line", "CSV Error"))]
    cause = next((c for c in causes if not c.startswith(("Invalid Input Error", "Possible Solution", "*", "  "))), "")
    cause = re.sub(r"^(Invalid Input Error|Conversion Error): ", "", cause or _first_line(error))
    where = f"{path.name}, line {line.group(1)}" if line else path.name
    if "maximum line size" in text.lower():
        cause += " (set var raw_formats: {max_line_size: <bytes>})"
    return f"{where}: {cause}"


def _currencies(connection, orders: _FilePlan | None) -> list[str]:
    if orders is None or "currency" not in orders.sources:
        return []
    source = orders.sources["currency"]
    try:
        rows = connection.execute(
            f"select distinct upper(trim({source})) as code from {orders.reader} "
            f"where regexp_matches(upper(trim({source})), '^[A-Z]{{3}}$') order by code limit 20"
        ).fetchall()
    except duckdb.Error as error:
        raise ExtractError(orders.path.parent, [_read_error(orders.path, error)]) from error
    return [row[0] for row in rows]


def _scan(connection, file_plan: _FilePlan, formats: dict, currencies: list[str]) -> dict:
    """The statistics of each contract column: a cheap first scan of the whole file, and a second
    one over the columns holding anything but plain values."""
    settings = table_settings(formats, file_plan.table.name)
    null_strings = list(settings.get("null_strings", values.NULL_STRINGS))
    supplied = [
        (index, values.ValueColumn(file_plan.table.name, c.name, file_plan.sources[c.name], c.data_type))
        for index, c in enumerate(file_plan.table.columns)
        if c.name in file_plan.sources
    ]
    selects = ["count(*) as row_count"]
    for index, column in supplied:
        selects += values.first_pass_selects(column, index, null_strings)
    stats = _aggregate(connection, file_plan, selects)
    shapes = [
        s
        for index, column in supplied
        if stats.get(f"s{index}_unusual")
        for s in values.stats_selects(column, index, currencies)
    ]
    if shapes:
        stats.update(_aggregate(connection, file_plan, shapes))
    return stats


def _aggregate(connection, file_plan: _FilePlan, selects: list[str]) -> dict:
    """One aggregate query over the file. A line longer than the reader's buffer (a 3 MB
    description) widens it, up to LARGEST_LINE_SIZE, unless var raw_formats sets max_line_size."""
    while True:
        try:
            cursor = connection.execute(f"select {', '.join(selects)} from {file_plan.reader}")
            break
        except duckdb.Error as error:
            size = file_plan.max_line_size * 8
            if "maximum line size" not in str(error).lower() or file_plan.line_size_is_set or size > LARGEST_LINE_SIZE:
                raise ExtractError(file_plan.path.parent, [_read_error(file_plan.path, error)]) from error
            file_plan.max_line_size = size
            file_plan.reader = text_files.csv_reader_sql(file_plan.layout, size)
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def _date_convention(file_plans: dict[str, _FilePlan], formats: dict) -> tuple[str | None, str]:
    """The day/month order the extract's columns settle: (order or None, which columns settle it)."""
    settled: dict[str, list[str]] = {"dmy": [], "mdy": []}
    for file_plan in file_plans.values():
        for index, column in enumerate(file_plan.table.columns):
            if column.name in file_plan.sources and column.data_type in values.DATE_TYPES:
                order, _ = values.decide_date_order(file_plan.stats, index)
                if order in settled:
                    settled[order].append(f"{file_plan.table.name}.{column.name}")
    if settled["dmy"] and not settled["mdy"]:
        return "dmy", ", ".join(settled["dmy"])
    if settled["mdy"] and not settled["dmy"]:
        return "mdy", ", ".join(settled["mdy"])
    return None, "columns disagree" if settled["dmy"] else "no column settles it"


def _select(file_plan: _FilePlan, formats: dict, currencies: list[str], convention, problems: list[str]):
    """The SELECT of one file as contract columns, its readings rows and its log line."""
    table, stats, name = file_plan.table, file_plan.stats, file_plan.path.name
    settings = table_settings(formats, table.name)
    null_strings = list(settings.get("null_strings", values.NULL_STRINGS))
    readings = _layout_readings(file_plan)
    notes: dict[str, list[str]] = {}
    expressions: dict[str, str] = {}
    for index, column in enumerate(table.columns):
        source = file_plan.sources.get(column.name)
        if source is None:
            expressions[column.name] = f"cast(null as varchar) as {column.name}"
            continue
        text, changed = source, False
        nulls = int(stats.get(f"s{index}_nulls") or 0)
        if nulls:
            text, changed = f"({values.null_expression(source, null_strings)})", True
            readings.append(
                _reading(
                    table.name,
                    name,
                    column.name,
                    "null strings",
                    f"{nulls} values read as null",
                    "var raw_formats" if "null_strings" in settings else "default list",
                    ", ".join(null_strings),
                )
            )
            notes.setdefault("null strings", []).append(f"{column.name} {nulls}")
        if column.data_type in values.NUMBER_TYPES and values.number_needs_rewrite(stats, index):
            reading = values.decide_numbers(stats, index, settings)
            text, changed = _number(text, reading, column.name, table, file_plan, currencies), True
            readings.append(
                _reading(
                    table.name,
                    name,
                    column.name,
                    "number separators",
                    f"'.' {reading.dot or 'flagged when ambiguous'}, ',' {reading.comma or 'flagged when ambiguous'}",
                    reading.decided_by,
                    _number_detail(stats, index),
                )
            )
            notes.setdefault("numbers", []).append(f"{column.name} ({_number_detail(stats, index)})")
        if column.data_type in values.DATE_TYPES and (
            int(stats.get(f"s{index}_day_month") or 0) or int(stats.get(f"s{index}_year_first") or 0)
        ):
            order, decided_by = _date_order(stats, index, settings, convention)
            if order is None and int(stats.get(f"s{index}_day_month") or 0):
                example = stats.get(f"s{index}_example")
                problems.append(
                    f"{name}, column '{file_plan.mapping.source_of[column.name]}' ({column.name}): dates like "
                    f"'{example}' can be day/month or month/day and nothing in the extract settles it; set var "
                    f"raw_formats: {{{table.name}: {{date_order: dmy}}}} (or mdy)"
                )
            text, changed = values.date_expression(f"nullif(trim({text}), '')", order), True
            readings.append(
                _reading(
                    table.name,
                    name,
                    column.name,
                    "date order",
                    order or "year first",
                    decided_by,
                    f"{int(stats.get(f's{index}_day_month') or 0)} values with / . or -",
                )
            )
            notes.setdefault(f"{_order_words(order)} ({decided_by})", []).append(column.name)
        expressions[column.name] = f"{text} as {column.name}" if changed else f"{source} as {column.name}"
    select = f"select {', '.join(expressions[c] for c in table.column_names)} from {file_plan.reader}"
    layout = file_plan.layout
    form = "Parquet" if layout is None else f"{layout.encoding}, {_delimiter_words(layout.delimiter)}"
    mapped = [
        f"'{file_plan.mapping.source_of[c]}' as {c}" for c, how in file_plan.mapping.decided_by.items() if how != "name"
    ]
    if file_plan.max_line_size != DEFAULT_MAX_LINE_SIZE:
        form += f", lines up to {file_plan.max_line_size // 1_048_576} MB"
    line = f"raw.{table.name} <- {name} ({form}, {int(stats.get('row_count') or 0)} rows)"
    parts = [
        ("columns mapped", mapped),
        *notes.items(),
        ("columns not read", file_plan.mapping.not_read),
        ("set aside", file_plan.mapping.set_aside),
    ]
    for part, items in parts:
        if items:
            line += f"; {part}: {', '.join(items)}"
    return select, readings, line


def _number(text, reading, column_name, table, file_plan, currencies) -> str:
    expression = values.number_expression(f"nullif(trim({text}), '')", reading, currencies)
    if column_name == "discount_amount" and {"quantity", "unit_price"} <= set(file_plan.sources):
        quantity, unit_price = file_plan.sources["quantity"], file_plan.sources["unit_price"]
        percent = values.percent_of_line(
            f"nullif(trim({text}), '')",
            reading,
            _plain_number(quantity, file_plan, currencies),
            _plain_number(unit_price, file_plan, currencies),
            currencies,
        )
        return f"(case when trim({text}) like '%\\%' escape '\\' then {percent} else {expression} end)"
    return f"({expression})"


def _plain_number(source: str, file_plan: _FilePlan, currencies: list[str]) -> str:
    index = next(i for i, c in enumerate(file_plan.table.columns) if file_plan.sources.get(c.name) == source)
    reading = values.decide_numbers(file_plan.stats, index, {})
    return values.number_expression(f"nullif(trim({source}), '')", reading, currencies)


def _number_detail(stats: dict, index: int) -> str:
    parts = {
        "comma_decimal": "with a decimal comma",
        "both_comma_last": "like 1.234,5",
        "both_dot_last": "like 1,234.5",
        "dot_groups": "like 1.234.567",
        "comma_groups": "like 1,234,567",
        "ambiguous_dot": "like 1.234 (ambiguous)",
        "ambiguous_comma": "like 1,234 (ambiguous)",
        "marked": "with currency, spaces or %",
    }
    found = [f"{int(stats[f's{index}_{k}'])} {words}" for k, words in parts.items() if stats.get(f"s{index}_{k}")]
    return ", ".join(found) or "plain"


def _date_order(stats, index, settings, convention) -> tuple[str | None, str]:
    order, _ = values.decide_date_order(stats, index)
    if order in ("dmy", "mdy"):
        return order, "a day above 12 in the column"
    if order == "mixed":
        return None, "column mixes both orders: values read by their part above 12, the others flagged"
    if settings.get("date_order"):
        return settings["date_order"], "var raw_formats"
    if convention[0]:
        return convention[0], f"extract convention ({convention[1]})"
    return None, convention[1]


def _order_words(order: str | None) -> str:
    return {"dmy": "dates day first", "mdy": "dates month first"}.get(order, "dates year first")


def _delimiter_words(delimiter: str) -> str:
    return {"\t": "tab-separated", ",": "','", ";": "';'", "|": "'|'"}.get(delimiter, repr(delimiter))


def _layout_readings(file_plan: _FilePlan) -> list[dict]:
    table, name, layout = file_plan.table.name, file_plan.path.name, file_plan.layout
    rows = [_reading(table, name, "", "file", name, "file name")]
    if layout is not None:
        rows += [
            _reading(table, name, "", "encoding", layout.encoding, layout.encoding_decided_by),
            _reading(table, name, "", "delimiter", layout.delimiter, layout.delimiter_decided_by),
        ]
        if file_plan.max_line_size != DEFAULT_MAX_LINE_SIZE:
            how = "var raw_formats" if file_plan.line_size_is_set else "longest line"
            rows.append(_reading(table, name, "", "max line size", file_plan.max_line_size, how))
    for column, header in file_plan.mapping.source_of.items():
        how = file_plan.mapping.decided_by[column]
        if how != "name":
            rows.append(_reading(table, name, column, "header", header, how))
    mapping = file_plan.mapping
    rows += [_reading(table, name, "", "column not read", h, "not in the contract") for h in mapping.not_read]
    rows += [_reading(table, name, "", "column set aside", h, "var raw_column_aliases") for h in mapping.set_aside]
    return rows


def _latest_data_date(connection, plan: ExtractPlan, cutoff: dt.date) -> str | None:
    """The last day of the extract (orders, payments, marketing events, customer records), up to
    the cutoff (later dates are defects); None without a dated order (an extract with no sale: its
    own tests stop the build)."""
    days = {}
    for table, columns in LATEST_DATA_COLUMNS.items():
        if plan.selects.get(table):
            latest = ", ".join(
                f"max(try_cast(left(trim({c}), 10) as date)) filter (where "
                f"try_cast(left(trim({c}), 10) as date) <= date '{cutoff.isoformat()}')"
                for c in columns
            )
            found = [
                day for day in connection.execute(f"select {latest} from ({plan.selects[table]})").fetchone() if day
            ]
            days[table] = max(found) if found else None
    if days.get("orders") is None:
        return None
    return max(day for day in days.values() if day is not None).isoformat()
