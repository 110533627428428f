"""Which column of a file is which column of the contract.

A header is compared once normalised (case, accents, spaces and punctuation set aside:
``Date de naissance`` -> ``date_de_naissance``). It is a contract column under its own name, under
a synonym of the seed ``seeds/raw_column_synonyms.csv`` (English and French spellings), or under a
name the user maps with the var ``raw_column_aliases`` ({table: {header: column, or null to set a
column aside}}). Every other column is listed as not read. Two headers for one column, and a
missing consent or identity column while a header that looks like it is present, stop the run.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from segmentation.contract import PROJECT_ROOT, RawTable

SYNONYMS_FILE = PROJECT_ROOT / "seeds" / "raw_column_synonyms.csv"
ANY_TABLE = "*"

_CONSENT_WORDS = ("opt", "consent", "permission", "accord", "accept", "autoris", "abonn", "subscri")
# Columns that decide who a customer is or what they consented to: when absent while a header
# looks like them, the run stops rather than merge nobody or contact nobody (or everybody).
DECISIVE_COLUMNS = {
    "customers": {
        "customer_id": (("customer", "client", "cust"), ("id", "number", "numero", "no", "code", "ref")),
        "email": (("mail", "courriel"),),
        "phone": (("phone", "tel", "mobile", "portable", "gsm"),),
        "first_name": (("first", "prenom", "given", "forename"),),
        "last_name": (("last", "surname", "family", "nom"),),
        "birth_date": (("birth", "naissance", "dob", "born", "anniversaire"),),
        "email_opt_in": ((*_CONSENT_WORDS, "newsletter"), ("mail", "courriel")),
        "sms_opt_in": (_CONSENT_WORDS, ("sms", "text", "mobile")),
    },
}


def normalise_header(header: str) -> str:
    """``  Opt-in E-mail `` -> ``opt_in_e_mail``; ``Date de Naissance`` -> ``date_de_naissance``."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[tuple[str, str], str]:
    """{(table or '*', normalised synonym): contract column} from the seed."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["table_name"], normalise_header(row["synonym"])): row["column_name"] for row in csv.DictReader(handle)
        }


@dataclass(frozen=True)
class ColumnMapping:
    """For one file: the file's header behind each contract column it supplies, how each was
    recognised, and the headers not read."""

    source_of: dict[str, str]
    decided_by: dict[str, str]
    not_read: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)


def map_columns(
    file_name: str,
    headers: list[str],
    table: RawTable,
    synonyms: dict[tuple[str, str], str],
    aliases: dict[str, str | None],
) -> tuple[ColumnMapping, list[str]]:
    """The mapping of a file's headers to the table's contract columns, and the problems that
    stop the run (each naming the file and the column)."""
    contract = set(table.column_names)
    user = {normalise_header(header): column for header, column in (aliases or {}).items()}
    problems: list[str] = []
    for header, column in user.items():
        if column is not None and column not in contract:
            problems.append(
                f"var raw_column_aliases maps '{header}' of table '{table.name}' to '{column}', which is not a "
                f"column of the contract ({', '.join(table.column_names)})"
            )
    seen: dict[str, int] = {}
    source_of: dict[str, str] = {}
    decided_by: dict[str, str] = {}
    not_read: list[str] = []
    set_aside: list[str] = []
    for position, header in enumerate(headers, start=1):
        key = normalise_header(header)
        if key in seen:
            problems.append(
                f"{file_name} has the column '{key}' twice (columns {seen[key]} and {position}): remove or rename "
                "one, which one holds the right values cannot be guessed"
            )
            continue
        seen[key] = position
        if key in user:
            column, how = user[key], "var raw_column_aliases"
        elif key in contract:
            column, how = key, "name"
        elif (table.name, key) in synonyms or (ANY_TABLE, key) in synonyms:
            column = synonyms.get((table.name, key)) or synonyms[(ANY_TABLE, key)]
            column, how = (column, "synonym") if column in contract else (None, "")
        else:
            column, how = None, ""
        if column is None:
            (set_aside if how else not_read).append(header)
        elif column in source_of:
            problems.append(
                f"{file_name}: columns '{source_of[column]}' and '{header}' both stand for '{column}' "
                f"({decided_by[column]} and {how}); keep one, or set one aside with var raw_column_aliases: "
                f"{{{table.name}: {{'{header}': null}}}}"
            )
        else:
            source_of[column] = header
            decided_by[column] = how
    for column in table.columns:
        if column.is_required and column.name not in source_of:
            problems.append(
                f"{file_name} has no column '{column.name}', which the raw-data contract requires for table "
                f"'{table.name}'{_look_alike_hint(table.name, column.name, not_read)}"
            )
    for column, keyword_groups in DECISIVE_COLUMNS.get(table.name, {}).items():
        if column in source_of or table.columns[table.column_names.index(column)].is_required:
            continue
        look_alikes = [h for h in not_read if _looks_like(normalise_header(h), keyword_groups)]
        if look_alikes:
            problems.append(
                f"{file_name} has no column '{column}' (it decides {_decides(column)}) but has "
                f"{', '.join(repr(h) for h in look_alikes)}: map it with var raw_column_aliases: "
                f"{{{table.name}: {{'{look_alikes[0]}': {column}}}}} (or set it aside with null)"
            )
    return ColumnMapping(source_of, decided_by, not_read, set_aside), problems


def _looks_like(key: str, keyword_groups: tuple[tuple[str, ...], ...]) -> bool:
    words = set(key.split("_")) | {key.replace("_", "")}
    return all(any(keyword in word for word in words for keyword in group) for group in keyword_groups)


def _look_alike_hint(table_name: str, column: str, not_read: list[str]) -> str:
    groups = DECISIVE_COLUMNS.get(table_name, {}).get(column)
    near = [h for h in not_read if groups and _looks_like(normalise_header(h), groups)]
    return f" (found {', '.join(repr(h) for h in near)}: map it with var raw_column_aliases)" if near else ""


def _decides(column: str) -> str:
    return "consent" if column.endswith("_opt_in") else "identity"
