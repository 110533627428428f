"""Folders of raw files written by this tool (demo generator, dataset loaders).

A folder we write gets a manifest, ``_segmentation_manifest.json``, listing every file we wrote
with its SHA-256 and the as-of date the data end on. We only ever write into a folder that is
empty or holds nothing but our own, unmodified files: a user's extract is never overwritten,
moved or deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MANIFEST_NAME = "_segmentation_manifest.json"
MANIFEST_TEMPORARY = MANIFEST_NAME + ".tmp"
RAW_SUFFIXES = (".csv", ".csv.gz", ".parquet")


class ForeignFilesError(RuntimeError):
    """The folder holds files this tool did not write (or that changed since): we refuse to write there."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None when there is none (or it is not ours)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def raw_files(folder: Path) -> list[Path]:
    """Files of a supported raw format (.csv, .csv.gz, .parquet) directly in the folder."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(RAW_SUFFIXES))


def own_files(folder: Path) -> list[Path]:
    """Files of the folder that this tool wrote and nobody changed since (the manifest included).

    Raises ForeignFilesError naming every other entry of the folder."""
    if not folder.exists():
        return []
    if not folder.is_dir():
        raise ForeignFilesError(f"{folder} exists and is not a folder")
    manifest = read_manifest(folder)
    recorded: dict[str, str | None] = dict(manifest["files"]) if manifest else {}
    complete = bool(manifest) and manifest.get("status") == "complete"
    own: list[Path] = []
    foreign: list[str] = []
    for entry in sorted(folder.iterdir()):
        if entry.name == MANIFEST_TEMPORARY or (entry.name == MANIFEST_NAME and manifest is not None):
            own.append(entry)
        elif entry.is_file() and entry.name in recorded:
            # a half-written folder (interrupted run) records names only; a complete one, digests
            if complete and recorded[entry.name] != _sha256(entry):
                foreign.append(f"{entry.name} (changed since it was written)")
            else:
                own.append(entry)
        else:
            foreign.append(entry.name + ("/" if entry.is_dir() else ""))
    if foreign:
        shown = ", ".join(foreign[:8]) + (f" and {len(foreign) - 8} more" if len(foreign) > 8 else "")
        raise ForeignFilesError(
            f"refusing to write into {folder}: it holds files this tool did not write: {shown}. "
            "Nothing was changed. Choose an empty folder (or a folder this tool wrote before)."
        )
    return own


class OwnFolderWriter:
    """Writes a dataset into a folder that is empty or ours, keeping the manifest true at every step.

    Usage: ``writer = OwnFolderWriter(folder, planned, meta)`` (checks the folder, touches nothing),
    ``writer.start()``, write the planned files, ``writer.finish(as_of_date)``. The planned names
    are recorded before any byte is written, so an interrupted run leaves a folder this tool still
    recognises as its own."""

    def __init__(self, folder: Path, planned: Iterable[str], meta: dict[str, Any]):
        self.folder = folder
        self.planned = sorted(set(planned))
        self.meta = meta
        self.previous = own_files(folder)  # raises before anything is touched

    def start(self) -> None:
        """Create the folder, record the planned files, remove our own files of an earlier run
        that this run will not rewrite (e.g. the other format)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stale = {p.name for p in self.previous} - set(self.planned) - {MANIFEST_NAME, MANIFEST_TEMPORARY}
        names = sorted(set(self.planned) | stale)
        self._write_manifest({"status": "writing", **self.meta, "files": dict.fromkeys(names)})
        for name in stale:
            (self.folder / name).unlink()

    def finish(self, as_of_date: dt.date) -> Path:
        """Record the digests of the planned files and the as-of date the data end on."""
        files = {name: _sha256(self.folder / name) for name in self.planned if (self.folder / name).is_file()}
        missing = sorted(set(self.planned) - set(files))
        if missing:
            raise RuntimeError(f"planned files were not written: {', '.join(missing)}")
        return self._write_manifest(
            {"status": "complete", **self.meta, "as_of_date": as_of_date.isoformat(), "files": files}
        )

    def _write_manifest(self, content: dict[str, Any]) -> Path:
        path = self.folder / MANIFEST_NAME
        temporary = path.with_name(MANIFEST_TEMPORARY)
        temporary.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, path)
        return path


def is_incomplete(folder: Path) -> bool:
    """True when the folder holds a dataset of ours whose writing was interrupted."""
    manifest = read_manifest(folder)
    return manifest is not None and manifest.get("status") != "complete"


def recorded_as_of_date(folder: Path) -> str | None:
    """The as-of date a complete dataset of ours in ``folder`` ends on (YYYY-MM-DD), else None.

    None as well when any file of the folder is not ours or changed since we wrote it: a user's
    extract copied over the demo files is built at its own as-of date, not at the demo's."""
    manifest = read_manifest(folder)
    if not manifest or manifest.get("status") != "complete":
        return None
    try:
        own_files(folder)
    except ForeignFilesError:
        return None
    value = manifest.get("as_of_date")
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None
