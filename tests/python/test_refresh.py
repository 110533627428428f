"""The serving side (segmentation/serving.py, refresh.py): BI readers read a published copy, a
refresh publishes only what passed, a killed or failed refresh publishes nothing, and what is
published holds no personal data."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT

from segmentation.raw_folder import recorded_as_of_date
from segmentation.refresh import refresh_lock
from segmentation.serving import PublishError, current_version, publish, read_version, rollback, versions
from segmentation.serving_shared import GRACE

READER = Path(__file__).with_name("serving_reader.py")
MOMENT = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def _cli(args: list[str], env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    environment = {**os.environ, "DO_NOT_TRACK": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "segmentation", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _refresh_args(raw_dir: Path, root: Path) -> list[str]:
    return [
        "refresh",
        "--raw-dir",
        str(raw_dir),
        "--warehouse",
        str(root / "build.duckdb"),
        "--serving-dir",
        str(root / "serving"),
        "--log-dir",
        str(root / "logs"),
    ]


def _fingerprint(path: Path) -> dict[str, tuple]:
    """Rows and an order-free checksum of every published table and view."""
    with duckdb.connect(str(path), read_only=True) as connection:
        listed = "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        tables = [t for (t,) in connection.execute(listed).fetchall()]
        return {t: connection.execute(f'select count(*), sum(hash(t)) from marts."{t}" t').fetchone() for t in tables}


@pytest.fixture
def build_copy(fixture_warehouse, tmp_path: Path) -> Path:
    _, warehouse = fixture_warehouse
    copy = tmp_path / "build.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


def test_publish_serves_a_copy_of_the_marts_and_rollback_goes_back(build_copy: Path, tmp_path: Path):
    serving = tmp_path / "serving"
    first = publish(build_copy, serving, keep=2, now=MOMENT)
    second = publish(build_copy, serving, keep=2, now=MOMENT + dt.timedelta(days=1))
    assert current_version(serving) == second.path
    assert read_version(serving / "segmentation.duckdb").name == second.name
    with duckdb.connect(str(build_copy), read_only=True) as build:
        # tables and views: the change log and segment_membership_history are published as views
        listed = "select table_name from information_schema.tables where table_schema = 'marts'"
        marts = build.execute(listed).fetchall()
        marts = {table for (table,) in marts}
        assert (
            second.table_rows["customer_segments"]
            == build.execute("select count(*) from marts.customer_segments").fetchone()[0]
        )
    assert set(second.table_rows) == marts
    # only the marts: nothing of staging, intermediate, quarantine or raw
    with duckdb.connect(str(serving / "segmentation.duckdb"), read_only=True) as served:
        schemas = {s for (s,) in served.execute("select distinct schema_name from duckdb_tables()").fetchall()}
    assert schemas == {"marts"}
    assert stat.S_IMODE(second.path.stat().st_mode) == 0o444, "a published version is never written again"
    assert stat.S_IMODE(build_copy.stat().st_mode) == 0o600, "the build database (personal data) is the owner's"

    assert rollback(serving).name == first.name
    assert current_version(serving) == first.path
    with pytest.raises(PublishError, match="oldest version"):
        rollback(serving)
    third = publish(build_copy, serving, keep=2, now=MOMENT + dt.timedelta(days=2))
    assert versions(serving) == [second.path, third.path], "keep=2 deletes the oldest"
    assert current_version(serving) == third.path


def _shared(serving: Path) -> dict[str, int]:
    """The shared files of the serving folder: name -> inode."""
    return {path.name: path.stat().st_ino for path in (serving / "shared").glob("*/*.parquet")}


def test_versions_share_the_change_log_and_write_only_the_new_dates(build_copy: Path, tmp_path: Path):
    serving = tmp_path / "serving"
    first = publish(build_copy, serving, now=MOMENT)
    with duckdb.connect(str(build_copy)) as build:
        built = build.execute("select max(as_of_date) from marts.fct_segment_changes").fetchone()[0]
        later = built + dt.timedelta(days=1)
        # a later date on which the first 40 memberships changed segment
        build.execute(
            f"insert into marts.fct_segment_changes select date '{later}', customer_key, segmentation, "
            "'moved_' || segment_code, segment_code, 'moved', as_of_date from marts.fct_segment_changes "
            "order by customer_key, segmentation limit 40"
        )
        build.execute(
            f"insert into marts.segment_summary select * replace (date '{later}' as as_of_date) "
            f"from marts.segment_summary where as_of_date = date '{built}'"
        )
        expected = {
            mart: build.execute(f"select count(*), sum(hash(t)) from marts.{mart} as t").fetchone()
            for mart in ("fct_segment_changes", "segment_membership_history")
        }
    files_before = _shared(serving)
    assert [name[:10] for name in files_before] == [str(built)], "one file per date"
    second = publish(build_copy, serving, now=MOMENT + dt.timedelta(hours=1))
    files_after = _shared(serving)
    assert set(files_after) == set(files_before) | {name for name in files_after if name.startswith(str(later))}
    assert len(files_after) == 2 and all(files_after[name] == inode for name, inode in files_before.items()), (
        "the first date's file is shared, not written again"
    )
    with duckdb.connect(str(second.path), read_only=True) as served:
        kinds = dict(
            served.execute(
                "select table_name, table_type from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        )
        assert kinds["fct_segment_changes"] == kinds["segment_membership_history"] == "VIEW"
        for mart, figures in expected.items():
            assert served.execute(f"select count(*), sum(hash(t)) from marts.{mart} as t").fetchone() == figures
    with duckdb.connect(str(first.path), read_only=True) as older:
        assert older.execute("select max(as_of_date) from marts.fct_segment_changes").fetchone()[0] == built


def test_shared_files_outlive_their_last_version_by_a_day(build_copy: Path, tmp_path: Path):
    serving = tmp_path / "serving"
    publish(build_copy, serving, keep=1, now=MOMENT)
    (first_file,) = _shared(serving)
    with duckdb.connect(str(build_copy)) as build:  # the date rebuilt with other segments
        build.execute("update marts.fct_segment_changes set segment_code = 'other' where segment_code is not null")
    publish(build_copy, serving, keep=1, now=MOMENT + dt.timedelta(hours=1))
    assert first_file in _shared(serving), "retired, kept for readers still connected to the deleted version"
    last = publish(build_copy, serving, keep=1, now=MOMENT + GRACE + dt.timedelta(hours=2))
    assert first_file not in _shared(serving) and len(_shared(serving)) == 1
    # pruning reads what a version reads from its manifest, and deletes it with the version
    assert sorted(path.name for path in (serving / "versions").iterdir()) == [
        f"{last.name}.duckdb",
        f"{last.name}.json",
    ]
    with duckdb.connect(str(last.path), read_only=True) as served:
        (listed,) = served.execute("select shared_files from marts.serving_version").fetchone()
    assert json.loads((serving / "versions" / f"{last.name}.json").read_text())["shared_files"] == listed
    assert [Path(name).name for name in listed] == list(_shared(serving))


def test_publish_runs_under_the_memory_limit_of_the_build_target(
    build_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # a publish sorts each new date of the change log into its file: it must spill as dbt does
    import segmentation.serving as serving_module

    configs = []
    real_connect = duckdb.connect

    def recording_connect(database, *args, config=None, **kwargs):
        configs.append((Path(str(database)).name, dict(config or {})))
        return real_connect(database, *args, config=config or {}, **kwargs)

    monkeypatch.setattr(serving_module.duckdb, "connect", recording_connect)
    publish(build_copy, tmp_path / "serving", now=MOMENT, duckdb_settings={"memory_limit": "321MB", "threads": 2})
    writing = [config for name, config in configs if name.endswith(".partial")]
    assert writing == [{"memory_limit": "321MB"}], configs


def test_publish_refuses_marts_of_two_as_of_dates(build_copy: Path, tmp_path: Path):
    # what a build stopped after the fact table and before the snapshot marts leaves behind
    with duckdb.connect(str(build_copy)) as build:
        build.execute(
            "insert into marts.fct_customer_segments select * replace (as_of_date + 1 as as_of_date) "
            "from marts.fct_customer_segments "
            "where as_of_date = (select max(as_of_date) from marts.fct_customer_segments)"
        )
    with pytest.raises(PublishError, match=r"different as-of dates .*fct_customer_segments"):
        publish(build_copy, tmp_path / "serving", now=MOMENT)
    assert not (tmp_path / "serving" / "segmentation.duckdb").exists()
    assert list((tmp_path / "serving" / "versions").iterdir()) == [], "no partial version left"


def test_a_second_refresh_exits_while_one_holds_the_lock(fixture_warehouse, build_copy: Path, tmp_path: Path):
    raw_dir, _ = fixture_warehouse
    serving = tmp_path / "serving"
    with refresh_lock(serving, 0):
        started = time.perf_counter()
        refresh = _cli(_refresh_args(raw_dir, tmp_path))
        _, err = refresh.communicate(timeout=60)
        assert refresh.returncode == 4, err
        assert "another refresh holds" in err and f"pid {os.getpid()}" in err
        assert time.perf_counter() - started < 30, "it did not build"
        waiting = _cli(["publish", "--warehouse", str(build_copy), "--serving-dir", str(serving), "--wait", "1"])
        _, err = waiting.communicate(timeout=60)
        assert waiting.returncode == 4, err
    done = _cli(["publish", "--warehouse", str(build_copy), "--serving-dir", str(serving)])
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert "serving v" in out


def test_published_tables_hold_no_personal_data(fixture_warehouse, build_copy: Path, tmp_path: Path):
    raw_dir, _ = fixture_warehouse
    version = publish(build_copy, tmp_path / "serving", now=MOMENT)
    with duckdb.connect() as connection:
        people = connection.execute(
            f"select * from read_csv('{raw_dir / 'customers.csv'}', all_varchar = true)"
        ).fetchdf()
        connection.execute(f"attach '{version.path}' as served (read_only)")
        cells = set()
        for table, column in connection.execute(
            "select table_name, column_name from duckdb_columns() where database_name = 'served'"
        ).fetchall():
            values = connection.execute(f'select distinct cast("{column}" as varchar) from served.marts."{table}"')
            cells |= {value.strip().lower() for (value,) in values.fetchall() if value}
    emails = {e.strip().lower() for e in people["email"].dropna() if "@" in e}
    # a phone is known by its last 9 digits, whatever its format (+33 6.., 06.., 0033 6..)
    phones = {"".join(ch for ch in p if ch.isdigit())[-9:] for p in people["phone"].dropna()}
    phones = {p for p in phones if len(p) == 9}
    full_names = zip(people["first_name"].fillna(""), people["last_name"].fillna(""), strict=True)
    names = {f"{first} {last}".strip().lower() for first, last in full_names}
    assert len(emails) > 1000 and len(phones) > 1000 and len(names) > 500, "the scan looks for real values"
    digit_runs = "\n".join(run for cell in cells for run in re.findall(r"[0-9]{9,}", re.sub(r"[\s.()+-]", "", cell)))
    text = "\n".join(cells)
    assert [e for e in emails if e in text] == []
    assert [p for p in phones if p in digit_runs] == []
    assert [n for n in names if n in text] == []
    assert not {last.strip().lower() for last in people["last_name"].dropna()} & cells - {""}


def test_a_failed_error_check_publishes_nothing(fixture_warehouse, build_copy: Path, tmp_path: Path):
    raw_dir, _ = fixture_warehouse
    before = publish(build_copy, tmp_path / "serving", now=MOMENT)
    fingerprint = _fingerprint(tmp_path / "serving" / "segmentation.duckdb")
    broken = tmp_path / "raw"
    shutil.copytree(raw_dir, broken)
    lines = (broken / "orders.csv").read_text(encoding="utf-8").splitlines()
    (broken / "orders.csv").write_text(lines[0] + "\n", encoding="utf-8")  # the header only
    refresh = _cli(_refresh_args(broken, tmp_path), env={"SEGMENTATION_AS_OF_DATE": recorded_as_of_date(raw_dir)})
    _, err = refresh.communicate(timeout=900)
    assert refresh.returncode == 1, err
    assert "refresh build failed" in err and "raw_orders_has_valid_rows" in err, err
    assert current_version(tmp_path / "serving") == before.path
    assert _fingerprint(tmp_path / "serving" / "segmentation.duckdb") == fingerprint


def _start_readers(serving_file: Path, folder: Path) -> list[tuple[subprocess.Popen, Path]]:
    readers = []
    for mode in ("reconnect", "keep"):
        out = folder / f"reader_{mode}.json"
        command = [sys.executable, str(READER), str(serving_file), str(folder / "stop"), str(out), mode]
        process = subprocess.Popen(command)
        readers.append((process, out))
    return readers


@pytest.mark.slow
def test_readers_never_see_a_mix_and_killed_refreshes_publish_nothing(fixture_warehouse, tmp_path: Path):
    """SEGMENTATION_SOAK_REFRESHES refreshes (default 4; `make test-refresh-soak`: 10) to successive
    as-of dates, each after SEGMENTATION_SOAK_KILLS / refreshes attempts (default 8 / 4) killed with
    SIGKILL at a random point, while two readers poll the serving database."""
    raw_dir, _ = fixture_warehouse
    refreshes = int(os.environ.get("SEGMENTATION_SOAK_REFRESHES", "4"))
    kills_per_refresh = int(os.environ.get("SEGMENTATION_SOAK_KILLS", "8")) // refreshes
    serving_file = tmp_path / "serving" / "segmentation.duckdb"
    end = dt.date.fromisoformat(recorded_as_of_date(raw_dir))
    dates = [end - dt.timedelta(days=refreshes - i) for i in range(refreshes + 1)]
    started = time.perf_counter()
    first = _cli(_refresh_args(raw_dir, tmp_path), env={"SEGMENTATION_AS_OF_DATE": dates[0].isoformat()})
    _, err = first.communicate(timeout=900)
    assert first.returncode == 0, err
    duration = time.perf_counter() - started
    readers = _start_readers(serving_file, tmp_path)
    rng = random.Random(11)
    killed_before_publish = killed_after_publish = 0
    try:
        for as_of_date in dates[1:]:
            env = {"SEGMENTATION_AS_OF_DATE": as_of_date.isoformat()}
            for _ in range(kills_per_refresh):
                served = current_version(tmp_path / "serving")
                fingerprint = _fingerprint(serving_file)
                attempt = _cli(_refresh_args(raw_dir, tmp_path), env=env)
                time.sleep(rng.uniform(0.5, duration))
                attempt.kill()
                attempt.communicate()
                if current_version(tmp_path / "serving") == served:
                    assert _fingerprint(serving_file) == fingerprint
                    killed_before_publish += 1
                else:  # killed after its publish: then the whole new version is served
                    assert read_version(serving_file).as_of_date == as_of_date
                    killed_after_publish += 1
            completed = _cli(_refresh_args(raw_dir, tmp_path), env=env)
            _, err = completed.communicate(timeout=900)
            assert completed.returncode == 0, err
            assert read_version(serving_file).as_of_date == as_of_date
    finally:
        (tmp_path / "stop").touch()
        seen = []
        for process, out in readers:
            process.wait(timeout=60)
            seen.append(json.loads(out.read_text()))
    reconnecting, keeping = seen
    print(
        f"{refreshes} refreshes, {killed_before_publish} kills before the publish, {killed_after_publish} after; "
        f"reader polls {reconnecting['polls']} (versions seen {len(reconnecting['versions'])}), "
        f"kept connection polls {keeping['polls']}"
    )
    assert killed_before_publish + killed_after_publish == kills_per_refresh * refreshes
    for reader in seen:
        assert reader["errors"] == [] and reader["mixes"] == [], reader
    assert reconnecting["polls"] > 20 * refreshes
    assert len(reconnecting["versions"]) >= refreshes, "new readers see each new version"
    assert len(keeping["versions"]) == 1, "a connected reader keeps the version it opened"
