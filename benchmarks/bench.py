"""make bench: the pipeline beside the bare DuckDB pass, a typed pass and the pandas RFM helpers.

    python benchmarks/bench.py [--datasets demo,tpcds] [--demo-customers 1000000]
                               [--tpcds-scale-factor 1] [--sf10] [--work-dir target/bench]

For each dataset (Parquet raw files, generated once and reused while their manifest matches):
  - full build: `dbt build` as `refresh` runs it (no unit tests, no ci_only tests) on a new warehouse;
  - RFM chain: `dbt build --select +int_segmentation__rfm`, models only, on a new warehouse;
  - bare pass: one DuckDB query, per-customer recency / frequency / amount straight from the files;
  - typed pass: one DuckDB script that also types, validates, deduplicates, checks orphans and
    scores R, F, M in quintiles (what a careful hand-written job does);
  - pymc-marketing `rfm_summary` and lifetimes `summary_data_from_transaction_data` (load +
    summary, import excluded), in their own virtualenv (benchmarks/baselines-constraints.txt);
  - daily refresh: the warehouse built on the data minus its last day, then built again with that
    day added and the as-of date one day later (what a nightly refresh does);
  - check: `python -m segmentation check` on the full build's warehouse (Great Expectations on the
    raw files and the marts, computed in DuckDB: ADR 0022), its time and peak RSS;
  - peak RSS of the full build (the kernel's rusage of the dbt process), warehouse file size
    against the Parquet input.
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

# (label, figure, comparison, limit): the targets of the performance issue; a figure missing
# from a run (no baselines, say) is "not measured".
TARGETS = (
    ("full build / typed pass", "full_over_typed", "<=", 3.0),
    ("pymc-marketing rfm_summary / full build", "pymc_over_full", ">=", 1.0),
    ("RFM chain / typed pass", "rfm_chain_over_typed", "<=", 2.0),
    ("daily refresh / full build", "daily_over_full", "<=", 0.15),
    ("warehouse size / Parquet input", "warehouse_over_input", "<=", 3.0),
    ("peak RSS of the full build (GiB)", "full_build_peak_rss_gib", "<=", 4.5),
    ("peak RSS of the check (GiB)", "check_peak_rss_gib", "<=", 4.5),
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


def without_last_day(raw: Path, as_of: str, out: Path) -> str:
    """A copy of the raw files without the orders (and their lines and payments) and events of
    the last day: the state of the day before. Returns that day."""
    day_before = (dt.date.fromisoformat(as_of) - dt.timedelta(days=1)).isoformat()
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
        print(f"[{name}] daily refresh: the day before, then one more day ...", flush=True)
        day_before_raw = folder / "raw_day_before"
        day_before = without_last_day(raw, as_of, day_before_raw)
        daily_warehouse = fresh(folder / "daily.duckdb")
        first = run_measured(build, dbt_env(day_before_raw, daily_warehouse, day_before, args.memory_limit))
        daily = run_measured(build, dbt_env(raw, daily_warehouse, as_of, args.memory_limit))
        figures["day_before_build_seconds"] = first.seconds
        figures["daily_refresh_seconds"] = daily.seconds
        fresh(daily_warehouse)
        shutil.rmtree(day_before_raw)

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
    if "daily_refresh_seconds" in figures:
        figures["ratios"]["daily_over_full"] = figures["daily_refresh_seconds"] / full_seconds
    if "pymc-marketing" in figures:
        figures["ratios"]["pymc_over_full"] = figures["pymc-marketing"]["seconds"] / full_seconds
        figures["ratios"]["lifetimes_over_full"] = figures["lifetimes"]["seconds"] / full_seconds
    fresh(folder / "passes.duckdb")
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
        lines.append(f"| {label} | " + " | ".join(render(r) for r in results) + " |")

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
    row("daily refresh (s)", lambda r: f"{r['daily_refresh_seconds']:.1f}" if "daily_refresh_seconds" in r else "-")
    for library in ("pymc-marketing", "lifetimes"):
        row(
            f"{library} load + summary (s)",
            lambda r, lib=library: f"{r[lib]['seconds']:.1f}" if lib in r else "-",
        )
    row("peak RSS, full build (GiB)", lambda r: f"{r['ratios']['full_build_peak_rss_gib']:.2f}")
    row("peak RSS, check (GiB)", lambda r: f"{r['ratios']['check_peak_rss_gib']:.2f}")
    row("warehouse file (MB)", lambda r: f"{r['warehouse_bytes'] / 1e6:,.0f}")
    row("full build / bare pass", lambda r: f"{r['ratios']['full_over_bare']:.1f}x")
    for label, key, comparison, limit in TARGETS:
        row(
            f"{label} (target {comparison} {limit:g})",
            lambda r, k=key, c=comparison, lim=limit: (
                f"{r['ratios'][k]:.2f} {verdict(r['ratios'][k], c, lim)}" if k in r["ratios"] else "not measured"
            ),
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets", default="demo,tpcds", help="comma-separated: demo, tpcds, tpcds-sf10 (default demo,tpcds)"
    )
    parser.add_argument("--demo-customers", type=int, default=1_000_000)
    parser.add_argument("--tpcds-scale-factor", type=float, default=1.0)
    parser.add_argument("--sf10", action="store_true", help="also TPC-DS SF10 (about 55 million lines)")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit of every build (default 4GB)")
    parser.add_argument("--work-dir", default=str(PROJECT_ROOT / "target" / "bench"))
    parser.add_argument("--skip-baselines", action="store_true", help="no pymc-marketing / lifetimes")
    parser.add_argument("--skip-daily", action="store_true", help="no daily-refresh figure")
    args = parser.parse_args()
    work = Path(args.work_dir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    names = [n.strip() for n in args.datasets.split(",") if n.strip()] + (["tpcds-sf10"] if args.sf10 else [])
    results = []
    for name in names:
        if name not in ("demo", "tpcds", "tpcds-sf10"):
            parser.error(f"unknown dataset {name!r}")
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
