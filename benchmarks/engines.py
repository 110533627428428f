"""Benchmark: the same dataset built on DuckDB, PostgreSQL and Spark, as figures and ratios to
DuckDB from one run (start PostgreSQL first: make postgres-start; Spark runs in-process).

    python benchmarks/engines.py [--customers 2000] [--engines dev,postgres,spark]

Each engine: load the raw files (PostgreSQL, Spark: python -m segmentation load-raw), then
`dbt build --full-refresh` (models, unit tests, data tests) and `dbt run` alone, at the end of
the data. Figures, not assertions: these machines are noisy, compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from run import BIN, PROJECT_ROOT, _generate, _timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=2000, help="customers of the dataset (default 2,000)")
    parser.add_argument("--engines", default="dev,postgres,spark", help="targets of profiles.yml, in order")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="segmentation-engines-"))
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    try:
        raw = work / "raw"
        _generate(args.customers, raw, env)
        env = {
            **env,
            "SEGMENTATION_RAW_DIR": str(raw),
            "SEGMENTATION_DUCKDB": str(work / "w.duckdb"),
            "SEGMENTATION_SPARK_DIR": str(work / "spark"),
            "SEGMENTATION_AS_OF_DATE": "2026-09-30",
        }
        print(f"machine: {os.cpu_count()} cores; dataset: {args.customers:,} generated customers")
        print(f"{'target':<10} {'load raw':>9} {'dbt build':>10} {'dbt run':>8}  ratios to DuckDB (build, run)")
        reference: tuple[float, float] | None = None
        for target in args.engines.split(","):
            load = 0.0
            if target != "dev":
                load, _ = _timed([str(BIN / "python"), "-m", "segmentation", "load-raw", "--target", target], env)
            paths = ["--target", target, "--target-path", str(work / target), "--log-path", str(work / target)]
            build, _ = _timed([str(BIN / "dbt"), "build", "--full-refresh", *paths], env)
            run, _ = _timed([str(BIN / "dbt"), "run", *paths], env)
            reference = reference or (build, run)
            print(
                f"{target:<10} {load:>8.1f}s {build:>9.1f}s {run:>7.1f}s  "
                f"{build / reference[0]:.1f}x, {run / reference[1]:.1f}x"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
