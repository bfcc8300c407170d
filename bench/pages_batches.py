"""The page benchmark's batches, each timed in its own Django process by bench/pages.py.

Each batch is a function of the benchmark's workshop (its short name) and a working folder; it
prepares what it needs untimed (a file to import, a backup to restore), then returns the
seconds the batch itself took and a few words about what it did. They go through the same
entry points an organiser's action does: the management commands where there is one
(`workshop_backup`, `workshop_restore`, `import_people`, `place_participants`,
`build_rotation`), the services otherwise (invitations, exports), and the background jobs' work
for the badges PDF and the report's files. The mail backend is Django's in-memory one; tasks run
inline (`TASKS_BACKEND=immediate`).
"""

import csv
import io
import time
import uuid
from pathlib import Path

from django.core.management import call_command

SOLVER_SECONDS = {"quick": 5, "full": 10}  # --time-limit of each solver command


def _workshop(slug):
    from workshops.models import Workshop

    return Workshop.objects.get(slug=slug)


def _quiet(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def _backup_path(slug, workdir: Path) -> Path:
    """The backup of this database's workshop (both databases' workshops have the same short name)."""
    from django.db import connection

    return workdir / f"{slug}-{connection.vendor}-backup.json"


def _backup_file(slug, workdir: Path) -> Path:
    path = _backup_path(slug, workdir)
    if not path.exists():
        _quiet("workshop_backup", slug, output=str(path))
    return path


def backup(slug, workdir: Path, mode: str) -> tuple[float, str]:
    path = _backup_path(slug, workdir)
    started = time.perf_counter()
    _quiet("workshop_backup", slug, output=str(path))
    seconds = time.perf_counter() - started
    return seconds, f"{path.stat().st_size / 1e6:.1f} MB of JSON"


def restore(slug, workdir: Path, mode: str) -> tuple[float, str]:
    path = _backup_file(slug, workdir)
    started = time.perf_counter()
    _quiet("workshop_restore", str(path), slug=f"{slug}-restored")
    return time.perf_counter() - started, "the backup above, as a new workshop"


def people_import(slug, workdir: Path, mode: str) -> tuple[float, str]:
    """The workshop's participants as a registration file (CSV), imported into a new empty workshop."""
    from workshops.models import Workshop

    source = _workshop(slug)
    path = workdir / f"{slug}-people.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Name", "E-mail", "Country", "Organisation", "Languages", "Gender"])
        for person in source.participants.order_by("pk"):
            writer.writerow(
                [
                    person.name,
                    person.email,
                    person.country.code,
                    person.organisation,
                    ", ".join(person.languages),
                    person.gender,
                ]
            )
    target = Workshop.objects.create(
        slug=f"{slug}-import", title_en="Import target", start_date=source.start_date, end_date=source.end_date
    )
    started = time.perf_counter()
    output = _quiet("import_people", target.slug, str(path), kind="participants")
    seconds = time.perf_counter() - started
    created = target.participants.count()
    if created != source.participants.count():
        raise RuntimeError(f"imported {created} of {source.participants.count()}: {output[-500:]}")
    return seconds, f"{created} people from CSV"


def invitations(slug, workdir: Path, mode: str) -> tuple[float, str]:
    """Everyone's link again (participants and facilitators), queued then sent through the in-memory mailer.

    The sending task runs here, inline and timed (on a server it runs in a thread or a worker after
    the request: timed alone, queuing said nothing of sending).
    """
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from workshops.invitations import (
        Audience,
        Selection,
        invitation_batch_counts,
        invitation_batch_create,
        invitation_batch_send,
    )

    workshop = _workshop(slug)
    organiser = get_user_model().objects.get(username="bench-organiser")
    batch = uuid.uuid4()
    started = time.perf_counter()
    with override_settings(TASKS_IMMEDIATE_IN_THREAD=False):  # the sending task inline, once queued
        queued = invitation_batch_create(
            workshop=workshop,
            audience=Audience.EVERYONE,
            selection=Selection.ALL,
            batch=batch,
            user=organiser,
            base_url="http://127.0.0.1",
        )
        # Inside a transaction (the tests') the task waits for a commit that never comes: send here.
        # Each e-mail is claimed before it is sent, so what the task sent already is not sent twice.
        invitation_batch_send(batch=batch, base_url="http://127.0.0.1")
    seconds = time.perf_counter() - started
    counts = invitation_batch_counts(batch=batch)
    if counts["sent"] != queued:
        raise RuntimeError(f"{queued} queued but {counts['sent']} sent: {dict(counts)}")
    return seconds, f"{queued} queued and sent"


def _export(render) -> tuple[float, str]:
    started = time.perf_counter()
    content = render()
    return time.perf_counter() - started, f"{len(content) / 1e6:.2f} MB"


def export_participants(slug, workdir: Path, mode: str) -> tuple[float, str]:
    from workshops.imports.exports import dataset_render, participants_table

    workshop = _workshop(slug)
    return _export(lambda: dataset_render(participants_table(workshop=workshop), "xlsx"))


def export_schedule(slug, workdir: Path, mode: str) -> tuple[float, str]:
    from workshops.imports.exports import dataset_render, schedule_table

    workshop = _workshop(slug)
    return _export(lambda: dataset_render(schedule_table(workshop=workshop), "xlsx"))


def _report_file(slug, kind) -> tuple[float, str]:
    """The report's file as its background job makes it (`report_file_task`, run here), result stored included."""
    from worksheets.report_files import report_file_task
    from workshops.jobs import job_create
    from workshops.models import Job

    job = job_create(workshop=_workshop(slug), kind=kind)
    started = time.perf_counter()
    report_file_task.call(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.state != Job.State.DONE:
        raise RuntimeError(f"report job {job.state}: {job.message}")
    return seconds, f"{job.result_size / 1e6:.2f} MB, {job.total:,} answers read"


def export_report(slug, workdir: Path, mode: str) -> tuple[float, str]:
    from workshops.models import Job

    return _report_file(slug, Job.Kind.REPORT_XLSX)


def export_report_csv(slug, workdir: Path, mode: str) -> tuple[float, str]:
    from workshops.models import Job

    return _report_file(slug, Job.Kind.REPORT_CSV)


def badges(slug, workdir: Path, mode: str) -> tuple[float, str]:
    """Everyone's badges as the organiser gets them: the PDF the background job builds (its work, timed)."""
    from django.contrib.auth import get_user_model

    from worksheets.badges import badges_pdf_task
    from workshops.jobs import job_create, job_result
    from workshops.models import Job

    workshop = _workshop(slug)
    organiser = get_user_model().objects.get(username="bench-organiser")
    # Queued as `badges_job_start` queues it, then run here rather than in a thread, to be timed.
    job = job_create(
        workshop=workshop, kind=Job.Kind.BADGES, user=organiser, params={"base_url": "http://127.0.0.1", "group": None}
    )
    started = time.perf_counter()
    state = badges_pdf_task.call(job_id=job.pk)
    seconds = time.perf_counter() - started
    job = Job.objects.without_result().get(pk=job.pk)
    if state != Job.State.DONE:
        raise RuntimeError(f"badges job {state}: {job.message_display}")
    return seconds, f"{job.total} badges, {len(job_result(job=job)) / 1e6:.1f} MB of PDF"


def solver(slug, workdir: Path, mode: str) -> tuple[float, str]:
    """`place_participants` then `build_rotation`, each with --time-limit, applied."""
    limit = SOLVER_SECONDS[mode]
    started = time.perf_counter()
    _quiet("place_participants", slug, time_limit=limit)
    placed = time.perf_counter()
    _quiet("build_rotation", slug, time_limit=limit)
    done = time.perf_counter()
    return done - started, f"placement {placed - started:.1f} s + rotation {done - placed:.1f} s, --time-limit {limit}"


# name: (function, what it is); run in this order (the solver last: it moves people).
BATCHES = {
    "backup": (backup, "workshop_backup"),
    "restore": (restore, "workshop_restore of that backup"),
    "import": (people_import, "import_people of everyone, into an empty workshop"),
    "invitations": (invitations, "everyone's link sent (in-memory mailer)"),
    "export participants": (export_participants, "participants as Excel"),
    "export schedule": (export_schedule, "schedule as Excel"),
    "export report": (export_report, "feedback report as Excel (its background job's work)"),
    "export report csv": (export_report_csv, "feedback report as CSV (its background job's work)"),
    "badges": (badges, "badges for everyone"),
    "solver": (solver, "place_participants + build_rotation"),
}


def solver_goal(mode: str) -> float:
    """The solver batch's goal: both commands within their time limits plus 10 s for loading and applying."""
    return 2 * SOLVER_SECONDS[mode] + 10
