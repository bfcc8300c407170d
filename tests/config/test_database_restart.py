"""A real database outage: `/healthz` and a page while PostgreSQL is stopped, then started again.

A throwaway PostgreSQL cluster of its own (a temporary directory, a free port on 127.0.0.1) is
migrated and given the demo event; gunicorn serves the app as in production (DEBUG off, 2 sync
workers, persistent connections with health checks). The cluster is stopped and started again
while gunicorn keeps running: `/healthz` must say 503 "unreachable" while it is down, the page
must fail fast with a 5xx, and both must answer 200 again on every worker once it is back,
without restarting the app.

No pytest-django database (no `django_db` mark): the app runs in subprocesses against its own
cluster. Needs the PostgreSQL server binaries (initdb, pg_ctl, postgres: apt-get install
postgresql, or PG_BIN=<their directory>); without them these tests skip with that reason, with
CI=true they fail instead.
"""

import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from config.local_server import local_server_env

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = Path(PYTHON).parent / "gunicorn"
SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
DB_USER = "postgres"  # the cluster's superuser (initdb -U)
DB_NAME = "breakouts_restart"
WORKERS = 2
PARALLEL = 4  # requests in flight at once while looking for every worker
PAGE = "/workshops/idm-2005-capacity/"  # the demo event's public page: several queries
PAGE_TEXT = "Developing Capacity to Manage Migration"  # its title, read from the database
HTTP_TIMEOUT = 5  # seconds, every request
FAST_FAILURE = 2.0  # seconds: a request while the database is down must fail at least this fast
RECOVERY = 10.0  # seconds: /healthz must be 200 again within this once the cluster is back
AS_ROOT = os.geteuid() == 0


def _find_server() -> tuple[Path | None, str | None]:
    """The directory holding initdb, pg_ctl and postgres, or None and why not."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    candidates += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    if shutil.which("pg_ctl"):
        candidates.append(Path(shutil.which("pg_ctl")).resolve().parent)
    found = next(
        (c for c in candidates if all(os.access(c / name, os.X_OK) for name in SERVER_BINARIES)),
        None,
    )
    if found is None:
        return None, (
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in PG_BIN, "
            "/usr/lib/postgresql/*/bin or PATH: apt-get install postgresql (or set PG_BIN)"
        )
    if AS_ROOT:
        # initdb refuses root: the cluster belongs to the `postgres` system user.
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root, but no `postgres` system user to own the throwaway cluster"
        if not shutil.which("runuser"):
            return None, "running as root, but no `runuser` to start the cluster as `postgres`"
    return found, None


PG_BIN, MISSING = _find_server()
if MISSING and os.environ.get("CI") != "true":
    pytestmark = pytest.mark.skip(reason=MISSING)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes, float]:
    """GET on the app: status, body and seconds taken (raises OSError if nothing answers)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(), time.monotonic() - started
    finally:
        connection.close()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(none)"


@dataclass
class Cluster:
    directory: Path
    port: int = field(default_factory=_free_port)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "postgresql.log"

    def url(self, database: str = DB_NAME) -> str:
        return f"postgres://{DB_USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 30, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if AS_ROOT:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{_tail(self.log)}")
        return result

    def init(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", DB_USER, "-A", "trust", "-E", "UTF8", "--no-sync",
            "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c fsync=off -c full_page_writes=off -c synchronous_commit=off "
            f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={self.directory}"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "20", "start")

    def stop(self, mode: str = "fast", check: bool = True) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "20", "stop", check=check)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def query(self, sql: str, database: str = "postgres") -> list[tuple]:
        import psycopg2

        with closing(
            psycopg2.connect(
                host="127.0.0.1", port=self.port, user=DB_USER, dbname=database, connect_timeout=HTTP_TIMEOUT
            )
        ) as connection:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []

    def app_connections(self) -> int:
        """Client connections to the app's database, other than this query's own."""
        return self.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
            database=DB_NAME,
        )[0][0]


@dataclass
class App:
    process: subprocess.Popen
    port: int
    access_log: Path
    log: Path

    def served(self, since: int, count: int) -> list[tuple[int, int, str]]:
        """(worker pid, status, path) of the `count` requests logged after line `since`."""
        deadline = time.monotonic() + 3  # a worker writes its access line just after answering
        while True:
            lines = self.access_log.read_text().splitlines()[since:]
            if len(lines) >= count or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        entries = [re.fullmatch(r"<(\d+)> (\d{3}) (\S+)", line) for line in lines]
        return [(int(m[1]), int(m[2]), m[3]) for m in entries if m]

    def logged(self) -> int:
        return len(self.access_log.read_text().splitlines())

    def round(self, path: str, *, minimum: int = 10, limit: int = 200) -> tuple[list[tuple[int, bytes, float]], set]:
        """GET `path` at least `minimum` times, more until both workers have answered (at most `limit`).

        Requests go PARALLEL at a time: one after another, an idle worker may win every accept
        (seen on a busy machine), so only overlapping requests make sure both workers answer.
        Returns the responses and the pids of the workers that answered them.
        """
        since = self.logged()
        responses = []
        workers: set[int] = set()
        while len(responses) < limit:
            with ThreadPoolExecutor(PARALLEL) as pool:
                responses += pool.map(lambda _: _get(self.port, path), range(PARALLEL))
            if len(responses) >= minimum:
                workers = {pid for pid, _, _ in self.served(since, len(responses))}
                if len(workers) >= WORKERS:
                    break
        assert self.process.poll() is None, f"gunicorn exited:\n{_tail(self.log)}"
        return responses, workers


def _server_env(database_url: str) -> dict:
    return local_server_env(database_url, purpose="database-restart-test")


@pytest.fixture(scope="module")
def cluster():
    if MISSING:  # only with CI=true: otherwise the module is skipped
        pytest.fail(f"CI=true but {MISSING}")
    directory = Path(tempfile.mkdtemp(prefix="breakouts-pg-"))
    if AS_ROOT:
        owner = pwd.getpwnam("postgres")
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(directory)
    try:
        cluster.init()
        cluster.start()
        cluster.query(f"CREATE DATABASE {DB_NAME}")
        yield cluster
    finally:
        if cluster.data.joinpath("postmaster.pid").exists():
            cluster.stop(mode="fast", check=False)
            if cluster.data.joinpath("postmaster.pid").exists():
                cluster.stop(mode="immediate", check=False)
        print(f"--- PostgreSQL log (tail)\n{_tail(cluster.log)}")
        shutil.rmtree(directory)


# One process for both (one Django start-up fewer): the schema, then the demo event (about 3 s).
PREPARE = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0); call_command('load_demo')"
)


@pytest.fixture(scope="module")
def app(cluster):
    env = _server_env(cluster.url())
    port = _free_port()
    access_log = cluster.directory / "access.log"
    access_log.touch()
    log = cluster.directory / "gunicorn.log"
    with open(log, "wb") as output:
        # Started first: its workers load Django while the database is being prepared.
        process = subprocess.Popen(
            [
                str(GUNICORN), "config.wsgi",
                "--workers", str(WORKERS),
                "--bind", f"127.0.0.1:{port}",
                "--timeout", "30",
                "--graceful-timeout", "3",
                "--access-logfile", str(access_log),
                "--access-logformat", "%(p)s %(s)s %(U)s",
            ],
            env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    app = App(process=process, port=port, access_log=access_log, log=log)
    try:
        result = subprocess.run([PYTHON, "-c", PREPARE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=90)
        assert result.returncode == 0, f"migrate and load_demo failed:\n{result.stdout}\n{result.stderr}"
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"gunicorn exited at start:\n{_tail(log)}"
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not answer /healthz in 30 s:\n{_tail(log)}"
            time.sleep(0.1)
        yield app
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown (TERM waits for the workers)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        print(f"--- gunicorn log (tail)\n{_tail(log)}")


@pytest.fixture(autouse=True)
def _cluster_running(cluster):
    # Each test starts with the database up, even if the one before failed during its outage.
    if not cluster.running():
        cluster.start()


def _all_ok(app: App, cluster: Cluster) -> set[int]:
    """/healthz and the page answer 200 on both workers, each holding its persistent connection."""
    responses, workers = app.round("/healthz")
    assert [(s, b) for s, b, _ in responses] == [(200, b'{"status": "ok", "database": "ok"}')] * len(responses)
    assert len(workers) == WORKERS, f"only workers {workers} answered /healthz"
    responses, page_workers = app.round(PAGE)
    assert [s for s, _, _ in responses] == [200] * len(responses)
    assert all(PAGE_TEXT.encode() in body for _, body, _ in responses)
    assert page_workers == workers, f"the page was served by {page_workers}, /healthz by {workers}"
    # CONN_MAX_AGE=60: one connection per worker, kept between requests.
    deadline = time.monotonic() + 3
    while (count := cluster.app_connections()) != WORKERS and time.monotonic() < deadline:
        time.sleep(0.05)
    assert count == WORKERS, f"{count} connections to {DB_NAME}, expected one per worker"
    return workers


def test_healthz_and_pages_through_a_database_stop_and_start(app, cluster):
    timings = {}
    workers = _all_ok(app, cluster)

    started = time.monotonic()
    cluster.stop(mode="fast")
    timings["stop"] = time.monotonic() - started

    # Down: /healthz says so on every worker, quickly.
    responses, down_workers = app.round("/healthz")
    for status, body, seconds in responses:
        assert (status, body) == (503, b'{"status": "unavailable", "database": "unreachable"}')
        assert seconds < FAST_FAILURE
    assert down_workers == workers, f"503 from {down_workers}, expected workers {workers} (not restarted)"
    # The page fails cleanly: a 5xx at once (Django's plain 500 page), no hang, nothing leaked.
    responses, down_workers = app.round(PAGE)
    for status, body, seconds in responses:
        assert 500 <= status < 600, status
        assert seconds < FAST_FAILURE
        assert b"Traceback" not in body and b"OperationalError" not in body and b"127.0.0.1" not in body
    assert down_workers == workers
    timings["page while down"] = f"{responses[0][0]} {responses[0][1][:200]!r}"

    started = time.monotonic()
    cluster.start()
    timings["start"] = time.monotonic() - started

    # Back: /healthz turns 200 again within RECOVERY seconds, the same gunicorn still running.
    started = time.monotonic()
    while True:
        status, body, _ = _get(app.port, "/healthz")
        if status == 200:
            break
        assert time.monotonic() - started < RECOVERY, f"/healthz still {status} {body!r} {RECOVERY} s after restart"
        time.sleep(0.2)
    timings["recovered after"] = time.monotonic() - started
    assert _all_ok(app, cluster) == workers, "gunicorn's workers changed: the app was restarted"
    assert app.process.poll() is None
    print(f"timings: {timings}")


def test_stale_persistent_connections_are_replaced_after_a_quick_restart(app, cluster):
    """A restart with no request in between: each worker still holds a connection to the old server.

    With conn_health_checks the first request on each worker finds its connection dead and opens a
    new one: not a single error is served once the database is back.
    """
    workers = _all_ok(app, cluster)

    cluster.stop(mode="fast")
    cluster.start()

    for path in ("/healthz", PAGE):
        responses, answered = app.round(path)
        assert [s for s, _, _ in responses] == [200] * len(responses), path
        assert answered == workers
    assert _all_ok(app, cluster) == workers
