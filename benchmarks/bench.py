"""make bench: the pipeline beside the bare DuckDB pass, a typed pass and the pandas RFM helpers.

    python benchmarks/bench.py [--datasets demo,tpcds,history] [--demo-customers 1000000]
                               [--tpcds-scale-factor 1] [--sf10] [--year] [--work-dir target/bench]

For each dataset (Parquet raw files, generated once and reused while their manifest matches):
  - full build: `dbt build` as `refresh` runs it (no unit tests, no ci_only tests) on a new warehouse;
  - RFM chain: `dbt build --select +int_segmentation__rfm`, models only, on a new warehouse;
  - bare pass: one DuckDB query, per-customer recency / frequency / amount straight from the files;
  - typed pass: one DuckDB script that also types, validates, deduplicates, checks orphans and
    scores R, F, M in quintiles (what a careful hand-written job does);
  - pymc-marketing `rfm_summary` and lifetimes `summary_data_from_transaction_data` (load +
    summary, import excluded), in their own virtualenv (benchmarks/baselines-constraints.txt);
  - scheduled refresh (`python -m segmentation refresh`: build, checks, publish) on one raw folder
    whose files are replaced each day: the data minus its last two days, then one more day, then
    the last day (as-of + 1 day each time, what a nightly scheduler does); its time, the peak RSS of
    its largest step, what each day adds to the build database, the change log and the serving folder;
  - check: `python -m segmentation check` on the full build's warehouse (Great Expectations on the
    raw files and the marts, computed in DuckDB: ADR 0022), its time and peak RSS;
  - peak RSS of the full build (the kernel's rusage of the dbt process), warehouse file size
    against the Parquet input;
  - history (dataset `history`, the 20k demo): a backfill of --history-dates daily dates (30;
    365 with --year, the year simulation), the publish after the first date and after the last,
    the build database and serving folder sizes at the end, against one full build of the demo.
Timing: dbt figures are wall times of the whole command (start-up and parsing included, as a
scheduler sees them); the DuckDB passes are timed around their queries in this process and the
pandas helpers around load + summary (interpreter start and imports excluded): the comparison
leans in the baselines' favour.
Every dbt build and the check run with SEGMENTATION_MEMORY_LIMIT (default 4GB). Figures are ratios measured in
this one run: these machines are noisy. Results: <work-dir>/results.json and results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from segmentation.loaders.tpcds import tools_dir
from segmentation.refresh import REFRESH_EXCLUSIONS

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BASELINES_CONSTRAINTS = PROJECT_ROOT / "benchmarks" / "baselines-constraints.txt"
GIB = 1024**3

# (label, figure, comparison, limit): the targets of the performance and daily-refresh issues; a
# figure missing from a run (no baselines, fewer than 365 history dates) is "not measured".
TARGETS = (
    ("full build / typed pass", "full_over_typed", "<=", 5.0),
    ("RFM chain / typed pass", "rfm_chain_over_typed", "<=", 2.0),
    ("pymc-marketing rfm_summary / full build", "pymc_over_full", ">=", 1.0),
    ("daily refresh / first refresh", "refresh_daily_over_first", "<=", 0.10),
    ("build database added by a daily date / first date", "database_day_over_first", "<=", 0.05),
    ("history rows added by a daily date / customers x segmentations", "history_rows_day_share", "<=", 0.05),
    ("serving disk added by a daily version / first version", "version_day_over_first", "<=", 0.05),
    ("publish after 30 daily dates / after 1", "publish_30_over_1", "<=", 1.5),
    ("backfill of 365 daily dates / full build", "backfill_365_over_full", "<=", 30.0),
    ("warehouse size / Parquet input", "warehouse_over_input", "<=", 3.0),
    ("peak RSS of the full build (GiB)", "full_build_peak_rss_gib", "<=", 4.5),
    ("peak RSS of the check (GiB)", "check_peak_rss_gib", "<=", 4.5),
    ("peak RSS of the largest refresh step (GiB)", "refresh_peak_rss_gib", "<=", 4.5),
)
# exit codes of `check` that still give a figure: 1 = an expectation of error severity failed
CHECK_EXIT_CODES = (0, 1)


@dataclass
class Measured:
    seconds: float
    peak_rss_bytes: int
    stdout: str = field(repr=False, default="")
    exit_code: int = 0


def run(command: list[str], env: dict[str, str] | None = None, ok_codes: tuple[int, ...] = (0,)) -> Measured:
    """Run a command to its end (exits on another exit code than ok_codes, with its output); its
    wall time."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stdout, _ = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode not in ok_codes:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{stdout[-4000:]}")
    return Measured(elapsed, 0, stdout, process.returncode)


def run_measured(command: list[str], env: dict[str, str] | None = None, ok_codes: tuple[int, ...] = (0,)) -> Measured:
    """Like run(), through a small parent process whose children maximum RSS is this command's peak
    (the kernel keeps that maximum per process, so our own would mix every command run so far)."""
    wrapper = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys, json\n"
        "code = subprocess.call(sys.argv[1:])\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024\n"
        "print('@@peak_rss ' + str(peak), flush=True)\n"
        "sys.exit(code)\n",
        *command,
    ]
    measured = run(wrapper, env, ok_codes)
    peak = 0
    for line in measured.stdout.splitlines():
        if line.startswith("@@peak_rss "):
            peak = int(line.split()[1])
    return Measured(measured.seconds, peak, measured.stdout, measured.exit_code)


def dbt_env(raw: Path, warehouse: Path, as_of: str, memory_limit: str) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "SEGMENTATION_TARGET": "dev",
        "SEGMENTATION_RAW_DIR": str(raw),
        "SEGMENTATION_DUCKDB": str(warehouse),
        "SEGMENTATION_AS_OF_DATE": as_of,
        "SEGMENTATION_MEMORY_LIMIT": memory_limit,
    }


def fresh(path: Path) -> Path:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    return path


def manifest_of(raw: Path) -> dict:
    path = raw / "_segmentation_manifest.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def dataset(name: str, args: argparse.Namespace, work: Path) -> tuple[Path, str]:
    """The dataset's raw folder (made when missing) and its as-of date."""
    python = str(BIN / "python")
    if name == "demo":
        raw = work / f"demo-{args.demo_customers}" / "raw"
        wanted = {"customers": args.demo_customers, "format": "parquet"}
        arguments = manifest_of(raw).get("arguments", {})
        if manifest_of(raw).get("status") != "complete" or any(arguments.get(k) != v for k, v in wanted.items()):
            print(f"generating the demo, {args.demo_customers:,} customers ...", flush=True)
            command = [python, "-m", "segmentation", "generate", "--customers", str(args.demo_customers)]
            run([*command, "--format", "parquet", "--out", str(raw), "--quiet"])
    else:
        scale = args.tpcds_scale_factor if name == "tpcds" else 10.0
        raw = work / f"tpcds-sf{scale:g}" / "raw"
        arguments = manifest_of(raw).get("arguments", {})
        if manifest_of(raw).get("status") != "complete" or arguments.get("scale_factor") != scale:
            print(f"generating TPC-DS SF{scale:g} ...", flush=True)
            run([python, "-m", "segmentation", "load", "tpcds", "--scale-factor", str(scale), "--out", str(raw)])
    return raw, manifest_of(raw)["as_of_date"]


def without_last_days(raw: Path, as_of: str, days: int, out: Path) -> str:
    """A copy of the raw files without the orders (and their lines and payments) and events of
    the last `days` days: the state of that many days before. Returns that day."""
    day_before = (dt.date.fromisoformat(as_of) - dt.timedelta(days=days)).isoformat()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    connection = duckdb.connect()
    connection.execute(
        f"create view kept_orders as select * from '{raw}/orders.parquet' "
        f"where try_cast(ordered_at as date) is null or cast(ordered_at as date) <= '{day_before}'"
    )
    filters = {
        "orders": "select * from kept_orders",
        "order_lines": f"select * from '{raw}/order_lines.parquet' where order_id in (select order_id from kept_orders)"
        " or order_id is null",
        "payments": f"select * from '{raw}/payments.parquet' where order_id in (select order_id from kept_orders)"
        " or order_id is null",
        "marketing_events": f"select * from '{raw}/marketing_events.parquet' "
        f"where try_cast(event_at as date) is null or cast(event_at as date) <= '{day_before}'",
    }
    for path in sorted(raw.glob("*.parquet")):
        query = filters.get(path.stem, f"select * from '{path}'")
        connection.execute(f"copy ({query}) to '{out / path.name}' (format parquet)")
    connection.close()
    return day_before


BARE_PASS = """
create or replace table bare_rfm as
with line_amounts as (
    select order_id, sum(quantity * unit_price - coalesce(discount_amount, 0)) as amount
    from '{raw}/order_lines.parquet' group by order_id
)
select orders.customer_id,
    date_diff('day', max(orders.ordered_at)::date, date '{as_of}') as recency_days,
    count(*) as frequency, sum(line_amounts.amount) as monetary
from '{raw}/orders.parquet' as orders
inner join line_amounts on orders.order_id = line_amounts.order_id
where lower(orders.status) <> 'cancelled'
group by orders.customer_id
"""

TYPED_PASS = """
create or replace table typed_customers as
select customer_id from (
    select trim(cast(customer_id as varchar)) as customer_id,
        try_cast(created_at as timestamp) as created_at,
        count(*) over (partition by trim(cast(customer_id as varchar))) as copies,
        count(distinct hash(*columns(*))) over (partition by trim(cast(customer_id as varchar))) as versions
    from '{raw}/customers.parquet'
)
where customer_id is not null and customer_id <> '' and created_at is not null and versions = 1
group by customer_id;

create or replace table typed_orders as
select distinct orders.order_id, orders.customer_id, orders.ordered_at
from (
    select trim(cast(order_id as varchar)) as order_id, trim(cast(customer_id as varchar)) as customer_id,
        try_cast(ordered_at as timestamp) as ordered_at, lower(trim(cast(status as varchar))) as status,
        count(distinct hash(*columns(*))) over (partition by trim(cast(order_id as varchar))) as versions
    from '{raw}/orders.parquet'
) as orders
inner join typed_customers on orders.customer_id = typed_customers.customer_id
where orders.order_id is not null and orders.ordered_at is not null and orders.ordered_at::date <= date '{as_of}'
    and orders.status is not null and orders.status <> 'cancelled' and orders.versions = 1;

create or replace table typed_lines as
select distinct lines.order_line_id, lines.order_id, lines.quantity, lines.unit_price, lines.discount_amount
from (
    select trim(cast(order_line_id as varchar)) as order_line_id, trim(cast(order_id as varchar)) as order_id,
        try_cast(quantity as bigint) as quantity, try_cast(unit_price as decimal(18, 4)) as unit_price,
        coalesce(try_cast(discount_amount as decimal(18, 4)), 0) as discount_amount,
        count(distinct hash(*columns(*))) over (partition by trim(cast(order_line_id as varchar))) as versions
    from '{raw}/order_lines.parquet'
) as lines
inner join typed_orders on lines.order_id = typed_orders.order_id
where lines.order_line_id is not null and lines.quantity is not null and lines.quantity <> 0
    and lines.unit_price >= 0 and lines.discount_amount >= 0 and lines.versions = 1;

create or replace table typed_rfm as
with order_amounts as (
    select typed_orders.customer_id, typed_orders.order_id, typed_orders.ordered_at,
        sum(typed_lines.quantity * typed_lines.unit_price
            - sign(typed_lines.quantity) * typed_lines.discount_amount) as amount
    from typed_orders inner join typed_lines on typed_orders.order_id = typed_lines.order_id
    group by all
),
per_customer as (
    select customer_id, date_diff('day', max(ordered_at)::date, date '{as_of}') as recency_days,
        count(*) as frequency, sum(amount) as monetary
    from order_amounts group by customer_id
)
select *, ntile(5) over (order by recency_days desc, customer_id) as r_score,
    ntile(5) over (order by frequency, customer_id) as f_score,
    ntile(5) over (order by monetary, customer_id) as m_score
from per_customer;
"""


def duckdb_pass(script: str, raw: Path, as_of: str, database: Path, memory_limit: str) -> tuple[float, int]:
    connection = duckdb.connect(str(fresh(database)))
    connection.execute(f"set memory_limit = '{memory_limit}'")
    connection.execute("set preserve_insertion_order = false")  # as profiles.yml sets it for dbt
    started = time.perf_counter()
    connection.execute(script.format(raw=raw, as_of=as_of))
    elapsed = time.perf_counter() - started
    table = "typed_rfm" if "typed_rfm" in script else "bare_rfm"
    rows = connection.execute(f"select count(*) from {table}").fetchone()[0]
    connection.close()
    return elapsed, rows


def baselines_python(work: Path) -> Path:
    home = tools_dir() / "baselines"
    python = home / "bin" / "python"
    stamp = home / ".installed"
    pins = BASELINES_CONSTRAINTS.read_text()
    if not (stamp.is_file() and stamp.read_text() == pins):
        print("making the baselines' virtualenv (pymc-marketing, lifetimes) ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(home)
        run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "-c",
                str(BASELINES_CONSTRAINTS),
                "pymc-marketing",
                "lifetimes",
                "pyarrow",
            ]
        )
        stamp.write_text(pins)
    return python


def baseline(python: Path, library: str, raw: Path, as_of: str) -> dict:
    script = PROJECT_ROOT / "benchmarks" / "baselines_rfm.py"
    measured = run_measured([str(python), str(script), "--raw", str(raw), "--as-of", as_of, "--library", library])
    figures = json.loads(next(line for line in measured.stdout.splitlines() if line.startswith("{")))
    return {**figures, "peak_rss_bytes": measured.peak_rss_bytes}


def bench_dataset(name: str, args: argparse.Namespace, work: Path) -> dict:
    raw, as_of = dataset(name, args, work)
    folder = raw.parent
    dbt = str(BIN / "dbt")
    build = [dbt, "build", *REFRESH_EXCLUSIONS, "--quiet"]
    input_bytes = sum(p.stat().st_size for p in raw.glob("*.parquet"))
    figures: dict = {"dataset": name, "raw_dir": str(raw), "as_of_date": as_of, "input_bytes": input_bytes}
    connection = duckdb.connect()
    figures["order_lines"] = connection.execute(f"select count(*) from '{raw}/order_lines.parquet'").fetchone()[0]
    figures["customers"] = connection.execute(f"select count(*) from '{raw}/customers.parquet'").fetchone()[0]
    connection.close()

    print(f"[{name}] bare and typed DuckDB passes ...", flush=True)
    figures["bare_pass_seconds"], _ = duckdb_pass(BARE_PASS, raw, as_of, folder / "passes.duckdb", args.memory_limit)
    figures["typed_pass_seconds"], figures["typed_pass_customers"] = duckdb_pass(
        TYPED_PASS, raw, as_of, folder / "passes.duckdb", args.memory_limit
    )

    print(f"[{name}] full dbt build ...", flush=True)
    warehouse = fresh(folder / "warehouse.duckdb")
    full = run_measured(build, dbt_env(raw, warehouse, as_of, args.memory_limit))
    figures["full_build_seconds"] = full.seconds
    figures["full_build_peak_rss_bytes"] = full.peak_rss_bytes
    figures["warehouse_bytes"] = warehouse.stat().st_size

    print(f"[{name}] data-quality check ...", flush=True)
    check = run_measured(
        [str(BIN / "python"), "-m", "segmentation", "check", "--docs-dir", str(folder / "data_quality")],
        dbt_env(raw, warehouse, as_of, args.memory_limit),
        CHECK_EXIT_CODES,
    )
    figures["check_seconds"] = check.seconds
    figures["check_peak_rss_bytes"] = check.peak_rss_bytes
    figures["check_exit_code"] = check.exit_code

    print(f"[{name}] RFM chain ...", flush=True)
    chain_warehouse = fresh(folder / "rfm_chain.duckdb")
    chain = run_measured(
        [dbt, "build", "--select", "+int_segmentation__rfm", "--exclude-resource-type", "test", "unit_test", "--quiet"],
        dbt_env(raw, chain_warehouse, as_of, args.memory_limit),
    )
    figures["rfm_chain_seconds"] = chain.seconds
    fresh(chain_warehouse)

    if not args.skip_daily:
        figures.update(bench_daily_refreshes(name, raw, as_of, folder, args.memory_limit))

    if not args.skip_baselines:
        python = baselines_python(work)
        for library in ("pymc-marketing", "lifetimes"):
            print(f"[{name}] {library} ...", flush=True)
            figures[library] = baseline(python, library, raw, as_of)

    full_seconds = figures["full_build_seconds"]
    figures["ratios"] = {
        "full_over_bare": full_seconds / figures["bare_pass_seconds"],
        "full_over_typed": full_seconds / figures["typed_pass_seconds"],
        "rfm_chain_over_typed": figures["rfm_chain_seconds"] / figures["typed_pass_seconds"],
        "warehouse_over_input": figures["warehouse_bytes"] / input_bytes,
        "full_build_peak_rss_gib": figures["full_build_peak_rss_bytes"] / GIB,
        "check_peak_rss_gib": figures["check_peak_rss_bytes"] / GIB,
    }
    if "refresh_seconds" in figures:
        refreshes, databases, servings = (
            figures[key] for key in ("refresh_seconds", "database_bytes", "serving_bytes")
        )
        figures["ratios"]["refresh_daily_over_first"] = refreshes[-1] / refreshes[0]
        figures["ratios"]["database_day_over_first"] = (databases[-1] - databases[-2]) / databases[0]
        figures["ratios"]["version_day_over_first"] = (servings[-1] - servings[-2]) / servings[0]
        figures["ratios"]["history_rows_day_share"] = figures["history_rows"][-1] / figures["memberships"]
        figures["ratios"]["refresh_peak_rss_gib"] = max(figures["refresh_peak_rss_bytes"]) / GIB
    if "pymc-marketing" in figures:
        figures["ratios"]["pymc_over_full"] = figures["pymc-marketing"]["seconds"] / full_seconds
        figures["ratios"]["lifetimes_over_full"] = figures["lifetimes"]["seconds"] / full_seconds
    fresh(folder / "passes.duckdb")
    return figures


def disk_bytes(path: Path) -> int:
    """Bytes of a file, or of a folder's files with each inode counted once (the serving file is
    a hard link to a version)."""
    if path.is_file():
        return path.stat().st_size
    seen: dict[int, int] = {}
    for item in path.rglob("*"):
        if item.is_file():
            seen[item.stat().st_ino] = item.stat().st_size
    return sum(seen.values())


def change_rows(warehouse: Path, as_of: str) -> tuple[int, int]:
    """(rows of the change log on `as_of`, customers x segmentations of that date's membership)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select count(*) from marts.fct_segment_changes where as_of_date = ?", [as_of]
        ).fetchone()[0]
        memberships = connection.execute(
            "select count(distinct customer_key) * count(distinct segmentation) from marts.fct_customer_segments"
        ).fetchone()[0]
    return rows, memberships


def refresh_command(raw: Path, warehouse: Path, serving: Path, logs: Path) -> list[str]:
    return [
        str(BIN / "python"),
        "-m",
        "segmentation",
        "refresh",
        "--raw-dir",
        str(raw),
        "--warehouse",
        str(warehouse),
        "--serving-dir",
        str(serving),
        "--log-dir",
        str(logs),
    ]


def bench_daily_refreshes(name: str, raw: Path, as_of: str, folder: Path, memory_limit: str) -> dict:
    """Three scheduled refreshes of one raw folder whose files are replaced each day: the data of
    two days before, of the day before, then all of it (as-of + 1 day each time)."""
    work = folder / "refresh"
    if work.exists():
        shutil.rmtree(work)
    days = {}
    for back in (2, 1):
        days[back] = without_last_days(raw, as_of, back, work / f"raw_minus_{back}")
    days[0] = as_of
    folder_read, warehouse, serving = work / "raw", work / "warehouse.duckdb", work / "serving"
    figures: dict = {key: [] for key in ("refresh_seconds", "refresh_peak_rss_bytes", "database_bytes")}
    figures.update({"serving_bytes": [], "history_rows": [], "refresh_dates": []})
    for back in (2, 1, 0):
        print(f"[{name}] scheduled refresh as of {days[back]} ...", flush=True)
        source = work / f"raw_minus_{back}" if back else raw
        folder_read.mkdir(parents=True, exist_ok=True)
        for path in sorted(source.glob("*.parquet")):
            shutil.copyfile(path, folder_read / path.name)
        env = dbt_env(folder_read, warehouse, days[back], memory_limit)
        measured = run_measured(refresh_command(folder_read, warehouse, serving, work / "logs"), env)
        rows, memberships = change_rows(warehouse, days[back])
        figures["refresh_dates"].append(days[back])
        figures["refresh_seconds"].append(measured.seconds)
        figures["refresh_peak_rss_bytes"].append(measured.peak_rss_bytes)
        figures["database_bytes"].append(disk_bytes(warehouse))
        figures["serving_bytes"].append(disk_bytes(serving))
        figures["history_rows"].append(rows)
        figures["memberships"] = memberships
    shutil.rmtree(work)
    return figures


def bench_history(args: argparse.Namespace, work: Path) -> dict:
    """A backfill of --history-dates daily dates of the demo, published after its first date and
    after its last, against one full build of the demo's last date."""
    dates = args.history_dates
    raw = work / f"demo-{args.history_customers}" / "raw"
    arguments = manifest_of(raw).get("arguments", {})
    if manifest_of(raw).get("status") != "complete" or arguments.get("customers") != args.history_customers:
        print(f"generating the demo, {args.history_customers:,} customers ...", flush=True)
        command = [str(BIN / "python"), "-m", "segmentation", "generate", "--customers", str(args.history_customers)]
        run([*command, "--format", "parquet", "--out", str(raw), "--quiet"])
    as_of = manifest_of(raw)["as_of_date"]
    folder = raw.parent / "history"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    warehouse, serving = folder / "warehouse.duckdb", folder / "serving"
    env = dbt_env(raw, warehouse, as_of, args.memory_limit)
    customers = duckdb.connect().execute(f"select count(*) from '{raw}/customers.parquet'").fetchone()[0]
    figures: dict = {"dataset": "history", "raw_dir": str(raw), "as_of_date": as_of, "customers": customers}

    print(f"[history] full dbt build as of {as_of} ...", flush=True)
    full = run_measured([str(BIN / "dbt"), "build", *REFRESH_EXCLUSIONS, "--quiet"], env)
    figures["full_build_seconds"] = full.seconds
    fresh(warehouse)

    python = [str(BIN / "python"), "-m", "segmentation"]
    first = (dt.date.fromisoformat(as_of) - dt.timedelta(days=dates - 1)).isoformat()
    publish = [*python, "publish", "--warehouse", str(warehouse), "--serving-dir", str(serving)]
    logs = ["--log-dir", str(folder / "logs")]
    print(f"[history] backfill of {dates} daily dates from {first} ...", flush=True)

    def backfill(start: dt.date, end: dt.date) -> float:
        command = [*python, "backfill", "--start", start.isoformat(), "--end", end.isoformat(), "--every", "day"]
        return run([*command, *logs], env).seconds

    # published after the first date, after the one before the last (not timed) and after the last:
    # the last publish is a daily one, with one new date to write, as a scheduler runs it
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(as_of)
    backfill_seconds = backfill(start, start)
    publish_first = run(publish, env).seconds
    if dates > 2:
        backfill_seconds += backfill(start + dt.timedelta(days=1), end - dt.timedelta(days=1))
        run(publish, env)
    if dates > 1:
        backfill_seconds += backfill(end, end)
    publish_last = run(publish, env).seconds
    figures.update(
        {
            "history_dates": dates,
            "backfill_seconds": backfill_seconds,
            "publish_first_seconds": publish_first,
            "publish_last_seconds": publish_last,
            "history_database_bytes": disk_bytes(warehouse),
            "history_serving_bytes": disk_bytes(serving),
            "version_bytes": [disk_bytes(path) for path in sorted((serving / "versions").glob("*.duckdb"))],
        }
    )
    figures["ratios"] = {"backfill_over_full": figures["backfill_seconds"] / full.seconds}
    if dates >= 30:
        figures["ratios"]["publish_30_over_1"] = publish_last / publish_first
    if dates >= 365:
        figures["ratios"]["backfill_365_over_full"] = figures["backfill_seconds"] / full.seconds
    return figures


def verdict(value: float | None, comparison: str, limit: float) -> str:
    if value is None:
        return "not measured"
    met = value <= limit if comparison == "<=" else value >= limit
    return "met" if met else "missed"


def markdown(results: list[dict], memory_limit: str) -> str:
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, one run, "
        f"{os.cpu_count()} cores, dbt memory_limit {memory_limit}.",
        "",
        "| figure | " + " | ".join(r["dataset_label"] for r in results) + " |",
        "|---|" + "---:|" * len(results),
    ]

    def row(label: str, render) -> None:
        cells = []
        for result in results:
            try:
                cells.append(render(result))
            except (KeyError, IndexError):
                cells.append("-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def seconds(values: list[float]) -> str:
        return " / ".join(f"{value:.1f}" for value in values)

    def megabytes(values: list[int]) -> str:
        return " / ".join(f"{value / 1e6:,.0f}" for value in values)

    row("customers / order lines", lambda r: f"{r['customers']:,} / {r['order_lines']:,}")
    row("Parquet input (MB)", lambda r: f"{r['input_bytes'] / 1e6:,.0f}")
    row("bare DuckDB pass (s)", lambda r: f"{r['bare_pass_seconds']:.1f}")
    row("typed DuckDB pass (s)", lambda r: f"{r['typed_pass_seconds']:.1f}")
    row("full dbt build (s)", lambda r: f"{r['full_build_seconds']:.1f}")
    row("RFM chain (s)", lambda r: f"{r['rfm_chain_seconds']:.1f}")
    row(
        "check (s)",
        lambda r: f"{r['check_seconds']:.1f}" + (" (an error expectation failed)" if r["check_exit_code"] else ""),
    )
    row("refreshes: first / daily / daily (s)", lambda r: seconds(r["refresh_seconds"]))
    row("refreshes: build database after each (MB)", lambda r: megabytes(r["database_bytes"]))
    row("refreshes: serving folder after each (MB)", lambda r: megabytes(r["serving_bytes"]))
    row("refreshes: change-log rows of each date", lambda r: " / ".join(f"{n:,}" for n in r["history_rows"]))
    row(
        "refreshes: peak RSS of the largest step (GiB)",
        lambda r: seconds([b / GIB for b in r["refresh_peak_rss_bytes"]]),
    )
    for library in ("pymc-marketing", "lifetimes"):
        row(f"{library} load + summary (s)", lambda r, lib=library: f"{r[lib]['seconds']:.1f}")
    row("peak RSS, full build (GiB)", lambda r: f"{r['ratios']['full_build_peak_rss_gib']:.2f}")
    row("peak RSS, check (GiB)", lambda r: f"{r['ratios']['check_peak_rss_gib']:.2f}")
    row("warehouse file (MB)", lambda r: f"{r['warehouse_bytes'] / 1e6:,.0f}")
    row("full build / bare pass", lambda r: f"{r['ratios']['full_over_bare']:.1f}x")
    row("history: daily dates backfilled", lambda r: f"{r['history_dates']}")
    row(
        "history: backfill (s) / full build (s)",
        lambda r: f"{r['backfill_seconds']:.0f} / {r['full_build_seconds']:.1f}",
    )
    row("history: backfill / full build", lambda r: f"{r['ratios']['backfill_over_full']:.1f}x")
    row(
        "history: publish after the first / last date (s)",
        lambda r: seconds([r["publish_first_seconds"], r["publish_last_seconds"]]),
    )
    row(
        "history: build database / serving folder (MB)",
        lambda r: megabytes([r["history_database_bytes"], r["history_serving_bytes"]]),
    )
    row("history: versions kept (MB)", lambda r: megabytes(r["version_bytes"]))
    for label, key, comparison, limit in TARGETS:
        row(
            f"{label} (target {comparison} {limit:g})",
            lambda r, k=key, c=comparison, lim=limit: (
                f"{r['ratios'][k]:.2f} {verdict(r['ratios'][k], c, lim)}"
                if k in r.get("ratios", {})
                else "not measured"
            ),
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets",
        default="demo,tpcds,history",
        help="comma-separated: demo, tpcds, tpcds-sf10, history (default demo,tpcds,history)",
    )
    parser.add_argument("--demo-customers", type=int, default=1_000_000)
    parser.add_argument("--tpcds-scale-factor", type=float, default=1.0)
    parser.add_argument("--sf10", action="store_true", help="also TPC-DS SF10 (about 55 million lines)")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit of every build (default 4GB)")
    parser.add_argument("--work-dir", default=str(PROJECT_ROOT / "target" / "bench"))
    parser.add_argument("--skip-baselines", action="store_true", help="no pymc-marketing / lifetimes")
    parser.add_argument("--skip-daily", action="store_true", help="no scheduled-refresh figures")
    parser.add_argument("--history-customers", type=int, default=20_000, help="customers of the history demo")
    parser.add_argument("--history-dates", type=int, default=30, help="daily dates the history backfills (30)")
    parser.add_argument("--year", action="store_true", help="history of 365 daily dates: the year simulation")
    args = parser.parse_args()
    work = Path(args.work_dir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    names = [n.strip() for n in args.datasets.split(",") if n.strip()] + (["tpcds-sf10"] if args.sf10 else [])
    if args.year:
        args.history_dates = 365
    results = []
    for name in names:
        if name not in ("demo", "tpcds", "tpcds-sf10", "history"):
            parser.error(f"unknown dataset {name!r}")
        if name == "history":
            figures = bench_history(args, work)
            figures["dataset_label"] = f"demo {args.history_customers / 1e3:g}k, {args.history_dates} dates"
            results.append(figures)
            continue
        figures = bench_dataset(name, args, work)
        scale = 10.0 if name == "tpcds-sf10" else args.tpcds_scale_factor
        figures["dataset_label"] = f"demo {args.demo_customers / 1e6:g}M" if name == "demo" else f"TPC-DS SF{scale:g}"
        results.append(figures)
    (work / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    table = markdown(results, args.memory_limit)
    (work / "results.md").write_text(table)
    print()
    print(table)
    print(f"results: {work / 'results.json'}, {work / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
