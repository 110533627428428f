"""Command line: ``python -m segmentation <command>``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path


def _generate(args: argparse.Namespace) -> int:
    from segmentation.generator import generate
    from segmentation.raw_folder import ForeignFilesError, is_incomplete, raw_files

    out = Path(args.out)
    if args.skip_if_raw_files and raw_files(out) and not is_incomplete(out):
        print(f"raw files found in {out}: not generating demo data")
        return 0
    if args.only_into and out.resolve() != Path(args.only_into).resolve():
        print(
            f"no raw files in {out}. Demo data is generated here only into {args.only_into}; for a demo "
            f"elsewhere run: make demo-data SEGMENTATION_RAW_DIR={out}",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    try:
        result = generate(
            customers=args.customers,
            seed=args.seed,
            out_dir=out,
            file_format=args.format,
            end_date=args.end_date,
            defect_share=args.defect_share,
            show_progress=not args.quiet,
        )
    except ForeignFilesError as error:
        print(error, file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    for name, rows in result.row_counts.items():
        print(f"{name:>18}: {rows:>12,} rows")
    planted = sum(rows for _, _, rows in result.planted)
    print(f"planted {planted:,} defective rows in {len(result.planted)} classes")
    print(f"wrote {args.out} in {elapsed:.1f} s")
    return 0


def _load(args: argparse.Namespace) -> int:
    from segmentation.raw_folder import ForeignFilesError

    if args.dataset == "tpcds":
        return _load_tpcds(args)
    from segmentation.loaders.cdnow import load_cdnow

    if args.scale_factor is not None:
        print("--scale-factor is for tpcds only", file=sys.stderr)
        return 2
    try:
        result = load_cdnow(
            Path(args.out), Path(args.source) if args.source else None, args.format or "csv", args.sample
        )
    except (ForeignFilesError, FileNotFoundError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    for name, rows in result.row_counts.items():
        print(f"{name:>18}: {rows:>12,} rows")
    print(
        f"wrote {args.out} from {result.source}; the data end on {result.as_of_date} (the as-of date make build uses)"
    )
    return 0


def _load_tpcds(args: argparse.Namespace) -> int:
    from segmentation.loaders.tpcds import load_tpcds
    from segmentation.raw_folder import ForeignFilesError

    if args.source or args.sample:
        print("--source and --sample are for cdnow only", file=sys.stderr)
        return 2
    try:
        scale_factor = 1.0 if args.scale_factor is None else args.scale_factor
        result = load_tpcds(Path(args.out), scale_factor, args.format or "parquet", args.memory_limit)
    except (ForeignFilesError, ValueError, RuntimeError) as error:
        print(error, file=sys.stderr)
        return 2
    for name, rows in result.row_counts.items():
        print(f"{name:>18}: {rows:>12,} rows")
    print(f"wrote {args.out} in {result.seconds:.1f} s; the data end on {result.as_of_date}")
    return 0


def _load_raw(args: argparse.Namespace) -> int:
    from segmentation.targets import load_raw, load_target

    target = load_target(args.target)
    raw_dir = Path(args.raw_dir or os.environ.get("SEGMENTATION_RAW_DIR", "data/raw"))
    started = time.perf_counter()
    try:
        counts = load_raw(target, raw_dir)
    except (FileNotFoundError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    for name, rows in counts.items():
        print(f"{'raw.' + name:>22}: {rows:>12,} rows")
    print(f"loaded {raw_dir} into target {target.name} ({target.type}) in {time.perf_counter() - started:.1f} s")
    return 0


# exit code of export, report and summary refusing a build database whose last build or check failed
EXIT_NOT_A_GOOD_BUILD = 1
IDENTIFIERS_HINT = (
    "export the published marts with export marts --serving (the CRM and audience exports read identifiers "
    "of the build database, which the published version does not hold)"
)


def _refused(target, hint: str | None = None) -> bool:
    """True (and the reason on stderr) when the target's build database comes from a failed or
    unfinished build or a failed check (ADR 0020); a note when it was not checked since."""
    from segmentation.outcomes import SERVING_HINT, NotAGoodBuild, check_target

    try:
        note = check_target(target, hint or SERVING_HINT)
    except NotAGoodBuild as error:
        print(error, file=sys.stderr)
        return True
    if note:
        print(note, file=sys.stderr)
    return False


def _serving_target(args: argparse.Namespace):
    """With --serving: the published serving file (DuckDB) as a target; else None."""
    from segmentation.serving import serving_dir_default, serving_file
    from segmentation.targets import Target

    if not getattr(args, "serving", False):
        return None
    folder = Path(args.serving_dir) if getattr(args, "serving_dir", None) else serving_dir_default()
    served = serving_file(folder)
    if not served.exists():
        raise FileNotFoundError(f"nothing is published at {served}: run python -m segmentation refresh or publish")
    return Target("serving", "duckdb", {"path": str(served)})


def _output_target(args: argparse.Namespace, hint: str | None = None):
    """(target, exit code): the published version with --serving, else the chosen target if its
    last build and check succeeded; exit code None when the command may go on."""
    try:
        served = _serving_target(args)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return None, 2
    if served is not None:
        return served, None
    target = _chosen_target(args)
    if target.type == "duckdb" and not Path(target.settings["path"]).exists():
        print(f"no warehouse at {target.settings['path']}: run `make build` first", file=sys.stderr)
        return None, 1
    if _refused(target, hint):
        return None, EXIT_NOT_A_GOOD_BUILD
    return target, None


def _export(args: argparse.Namespace) -> int:
    from segmentation.export import export_marts

    if args.what != "marts":
        if args.serving:
            print(
                "--serving is for export marts: the CRM and audience exports read identifiers of the build "
                "database, which the published version does not hold",
                file=sys.stderr,
            )
            return 2
        target, refused = _output_target(args, IDENTIFIERS_HINT)
        if refused is not None:
            return refused
        return _export_activation(args, target)
    target, refused = _output_target(args)
    if refused is not None:
        return refused
    counts = export_marts(target, Path(args.out))
    for mart, rows in counts.items():
        print(f"{'marts.' + mart:>28}: {rows:>10,} rows")
    print(f"exported the marts of target {target.name} ({target.type}) to {args.out}")
    return 0


def _export_activation(args: argparse.Namespace, target) -> int:
    from segmentation.activation import write_audiences, write_crm_export
    from segmentation.contract import dbt_vars

    try:
        if args.what == "crm":
            if not args.channel:
                print("export crm needs --channel email or --channel sms", file=sys.stderr)
                return 2
            only = [name.strip() for name in args.segmentations.split(",")] if args.segmentations else None
            written = write_crm_export(target, args.channel, Path(args.out), args.delta, args.as_of_date, only)
        else:
            country_code = str(dbt_vars().get("phone_country_code", "33"))
            written = write_audiences(target, args.segmentation, Path(args.out), country_code, args.as_of_date)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    for name, rows in written.items():
        print(f"{name:>60}: {rows:>10,} rows")
    print(f"exported {args.what} files of target {target.name} ({target.type}) to {args.out}")
    return 0


def _as_of(args: argparse.Namespace) -> int:
    from segmentation.raw_folder import MANIFEST_NAME, recorded_as_of_date

    configured = os.environ.get("SEGMENTATION_AS_OF_DATE", "").strip()
    raw_dir = Path(args.raw_dir or os.environ.get("SEGMENTATION_RAW_DIR", "data/raw"))
    recorded = recorded_as_of_date(raw_dir)
    if configured:
        value, why = configured, "SEGMENTATION_AS_OF_DATE"
    elif recorded:
        value, why = recorded, f"end of the data recorded in {raw_dir / MANIFEST_NAME}"
    else:
        value, why = _latest_data_date(raw_dir)
    if args.explain:
        print(f"as_of_date: {value or dt.date.today().isoformat()} ({why})", file=sys.stderr)
    print(value)
    return 0


def _unreadable_build_or_extract(warehouse) -> str | None:
    """Why the checks cannot run on a DuckDB build: no marts built yet, or an extract the reader
    refuses (the checks read the raw files too)."""
    import duckdb

    from segmentation.inputs.problems import ExtractError
    from segmentation.inputs.reading import project_plan

    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        marts = connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts'"
        ).fetchone()[0]
    if not marts:
        return f"no build in {warehouse.path}: run dbt build first"
    try:
        project_plan(warehouse.raw_dir)
    except ExtractError as error:
        return f"check: {error}"
    return None


def _extract_readings(warehouse_path: Path) -> list[str]:
    """What the last build detected or was told for each raw file (raw.extract_readings), a line per file."""
    import duckdb

    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        tables = connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?",
            ["extract_readings"],
        ).fetchone()[0]
        if not tables:
            return []
        rows = connection.execute(
            "select file_name, string_agg(setting || coalesce(' ' || nullif(column_name, ''), '') || ': ' || value"
            " || ' (' || decided_by || ')', '; ' order by setting, column_name)"
            " from raw.extract_readings where setting <> 'file' group by file_name order by file_name"
        ).fetchall()
    return [f"read {file_name}: {details}" for file_name, details in rows]


def _latest_data_date(raw_dir: Path) -> tuple[str, str]:
    """The last day of orders or marketing events of the extract, or nothing (dbt then uses the
    run date, and reports what stops the reading of the extract)."""
    from segmentation.inputs.problems import ExtractError
    from segmentation.inputs.reading import project_plan

    try:
        latest = project_plan(raw_dir).latest_data_date if raw_dir.is_dir() else None
    except ExtractError:
        latest = None
    if latest:
        return latest, f"last day of data (orders, payments, events, customer records) in {raw_dir}"
    return "", "not set: dbt uses the run date"


def _chosen_target(args: argparse.Namespace):
    """The profiles.yml target of --target (default $SEGMENTATION_TARGET); --warehouse names the
    DuckDB file of a duckdb target."""
    from segmentation.targets import Target, load_target

    target = load_target(args.target)
    if target.type == "duckdb" and getattr(args, "warehouse", None):
        target = Target(target.name, target.type, {**target.settings, "path": args.warehouse})
    return target


def _summary(args: argparse.Namespace) -> int:
    from segmentation.summary import parse_as_of_date, summarize

    try:
        as_of_date = parse_as_of_date(os.environ.get("SEGMENTATION_AS_OF_DATE"))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    target, refused = _output_target(args)
    if refused is not None:
        return refused
    print(summarize(target, as_of_date))
    from segmentation.serving import read_version, serving_dir_default, serving_file

    served = serving_file(serving_dir_default()).resolve()
    if target.type == "duckdb" and served.exists():
        version = read_version(served)
        print(
            f"\nBI tools read the published marts (as of {version.as_of_date}, {version.name}), never the build "
            f"database above:\n  python -c \"import duckdb; print(duckdb.connect('{served}', read_only=True)"
            f".sql('select * from marts.segment_summary limit 5'))\"\n  DBeaver / Metabase / Superset: DuckDB, "
            f"file {served}, read-only (README, Serving)."
        )
    return 0


def _check(args: argparse.Namespace) -> int:
    import yaml

    from segmentation.outcomes import now, record_check
    from segmentation.quality.offline_docs import write_offline_docs
    from segmentation.quality.runner import run_checks
    from segmentation.quality.sources import DuckDBWarehouse, PostgresWarehouse

    target = _chosen_target(args)
    if target.type == "duckdb":
        warehouse = DuckDBWarehouse(
            path=Path(target.settings["path"]),
            raw_dir=Path(args.raw_dir or os.environ.get("SEGMENTATION_RAW_DIR", "data/raw")),
            settings=dict(target.settings.get("settings") or {}),
        )
    elif target.type == "postgres":
        warehouse = PostgresWarehouse(target)
    else:
        print(
            f"check runs on DuckDB and PostgreSQL; on {target.type} the dbt tests are the data-quality gate "
            "(Great Expectations' Spark engine needs pyspark < 4.2, dbt-spark runs 4.3)",
            file=sys.stderr,
        )
        return 2
    if not warehouse.exists():
        print(f"no warehouse at {getattr(warehouse, 'path', target.name)}: run dbt build first", file=sys.stderr)
        return 2
    started_at = now()
    if target.type == "duckdb":
        problem = _unreadable_build_or_extract(warehouse)
        if problem:
            print(problem, file=sys.stderr)
            if not problem.startswith("no build"):
                record_check(target, uuid.uuid4().hex[:12], started_at, ["the raw extract cannot be read"])
            return 1
        for line in _extract_readings(warehouse.path):
            print(line)
    variables = yaml.safe_load(args.vars) if args.vars else None
    report = run_checks(
        warehouse,
        Path(args.docs_dir),
        variables,
        set(args.suite) if args.suite else None,
        changed_only=args.changed_only,
    )
    for outcome in report.outcomes:
        if not outcome.success or outcome.severity == "info" or args.verbose:
            print(outcome.message)
    checked = [o for o in report.outcomes if o.severity != "info"]
    passed = sum(1 for o in checked if o.success)
    print(
        f"data quality: {len(checked)} expectations, {passed} passed, {len(report.warnings)} warnings, "
        f"{len(report.errors)} errors, {len(report.notes)} notes (inputs not supplied, rows checked) "
        f"(run {report.run_id}, quarantine.dq_results)"
    )
    if report.docs_index:
        print(f"Data Docs: {report.docs_index.resolve()}")
    offline = write_offline_docs(report, Path(args.docs_dir))
    print(f"Data quality page (offline, self-contained): {offline.resolve()}")
    # export, report, summary and publish refuse the marts of a failed check (ADR 0020)
    failed = [f"{outcome.data_asset}.{outcome.expectation}" for outcome in report.errors]
    try:
        record_check(target, report.run_id, started_at, failed)
    except Exception as error:  # the check's verdict stands; say it was not recorded
        print(f"the check outcome could not be recorded in quarantine.run_outcomes: {error}", file=sys.stderr)
        return 1
    return 1 if report.errors else 0


def _raw_dir(args: argparse.Namespace) -> Path:
    return Path(args.raw_dir or os.environ.get("SEGMENTATION_RAW_DIR", "data/raw"))


def _build_database(args: argparse.Namespace) -> Path:
    return Path(args.warehouse or os.environ.get("SEGMENTATION_DUCKDB", "segmentation.duckdb"))


def _refresh(args: argparse.Namespace) -> int:
    from segmentation.raw_folder import recorded_as_of_date
    from segmentation.refresh import RefreshSettings, refresh
    from segmentation.serving import serving_dir_default
    from segmentation.summary import parse_as_of_date

    raw_dir = _raw_dir(args)
    configured = os.environ.get("SEGMENTATION_AS_OF_DATE", "").strip()
    try:
        parse_as_of_date(configured)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if args.keep < 1:
        print("--keep must be at least 1", file=sys.stderr)
        return 2
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    settings = RefreshSettings(
        raw_dir=raw_dir,
        build_database=_build_database(args),
        serving_dir=Path(args.serving_dir) if args.serving_dir else serving_dir_default(),
        keep=args.keep,
        wait_seconds=args.wait,
        log_dir=Path(args.log_dir) / stamp,
        target=args.target or os.environ.get("SEGMENTATION_TARGET") or "dev",
        as_of_date=configured or recorded_as_of_date(raw_dir) or "",
    )
    return refresh(settings)


def _docs(args: argparse.Namespace) -> int:
    from segmentation.docs_site import generate, serve

    target = args.target or os.environ.get("SEGMENTATION_TARGET") or "dev"
    out_dir = Path(args.out_dir)
    try:
        page = generate(out_dir, target, Path(args.warehouse) if args.warehouse else None, _raw_dir(args))
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"docs site (one file, works offline): {page.resolve()}")
    if not args.no_serve:
        serve(out_dir, args.port)
    return 0


def _report(args: argparse.Namespace) -> int:
    from segmentation.report import write_report

    target, refused = _output_target(args)
    if refused is not None:
        return refused
    try:
        as_of = write_report(target, Path(args.out))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"wrote {args.out}: the segments of target {target.name} ({target.type}) as of {as_of}")
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from segmentation.backfill import BackfillSettings, backfill

    log_dir = Path(args.log_dir)
    settings = BackfillSettings(
        start=args.start,
        end=args.end,
        every=args.every,
        raw_dir=_raw_dir(args),
        build_database=_build_database(args),
        target=args.target or os.environ.get("SEGMENTATION_TARGET") or "dev",
        log_dir=log_dir,
        state_file=log_dir / "state.json",
        redo=args.redo,
    )
    return backfill(settings)


def _publish(args: argparse.Namespace) -> int:
    from segmentation.refresh import Locked, refresh_lock
    from segmentation.serving import (
        PublishError,
        current_version,
        publish,
        publish_postgres,
        rollback,
        rollback_postgres,
        serving_dir_default,
        versions,
    )
    from segmentation.targets import Target, connect, load_target

    serving_dir = Path(args.serving_dir) if args.serving_dir else serving_dir_default()
    target = load_target(args.target)
    if target.type not in ("duckdb", "postgres"):
        print(
            f"publish serves DuckDB and PostgreSQL builds; on {target.type} BI reads the marts schema", file=sys.stderr
        )
        return 2
    if args.list and target.type == "duckdb":
        serving = current_version(serving_dir)
        for path in versions(serving_dir):
            print(f"{'*' if path == serving else ' '} {path}")
        return 0
    if not args.rollback:
        checked = target
        if target.type == "duckdb":
            checked = Target(target.name, target.type, {**target.settings, "path": str(_build_database(args))})
            if not Path(checked.settings["path"]).is_file():
                print(f"no build database at {checked.settings['path']}: run dbt build first", file=sys.stderr)
                return 5
        if _refused(checked, "keep serving the version published now"):
            return 5
    try:
        with refresh_lock(serving_dir, args.wait):
            if target.type == "postgres":
                with connect(target, read_only=False) as warehouse:
                    act = rollback_postgres if args.rollback else lambda c: publish_postgres(c, args.keep)
                    version = act(warehouse.connection)
                where = f"schema serving of target {target.name}"
            else:
                version = (
                    rollback(serving_dir)
                    if args.rollback
                    else publish(
                        _build_database(args), serving_dir, args.keep, duckdb_settings=target.settings.get("settings")
                    )
                )
                where = str(serving_dir / "segmentation.duckdb")
    except Locked as error:
        print(f"{error}; try again later or pass --wait SECONDS", file=sys.stderr)
        return 4
    except PublishError as error:
        print(error, file=sys.stderr)
        return 5
    print(f"serving {version.name} (as of {version.as_of_date}) at {where}")
    return 0


def _remove_date(args: argparse.Namespace) -> int:
    from segmentation.refresh import Locked, refresh_lock
    from segmentation.remove_date import RemoveDateError, remove_date
    from segmentation.serving import PublishError, serving_dir_default
    from segmentation.summary import parse_as_of_date

    try:
        removed = parse_as_of_date(args.date)
    except ValueError as error:
        print(str(error).replace("SEGMENTATION_AS_OF_DATE", "the date"), file=sys.stderr)
        return 2
    if removed is None:
        print("remove-date needs a date, YYYY-MM-DD", file=sys.stderr)
        return 2
    target = _chosen_target(args)
    if target.type not in ("duckdb", "postgres"):
        print(f"remove-date edits DuckDB and PostgreSQL builds, not {target.type}", file=sys.stderr)
        return 2
    if target.type == "duckdb" and not Path(target.settings["path"]).is_file():
        print(f"no build database at {target.settings['path']}", file=sys.stderr)
        return 2
    serving_dir = Path(args.serving_dir) if args.serving_dir else serving_dir_default()
    try:
        with refresh_lock(serving_dir, args.wait):
            removal = remove_date(
                target, serving_dir if target.type == "duckdb" else None, removed, args.force, args.keep
            )
    except Locked as error:
        print(f"{error}; try again later or pass --wait SECONDS", file=sys.stderr)
        return 4
    except (RemoveDateError, PublishError) as error:
        print(error, file=sys.stderr)
        return 1
    for table, rows in removal.table_rows.items():
        print(f"{table:>45}: {rows:>10,} rows removed")
    where = target.settings["path"] if target.type == "duckdb" else f"target {target.name}"
    total = sum(removal.table_rows.values())
    print(
        f"removed as-of date {removed} from the build database {where}: "
        f"{total:,} rows in {len(removal.table_rows)} tables"
    )
    if removal.migration_gap:
        before, after = removal.migration_gap
        print(
            f"segment_migrations has no pair from {before} to {after} now: "
            f"SEGMENTATION_AS_OF_DATE={after} dbt build --select segment_migrations builds it"
        )
    if removal.version is not None:
        print(
            f"serving {removal.version.name} (as of {removal.version.as_of_date}), "
            f"the published marts without {removed}"
        )
    for path in removal.deleted_versions:
        print(f"deleted published version {path.name}, which held {removed}")
    if target.type == "postgres":
        print("PostgreSQL serving: run python -m segmentation publish to serve the marts without it")
    return 0


def _add_serving_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--serving",
        action="store_true",
        help="read the published version (DuckDB serving file) instead of the build database; without it "
        "the build database is refused when its last dbt build or data-quality check failed",
    )
    parser.add_argument(
        "--serving-dir", help="serving folder of --serving (default $SEGMENTATION_SERVING_DIR or serving)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m segmentation", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write a deterministic demo dataset of raw files")
    generate.add_argument("--customers", type=int, default=20_000, help="people to generate (default 20000)")
    generate.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    generate.add_argument("--out", default="data/raw", help="folder for the raw files (default data/raw)")
    generate.add_argument(
        "--format",
        choices=("csv", "parquet", "excel-fr"),
        default="csv",
        help="file format (default csv; excel-fr: as a French Excel saves CSV: cp1252, ';', decimal comma, dd/mm/yyyy)",
    )
    generate.add_argument(
        "--end-date",
        type=dt.date.fromisoformat,
        default=dt.date(2026, 9, 30),
        help="last day of the generated history, YYYY-MM-DD (default 2026-09-30)",
    )
    generate.add_argument(
        "--defect-share", type=float, default=0.002, help="share of rows damaged per defect class (default 0.002)"
    )
    generate.add_argument("--quiet", action="store_true", help="no progress bar")
    generate.add_argument(
        "--skip-if-raw-files",
        action="store_true",
        help="do nothing when the folder already holds .csv, .csv.gz or .parquet files (unless they are "
        "this tool's own interrupted output, which is then completed)",
    )
    generate.add_argument(
        "--only-into",
        metavar="DIR",
        help="with --skip-if-raw-files: generate only when --out is DIR; another folder without raw files is an error",
    )
    generate.set_defaults(handler=_generate)

    load = commands.add_parser("load", help="write a public dataset as raw files (cdnow, tpcds)")
    load.add_argument(
        "dataset",
        choices=("cdnow", "tpcds"),
        help="cdnow: the CDNOW transaction log (1997-01 to 1998-06); tpcds: TPC-DS generated at --scale-factor",
    )
    load.add_argument("--out", required=True, help="folder for the raw files (empty, or written by this tool)")
    load.add_argument("--source", help="cdnow: CDNOW_master.txt (default: the copy in the installed lifetimes package)")
    load.add_argument(
        "--format", choices=("csv", "parquet"), help="file format (default csv for cdnow, parquet for tpcds)"
    )
    load.add_argument(
        "--sample",
        action="store_true",
        help="cdnow: only the 2,357 customers of the published BG/NBD analyses (the ids of CDNOW_sample.txt)",
    )
    load.add_argument(
        "--scale-factor",
        type=float,
        help="tpcds: the TPC-DS scale factor (default 1: about 100,000 customers, 5.5 million lines)",
    )
    load.add_argument("--memory-limit", default="4GB", help="tpcds: DuckDB memory limit of the generator (default 4GB)")
    load.set_defaults(handler=_load)

    load_raw = commands.add_parser(
        "load-raw", help="copy the raw files into the raw schema of another warehouse (PostgreSQL, Spark)"
    )
    load_raw.add_argument("--target", help="profiles.yml target (default $SEGMENTATION_TARGET)")
    load_raw.add_argument("--raw-dir", help="raw files (default $SEGMENTATION_RAW_DIR or data/raw)")
    load_raw.set_defaults(handler=_load_raw)

    export = commands.add_parser(
        "export",
        help="marts: the BI marts as Parquet files (sorted by key); crm: segments per source record for a CRM, "
        "consenting records only (--delta: what changed since the last export); audience: hashed emails and "
        "phones per segment for ad platforms (Google, Meta), consenting customers only",
    )
    export.add_argument("what", nargs="?", choices=("marts", "crm", "audience"), default="marts")
    export.add_argument("--target", help="profiles.yml target (default $SEGMENTATION_TARGET)")
    export.add_argument("--warehouse", help="DuckDB file of a duckdb target (default $SEGMENTATION_DUCKDB)")
    export.add_argument("--out", required=True, help="folder for the files")
    export.add_argument("--channel", choices=("email", "sms"), help="crm: the channel whose consent is required")
    export.add_argument("--delta", action="store_true", help="crm: also write the rows changed since the last export")
    export.add_argument(
        "--segmentations",
        help="crm: only these segmentations, comma-separated (default every enabled one); the delta compares them only",
    )
    export.add_argument(
        "--as-of-date", help="crm, audience: an as-of date the fact holds (default its latest; consent is today's)"
    )
    export.add_argument(
        "--segmentation", default="rfm", help="audience: one file per segment of this segmentation (default rfm)"
    )
    _add_serving_arguments(export)
    export.set_defaults(handler=_export)

    as_of = commands.add_parser(
        "as-of",
        help="print the as_of_date to build: $SEGMENTATION_AS_OF_DATE, else the end date recorded with "
        "demo or loaded data, else nothing (dbt then uses the run date)",
    )
    as_of.add_argument("--raw-dir", help="raw files (default $SEGMENTATION_RAW_DIR or data/raw)")
    as_of.add_argument("--explain", action="store_true", help="also say on stderr where the date comes from")
    as_of.set_defaults(handler=_as_of)

    check = commands.add_parser("check", help="run the Great Expectations suites on raw files and marts")
    check.add_argument("--target", help="profiles.yml target: DuckDB or PostgreSQL (default $SEGMENTATION_TARGET)")
    check.add_argument("--warehouse", help="DuckDB file (default $SEGMENTATION_DUCKDB or segmentation.duckdb)")
    check.add_argument("--raw-dir", help="raw files (default $SEGMENTATION_RAW_DIR or data/raw)")
    check.add_argument(
        "--docs-dir",
        default=os.environ.get("SEGMENTATION_DQ_DIR", "target/data_quality"),
        help="where the GE project and its Data Docs go (default $SEGMENTATION_DQ_DIR or target/data_quality)",
    )
    check.add_argument("--suite", action="append", help="run only this suite (or suite file: raw, marts); repeatable")
    check.add_argument("--vars", help='dbt vars as YAML, e.g. "{rfm_tiles: 4}" (default: dbt_project.yml)')
    check.add_argument("--verbose", action="store_true", help="print passing expectations too")
    check.add_argument(
        "--changed-only",
        action="store_true",
        help="raw files: only the rows of the keys the last build re-parsed (a scheduled refresh; DuckDB)",
    )
    check.set_defaults(handler=_check)

    refresh = commands.add_parser(
        "refresh",
        help="what a scheduler runs: lock, dbt build, freshness, data-quality checks, then publish the marts "
        "to the serving database only if all passed (exit 0 published, 1 build failed, 3 checks failed, "
        "4 locked, 5 publish failed)",
    )
    refresh.add_argument(
        "--target", help="profiles.yml target: dev (DuckDB) or postgres (default $SEGMENTATION_TARGET)"
    )
    refresh.add_argument("--raw-dir", help="raw files (default $SEGMENTATION_RAW_DIR or data/raw)")
    refresh.add_argument("--warehouse", help="build database (default $SEGMENTATION_DUCKDB or segmentation.duckdb)")
    refresh.add_argument("--serving-dir", help="serving folder (default $SEGMENTATION_SERVING_DIR or serving)")
    refresh.add_argument("--keep", type=int, default=5, help="published versions kept (default 5)")
    refresh.add_argument(
        "--wait", type=float, default=0, help="seconds to wait for a running refresh (default 0: exit 4 at once)"
    )
    refresh.add_argument("--log-dir", default="target/refresh", help="step logs, one folder per run (target/refresh)")
    refresh.set_defaults(handler=_refresh)

    docs = commands.add_parser(
        "docs",
        help="generate the dbt docs site with the warehouse's catalog as one offline file and serve it on "
        "127.0.0.1 (overview, lineage, owners, every model and column)",
    )
    docs.add_argument("--target", help="profiles.yml target (default $SEGMENTATION_TARGET)")
    docs.add_argument("--warehouse", help="DuckDB file of the dev target (default $SEGMENTATION_DUCKDB)")
    docs.add_argument("--raw-dir", help="raw files (default $SEGMENTATION_RAW_DIR or data/raw)")
    docs.add_argument("--out-dir", default="target/docs", help="where the site goes (default target/docs)")
    docs.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (default 8080)")
    docs.add_argument("--no-serve", action="store_true", help="only generate the file")
    docs.set_defaults(handler=_docs)

    report = commands.add_parser(
        "report",
        help="write one self-contained HTML file (inline SVG charts, nothing fetched) of the segment marts: sizes, "
        "RFM grid, Pareto curve, migrations, predictions, channel and category mix, pressure, actions",
    )
    report.add_argument("--out", default="target/report.html", help="the HTML file (default target/report.html)")
    report.add_argument("--target", help="profiles.yml target (default $SEGMENTATION_TARGET)")
    report.add_argument(
        "--warehouse", help="DuckDB file: the build database or a serving file (default $SEGMENTATION_DUCKDB)"
    )
    _add_serving_arguments(report)
    report.set_defaults(handler=_report)

    backfill = commands.add_parser(
        "backfill",
        help="build past as-of dates oldest first (history: fct_segment_changes, segment_summary, segment_migrations); "
        "resumable: dates already built into the same warehouse are skipped",
    )
    backfill.add_argument("--start", type=dt.date.fromisoformat, required=True, help="first as-of date, YYYY-MM-DD")
    backfill.add_argument("--end", type=dt.date.fromisoformat, required=True, help="last as-of date, YYYY-MM-DD")
    backfill.add_argument(
        "--every", choices=("day", "week", "month"), default="month", help="step between dates (default month)"
    )
    backfill.add_argument(
        "--target", help="profiles.yml target: dev (DuckDB) or postgres (default $SEGMENTATION_TARGET)"
    )
    backfill.add_argument("--raw-dir", help="raw files (default $SEGMENTATION_RAW_DIR or data/raw)")
    backfill.add_argument("--warehouse", help="build database (default $SEGMENTATION_DUCKDB or segmentation.duckdb)")
    backfill.add_argument(
        "--log-dir", default="target/backfill", help="dbt logs per date and the state file (default target/backfill)"
    )
    backfill.add_argument("--redo", action="store_true", help="build every date again, even those already built")
    backfill.set_defaults(handler=_backfill)

    publish = commands.add_parser(
        "publish", help="copy the marts of the build database to a new serving version and serve it (or roll back)"
    )
    publish.add_argument(
        "--target", help="profiles.yml target: dev (DuckDB) or postgres (default $SEGMENTATION_TARGET)"
    )
    publish.add_argument("--warehouse", help="build database (default $SEGMENTATION_DUCKDB or segmentation.duckdb)")
    publish.add_argument("--serving-dir", help="serving folder (default $SEGMENTATION_SERVING_DIR or serving)")
    publish.add_argument("--keep", type=int, default=5, help="published versions kept (default 5)")
    publish.add_argument("--wait", type=float, default=0, help="seconds to wait for a running refresh (default 0)")
    publish.add_argument("--rollback", action="store_true", help="serve the version published before the current one")
    publish.add_argument("--list", action="store_true", help="list the versions kept, * = served")
    publish.set_defaults(handler=_publish)

    remove = commands.add_parser(
        "remove-date",
        help="remove a built as-of date from the build database's history (every dated table) and from the "
        "published history (a new serving version without it); refuses the date the current marts describe "
        "unless --force",
    )
    remove.add_argument("date", help="the as-of date, YYYY-MM-DD")
    remove.add_argument("--target", help="profiles.yml target: dev (DuckDB) or postgres (default $SEGMENTATION_TARGET)")
    remove.add_argument("--warehouse", help="build database (default $SEGMENTATION_DUCKDB or segmentation.duckdb)")
    remove.add_argument("--serving-dir", help="serving folder (default $SEGMENTATION_SERVING_DIR or serving)")
    remove.add_argument("--keep", type=int, default=5, help="published versions kept (default 5)")
    remove.add_argument("--wait", type=float, default=0, help="seconds to wait for a running refresh (default 0)")
    remove.add_argument(
        "--force",
        action="store_true",
        help="remove it even when the current marts or the published version describe it",
    )
    remove.set_defaults(handler=_remove_date)

    convert = commands.add_parser(
        "convert-history",
        help="once, on a warehouse built before the history became a change log (docs/decisions/0023): "
        "its per-date fct_customer_segments becomes marts.fct_segment_changes; the former tables are "
        "copied to the archive schema",
    )
    convert.add_argument("--target", help="profiles.yml target: dev or postgres (default $SEGMENTATION_TARGET)")
    convert.add_argument("--warehouse", help="build database (default $SEGMENTATION_DUCKDB or segmentation.duckdb)")
    convert.set_defaults(handler=_convert_history)

    summary = commands.add_parser("summary", help="where the warehouse is, table sizes and an example query")
    summary.add_argument("--target", help="profiles.yml target (default $SEGMENTATION_TARGET)")
    summary.add_argument("--warehouse", help="DuckDB file (default $SEGMENTATION_DUCKDB or segmentation.duckdb)")
    _add_serving_arguments(summary)
    summary.set_defaults(handler=_summary)
    return parser


def _convert_history(args: argparse.Namespace) -> int:
    from segmentation.history import convert_history

    try:
        conversion = convert_history(_chosen_target(args))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if conversion is None:
        print("nothing to convert: no per-date fct_customer_segments, or marts.fct_segment_changes exists already")
        return 0
    for table, rows in conversion.archived.items():
        print(f"{table:>45}: {rows:>10,} rows kept")
    print(
        f"marts.fct_segment_changes: {conversion.change_rows:,} change rows for {len(conversion.dates)} as-of dates "
        f"({conversion.dates[0]} to {conversion.dates[-1]}); the next build continues it"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
