"""How a text file is written: encoding, delimiter, header; and the DuckDB reader that reads it
as written, every column as text.

The encoding is read from a byte-order mark, else UTF-8 when every byte decodes as UTF-8, else
Windows-1252 (what Excel writes for "CSV" in France and most of Western Europe; Latin-1 when a
byte is undefined in Windows-1252). DuckDB reads UTF-8 and UTF-16 only with its own reader, so
another encoding is transcoded once into a UTF-8 copy in the reader's cache folder; the user's
file is never written. The delimiter is the one of ``, ; TAB |`` the header line holds most of.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

CHUNK_BYTES = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
ENCODING_NAMES = {"utf-8": "utf-8", "utf8": "utf-8", "utf-16": "utf-16", "utf16": "utf-16", "cp1252": "cp1252",
                  "windows-1252": "cp1252", "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1",
                  "iso-8859-15": "iso-8859-15", "latin-9": "iso-8859-15"}  # fmt: skip


@dataclass(frozen=True)
class TextLayout:
    """How one text file is written, and the file DuckDB reads (the user's, or a UTF-8 copy)."""

    encoding: str
    encoding_decided_by: str
    delimiter: str
    delimiter_decided_by: str
    quote: str
    escape: str
    headers: list[str]
    read_path: Path


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def detect_encoding(path: Path) -> tuple[str, str]:
    """(encoding, why): from a byte-order mark, else the first encoding every byte decodes in."""
    with _open_binary(path) as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", "byte-order mark"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "byte-order mark"
    for encoding in ("utf-8", "cp1252"):
        if _decodes(path, encoding):
            return encoding, "every byte decodes" if encoding == "utf-8" else "not UTF-8; every byte decodes in cp1252"
    return "latin-1", "neither UTF-8 nor cp1252"


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with _open_binary(path) as handle:
        try:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def first_line(path: Path, encoding: str) -> str:
    with _open_binary(path) as handle:
        text = io.TextIOWrapper(handle, encoding=_python_codec(encoding), newline="")
        line = text.readline()
    return line.lstrip("\ufeff").rstrip("\r\n")


def _python_codec(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8" else encoding


def detect_delimiter(header_line: str, quote: str) -> str | None:
    """The delimiter the header holds most of outside quotes, None when none or a tie."""
    outside = re.sub(re.escape(quote) + ".*?" + re.escape(quote), "", header_line) if quote else header_line
    counts = {delimiter: outside.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts.values())
    winners = [d for d, n in counts.items() if n == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def split_header(header_line: str, delimiter: str, quote: str, escape: str) -> list[str]:
    reader = csv.reader(
        [header_line], delimiter=delimiter, quotechar=quote or None, doublequote=escape == quote,
        escapechar=None if escape == quote else escape,
    )  # fmt: skip
    return [cell.strip() for cell in next(reader, [])]


def transcoded_copy(path: Path, encoding: str, cache_dir: Path, fingerprint: str) -> Path:
    """A UTF-8 copy of a file in another encoding, made once per file version."""
    digest = hashlib.sha256(f"{path.resolve()}|{fingerprint}|{encoding}".encode()).hexdigest()[:16]
    copy = cache_dir / f"{_stem(path.name)}.{digest}.utf8.csv"
    if copy.exists():
        return copy
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = copy.with_suffix(f".{os.getpid()}.partial")
    with _open_binary(path) as source, partial.open("w", encoding="utf-8", newline="") as target:
        text = io.TextIOWrapper(source, encoding=_python_codec(encoding), newline="")
        while chunk := text.read(CHUNK_BYTES):
            target.write(chunk)
    partial.replace(copy)
    return copy


def _stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)


def read_layout(path: Path, settings: dict, cache_dir: Path, fingerprint: str) -> tuple[TextLayout | None, list[str]]:
    """How a text file is written (settings, from var raw_formats, win over detection), or the
    problems that stop its reading."""
    problems = []
    if settings.get("encoding"):
        encoding = ENCODING_NAMES.get(str(settings["encoding"]).lower())
        if encoding is None:
            return None, [f"{path.name}: var raw_formats encoding '{settings['encoding']}' is not one of "
                          f"{', '.join(sorted(set(ENCODING_NAMES)))}"]  # fmt: skip
        encoding_by = "var raw_formats"
    else:
        encoding, encoding_by = detect_encoding(path)
    quote = settings.get("quote", '"')
    escape = settings.get("escape", quote)
    try:
        header_line = first_line(path, encoding)
    except UnicodeDecodeError as error:
        return None, [f"{path.name} is not {encoding} (var raw_formats encoding): byte {error.start} of line 1"]
    if not header_line.strip():
        return None, [f"{path.name} has no header line: even an extract with no rows needs its header line"]
    if settings.get("delimiter"):
        delimiter, delimiter_by = settings["delimiter"], "var raw_formats"
    else:
        delimiter, delimiter_by = detect_delimiter(header_line, quote), "header line"
        if delimiter is None:
            problems.append(
                f"{path.name}: the header line holds no delimiter or as many of two ({header_line[:80]!r}); "
                "set var raw_formats: {delimiter: ';'}"
            )
            return None, problems
    headers = split_header(header_line, delimiter, quote, escape)
    read_path = path
    if encoding != "utf-8":  # DuckDB reads UTF-16 too, but not with a delimiter of our choosing
        read_path = transcoded_copy(path, encoding, cache_dir, fingerprint)
    return TextLayout(encoding, encoding_by, delimiter, delimiter_by, quote, escape, headers, read_path), problems


def csv_reader_sql(layout: TextLayout, max_line_size: int) -> str:
    """The DuckDB read_csv call reading the file as written, columns named c1..cn, all text."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, len(layout.headers) + 1))
    return (
        f"read_csv({sql_text(str(layout.read_path))}, header = true, auto_detect = false, "
        f"delim = {sql_text(layout.delimiter)}, quote = {sql_text(layout.quote)}, "
        f"escape = {sql_text(layout.escape)}, strict_mode = true, max_line_size = {int(max_line_size)}, "
        f"columns = {{{columns}}})"
    )


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
