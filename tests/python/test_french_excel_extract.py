"""The demo extract as a French Excel saves it (Windows-1252, ';', CRLF, decimal comma,
dd/mm/yyyy HH:MM, NULL) builds, with no setting, to the marts of the canonical UTF-8 extract;
the run says what it detected; the run-start hook refuses an as-of date no data supports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

from segmentation.contract import load_contract
from segmentation.generator import generate

pytestmark = pytest.mark.slow

CUSTOMERS = 1000
SEED = 7
AS_OF = "2026-09-30"
COMPARED_SCHEMAS = ("staging", "intermediate", "marts", "quarantine")
RUN_RECORDS = ("run_outcomes", "dq_results")  # invocation ids and times, not data


def _cut_timestamps_to_the_minute(raw: Path) -> None:
    """What the French export keeps of a timestamp (HH:MM), written the canonical way."""
    for table in load_contract().values():
        path = raw / f"{table.name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, types = rows[0], {c.name: c.data_type for c in table.columns}
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(
                [header]
                + [
                    [
                        re.sub(r"^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}):\d{2}(\.\d+)?", r"\1:00", value)
                        if types[name] == "timestamp"
                        else value
                        for name, value in zip(header, row, strict=True)
                    ]
                    for row in rows[1:]
                ]
            )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, str]]:
    """{'canonical' | 'excel-fr': (raw folder, warehouse, dbt output)}, both built at AS_OF."""
    root = tmp_path_factory.mktemp("french")
    built = {}
    for name, file_format in (("canonical", "csv"), ("excel-fr", "excel-fr")):
        raw = root / name / "raw"
        generate(customers=CUSTOMERS, seed=SEED, out_dir=raw, file_format=file_format, show_progress=False)
        if name == "canonical":
            _cut_timestamps_to_the_minute(raw)
        warehouse = root / name / "warehouse.duckdb"
        # models and seeds only: the data tests hold on any extract elsewhere; here the values matter
        models = ["build", "--exclude-resource-type", "test", "unit_test"]
        result = run_dbt([*models, "--vars", f"{{as_of_date: '{AS_OF}'}}"], raw, warehouse)
        assert result.returncode == 0, result.stdout[-3000:]
        built[name] = (raw, warehouse, result.stdout)
    return built


def test_the_french_excel_extract_is_really_written_the_french_way(builds):
    raw = builds["excel-fr"][0]
    head = (raw / "customers.csv").read_bytes()[:4000]
    assert b"\r\n" in head and b";" in head and b"NULL" in head
    with pytest.raises(UnicodeDecodeError):
        (raw / "customers.csv").read_bytes().decode("utf-8")
    lines = (raw / "order_lines.csv").read_text(encoding="cp1252").splitlines()
    assert re.search(r";\d+,\d{1,2};", lines[1])
    assert re.search(r";\d{2}/\d{2}/\d{4} \d{2}:\d{2};", (raw / "orders.csv").read_text(encoding="cp1252"))


def test_the_french_excel_extract_builds_the_marts_of_the_canonical_extract(builds):
    with duckdb.connect() as connection:
        connection.execute(f"attach '{builds['canonical'][1]}' as canonical (read_only)")
        connection.execute(f"attach '{builds['excel-fr'][1]}' as french (read_only)")
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'canonical' "
            f"and schema_name in {COMPARED_SCHEMAS} and table_name not in {RUN_RECORDS} order by all"
        ).fetchall()
        assert len([t for t in tables if t[0] == "marts"]) >= 10
        different = {}
        for schema, table in tables:
            counts = connection.execute(
                f"select (select count(*) from canonical.{schema}.{table}),"
                f" (select count(*) from (select * from canonical.{schema}.{table}"
                f"  except all select * from french.{schema}.{table})),"
                f" (select count(*) from (select * from french.{schema}.{table}"
                f"  except all select * from canonical.{schema}.{table}))"
            ).fetchone()
            if counts[1] or counts[2]:
                different[f"{schema}.{table}"] = counts
    assert different == {}


def test_the_run_says_what_it_detected(builds):
    output = builds["excel-fr"][2]
    assert "raw.customers <- customers.csv (cp1252, ';'" in output
    assert "dates day first" in output and "null strings" in output and "decimal comma" in output
    with duckdb.connect(str(builds["excel-fr"][1]), read_only=True) as connection:
        settings = dict(
            connection.execute(
                "select setting, value from raw.extract_readings where file_name = 'customers.csv' "
                "and setting in ('encoding', 'delimiter')"
            ).fetchall()
        )
    assert settings == {"encoding": "cp1252", "delimiter": ";"}


@pytest.mark.parametrize(
    ("as_of_date", "message"),
    [("2999-01-01", "is after today"), ("2026-10-15", "is after the last day of data (2026-09-30")],
)
def test_an_as_of_date_no_data_supports_is_refused_unless_forced(builds, tmp_path, as_of_date, message):
    raw = builds["excel-fr"][0]
    hook_only = ["seed", "--select", "raw_column_synonyms"]
    refused = run_dbt([*hook_only, "--vars", f"{{as_of_date: '{as_of_date}'}}"], raw, tmp_path / "w.duckdb")
    assert refused.returncode != 0 and message in refused.stdout, refused.stdout[-2000:]
    forced = run_dbt(
        [*hook_only, "--vars", f"{{as_of_date: '{as_of_date}', force_as_of_date: true}}"], raw, tmp_path / "w.duckdb"
    )
    assert forced.returncode == 0, forced.stdout[-2000:]
