"""Connection settings of the targets, seen from Python, without a server."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from segmentation.quality.sources import PostgresWarehouse
from segmentation.targets import Target


def _postgres(password: str | None) -> Target:
    settings = {"host": "127.0.0.1", "port": 55432, "user": "seg@user", "password": password, "dbname": "seg/db"}
    return Target(name="postgres", type="postgres", settings=settings)


def test_the_postgres_url_keeps_a_password_with_url_characters():
    password = "p@ss:w/rd?#%"
    text = PostgresWarehouse(_postgres(password)).connection_string
    assert password not in text  # escaped, not pasted
    url = make_url(text)
    assert url.drivername == "postgresql+psycopg2"
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "seg@user",
        password,
        "127.0.0.1",
        55432,
        "seg/db",
    )
    assert make_url(url.render_as_string(hide_password=False)) == url


def test_the_postgres_url_without_password_has_none():
    url = make_url(PostgresWarehouse(_postgres(None)).connection_string)
    assert url.password is None
    assert url.username == "seg@user"
