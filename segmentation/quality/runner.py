"""Runs the suites with Great Expectations, records results in quarantine.dq_results and builds Data Docs."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from segmentation.contract import load_contract
from segmentation.quality.sources import Batch, DuckDBWarehouse, PostgresWarehouse, SqlSource
from segmentation.quality.suites import SHADOW_SUFFIXES, ExpectationSpec, SuiteSpec, load_suites


@dataclass(frozen=True)
class Outcome:
    """One expectation's result: a row of quarantine.dq_results."""

    run_id: str
    run_at: dt.datetime
    suite: str
    data_asset: str
    expectation: str
    column_name: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    element_count: int | None
    observed_value: str | None
    message: str


@dataclass
class CheckReport:
    """All outcomes of one run, and where its Data Docs are."""

    run_id: str
    outcomes: list[Outcome]
    docs_index: Path | None

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def notes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.severity == "info"]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warn"]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(o) for o in self.outcomes])


def _class_name(expectation_type: str) -> str:
    return "".join(part.capitalize() for part in expectation_type.split("_"))


def _asset_name(suite: SuiteSpec) -> str:
    return f"raw.{suite.table}" if suite.table else suite.name.replace("_", ".", 1)


def _message(asset: str, spec: ExpectationSpec, success: bool, result: dict[str, Any]) -> str:
    verdict = "ok" if success else spec.severity.upper()
    where = f"{asset}.{spec.column}" if spec.column else asset
    if result.get("element_count") == 0:  # a refresh checking where the change is: nothing changed here
        return f"{verdict} {where}: {spec.type}: no rows to check"
    if "unexpected_count" in result and result.get("element_count") is not None:
        examples = ", ".join(repr(v) for v in (result.get("partial_unexpected_list") or [])[:3])
        detail = f"{result['unexpected_count']:,} of {result['element_count']:,} rows unexpected"
        return f"{verdict} {where}: {spec.type}: {detail}" + (f" (e.g. {examples})" if examples and not success else "")
    return f"{verdict} {where}: {spec.type}: observed {result.get('observed_value')!r}"


def _suite_batch(
    suite: SuiteSpec, warehouse: DuckDBWarehouse | PostgresWarehouse, contract: dict, changed_only: bool = False
) -> tuple[Batch | None, str | None]:
    """(data, a note on what was not supplied: error for a required file, else info)."""
    if suite.query:
        return warehouse.query_batch(suite.query), None
    table = contract[suite.table]
    present = warehouse.raw_columns(table)
    if present is None:
        if table.is_required:
            return None, "required raw file is missing"
        return None, "optional file not supplied: suite skipped"
    needed = {spec.column for spec in suite.expectations if spec.column}
    batch = warehouse.raw_batch(table, needed, suite.references, changed_only)
    absent = [c.name for c in table.columns if not c.is_required and c.name not in present]
    note = f"optional columns not supplied, their checks skipped: {', '.join(absent)}" if absent else None
    return batch, note


def _gx_context(docs_dir: Path):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    import great_expectations as gx

    docs_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(docs_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    return gx, context


def run_checks(
    warehouse: DuckDBWarehouse | PostgresWarehouse,
    docs_dir: Path,
    variables: dict[str, Any] | None = None,
    only: set[str] | None = None,
    build_docs: bool = True,
    changed_only: bool = False,
) -> CheckReport:
    """Validate every suite, append the outcomes to quarantine.dq_results and build Data Docs.
    `changed_only`: raw suites read the rows of the keys the last build re-parsed (sources)."""
    gx, context = _gx_context(docs_dir)
    import great_expectations.expectations as gxe

    run_id = uuid.uuid4().hex[:12]
    run_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    data_sources: dict[str, Any] = {}

    def data_source_of(source: SqlSource):
        """GE's data source for a database, added to the context once per run."""
        if source.name not in data_sources:
            wanted = "postgres" if source.kind == "postgres" else "sql"
            existing = context.data_sources.all().get(source.name)
            if existing is not None and existing.type != wanted:
                # a context written by an earlier release (pandas data source, ADR 0022): GE will
                # not change a data source's type in place, and it holds nothing but its settings
                context.data_sources.delete(source.name)
            if source.kind == "postgres":
                added = context.data_sources.add_or_update_postgres(
                    name=source.name, connection_string=source.connection_string
                )
            else:
                added = context.data_sources.add_or_update_sql(
                    name=source.name, connection_string=source.connection_string, kwargs=source.kwargs
                )
            data_sources[source.name] = added
        return data_sources[source.name]

    contract = load_contract()
    outcomes: list[Outcome] = []

    def record(suite: SuiteSpec, spec: ExpectationSpec, success: bool, result: dict[str, Any], message: str) -> None:
        observed = result.get("observed_value")
        outcomes.append(
            Outcome(
                run_id=run_id,
                run_at=run_at,
                suite=suite.name,
                data_asset=_asset_name(suite),
                expectation=spec.type,
                column_name=spec.column,
                severity=spec.severity,
                success=success,
                unexpected_count=result.get("unexpected_count"),
                element_count=result.get("element_count"),
                observed_value=None if observed is None else str(observed),
                message=message,
            )
        )

    try:
        for suite in load_suites(warehouse.scalar, variables, only=only):
            batch, note = _suite_batch(suite, warehouse, contract, changed_only)
            asset_name = _asset_name(suite)
            if batch is None and suite.table and contract[suite.table].is_required:
                spec = ExpectationSpec("expect_raw_file_to_exist", {}, "error")
                record(suite, spec, False, {}, f"ERROR {asset_name}: {note}")
                continue
            if note:  # what the user did not supply is skipped, and said once
                spec = ExpectationSpec(
                    "expect_raw_file_to_exist" if batch is None else "expect_column_to_exist", {}, "info"
                )
                record(suite, spec, True, {}, f"INFO {asset_name}: {note}")
            if batch is None:
                continue
            if batch.scope:  # a scheduled refresh checks where the change is: say which rows
                spec = ExpectationSpec("expect_rows_checked", {}, "info")
                record(suite, spec, True, {}, f"INFO {asset_name}: checked {batch.scope}")
            present = batch.columns
            runnable = []
            for spec in suite.expectations:
                column = spec.column
                if column and column not in present and spec.type != "expect_column_to_exist":
                    base = next((column.removesuffix(s) for s in SHADOW_SUFFIXES if column.endswith(s)), column)
                    if base not in present:
                        continue  # the column itself is missing: expect_column_to_exist reports it
                runnable.append(spec)
            gx_suite = gx.ExpectationSuite(name=suite.name)
            for index, spec in enumerate(runnable):
                expectation_class = getattr(gxe, _class_name(spec.type))
                gx_suite.add_expectation(
                    expectation_class(**spec.kwargs, meta={"severity": spec.severity, "index": index})
                )
            gx_suite = context.suites.add_or_update(gx_suite)
            data_source = data_source_of(warehouse.sql_source(batch))
            with contextlib.suppress(LookupError):
                data_source.delete_asset(suite.name)
            asset = data_source.add_query_asset(name=suite.name, query=batch.query)
            batch_definition = asset.add_batch_definition_whole_table("whole_table")
            validation = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
            )
            with warehouse.keep_open(batch):
                results = validation.run(result_format="SUMMARY")
            # results do not come back in suite order: match them by the index kept in meta
            for result in sorted(results.results, key=lambda r: r.expectation_config.meta["index"]):
                spec = runnable[result.expectation_config.meta["index"]]
                detail = dict(result.result or {})
                if result.exception_info and result.exception_info.get("raised_exception"):
                    detail = {"observed_value": result.exception_info.get("exception_message")}
                record(
                    suite, spec, bool(result.success), detail, _message(asset_name, spec, bool(result.success), detail)
                )

    finally:  # the raw rows read for the run go with it
        warehouse.clean_up()

    docs_index = None
    if build_docs:
        context.build_data_docs()
        docs_index = docs_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    report = CheckReport(run_id=run_id, outcomes=outcomes, docs_index=docs_index)
    if outcomes:
        warehouse.write_results(report.frame())
    return report
