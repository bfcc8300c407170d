"""Load benchmark: participants autosaving against gunicorn, with `/healthz` as the baseline.

Run from the project root: `.venv/bin/python bench/load.py [--quick]` (about 9 minutes;
`--quick` about two). Needs the "load" extra (locust) and, for the PostgreSQL part, a server on
127.0.0.1:5432 where the role `postgres` may create databases (`LOAD_PG_URL` overrides it).

For each case it creates a throwaway database (PostgreSQL `breakouts_load`, or an SQLite file in
WAL mode), migrates it, generates a workshop of N participants with the default worksheet
questions, issues their personal links, starts gunicorn on 127.0.0.1 (2 × cores workers, DEBUG
off, persistent connections) and runs locust headless (`bench/locustfile.py`): N participants
log in once, open their worksheet and autosave every 5 seconds; 20 more users hit `/healthz`.
It prints throughput, p50/p95/p99 and error rate of both over the steady state (from 20 s
after the last participant joined, once the join storm's queue has drained; what autosaves met
before is printed apart), the ratio of the p95s (goal ≤ 3, zero errors over the whole run),
then checks that every participant's last accepted answer is the one stored.
gunicorn is stopped and the database dropped at the end, even on failure.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_SERVER = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "breakouts_load"
BASELINE_USERS = 20  # Baseline.fixed_count in the locustfile
GOAL_RATIO = 3.0

# (database, participants, seconds)
FULL = [("postgresql", 300, 60), ("postgresql", 1000, 75), ("sqlite", 300, 60), ("sqlite", 1000, 75)]
QUICK = [("postgresql", 50, 20), ("sqlite", 50, 20)]
SAVE_EVERY = 5  # seconds, as in the locustfile
SETTLE = 20  # seconds after the last participant joined before the figures start (the join storm drains)
KEEPS_UP = 0.9  # autosave throughput at least this share of what the participants offer


def _server_env(database_url: str) -> dict:
    from config.local_server import local_server_env  # the project root is on sys.path (see the end)

    return local_server_env(database_url, purpose="load-benchmark")


# --- steps run in a child process (settings are read once per process) ---------------------


def _prepare(participants: int, out: str) -> None:
    """Generate a workshop of `participants`, its questions and links; write the people to `out`."""
    import django

    django.setup()
    from worksheets.enums import QuestionKind
    from worksheets.services import questions_create_defaults
    from workshops.access import personal_link_path
    from workshops.models import Participant
    from workshops.schedule_store import schedule_store
    from workshops.scheduling.generate import schedule_generate

    groups = max(2, participants // 25)
    schedule = schedule_generate(
        participants=participants,
        groups=groups,
        sessions=2,
        facilitators=2 * groups + 2,
        countries=min(40, participants),
        seed=7,
    )
    workshop = schedule_store(schedule=schedule, slug=f"load-{participants}", title=f"Load {participants}")
    questions = questions_create_defaults(workshop=workshop)
    question = next(q for q in questions if q.kind != QuestionKind.SCALE and q.session_id is None)
    session = workshop.sessions.order_by("start").first()
    people = [
        {
            "participant": p.pk,
            "link": personal_link_path(person=p),
            "session": session.pk,
            "question": question.pk,
        }
        for p in Participant.objects.filter(workshop=workshop).order_by("pk")
    ]
    Path(out).write_text(json.dumps(people))


def _verify(accepted_file: str, people_file: str) -> None:
    """Compare each participant's last accepted answer with the stored one; print a JSON summary."""
    import django

    django.setup()
    from worksheets.models import Answer

    result = json.loads(Path(accepted_file).read_text())
    accepted = {int(k): v for k, v in result["accepted"].items()}
    unknown = set(result["unknown"])
    people = {p["participant"]: p for p in json.loads(Path(people_file).read_text())}
    stored = {
        a.worksheet.participant_id: (a.text, a.revision)
        for a in Answer.objects.select_related("worksheet").filter(
            worksheet__participant_id__in=list(accepted), question_id=next(iter(people.values()))["question"]
        )
    }
    missing = [pid for pid, last in accepted.items() if stored.get(pid) != (last["text"], last["revision"])]
    # A save whose response never arrived may have been stored after the last accepted one.
    lost = [pid for pid in missing if pid not in unknown]
    summary = {"accepted": len(accepted), "found": len(accepted) - len(missing), "lost": len(lost)}
    print(json.dumps(summary | {"failed": result.get("failed", 0), "ramp": result.get("ramp", {})}))


# --- the orchestration -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def _pg_admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(PG_SERVER + "/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def _wait_up(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _stats(prefix: str) -> dict:
    rows = {}
    with open(f"{prefix}_stats.csv") as source:
        for row in csv.DictReader(source):
            rows[row["Name"]] = row
    return rows


def _figures(row: dict) -> dict:
    count = int(row["Request Count"])
    failures = int(row["Failure Count"])
    return {
        "requests": count,
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
        "errors": failures / count if count else 0.0,
    }


def run_case(database: str, participants: int, seconds: int, workdir: Path) -> dict:
    """One full case: database, data, gunicorn, locust, verification; always cleaned up."""
    if database == "postgresql":
        database_url = f"{PG_SERVER}/{PG_NAME}"
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {PG_NAME}")
    else:
        database_url = f"sqlite:///{workdir / 'load.sqlite3'}"
    env = _server_env(database_url)
    server = None
    try:
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        people_file = workdir / f"people-{database}-{participants}.json"
        _run([PYTHON, __file__, "_prepare", str(participants), str(people_file)], env)

        port = _free_port()
        workers = 2 * (os.cpu_count() or 1)
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers)]
            + ["--timeout", "60", "--backlog", "2048", "--log-level", "warning"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        _wait_up(port)

        prefix = str(workdir / f"stats-{database}-{participants}")
        accepted_file = workdir / f"accepted-{database}-{participants}.json"
        locust_env = dict(os.environ, LOAD_PEOPLE=str(people_file), LOAD_ACCEPTED=str(accepted_file))
        users = participants + BASELINE_USERS
        spawn_rate = min(50, max(10, participants // 10))
        # The figures cover `seconds` of steady state: they start SETTLE seconds after every user
        # has joined (the locustfile resets them then). The join storm (a login and a worksheet
        # page per participant) and its queue are reported apart; autosave errors and the
        # accepted answers count over the whole run.
        join_seconds = -(-users // spawn_rate)
        run_time = join_seconds + SETTLE + seconds
        locust_env["LOAD_SETTLE"] = str(SETTLE)
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
            + ["-u", str(users), "-r", str(spawn_rate), "-t", f"{run_time}s"]
            + ["--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary", "--loglevel", "ERROR"]
            + ["--stop-timeout", "10"],
            env=locust_env,
            cwd=ROOT,
            check=False,  # locust exits 1 when any request failed; the figures say which
            capture_output=True,
            text=True,
        )
        stats = _stats(prefix)
        if "CPU usage" in locust.stderr:
            print("  (locust warned that its own CPU usage was above 90 %: the load generator limits these figures)")
        if "Error report" in locust.stderr:
            print(locust.stderr[locust.stderr.index("Error report") :].strip())
        check = subprocess.run(
            [PYTHON, __file__, "_verify", str(accepted_file), str(people_file)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return {
            "database": database,
            "participants": participants,
            "seconds": seconds,
            "join_seconds": join_seconds,
            "autosave": _figures(stats["autosave"]),
            "baseline": _figures(stats["/healthz (baseline)"]),
            "check": json.loads(check.stdout.strip().splitlines()[-1]),
        }
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if database == "postgresql":
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def report(result: dict) -> bool:
    a, b, c = result["autosave"], result["baseline"], result["check"]
    ratio = a["p95"] / b["p95"] if b["p95"] else float("inf")
    offered = result["participants"] / SAVE_EVERY
    keeps_up = a["rps"] >= KEEPS_UP * offered
    met = (
        keeps_up
        and ratio <= GOAL_RATIO
        and a["errors"] == 0
        and b["errors"] == 0
        and c["failed"] == 0
        and c["lost"] == 0
        and c["accepted"] > 0
    )
    print(f"\n{result['database']}, {result['participants']} participants, {result['seconds']} s")
    print(f"  {'':10} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for name in ("autosave", "baseline"):
        f = result[name]
        print(
            f"  {name:10} {f['requests']:>8} {f['rps']:>7.1f} {f['p50']:>7.0f} {f['p95']:>7.0f} "
            f"{f['p99']:>7.0f} {f['errors']:>7.2%}"
        )
    print(
        f"  autosave throughput {a['rps']:.0f}/s of {offered:.0f}/s offered ({'keeps up' if keeps_up else 'SATURATED'})"
    )
    print(f"  autosave failures over the whole run, ramp included: {c['failed']}")
    ramp = c.get("ramp") or {}
    if ramp:
        print(
            f"  while joining and settling ({result['join_seconds']} s + {SETTLE} s, not in the figures): "
            f"{ramp['requests']} autosaves, p95 {ramp['p95']:.0f} ms, "
            f"max {ramp['max']:.0f} ms"
        )
    print(f"  autosave p95 / baseline p95 = {ratio:.2f} (goal ≤ {GOAL_RATIO:g})")
    print(f"  last accepted answers found in the database: {c['found']} of {c['accepted']} (lost: {c['lost']})")
    print(f"  goal {'MET' if met else 'NOT met'}")
    return met


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_prepare":
        _prepare(int(sys.argv[2]), sys.argv[3])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "_verify":
        _verify(sys.argv[2], sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 participants for 15 s on each database")
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="run one database only")
    options = parser.parse_args()
    cases = [c for c in (QUICK if options.quick else FULL) if options.only in (None, c[0])]
    print(f"{os.cpu_count()} cores, gunicorn with {2 * (os.cpu_count() or 1)} sync workers, locust on the same machine")
    workdir = Path(tempfile.mkdtemp(prefix="breakouts-load-"))
    results = []
    try:
        for case in cases:
            results.append(report(run_case(*case, workdir)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
