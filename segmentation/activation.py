"""Files for the tools that act on segments (ADR 0017):

- `export crm`: one row per source customer record (the ids a CRM knows), with the customer's
  segment code, label and score for every enabled segmentation at the current as-of date; only
  records whose person and record both consent to the channel; optionally the delta against the
  previous export of the same channel. No direct identifier: the CRM matches on its own ids.
- `export audience`: per segment, SHA-256 hashes of normalized emails and phones in the formats of
  Google Customer Match and Meta custom audiences, for consenting customers only. Written to files
  for upload, never to a table BI tools read.

Both read the build database (staging and intermediate are restricted schemas) and write files
whose names carry the channel or segment and the as-of date: the same warehouse gives the same
bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from segmentation.outcomes import current_as_of_date
from segmentation.targets import Target, connect

CHANNELS = {"email": "has_email_opt_in", "sms": "has_sms_opt_in"}
KEY_COLUMNS = ["source_system", "source_customer_id"]
CHANGE_COLUMNS = ["change", "changed_segmentations", "previous_as_of_date"]
PLATFORMS = ("google", "meta")
GMAIL_DOMAINS = ("gmail.com", "googlemail.com")


@dataclass(frozen=True)
class Export:
    as_of_date: str
    columns: list[str]
    rows: list[tuple]


def _as_of_date(warehouse, requested: str | None) -> str:
    """The requested as-of date if the fact holds it, else the date the current marts describe
    (the as-of date of the latest build, not the latest date of the history). Consent is always
    today's: a past date's segments go only to those who consent now."""
    rows = warehouse.query("select distinct as_of_date from marts.segment_summary")
    dates = sorted(str(value)[:10] for (value,) in rows)
    if not dates:
        raise ValueError("marts.segment_summary is empty: build the warehouse first")
    if requested and requested not in dates:
        raise ValueError(f"as-of date {requested} was not built (the built dates: {', '.join(dates)})")
    return requested or current_as_of_date(warehouse) or dates[-1]


def _members(warehouse, as_of: str) -> str:
    """The memberships on as_of as a subquery: the current fact on the date the marts describe
    (with scores), else the history (segments only: scores are not kept per date)."""
    if as_of == current_as_of_date(warehouse):
        return "marts.fct_customer_segments"
    return f"""(
        select customer_key, segmentation, segment_code, segment_label, cast(null as integer) as score,
            cast('{as_of}' as date) as as_of_date
        from marts.segment_membership_history
        where valid_from <= cast('{as_of}' as date)
            and (valid_to is null or valid_to > cast('{as_of}' as date))
    )"""


def _registry(warehouse) -> list[str]:
    rows = warehouse.query("select segmentation from marts.segmentation_registry where is_enabled order by sort_order")
    return [str(name) for (name,) in rows]


def _chosen(enabled: list[str], only: list[str] | None) -> list[str]:
    """The enabled segmentations, or those of `only` (in registry order); an unknown name is an error."""
    if not only:
        return enabled
    unknown = sorted(set(only) - set(enabled))
    if unknown:
        raise ValueError(
            f"not enabled in this warehouse's registry: {', '.join(unknown)} (enabled: {', '.join(enabled)})"
        )
    return [name for name in enabled if name in only]


def crm_columns(segmentations: list[str]) -> list[str]:
    """The column contract of the CRM file: keys, the golden key, the date, then per segmentation
    of the registry (display order) its code, label and score."""
    columns = [*KEY_COLUMNS, "customer_key", "as_of_date"]
    for name in segmentations:
        columns += [f"{name}_code", f"{name}_label", f"{name}_score"]
    return columns


def crm_export(target: Target, channel: str, as_of_date: str | None = None, only: list[str] | None = None) -> Export:
    if channel not in CHANNELS:
        raise ValueError(f"--channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
    consent = CHANNELS[channel]
    with connect(target) as warehouse:
        as_of = _as_of_date(warehouse, as_of_date)
        segmentations = _chosen(_registry(warehouse), only)
        pivoted = []
        for name in segmentations:
            for part, column in (("code", "segment_code"), ("label", "segment_label"), ("score", "score")):
                pivoted.append(
                    f"max(case when members.segmentation = '{name}' then members.{column} end) as {name}_{part}"
                )
        rows = warehouse.query(
            f"""
            select
                records.source_system,
                records.customer_id as source_customer_id,
                records.customer_key,
                cast(members.as_of_date as varchar) as as_of_date,
                {", ".join(pivoted)}
            from intermediate.int_customers_resolved as records
            inner join staging.stg_raw__customers as source_records
                on records.customer_id = source_records.customer_id
            inner join marts.dim_customers as people
                on records.customer_key = people.customer_key
            inner join {_members(warehouse, as_of)} as members
                on records.customer_key = members.customer_key
            where people.{consent}
                and source_records.{consent}
            group by records.source_system, records.customer_id, records.customer_key, members.as_of_date
            order by records.source_system, records.customer_id
            """
        )
    columns = crm_columns(segmentations)
    return Export(as_of, columns, [(*row[:3], str(row[3])[:10], *row[4:]) for row in rows])


def _csv_bytes(columns: list[str], rows: list[tuple]) -> bytes:
    """RFC 4180 CSV as Salesforce Data Loader reads it: UTF-8, a header, every field quoted,
    empty for null, numbers without exponent."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else _text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _text(value) -> str:
    if isinstance(value, float):
        return format(value, "f").rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def _stored(value) -> str | None:
    """A value as the Parquet file keeps it (text, null stays null)."""
    return None if value is None else _text(value)


def _parquet(columns: list[str], rows: list[tuple], path: Path) -> None:
    table = pa.table({name: pa.array([_stored(row[i]) for row in rows], pa.string()) for i, name in enumerate(columns)})
    pq.write_table(table, path)


def _write(path: Path, data: bytes) -> None:
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_bytes(data)
    scratch.replace(path)


EXPORT_NAME = re.compile(r"crm_(?P<channel>email|sms)_(?P<date>\d{4}-\d{2}-\d{2})\.parquet")


def previous_export(out_dir: Path, channel: str, as_of: str) -> Path | None:
    """The latest full export of the channel in out_dir dated before as_of."""
    found = []
    for path in out_dir.glob(f"crm_{channel}_*.parquet"):
        match = EXPORT_NAME.fullmatch(path.name)
        if match and match["channel"] == channel and match["date"] < as_of:
            found.append((match["date"], path))
    return max(found)[1] if found else None


def delta_rows(export: Export, previous: list[dict], previous_as_of: str | None) -> tuple[list[str], list[tuple]]:
    """Rows new since the previous export, rows whose segment codes changed (and which
    segmentations did), and rows no longer exported (consent withdrawn, record gone): `removed`,
    segments empty."""
    code_columns = [column for column in export.columns if column.endswith("_code")]
    before = {(row["source_system"], row["source_customer_id"]): row for row in previous}
    now = {row[:2]: dict(zip(export.columns, row, strict=True)) for row in export.rows}
    columns = [*export.columns, *CHANGE_COLUMNS]
    changed: list[tuple] = []
    for key in sorted(set(before) | set(now)):
        if key not in now:
            empty = dict.fromkeys(export.columns)
            empty.update(source_system=key[0], source_customer_id=key[1], as_of_date=export.as_of_date)
            empty["customer_key"] = before[key].get("customer_key")
            changed.append((*[empty[column] for column in export.columns], "removed", None, previous_as_of))
            continue
        row = now[key]
        if key not in before:
            changed.append((*[row[column] for column in export.columns], "new", None, previous_as_of))
            continue
        moved = [column[: -len("_code")] for column in code_columns if _stored(row[column]) != before[key].get(column)]
        if moved:
            changed.append((*[row[column] for column in export.columns], "changed", ",".join(moved), previous_as_of))
    return columns, changed


def write_crm_export(
    target: Target,
    channel: str,
    out_dir: Path,
    delta: bool,
    as_of_date: str | None = None,
    only: list[str] | None = None,
) -> dict[str, int]:
    """Write crm_<channel>_<as_of>.csv and .parquet (and, with delta, crm_<channel>_<as_of>_delta.*);
    returns rows per file name."""
    export = crm_export(target, channel, as_of_date, only)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"crm_{channel}_{export.as_of_date}"
    written = {}
    if delta:
        previous_path = previous_export(out_dir, channel, export.as_of_date)
        previous = pq.read_table(previous_path).to_pylist() if previous_path else []
        previous_as_of = EXPORT_NAME.fullmatch(previous_path.name)["date"] if previous_path else None
        columns, rows = delta_rows(export, previous, previous_as_of)
        _write(out_dir / f"{stem}_delta.csv", _csv_bytes(columns, rows))
        _parquet(columns, rows, out_dir / f"{stem}_delta.parquet")
        written[f"{stem}_delta.csv"] = len(rows)
    _write(out_dir / f"{stem}.csv", _csv_bytes(export.columns, export.rows))
    _parquet(export.columns, export.rows, out_dir / f"{stem}.parquet")
    written[f"{stem}.csv"] = len(export.rows)
    return written


def normalized_email(email: str, platform: str) -> str:
    """Trimmed and lower case; for Google, gmail addresses also lose the dots of their local part."""
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if platform == "google" and domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def e164_phone(national: str, country_code: str) -> str | None:
    """The staged phone (national format, leading 0 for the home country) in E.164: +<code><number>."""
    digits = re.sub(r"\D", "", national)
    if digits.startswith("0") and not digits.startswith("00"):
        digits = country_code + digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    return f"+{digits}" if 8 <= len(digits) <= 15 else None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def audience_rows(people: list[tuple], platform: str, country_code: str) -> list[tuple[str, str]]:
    """(hashed email, hashed phone) per person: the email only with email consent, the phone only
    with SMS consent; Google hashes +E.164, Meta the digits with the country code."""
    rows = set()
    for email, phone, email_consent, sms_consent in people:
        hashed_email = sha256(normalized_email(email, platform)) if email and email_consent else ""
        number = e164_phone(phone, country_code) if phone and sms_consent else None
        hashed_phone = sha256(number if platform == "google" else number.lstrip("+")) if number else ""
        if hashed_email or hashed_phone:
            rows.add((hashed_email, hashed_phone))
    return sorted(rows)


AUDIENCE_HEADERS = {"google": ["Email", "Phone"], "meta": ["email", "phone"]}


def write_audiences(
    target: Target, segmentation: str, out_dir: Path, country_code: str, as_of_date: str | None = None
) -> dict[str, int]:
    """One file per segment and platform: audience_<segmentation>_<segment>_<as_of>_<platform>.csv."""
    with connect(target) as warehouse:
        as_of = _as_of_date(warehouse, as_of_date)
        if segmentation not in _registry(warehouse):
            raise ValueError(f"segmentation {segmentation!r} is not enabled in this warehouse's registry")
        people = warehouse.query(
            f"""
            select members.segment_code, golden.email, golden.phone,
                people.has_email_opt_in, people.has_sms_opt_in
            from {_members(warehouse, as_of)} as members
            inner join marts.dim_customers as people
                on members.customer_key = people.customer_key
            inner join intermediate.int_customers_golden as golden
                on members.customer_key = golden.customer_key
            where members.segmentation = '{segmentation}'
                and (people.has_email_opt_in or people.has_sms_opt_in)
            """
        )
    by_segment: dict[str, list[tuple]] = {}
    for segment, *person in people:
        by_segment.setdefault(str(segment), []).append(tuple(person))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for segment in sorted(by_segment):
        for platform in PLATFORMS:
            rows = audience_rows(by_segment[segment], platform, country_code)
            name = f"audience_{segmentation}_{segment}_{as_of}_{platform}.csv"
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(AUDIENCE_HEADERS[platform])
            writer.writerows(rows)
            _write(out_dir / name, buffer.getvalue().encode("utf-8"))
            written[name] = len(rows)
    return written
