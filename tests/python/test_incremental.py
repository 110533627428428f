"""Incremental base models (ADR 0015): a warehouse refreshed incrementally equals one built in full.

The fixture warehouse is the full build of the fixture data. The incremental warehouse is first
built on the day before, with edits that the fixture data then undoes, and refreshed on the
fixture data: every table must then equal the full build's (the latest as-of date of history
tables), and the base models must have re-parsed only part of their rows."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import run_dbt

from segmentation.contract import PROJECT_ROOT
from segmentation.raw_folder import recorded_as_of_date

SKIP_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]
TABLES = {
    "customers": "customer_id",
    "companies": "company_id",
    "products": "product_id",
    "orders": "order_id",
    "order_lines": "order_line_id",
    "payments": "payment_id",
    "marketing_events": "event_id",
}
REPARSED = re.compile(r"(base_raw__\w+): incremental, re-parsed the raw rows of (\d+) keys .*? holds (\d+) rows")


def _day_before(raw_dir: Path, out: Path, as_of: str) -> dict[str, str]:
    """The fixture's raw files as they stood the day before `as_of`, with edits the next day undoes:
    - the last day's orders (with their lines and payments) and events are not there yet, except one
      order, already extracted though dated the next day (quarantined as future until then);
    - an old order had another status, an old order had one more line (since removed), an old line
      was extracted twice (an exact duplicate since dropped);
    - a customer with orders had a second, conflicting row (so they and their orders, lines,
      payments and events were quarantined until it was fixed)."""
    day_before = (dt.date.fromisoformat(as_of) - dt.timedelta(days=1)).isoformat()
    out.mkdir()
    db = duckdb.connect()
    for path in sorted(raw_dir.glob("*.csv")):
        if not path.name.startswith("_"):
            db.execute(f"create table {path.stem} as select * from read_csv('{path}', all_varchar = true)")
    late = db.execute(
        "select min(order_id) from orders where try_cast(ordered_at as date) = ? and order_id like 'O%'", [as_of]
    ).fetchone()[0]
    db.execute("delete from orders where try_cast(ordered_at as date) > ? and order_id != ?", [day_before, late])
    for child in ("order_lines", "payments"):
        db.execute(f"delete from {child} where order_id not in (select order_id from orders)")
    db.execute("delete from marketing_events where try_cast(event_at as date) > ?", [day_before])
    edited = db.execute(
        "select min(order_id) from orders where order_id like 'O%' and lower(trim(status)) = 'completed' "
        "and try_cast(ordered_at as date) < ?",
        [day_before],
    ).fetchone()[0]
    db.execute("update orders set status = 'cancelled' where order_id = ?", [edited])
    line = db.execute(
        "select min(order_line_id) from order_lines where order_line_id like 'L%' "
        "and order_id in (select order_id from orders where try_cast(ordered_at as date) < ?)",
        [day_before],
    ).fetchone()[0]
    db.execute(
        "insert into order_lines select * replace ('L_REMOVED' as order_line_id) from order_lines "
        "where order_line_id = ?",
        [line],
    )
    db.execute("insert into order_lines select * from order_lines where order_line_id = ?", [line])
    conflicted = db.execute(
        "select min(customer_id) from orders where customer_id in (select customer_id from customers) "
        "and customer_id in (select customer_id from marketing_events)"
    ).fetchone()[0]
    db.execute(
        "insert into customers select * replace ('conflict.' || coalesce(email, '') as email) "
        "from customers where customer_id = ? limit 1",
        [conflicted],
    )
    for (table,) in db.execute("show tables").fetchall():
        db.execute(f"copy {table} to '{out / (table + '.csv')}' (header)")
    db.close()
    return {"day_before": day_before, "late": late, "edited": edited, "line": line, "conflicted": conflicted}


def _differences(incremental: Path, full: Path) -> list[str]:
    """Tables (every schema; the latest as-of date of those with one) that differ, as text."""
    db = duckdb.connect()
    db.execute(f"attach '{incremental}' as incremental (read_only)")
    db.execute(f"attach '{full}' as full_build (read_only)")
    tables = {
        database: set(
            db.execute(
                # a fixture warehouse built before the leftovers' post-hook may hold one
                "select schema_name, table_name from duckdb_tables() "
                "where database_name = ? and table_name not like '%\\_\\_dbt\\_tmp%' escape '\\' "
                # the keys an incremental build re-parsed, kept for the check (test below)
                "and table_name not like '%\\_\\_last\\_changes' escape '\\'",
                [database],
            ).fetchall()
        )
        for database in ("incremental", "full_build")
    }
    # `make test` runs `check` on the fixture warehouse, which appends to quarantine.dq_results
    assert tables["full_build"] - tables["incremental"] <= {("quarantine", "dq_results")}
    assert tables["incremental"] - tables["full_build"] == set()
    assert len(tables["incremental"]) > 40
    differences = []
    # a record of each run (invocation ids and times), not data
    for schema, table in sorted(tables["incremental"] - {("quarantine", "run_outcomes")}):
        columns = [
            name
            for (name,) in db.execute(
                "select column_name from duckdb_columns() "
                "where database_name = 'full_build' and schema_name = ? and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
        ]
        latest = (
            f"where as_of_date = (select max(as_of_date) from full_build.{schema}.{table})"
            if "as_of_date" in columns
            else ""
        )
        # by name: a base table switched to incremental got its bookkeeping columns appended
        selected = ", ".join(f'"{name}"' for name in columns)
        left = f"select {selected} from incremental.{schema}.{table} {latest}"
        right = f"select {selected} from full_build.{schema}.{table} {latest}"
        if table == "fct_segment_changes":
            # a change log: the incremental one holds the day before too; compare the memberships it gives
            left, right = (_members_on_latest_date(catalog, schema, table) for catalog in ("incremental", "full_build"))
        only_left = db.execute(f"select count(*) from ({left} except all {right})").fetchone()[0]
        only_right = db.execute(f"select count(*) from ({right} except all {left})").fetchone()[0]
        if only_left or only_right:
            differences.append(f"{schema}.{table}: {only_left} rows only incremental, {only_right} only full")
    db.close()
    return differences


def _members_on_latest_date(catalog: str, schema: str, table: str) -> str:
    """The memberships a change log gives for the full build's date: each key's latest row."""
    return f"""
        select customer_key, segmentation, segment_code from (
            select *, row_number() over (partition by customer_key, segmentation order by as_of_date desc) as latest
            from {catalog}.{schema}.{table}
            where as_of_date <= (select max(as_of_date) from full_build.{schema}.{table})
        ) where latest = 1 and segment_code is not null
    """


def _vars(**values: str | bool) -> str:
    """--vars text: booleans as YAML booleans, the rest quoted."""
    rendered = (f"{name}: {str(v).lower()}" if isinstance(v, bool) else f"{name}: '{v}'" for name, v in values.items())
    return "{" + ", ".join(rendered) + "}"


def _reparsed(process) -> dict[str, int]:
    """Base model -> keys it re-parsed, from the dbt log of an incremental run."""
    assert process.returncode == 0, process.stdout[-3000:]
    reparsed = {model: int(changed) for model, changed, _ in REPARSED.findall(process.stdout)}
    assert set(reparsed) == {f"base_raw__{table}" for table in TABLES}
    return reparsed


def _keys(warehouse: Path) -> dict[str, int]:
    """Base model -> distinct keys it holds."""
    with duckdb.connect(str(warehouse), read_only=True) as db:
        return {
            f"base_raw__{table}": db.execute(f"select count(distinct {key}) from staging.base_raw__{table}").fetchone()[
                0
            ]
            for table, key in TABLES.items()
        }


def test_an_incremental_refresh_equals_a_full_build(fixture_warehouse, tmp_path: Path):
    """The day before is built as plain tables (incremental_staging: false), refreshed incrementally
    three times (the switch, a var changed, the cutoff moved back a day), then refreshed on the
    fixture data (the cutoff back to the run date) and compared with the full build."""
    raw_dir, full_warehouse = fixture_warehouse
    as_of = recorded_as_of_date(raw_dir)
    edits = _day_before(raw_dir, tmp_path / "day_before", as_of)
    day_before, warehouse = tmp_path / "day_before", tmp_path / "incremental.duckdb"
    env = {"SEGMENTATION_AS_OF_DATE": edits["day_before"]}
    base_models = ["run", "--select", "base_raw__*", "--vars"]

    plain = _vars(incremental_staging=False, earliest_birth_date="1901-01-01", future_date_cutoff=as_of)
    first = run_dbt(
        ["build", *SKIP_UNIT_TESTS, "--exclude-resource-type", "test", "--vars", plain], day_before, warehouse, env
    )
    assert first.returncode == 0, first.stdout[-3000:]

    # plain tables hold neither row hashes nor rules: every key is re-parsed
    switched = _reparsed(
        run_dbt(
            [*base_models, _vars(earliest_birth_date="1901-01-01", future_date_cutoff=as_of)],
            day_before,
            warehouse,
            env,
        )
    )
    assert switched == _keys(warehouse)

    # another earliest_birth_date: every customer is judged again, the other tables are left alone
    changed_var = _reparsed(run_dbt([*base_models, _vars(future_date_cutoff=as_of)], day_before, warehouse, env))
    keys = _keys(warehouse)
    assert changed_var["base_raw__customers"] == keys["base_raw__customers"]
    assert changed_var["base_raw__order_lines"] < keys["base_raw__order_lines"] / 100

    # the cutoff a day earlier: the order dated the next day becomes future-dated again
    cutoff = run_dbt([*base_models, _vars(future_date_cutoff=edits["day_before"])], day_before, warehouse, env)
    assert _reparsed(cutoff)["base_raw__orders"] > 0
    with duckdb.connect(str(warehouse), read_only=True) as db:
        late = db.execute(
            "select quarantine_reason from staging.base_raw__orders where order_id = ?", [edits["late"]]
        ).fetchone()
        conflicted = db.execute(
            "select quarantine_reason from staging.base_raw__customers where customer_id = ?", [edits["conflicted"]]
        ).fetchall()
    assert late == ("future_ordered_at",)
    assert {reason for (reason,) in conflicted} == {"duplicate_customer_id"}

    # the next day: new rows, edits undone, the cutoff back to the run date
    refreshed = run_dbt(["build", *SKIP_UNIT_TESTS], raw_dir, warehouse)
    reparsed = _reparsed(refreshed)
    keys = _keys(warehouse)
    for model, changed in reparsed.items():
        assert changed < keys[model] / 2, f"{model} re-parsed {changed} of {keys[model]} keys"
    for model in ("base_raw__customers", "base_raw__orders", "base_raw__order_lines", "base_raw__marketing_events"):
        assert reparsed[model] > 0, f"{model} re-parsed nothing though its rows changed"

    assert _differences(warehouse, full_warehouse) == []
    _the_check_reads_the_rows_the_build_reparsed(raw_dir, warehouse, reparsed, tmp_path)
    with duckdb.connect(str(warehouse), read_only=True) as db:
        # the key lists, and the staging table dbt-duckdb leaves after an incremental Python model
        leftovers = db.execute(
            "select table_name from duckdb_tables() "
            "where table_name like '%changed_keys' or table_name like '%\\_\\_dbt\\_tmp%' escape '\\'"
        ).fetchall()
    assert leftovers == []


def _raw_suite_rows(warehouse: Path, run_id: str) -> dict[str, int]:
    """Raw suite -> rows its key's uniqueness expectation read, in check run `run_id`."""
    with duckdb.connect(str(warehouse), read_only=True) as db:
        rows = db.execute(
            "select suite, element_count from quarantine.dq_results where run_id = ? "
            "and expectation = 'expect_column_values_to_be_unique' and suite like 'raw\\_%' escape '\\'",
            [run_id],
        ).fetchall()
    return dict(rows)


def _check(raw_dir: Path, warehouse: Path, docs: Path, *flags: str) -> str:
    """Run `python -m segmentation check`; its run id."""
    command = [sys.executable, "-m", "segmentation", "check", "--warehouse", str(warehouse)]
    done = subprocess.run(
        [*command, "--raw-dir", str(raw_dir), "--docs-dir", str(docs), *flags],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SEGMENTATION_TARGET": "dev"},
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return re.search(r"\(run (\w+),", done.stdout).group(1)


def _the_check_reads_the_rows_the_build_reparsed(
    raw_dir: Path, warehouse: Path, reparsed: dict[str, int], tmp_path: Path
) -> None:
    """A scheduled refresh checks the raw rows of the keys the last build re-parsed (and those
    without a key); the full check reads every row."""
    expected = {}
    with duckdb.connect(str(warehouse), read_only=True) as db:
        (last_build,) = db.execute(
            "select invocation_id from quarantine.run_outcomes order by recorded_at desc limit 1"
        ).fetchone()
        for table, key in TABLES.items():
            model = f"base_raw__{table}"
            keys, invocations = db.execute(
                f"select count({key}), list(distinct invocation_id) from staging.{model}__last_changes"
            ).fetchone()
            assert (keys, invocations) == (reparsed[model], [last_build]), model
            expected[f"raw_{table}"] = db.execute(
                f"select count(*) from staging.{model} where {key} is null "
                f"or {key} in (select {key} from staging.{model}__last_changes)"
            ).fetchone()[0]
            assert expected[f"raw_{table}"] >= reparsed[model]
    changed = _raw_suite_rows(warehouse, _check(raw_dir, warehouse, tmp_path / "dq_changed", "--changed-only"))
    whole = _raw_suite_rows(warehouse, _check(raw_dir, warehouse, tmp_path / "dq_whole"))
    assert changed == expected
    assert all(changed[suite] < whole[suite] for suite in changed), (changed, whole)
