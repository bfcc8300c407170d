"""Restore benchmark: time (and optionally profile) `workshop_restore` of the page benchmark's world.

Run from the project root: `.venv/bin/python bench/restore_profile.py [--db sqlite|postgres|both]
[--sizes 100,3000] [--repeat N] [--profile] [--keep] [--before DIR]`. Needs PostgreSQL on 127.0.0.1:5432 (the
role `postgres` may create databases; `PAGES_PG_URL` overrides it) for the PostgreSQL part.

For each database and size it generates the page benchmark's world (bench/pages_data.py) into a
throwaway database (PostgreSQL `h_restore_world_N`, or a SQLite file), backs the workshop up
with `workshop_backup`, then, `--repeat` times, copies the world (PostgreSQL: `CREATE DATABASE ...
TEMPLATE`; SQLite: the file) and runs `workshop_restore` of the backup into the copy in a fresh
process, printing the restore's time and when each kind of row was complete. `--profile`
adds a cProfile of one restore (the 25 costliest functions by cumulative time). `--before DIR`
also restores with the code in DIR (e.g. `git archive main | tar -x -C DIR`), alternating with
this tree's, so both are measured under the same load. The databases are dropped at the end
unless `--keep` (the worlds are then reused by the next run).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.pages import PG_SERVER, _pg_admin, _run  # noqa: E402  (the page benchmark's database helpers)

PYTHON = sys.executable
WORKDIR = Path(tempfile.gettempdir()) / "breakouts-restore-bench"


def _env(database_url: str) -> dict:
    from config.local_server import local_server_env

    return local_server_env(database_url, purpose="restore-benchmark")


def _world_url(db: str, size: int) -> str:
    if db == "postgres":
        return f"{PG_SERVER}/h_restore_world_{size}"
    return f"sqlite:///{WORKDIR / f'world-{size}.sqlite3'}"


def _copy_url(db: str, size: int) -> str:
    if db == "postgres":
        return f"{PG_SERVER}/h_restore_copy_{size}"
    return f"sqlite:///{WORKDIR / f'copy-{size}.sqlite3'}"


def _backup_path(db: str, size: int) -> Path:
    return WORKDIR / f"{db}-{size}-backup.json"


def world_ensure(db: str, size: int) -> None:
    """The world of `size` in its own database and its backup file, generated once."""
    backup = _backup_path(db, size)
    if backup.exists():
        return
    url = _world_url(db, size)
    if db == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS h_restore_world_{size} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE h_restore_world_{size}")
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    env = _env(url)
    started = time.perf_counter()
    _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    _run([PYTHON, __file__, "_generate", str(size)], env)
    _run([PYTHON, "manage.py", "workshop_backup", f"bench-{size}", "--output", str(backup)], env)
    print(f"{db} {size}: world generated and backed up in {time.perf_counter() - started:.0f} s", flush=True)


def copy_make(db: str, size: int) -> str:
    url = _copy_url(db, size)
    if db == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS h_restore_copy_{size} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE h_restore_copy_{size} TEMPLATE h_restore_world_{size}")
    else:
        shutil.copyfile(_world_url(db, size).removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
    return url


def drop(db: str, size: int) -> None:
    if db == "postgres":
        for name in (f"h_restore_world_{size}", f"h_restore_copy_{size}"):
            _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        for url in (_world_url(db, size), _copy_url(db, size)):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    _backup_path(db, size).unlink(missing_ok=True)


def restore_once(db: str, size: int, *, profile: bool, code: str | None = None) -> float:
    url = copy_make(db, size)
    args = [PYTHON, __file__, "_restore", str(_backup_path(db, size)), f"bench-{size}-restored"]
    if profile:
        args.append("--profile")
    env = _env(url)
    if code:  # the other tree's apps, imported before this one's (see _restore)
        env.update(RESTORE_BENCH_CODE=code, PYTHONDONTWRITEBYTECODE="1")
    result = _run(args, env, capture_output=True, text=True)
    lines = result.stdout.splitlines()
    seconds = float(lines[-1].split()[1])
    for line in lines[:-1]:
        print("   ", line)
    return seconds


# --- steps run in a child process -----------------------------------------------------------------


def _generate(size: int) -> None:
    import django

    django.setup()
    from bench.pages_data import world_generate

    world_generate(participants=size, slug=f"bench-{size}")


def _restore(path: str, slug: str, profile: bool) -> None:
    if os.environ.get("RESTORE_BENCH_CODE"):
        sys.path.insert(0, os.environ["RESTORE_BENCH_CODE"])
    import django

    django.setup()
    from organise.backup import workshop_restore

    text = Path(path).read_bytes()
    started = time.perf_counter()
    marks = []

    def progress(kind, done, total):
        if done == total:
            marks.append(f"{time.perf_counter() - started:6.2f} s  {kind} {total}")

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    workshop_restore(text=text, slug=slug, progress=progress)
    seconds = time.perf_counter() - started
    if profile:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    print("\n".join(marks))
    print(f"restored {seconds:.3f} s")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_generate":
        _generate(int(sys.argv[2]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "_restore":
        _restore(sys.argv[2], sys.argv[3], "--profile" in sys.argv)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="100,3000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the worlds for the next run")
    parser.add_argument("--before", help="a tree of the code before, restored with too, alternately")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    dbs = ("postgres", "sqlite") if options.db == "both" else (options.db,)
    WORKDIR.mkdir(exist_ok=True)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    medians = {}
    try:
        for db in dbs:
            for size in sizes:
                world_ensure(db, size)
                times = {"after": [], "before": []}
                for index in range(options.repeat):
                    for code in ("before", "after") if options.before else ("after",):
                        seconds = restore_once(
                            db,
                            size,
                            profile=options.profile and index == 0,
                            code=options.before if code == "before" else None,
                        )
                        times[code].append(seconds)
                        print(f"{db} {size}: restore {seconds:.2f} s ({code})", flush=True)
                for code, values in times.items():
                    if values:
                        medians[db, size, code] = statistics.median(values)
    finally:
        if not options.keep:
            for db in dbs:
                for size in sizes:
                    drop(db, size)
    for db in dbs:
        for code in ("before", "after") if options.before else ("after",):
            found = {size: medians[db, size, code] for size in sizes if (db, size, code) in medians}
            line = ", ".join(f"{size}: {seconds:.2f} s" for size, seconds in found.items())
            if len(found) == 2:
                line += f", growth {found[sizes[1]] / found[sizes[0]]:.1f}×"
            print(f"{db} median restore ({code}): {line}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
