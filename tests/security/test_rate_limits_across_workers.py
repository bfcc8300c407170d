"""Rate limits hold across gunicorn workers: the counters live in the database, not in each process.

gunicorn serves the app as in production (DEBUG off, several sync workers) on a throwaway SQLite
file, and on a throwaway PostgreSQL database when DATABASE_URL names a PostgreSQL server; ten "lost my link" requests from one client arrive at once and are spread over the workers.
Exactly five may pass (LOST_LINK_LIMIT): with a counter per process, each worker would allow five.
No pytest-django database: the app runs in subprocesses against its own database.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from config.local_server import local_server_env

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = Path(PYTHON).parent / "gunicorn"
WORKERS = 3
REQUESTS = 10
LIMIT = 5  # workshops.views_access.LOST_LINK_LIMIT
PATH = "/link/lost/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(none)"


def _request(port: int, method: str, path: str, *, body: str = "", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
    finally:
        connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        pytest.skip("the PostgreSQL case needs DATABASE_URL=postgres://... (a server where the role may CREATEDB)")
    import psycopg2

    server, _, name = base.rpartition("/")
    name = f"{name or 'breakouts'}_ratelimit_{os.getpid()}"

    def run(sql):
        connection = psycopg2.connect(f"{server}/postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(database_url, tmp_path):
    directory = tmp_path
    env = local_server_env(database_url, purpose="rate-limit-test")
    # Every lost-link request that passes the limit sends one e-mail (to unknown addresses too):
    # the workers write them as files, so the test counts the e-mails that really went out. Each
    # send takes 0.3 s, so the requests sent at once overlap and reach several workers even on a
    # busy machine (an idle worker could otherwise answer all ten one after another).
    env.update(EMAIL_BACKEND="tests.mail_backends.SlowFileBackend", EMAIL_FILE_PATH=str(directory / "mail"))
    migrate = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    access_log = directory / "access.log"
    log = directory / "gunicorn.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                str(GUNICORN), "config.wsgi",
                "--workers", str(WORKERS),
                "--bind", f"127.0.0.1:{port}",
                "--timeout", "30",
                "--graceful-timeout", "3",
                "--access-logfile", str(access_log),
                "--access-logformat", "%(p)s %(m)s %(s)s %(U)s",
            ],
            env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"gunicorn exited at start:\n{_tail(log)}"
            try:
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not answer /healthz in 30 s:\n{_tail(log)}"
            time.sleep(0.1)
        yield port, access_log, directory / "mail"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        print(f"--- gunicorn log (tail)\n{_tail(log)}")


def test_lost_link_limit_holds_across_gunicorn_workers(server):
    port, access_log, mail_folder = server
    status, cookie, page = _request(port, "GET", PATH)
    assert status == 200
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie)[1]
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    body = urlencode({"email": "nobody@example.org", "csrfmiddlewaretoken": csrf_token})
    headers = {"Cookie": f"csrftoken={csrf_cookie}", "Content-Type": "application/x-www-form-urlencoded"}

    with ThreadPoolExecutor(REQUESTS) as pool:
        statuses = list(
            pool.map(lambda _: _request(port, "POST", PATH, body=body, headers=headers)[0], range(REQUESTS))
        )

    assert sorted(statuses) == [200] * LIMIT + [429] * (REQUESTS - LIMIT)
    sent = sorted(mail_folder.glob("*.log")) if mail_folder.exists() else []
    assert sum(path.read_text().count("\nSubject: ") for path in sent) == LIMIT
    deadline = time.monotonic() + 3  # a worker writes its access line just after answering
    while len(posts := [line for line in access_log.read_text().splitlines() if " POST " in line]) < REQUESTS:
        assert time.monotonic() < deadline, posts
        time.sleep(0.05)
    workers = {line.split()[0] for line in posts}
    assert len(workers) >= 2, f"every request went to one worker ({workers}): nothing shown across workers"
