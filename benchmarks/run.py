"""Benchmark: demo generator and dbt build timings, printed as figures and ratios from one run.

    python benchmarks/run.py [--customers 1000000] [--demo-customers 20000] [--skip-large]

Figures, not assertions: these machines are noisy, so compare the ratios printed by one run
(e.g. 1M customers vs 100k) rather than absolute seconds across runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def _generate(customers: int, out: Path, env: dict[str, str]) -> float:
    elapsed, _ = _timed(
        [
            str(BIN / "python"),
            "-m",
            "segmentation",
            "generate",
            "--customers",
            str(customers),
            "--out",
            str(out),
            "--quiet",
        ],
        env,
    )
    return elapsed


def _order_lines(raw: Path) -> int:
    with (raw / "order_lines.csv").open("rb") as handle:
        return sum(1 for _ in handle) - 1


def _dbt_build(raw: Path, warehouse: Path, env: dict[str, str]) -> float:
    run_env = {**env, "SEGMENTATION_RAW_DIR": str(raw), "SEGMENTATION_DUCKDB": str(warehouse)}
    elapsed, _ = _timed(
        [
            str(BIN / "dbt"),
            "build",
            "--target-path",
            str(warehouse.parent / "target"),
            "--log-path",
            str(warehouse.parent),
        ],
        run_env,
    )
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000, help="large generator run (default 1,000,000)")
    parser.add_argument("--demo-customers", type=int, default=20_000, help="demo size for dbt build (default 20,000)")
    parser.add_argument("--skip-large", action="store_true", help="skip the large generator run")
    args = parser.parse_args()
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    work = Path(tempfile.mkdtemp(prefix="segmentation-bench-"))
    try:
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
        small_customers = max(args.customers // 10, 1000)
        small_time = _generate(small_customers, work / "gen_small", env)
        small_lines = _order_lines(work / "gen_small")
        print(f"generate {small_customers:>9,} customers: {small_time:7.1f} s  ({small_lines:,} order lines)")
        if not args.skip_large:
            large_time = _generate(args.customers, work / "gen_large", env)
            lines = _order_lines(work / "gen_large")
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
            print(f"generate {args.customers:>9,} customers: {large_time:7.1f} s  ({lines:,} order lines)")
            print(f"  generator peak RSS: {peak:.1f} GiB")
            scale = args.customers / small_customers
            print(f"  ratio large/small time: {large_time / small_time:.1f}x for {scale:.0f}x the customers")
            shutil.rmtree(work / "gen_large")
        demo = work / "demo"
        _generate(args.demo_customers, demo, env)
        demo_time = _dbt_build(demo, work / "demo_wh" / "w.duckdb", env)
        print(f"dbt build, {args.demo_customers:,} customers ({_order_lines(demo):,} order lines): {demo_time:.1f} s")
        demo_warehouse = work / "demo_wh" / "w.duckdb"
        check_env = {**env, "SEGMENTATION_RAW_DIR": str(demo), "SEGMENTATION_DUCKDB": str(demo_warehouse)}
        check_args = ["-m", "segmentation", "check", "--docs-dir", str(work / "dq")]
        check_time, _ = _timed([str(BIN / "python"), *check_args], check_env)
        print(f"python -m segmentation check (GE, raw files + marts), same data: {check_time:.1f} s")
        double = work / "demo2"
        _generate(args.demo_customers * 5, double, env)
        double_time = _dbt_build(double, work / "demo2_wh" / "w.duckdb", env)
        double_lines = _order_lines(double)
        print(f"dbt build, {args.demo_customers * 5:,} customers ({double_lines:,} order lines): {double_time:.1f} s")
        print(f"  ratio 5x data / 1x data build time: {double_time / demo_time:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
