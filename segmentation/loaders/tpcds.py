"""TPC-DS: the decision-support benchmark's retail schema, generated at any scale factor by
DuckDB's ``tpcds`` extension and mapped into the raw-data contract (for benchmarks at scale).

The extension comes from PyPI (``duckdb-extension-tpcds``) and only loads into the duckdb version
it was built for (1.5.5), older than the project's; the generator therefore runs in its own
virtualenv, made on first use under ``$SEGMENTATION_TOOLS_DIR`` (default ``target/tools``) with the
pins of tpcds_requirements.txt, and loads the extension by file path (``INSTALL`` would download).
docs/decisions/0014 says why.

Mapping (tpcds_generate.py holds the SQL):
  - customers: ``customer`` with its current demographics, household income band and address:
    customer_id = c_customer_id, email, first and last name, birth date (from year, month, day),
    gender, marital status (U left empty), children = dependants, education (Unknown left empty),
    income band "lower-upper", postal code = zip, city, department = county, region = state,
    country; customer_type B2C, source_system tpcds; no phone, occupation, housing or consent
    (TPC-DS has none: every customer reads ``consent_unknown``). created_at = the first sales date
    TPC-DS records for the customer, or the first order when that is earlier (1998-01-01, the
    start of its sales, when it has neither).
  - orders: one per store ticket (``S<ticket>``, channel store, store_id = s_store_id), web order
    (``W<number>``, web) and catalog order (``C<number>``, phone: catalog orders are taken by phone
    or mail); an order takes the smallest non-null customer, sold date and time, store and
    promotion of its lines (TPC-DS repeats them on every line; a missing time is midnight);
    ordered_at = sold date + sold time; customer = the (bill) customer; status
    ``returned`` when a line of the order was returned, else ``completed``; USD; promo_code = the
    promotion of the order's lowest promotion key (TPC-DS attaches a promotion to nearly every
    line, so nearly every order carries a code).
  - order_lines: one per sales row (``<order>-<item>``): product = item key, quantity, unit price
    = list price, discount = extended list price - extended sales price (else (list - sales
    price) x quantity; a line where neither is known gets no unit price). Each return row of
    store_returns / web_returns / catalog_returns is a line ``<order>-<item>-R`` on the original
    order with the negative returned quantity at the unit sales price (what was paid) and no discount.
  - products: ``item`` (one row per item key): name, category, subcategory = class, brand,
    unit cost = wholesale cost; no collection.
  - TPC-DS leaves some keys and measures null on purpose (a few % of fact rows): lines without
    quantity, price or item, and orders whose lines all lack the customer or date, reach the
    quarantine with their reason, as they would from a real extract.
Scale: SF1 ≈ 100,000 customers and 5.5 million order lines; SF10 ≈ 500,000 and 55 million.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

from segmentation.raw_folder import OwnFolderWriter
from segmentation.raw_writer import FORMATS, table_file_name

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "tpcds_requirements.txt"
GENERATOR = HERE / "tpcds_generate.py"
TABLES = ("customers", "orders", "order_lines", "products")


@dataclass(frozen=True)
class LoadResult:
    row_counts: dict[str, int]
    as_of_date: dt.date
    seconds: float


def tools_dir() -> Path:
    return Path(os.environ.get("SEGMENTATION_TOOLS_DIR", HERE.parents[1] / "target" / "tools"))


def generator_python() -> Path:
    """The Python of the generator's virtualenv, made (or completed) when missing."""
    pins = REQUIREMENTS.read_text(encoding="utf-8")
    home = tools_dir() / "tpcds"
    python = home / "bin" / "python"
    stamp = home / ".installed"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == pins and python.is_file():
        return python
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
        check=False,
    )
    if installed.returncode != 0:
        raise RuntimeError(f"could not install the TPC-DS generator's pins ({REQUIREMENTS}) into {home}")
    stamp.write_text(pins, encoding="utf-8")
    return python


def load_tpcds(
    out_dir: Path, scale_factor: float, file_format: str = "parquet", memory_limit: str = "4GB"
) -> LoadResult:
    """Write TPC-DS at ``scale_factor`` as raw files into ``out_dir`` (empty, or written by this tool)."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {file_format!r}")
    if not 0 < scale_factor <= 1000:
        raise ValueError(f"the scale factor must be in (0, 1000], got {scale_factor}")
    folder = OwnFolderWriter(
        out_dir,
        [table_file_name(name, file_format) for name in TABLES],
        {"written_by": "segmentation load tpcds", "arguments": {"format": file_format, "scale_factor": scale_factor}},
    )
    python = generator_python()
    started = dt.datetime.now()
    folder.start()
    # the generated database (several GB at SF10) lives beside the generator, not in /tmp
    with tempfile.TemporaryDirectory(prefix="work-", dir=python.parents[1]) as work_dir:
        finished = subprocess.run(
            [
                str(python),
                str(GENERATOR),
                f"--scale-factor={scale_factor}",
                f"--out={out_dir}",
                f"--format={file_format}",
                f"--work-dir={work_dir}",
                f"--memory-limit={memory_limit}",
            ],
            check=False,
            stdout=subprocess.PIPE,
            text=True,
        )
    if finished.returncode != 0:
        raise RuntimeError(f"the TPC-DS generator failed (exit {finished.returncode}); see the messages above")
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    as_of_date = dt.date.fromisoformat(report["as_of_date"])
    folder.finish(as_of_date=as_of_date)
    seconds = (dt.datetime.now() - started).total_seconds()
    return LoadResult({name: report["row_counts"][name] for name in TABLES}, as_of_date, seconds)
