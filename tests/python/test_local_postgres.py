"""The local PostgreSQL server of scripts/local_postgres.sh (make postgres-start): over TCP every
role needs its password (scram-sha-256) and the superuser cannot log in at all; the script reuses
a server on its port only when it serves the script's own data directory, and stopping installs
nothing and succeeds when there is nothing to stop."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from segmentation.contract import PROJECT_ROOT
from segmentation.targets import load_target

pytestmark = pytest.mark.postgres
SCRIPT = PROJECT_ROOT / "scripts" / "local_postgres.sh"


@pytest.fixture(autouse=True)
def no_stored_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the passwords given here: none from the environment or a ~/.pgpass."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")


def _connect(port: int, user: str, password: str | None, dbname: str = "postgres"):
    return psycopg2.connect(
        host="127.0.0.1", port=port, user=user, password=password, dbname=dbname, connect_timeout=10
    )


def _refused(port: int, user: str, password: str | None, dbname: str = "postgres") -> str:
    with pytest.raises(psycopg2.OperationalError) as refused:
        _connect(port, user, password, dbname).close()
    return str(refused.value)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _script(command: str, directory: Path, port: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "SEGMENTATION_PG_DIR": str(directory), "SEGMENTATION_PG_PORT": str(port)}
    return subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True, check=False)


# -- the server the tests use (make test-postgres started it with the profile's settings) --------


def test_the_project_role_needs_its_password_over_tcp():
    settings = load_target("postgres").settings
    port, user, database = settings["port"], settings["user"], settings["dbname"]
    assert "password authentication failed" in _refused(port, user, settings["password"] + "-wrong", database)
    assert "password" in _refused(port, user, None, database)
    with _connect(port, user, settings["password"], database) as connection, connection.cursor() as cursor:
        cursor.execute("select current_user, rolsuper from pg_roles where rolname = current_user")
        assert cursor.fetchone() == (user, False)


def test_the_bi_role_needs_its_password_over_tcp():
    settings = load_target("postgres").settings
    role = os.environ.get("SEGMENTATION_PG_BI_ROLE", "segmentation_bi")
    password = os.environ.get("SEGMENTATION_PG_BI_PASSWORD", "segmentation_bi")
    assert "password authentication failed" in _refused(settings["port"], role, "wrong", settings["dbname"])
    _connect(settings["port"], role, password, settings["dbname"]).close()


def test_the_superuser_is_refused_over_tcp():
    port = load_target("postgres").settings["port"]
    assert "rejects connection" in _refused(port, "postgres", None)
    assert "rejects connection" in _refused(port, "postgres", "postgres")


# -- the script itself, on a fresh data directory and a port of its own --------------------------


@pytest.fixture(scope="module")
def fresh_server() -> Iterator[tuple[Path, int]]:
    """(folder, port) of a server the script started from nothing; stopped and removed after.
    In target/ (the server's OS user, postgres when the tests run as root, must reach it)."""
    folder = PROJECT_ROOT / "target" / f"test-postgres-{uuid.uuid4().hex[:8]}"
    port = _free_port()
    try:
        started = _script("start", folder, port)
        assert started.returncode == 0, started.stderr
        yield folder, port
    finally:
        _script("stop", folder, port)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_fresh_server_asks_every_role_for_its_password(fresh_server: tuple[Path, int]):
    folder, port = fresh_server
    assert (folder / "data").stat().st_mode & 0o777 == 0o700
    assert folder.stat().st_mode & 0o777 == 0o700  # the socket folder too
    assert "password authentication failed" in _refused(port, "segmentation", "wrong", "segmentation")
    assert "rejects connection" in _refused(port, "postgres", None)
    password = os.environ.get("SEGMENTATION_PG_PASSWORD", "segmentation")
    with _connect(port, "segmentation", password, "segmentation") as connection, connection.cursor() as cursor:
        cursor.execute("select current_database()")
        assert cursor.fetchone() == ("segmentation",)


def test_starting_again_reuses_its_own_server(fresh_server: tuple[Path, int]):
    folder, port = fresh_server
    again = _script("start", folder, port)
    assert again.returncode == 0, again.stderr


def test_a_server_of_another_data_directory_on_the_port_is_not_used(fresh_server: tuple[Path, int]):
    _, port = fresh_server
    other = PROJECT_ROOT / "target" / f"test-postgres-{uuid.uuid4().hex[:8]}"
    try:
        refused = _script("start", other, port)
        assert refused.returncode != 0
        assert f"127.0.0.1:{port} is taken" in refused.stderr
        assert "SEGMENTATION_PG_PORT=" in refused.stderr
    finally:
        _script("stop", other, port)
        shutil.rmtree(other, ignore_errors=True)


def test_stopping_when_there_is_nothing_to_stop_succeeds(tmp_path: Path):
    nothing = _script("stop", tmp_path / "never-started", _free_port())
    assert nothing.returncode == 0, nothing.stderr
    assert not (tmp_path / "never-started").exists()
