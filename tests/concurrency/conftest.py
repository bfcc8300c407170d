"""Fixtures of the race tests: PostgreSQL only, a live server with a long listen queue, a hold released at the end."""

import os

import pytest
from django.db import connection

from tests.concurrency.live import Hold


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("CI runs these tests on PostgreSQL, but the test database is not PostgreSQL")
        pytest.skip("race tests need PostgreSQL (SQLite serialises all writers); set DATABASE_URL=postgres://...")


@pytest.fixture
def server(live_server):
    """The live server, its queue of connections waiting to be accepted as long as gunicorn's.

    Django's test server listens with a queue of 10: thirty browsers connecting at the same moment
    would see some connections dropped and retried by the client a second later. Linux lets a
    listening socket's queue be changed by calling listen() again.
    """
    live_server.thread.httpd.socket.listen(2048)
    return live_server


@pytest.fixture
def hold():
    hold = Hold()
    yield hold
    hold.released.set()  # never leave a server thread waiting
