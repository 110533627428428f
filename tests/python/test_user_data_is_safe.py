"""User data is sacred: `make build`, `make demo-data`, the generator and the loaders never write,
move or delete a file they did not create."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_ROOT

from segmentation.cli import main
from segmentation.generator import generate
from segmentation.loaders.cdnow import load_cdnow
from segmentation.raw_folder import MANIFEST_NAME, ForeignFilesError, recorded_as_of_date

USER_CSV = "customer_id,created_at\nMINE-1,2024-01-01\n"


def _snapshot(folder: Path) -> dict[str, str]:
    """Every entry of the folder with the digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def _make(*args: str) -> subprocess.CompletedProcess:
    if shutil.which("make") is None or not (PROJECT_ROOT / ".venv" / ".installed").exists():
        pytest.skip("needs make and the project's .venv (make install)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEGMENTATION_")}
    return subprocess.run(
        ["make", "-s", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def csv_only(tmp_path: Path) -> Path:
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "customers.csv").write_text(USER_CSV, encoding="utf-8")
    return folder


@pytest.fixture
def parquet_only(tmp_path: Path) -> Path:
    folder = tmp_path / "extract"
    folder.mkdir()
    pq.write_table(pa.table({"customer_id": ["MINE-1"], "created_at": ["2024-01-01"]}), folder / "orders.parquet")
    return folder


@pytest.mark.parametrize("folder_fixture", ["csv_only", "parquet_only"])
def test_make_demo_data_leaves_a_folder_with_raw_files_byte_identical(folder_fixture: str, request):
    folder: Path = request.getfixturevalue(folder_fixture)
    before = _snapshot(folder)
    result = _make("demo-data", f"SEGMENTATION_RAW_DIR={folder}")
    assert result.returncode == 0, result.stderr
    assert "not generating demo data" in result.stdout
    assert _snapshot(folder) == before


def test_make_build_only_reads_a_users_folder(csv_only: Path, tmp_path: Path):
    before = _snapshot(csv_only)
    result = _make("build", f"SEGMENTATION_RAW_DIR={csv_only}", f"SEGMENTATION_DUCKDB={tmp_path / 'w.duckdb'}")
    # customers.csv alone is not a complete extract: dbt stops, naming the missing file
    assert result.returncode != 0 and "orders" in result.stdout + result.stderr
    assert _snapshot(csv_only) == before


def test_make_build_generates_demo_data_only_into_the_demo_folder(tmp_path: Path):
    empty = tmp_path / "my_extract"
    empty.mkdir()
    result = _make("build", f"SEGMENTATION_RAW_DIR={empty}", f"SEGMENTATION_DUCKDB={tmp_path / 'w.duckdb'}")
    assert result.returncode != 0
    assert "no raw files in" in result.stderr and "make demo-data" in result.stderr
    assert list(empty.iterdir()) == []
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize("folder_fixture", ["csv_only", "parquet_only"])
def test_generator_and_loader_refuse_a_folder_they_did_not_write(folder_fixture: str, request, tmp_path: Path):
    folder: Path = request.getfixturevalue(folder_fixture)
    before = _snapshot(folder)
    with pytest.raises(ForeignFilesError, match="did not write"):
        generate(customers=50, seed=1, out_dir=folder, show_progress=False)
    with pytest.raises(ForeignFilesError, match="did not write"):
        load_cdnow(folder, source=_tiny_cdnow(tmp_path))
    assert main(["generate", "--customers", "50", "--out", str(folder), "--quiet"]) == 2
    assert _snapshot(folder) == before


def test_any_foreign_file_makes_the_generator_refuse(tmp_path: Path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "README.txt").write_text("my notes\n", encoding="utf-8")
    with pytest.raises(ForeignFilesError, match=r"README\.txt"):
        generate(customers=50, seed=1, out_dir=folder, show_progress=False)
    assert _snapshot(folder) == {"README.txt": hashlib.sha256(b"my notes\n").hexdigest()}


def test_the_generator_rewrites_its_own_folder_and_only_its_own_files(tmp_path: Path):
    folder = tmp_path / "demo"
    generate(customers=50, seed=1, out_dir=folder, show_progress=False)
    first = _snapshot(folder)
    generate(customers=50, seed=1, out_dir=folder, show_progress=False)
    assert _snapshot(folder) == first, "same arguments, same bytes"
    # another format: its own CSV files are replaced by Parquet ones, nothing else is touched
    generate(customers=50, seed=1, out_dir=folder, file_format="parquet", show_progress=False)
    names = set(_snapshot(folder))
    assert "customers.parquet" in names and "customers.csv" not in names
    assert recorded_as_of_date(folder) == "2026-09-30"


def test_a_file_changed_since_it_was_generated_is_not_ours_any_more(tmp_path: Path):
    folder = tmp_path / "demo"
    generate(customers=50, seed=1, out_dir=folder, show_progress=False)
    with (folder / "orders.csv").open("a", encoding="utf-8") as handle:
        handle.write("O-MINE,C-MINE,2026-01-01 10:00:00,web,,completed,EUR,card,\n")
    before = _snapshot(folder)
    with pytest.raises(ForeignFilesError, match="changed since it was written"):
        generate(customers=50, seed=2, out_dir=folder, show_progress=False)
    assert _snapshot(folder) == before


def test_an_interrupted_generation_can_be_resumed(tmp_path: Path):
    folder = tmp_path / "demo"
    folder.mkdir()
    # what an interrupted run leaves: the planned names recorded, a half-written file
    (folder / MANIFEST_NAME).write_text(
        json.dumps({"status": "writing", "files": {"customers.csv": None}}), encoding="utf-8"
    )
    (folder / "customers.csv").write_text("customer_id,cre", encoding="utf-8")
    assert recorded_as_of_date(folder) is None, "an incomplete dataset records no as-of date"
    generate(customers=50, seed=1, out_dir=folder, show_progress=False)
    assert recorded_as_of_date(folder) == "2026-09-30"


def _tiny_cdnow(tmp_path: Path) -> Path:
    source = tmp_path / "CDNOW_tiny.txt"
    source.write_text(
        " customer_id  date number_of_cds  dollar_value\n"
        " 00001 19970101  1   11.77\n 00002 19970112  3   11.77\n 00002 19970112  5   77.00\n",
        encoding="ascii",
    )
    return source
