"""Page benchmark: every page of the permission matrix and every batch, at 100 and 3,000 participants.

Run from the project root: `.venv/bin/python bench/pages.py [--quick] [--db sqlite|postgres|both]
[--only PATTERN] [--repeat N] [--timeout S] [--batch-timeout S]`. Needs PostgreSQL on
127.0.0.1:5432 where the role `postgres` may create databases (`PAGES_PG_URL` overrides it) for
the PostgreSQL part.

For each database it creates two throwaway databases (PostgreSQL `bench_pages_100` and
`bench_pages_3000`, or two SQLite files), migrates one and copies it, and generates in bulk a
workshop of each size (bench/pages_data.py: 100 participants, 4 groups, 6 sessions, 12
facilitators; 3,000, 100, 6, 250; everyone placed and rotated, worksheets filled, notes,
invitations, a solver proposal). It serves each with gunicorn (2 workers, DEBUG off, 127.0.0.1
only, as bench/load.py does), logs in as the organiser, the superuser, a participant and a
facilitator (the staff through the admin's login form, the people through their personal
link), and requests every page the permission matrix lists as the role that may see it (the
choice tests/test_query_budgets.py makes), `--repeat` times after one warm-up, each within
`--timeout` seconds (with `--quick`: no warm-up, and a page twice over the goal is not asked again).
It prints per page the median at each size, the ratio to `/healthz`
measured in the same run, the growth between the sizes and the bytes; every URL of the matrix
that is not measured is printed with the reason. Then it times each batch at both sizes
(bench/pages_batches.py), each in its own process killed after `--batch-timeout`.

Goals: every page answers 200 in under 1 s (median) at 3,000; it grows at most linearly: the
3,000 workshop is about 30 times the 100 one in every table but sessions, so its median may be
at most 30 × 1.5 = 45 times the 100 one (pages under 0.1 s at 3,000 pass: too fast to matter);
every batch ends within its timeout and grows at most 45 times (under 1 s at 3,000 passes);
restore under 15 s; the solver within its two time limits plus 10 s. The last line says
"goal met: every page and batch" or "goal missed: " and what missed.
The databases are dropped and gunicorn stopped at the end, even on failure.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_SERVER = os.environ.get("PAGES_PG_URL", "postgres://postgres@127.0.0.1:5432")
SIZES = (100, 3000)
WORKERS = 2
PAGE_GOAL = 1.0  # seconds, median at 3,000
DATA_RATIO = 30  # the 3,000 workshop is about 30 times the 100 one
TOLERANCE = 1.5
GROWTH_LIMIT = DATA_RATIO * TOLERANCE
PAGE_FLOOR = 0.1  # a page faster than this at 3,000 passes the growth goal whatever its ratio
BATCH_FLOOR = 1.0
RESTORE_GOAL = 15.0
HEALTHZ_REPEAT = 20


def _server_env(database_url: str) -> dict:
    from config.local_server import local_server_env  # the project root is on sys.path (see the end)

    env = local_server_env(database_url, purpose="pages-benchmark")
    env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    return env


# --- steps run in a child process (settings are read once per process) -----------------------


def _generate(size: int, out: str) -> None:
    import django

    django.setup()
    from bench.pages_data import credentials, page_plan, world_generate

    started = time.perf_counter()
    result = world_generate(participants=size, slug=f"bench-{size}")
    seconds = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, and no autovacuum running under the figures
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    world = result["world"]
    plan = page_plan(world) | {
        "credentials": credentials(world, result["passwords"]),
        "figures": result["figures"],
        "seconds": seconds,
        "slug": world["mine"]["workshop"].slug,
    }
    Path(out).write_text(json.dumps(plan))


def _batch(name: str, slug: str, workdir: str, mode: str, out: str) -> None:
    import django

    django.setup()
    from bench.pages_batches import BATCHES

    seconds, detail = BATCHES[name][0](slug, Path(workdir), mode)
    Path(out).write_text(json.dumps({"seconds": seconds, "detail": detail}))


# --- databases and the server -------------------------------------------------------------------


def _pg_admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(PG_SERVER + "/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def _run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def databases_create(db: str, workdir: Path) -> dict[int, str]:
    """A migrated empty database per size (migrated once, then copied); returns their URLs."""
    if db == "postgres":
        names = {size: f"bench_pages_{size}" for size in SIZES}
        for name in names.values():
            _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        first = names[SIZES[0]]
        _pg_admin(f"CREATE DATABASE {first}")
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], _server_env(f"{PG_SERVER}/{first}"))
        for size in SIZES[1:]:
            _pg_admin(f"CREATE DATABASE {names[size]} TEMPLATE {first}")
        return {size: f"{PG_SERVER}/{name}" for size, name in names.items()}
    files = {size: workdir / f"pages-{size}.sqlite3" for size in SIZES}
    _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], _server_env(f"sqlite:///{files[SIZES[0]]}"))
    for size in SIZES[1:]:
        shutil.copyfile(files[SIZES[0]], files[size])
    return {size: f"sqlite:///{path}" for size, path in files.items()}


def databases_drop(db: str) -> None:
    if db == "postgres":
        for size in SIZES:
            _pg_admin(f"DROP DATABASE IF EXISTS bench_pages_{size} WITH (FORCE)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1, 2 sync workers, killing a worker stuck past the request timeout."""

    def __init__(self, database_url: str, timeout: float):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", str(WORKERS)]
            + ["--timeout", str(int(timeout) + 5), "--log-level", "critical"],
            env=_server_env(database_url),
            cwd=ROOT,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- the browser -----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer of its own: measured as such, never followed


class Browser:
    """One visitor: its own cookies, never following redirects."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, path: str, *, timeout: float, data: dict | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Accept-Language": "en"})
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def log_in(self, credential: dict, timeout: float) -> None:
        if "link" in credential:
            status, _body = self.request(credential["link"], timeout=timeout)
            if status != 302:
                raise RuntimeError(f"personal link answered {status}")
            return
        status, body = self.request("/admin/login/", timeout=timeout)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not token:
            raise RuntimeError(f"the admin's login page answered {status}")
        fields = {"username": credential["username"], "password": credential["password"], "next": "/admin/"}
        status, _body = self.request(
            "/admin/login/?next=/admin/",
            timeout=timeout,
            data=fields | {"csrfmiddlewaretoken": token.group(1).decode()},
        )
        if status != 302:
            raise RuntimeError(f"logging in as {credential['username']} answered {status}")


def measure(browser: Browser, path: str, *, repeat: int, timeout: float, quick: bool = False) -> dict:
    """A warm-up, then `repeat` timed requests; stops at the first over `timeout` or not 200.

    With `quick`, no warm-up (every answer counts), and a page whose every answer so far took
    twice the goal is not asked again: it misses whatever the next answers take.
    """
    times, size, status = [], 0, 200
    for attempt in range(repeat + (0 if quick else 1)):
        started = time.perf_counter()
        try:
            status, body = browser.request(path, timeout=timeout)
        except (TimeoutError, OSError) as error:  # a timeout, or the worker killed under it
            return {"status": "timeout" if "timed out" in str(error) else f"error: {error}", "times": times}
        elapsed = time.perf_counter() - started
        if status != 200:
            return {"status": status, "times": times}
        size = len(body)
        # The warm-up fills the workers' caches; a slow first answer is representative and counts.
        if attempt or elapsed > 2 or quick:
            times.append(elapsed)
        if len(times) >= repeat or (quick and times and min(times) >= 2 * PAGE_GOAL):
            break
    return {"status": status, "times": times, "median": statistics.median(times), "bytes": size}


def pages_measure(database_url: str, plan: dict, options, only) -> dict:
    """Every page of the plan (and /healthz) against a fresh gunicorn on this database."""
    server = Server(database_url, options.timeout)
    try:
        server.wait_up()
        browsers = {"anonymous": Browser(server.base)}
        for role, credential in plan["credentials"].items():
            browsers[role] = Browser(server.base)
            browsers[role].log_in(credential, options.timeout)
        healthz = measure(browsers["anonymous"], "/healthz", repeat=HEALTHZ_REPEAT, timeout=options.timeout)
        results = {}
        for page in plan["pages"]:
            if only(page["name"]):
                results[page["name"]] = measure(
                    browsers[page["role"]],
                    page["url"],
                    repeat=options.repeat,
                    timeout=options.timeout,
                    quick=options.quick,
                )
        return {"healthz": healthz.get("median"), "pages": results}
    finally:
        server.stop()


def batches_run(database_url: str, slug: str, workdir: Path, options, only) -> dict:
    from bench.pages_batches import BATCHES

    results = {}
    env = _server_env(database_url)
    for name in BATCHES:
        if not only(name):
            continue
        out = workdir / f"batch-{slug}-{name.replace(' ', '-')}.json"
        try:
            subprocess.run(
                [PYTHON, __file__, "_batch", name, slug, str(workdir), "quick" if options.quick else "full", str(out)],
                env=env,
                cwd=ROOT,
                check=True,
                timeout=options.batch_timeout + 10,  # Django's start-up is not the batch's
                capture_output=True,
                text=True,
            )
            results[name] = json.loads(out.read_text())
        except subprocess.TimeoutExpired:
            results[name] = {"error": f"over {options.batch_timeout:g} s: stopped"}
        except subprocess.CalledProcessError as error:
            results[name] = {"error": (error.stderr or "").strip().splitlines()[-1:] or [f"exit {error.returncode}"]}
            results[name]["error"] = results[name]["error"][0][:200]
    return results


# --- the report ----------------------------------------------------------------------------------


def _ms(seconds) -> str:
    return "–" if seconds is None else (f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s")


def page_verdict(small: dict, large: dict) -> tuple[str, float | None]:
    """("" when met, else why) and the growth ratio."""
    for result in (small, large):
        if "median" not in result:
            return f"{result['status']}", None
    growth = large["median"] / small["median"] if small["median"] else None
    if large["median"] >= PAGE_GOAL:
        return f"{_ms(large['median'])} ≥ 1 s", growth
    if growth and growth > GROWTH_LIMIT and large["median"] >= PAGE_FLOOR:
        return f"grows {growth:.0f}× > {GROWTH_LIMIT:g}×", growth
    return "", growth


def batch_verdict(name: str, small: dict, large: dict, mode: str) -> tuple[str, float | None]:
    from bench.pages_batches import solver_goal

    for result in (small, large):
        if "error" in result:
            return result["error"], None
    a, b = small["seconds"], large["seconds"]
    growth = b / a if a else None
    if name == "restore" and b >= RESTORE_GOAL:
        return f"{b:.1f} s ≥ {RESTORE_GOAL:g} s", growth
    if name == "solver":
        goal = solver_goal(mode)
        return ("" if max(a, b) <= goal else f"{max(a, b):.1f} s > {goal:g} s"), growth
    if growth and growth > GROWTH_LIMIT and b >= BATCH_FLOOR:
        return f"grows {growth:.0f}× > {GROWTH_LIMIT:g}×", growth
    return "", growth


def report(db: str, plans: dict, pages: dict, batches: dict, mode: str) -> list[str]:
    """Print one database's tables; return what missed."""
    small, large = SIZES
    missed = []
    hz = {size: pages[size]["healthz"] for size in SIZES}
    print(f"\n### {db}: pages ({plans[large]['figures']})")
    print(f"/healthz median: {_ms(hz[small])} at {small}, {_ms(hz[large])} at {large:,}\n")
    print(f"| page | as | {small} | {large:,} | × /healthz | growth | bytes at {large:,} | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for page in plans[large]["pages"]:
        name = page["name"]
        if name not in pages[large]["pages"]:
            continue
        a, b = pages[small]["pages"].get(name, {"status": "not in the 100 plan"}), pages[large]["pages"][name]
        why, growth = page_verdict(a, b)
        ratio = f"{b['median'] / hz[large]:.0f}" if "median" in b and hz[large] else "–"
        grown = f"{growth:.1f}" if growth else "–"
        size = f"{b['bytes']:,}" if "bytes" in b else "–"
        print(
            f"| {name} | {page['role']} | {_ms(a.get('median'))} | {_ms(b.get('median'))} | {ratio} | {grown} "
            f"| {size} | {'met' if not why else 'MISSED: ' + why} |"
        )
        if why:
            missed.append(f"{db} {name} ({why})")
    for item in plans[large]["not_measured"]:
        print(f"not measured: {item['name']}: {item['reason']}")
        if item["reason"].startswith("cannot build"):
            missed.append(f"{db} {item['name']} (not measured)")
    if batches[large]:
        from bench.pages_batches import BATCHES

        print(f"\n### {db}: batches\n")
        print(f"| batch | {small} | {large:,} | growth | at {large:,} | goal |")
        print("|---|---|---|---|---|---|")
        for name in batches[large]:
            a, b = batches[small].get(name, {"error": "not run"}), batches[large][name]
            why, growth = batch_verdict(name, a, b, mode)
            seconds = [f"{r['seconds']:.2f} s" if "seconds" in r else "–" for r in (a, b)]
            detail = b.get("detail", b.get("error", ""))
            grown = f"{growth:.1f}" if growth else "–"
            print(
                f"| {name}: {BATCHES[name][1]} | {seconds[0]} | {seconds[1]} | {grown} | {detail} "
                f"| {'met' if not why else 'MISSED: ' + why} |"
            )
            if why:
                missed.append(f"{db} batch {name} ({why})")
    return missed


def run_database(db: str, options, only, workdir: Path) -> list[str]:
    print(f"\n## {db}", flush=True)
    try:
        urls = databases_create(db, workdir)
        plans, pages, batches = {}, {}, {}
        for size in SIZES:
            out = workdir / f"plan-{db}-{size}.json"
            _run([PYTHON, __file__, "_generate", str(size), str(out)], _server_env(urls[size]))
            plans[size] = json.loads(out.read_text())
            print(
                f"generated {size:,} participants in {plans[size]['seconds']:.1f} s: {plans[size]['figures']}",
                flush=True,
            )
        for size in SIZES:
            started = time.perf_counter()
            pages[size] = pages_measure(urls[size], plans[size], options, only)
            print(
                f"pages at {size:,}: {len(pages[size]['pages'])} in {time.perf_counter() - started:.0f} s", flush=True
            )
        for size in SIZES:
            started = time.perf_counter()
            batches[size] = batches_run(urls[size], plans[size]["slug"], workdir, options, only)
            print(f"batches at {size:,}: {time.perf_counter() - started:.0f} s", flush=True)
        return report(db, plans, pages, batches, "quick" if options.quick else "full")
    finally:
        databases_drop(db)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_generate":
        _generate(int(sys.argv[2]), sys.argv[3])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "_batch":
        _batch(*sys.argv[2:7])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--quick", action="store_true", help="3 requests a page and no warm-up, shorter timeouts and solver limits"
    )
    parser.add_argument("--repeat", type=int, help="timed requests per page (default 5; 3 with --quick)")
    parser.add_argument("--timeout", type=float, help="seconds a request may take (default 30; 15 with --quick)")
    parser.add_argument("--batch-timeout", type=float, help="seconds a batch may take (default 120; 60 with --quick)")
    parser.add_argument("--only", help="only the pages and batches whose name contains this (a regular expression)")
    options = parser.parse_args()
    options.repeat = options.repeat or (3 if options.quick else 5)
    options.timeout = options.timeout or (15 if options.quick else 30)
    options.batch_timeout = options.batch_timeout or (60 if options.quick else 120)
    pattern = re.compile(options.only or "", re.IGNORECASE)

    def only(name: str) -> bool:
        return bool(pattern.search(name))

    print(
        f"{os.cpu_count()} cores, gunicorn with {WORKERS} sync workers, the client on the same machine; "
        f"{options.repeat} requests a page{' (no warm-up)' if options.quick else ' after a warm-up'}, "
        f"timeout {options.timeout:g} s; "
        f"batches stopped after {options.batch_timeout:g} s; load average {os.getloadavg()[0]:.1f}"
    )
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="breakouts-pages-"))
    missed = []
    try:
        for db in ("postgres", "sqlite") if options.db == "both" else (options.db,):
            missed += run_database(db, options, only, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nwhole run: {time.perf_counter() - started:.0f} s; load average at the end {load} (over 2 means other work shared the cores)"
    )
    print("goal met: every page and batch" if not missed else "goal missed: " + "; ".join(missed))
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
