"""Admin and backup benchmark at the 3,000 size: the workshop's change and delete pages, backup, restore.

Run from the project root against a database of your own, e.g.
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bench .venv/bin/python bench/admin_pages.py`
(the database is migrated; a workshop `admin-bench-N` of N participants, N/30 groups, 6 sessions
and N/12 facilitators is generated once, with the default questions and every worksheet filled:
one per participant and session, with an answer to each question). `--participants` sets N
(default 3,000). Prints, for each page, the median of three requests made in-process with
Django's test client as the workshop's organiser, the bytes and the number of form fields; for
the change page also whether a POST of the form as shown saves; then backup and restore times.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "admin-benchmark-only")


def _workshop(participants: int):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from worksheets.enums import QuestionKind, Sharing, WorksheetStatus
    from worksheets.models import Answer, Worksheet
    from worksheets.services import questions_create_defaults
    from workshops.models import Workshop

    slug = f"admin-bench-{participants}"
    organiser, _created = get_user_model().objects.get_or_create(
        username="admin-bench", defaults={"is_staff": True, "email": "admin-bench@example.org"}
    )
    workshop = Workshop.objects.filter(slug=slug).first()
    if workshop is None:
        started = time.perf_counter()
        groups = max(2, participants // 30)
        call_command(
            "generate_workshop",
            participants=participants,
            groups=groups,
            sessions=6,
            facilitators=max(4, participants // 12),
            slug=slug,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
        workshop = Workshop.objects.get(slug=slug)
        questions = questions_create_defaults(workshop=workshop)
        sessions = list(workshop.sessions.all())
        people = list(workshop.participants.all())
        worksheets = Worksheet.objects.bulk_create(
            [
                Worksheet(
                    participant=p, session=s, status=WorksheetStatus.SUBMITTED, sharing=Sharing.ANONYMOUS, revision=2
                )
                for p in people
                for s in sessions
            ],
            batch_size=2000,
        )
        Answer.objects.bulk_create(
            [
                Answer(worksheet=w, question=q, **({"scale": 4} if q.kind == QuestionKind.SCALE else {"text": "Fine."}))
                for w in worksheets
                for q in questions
                if q.session_id in (None, w.session_id)
            ],
            batch_size=5000,
        )
        print(f"generated {slug} in {time.perf_counter() - started:.1f} s", flush=True)
    workshop.organisers.add(organiser)
    return workshop, organiser


def _median(function, times=3):
    durations, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), result


def _fields(html: str) -> dict:
    """The change form's fields as a browser would send them (inputs, selects with their selection, textareas)."""
    match = re.search(r'<form[^>]*id="\w+_form"', html)
    if match is None:
        return {}
    form = html[match.start() :]
    form = form[: form.index("</form>")]
    data = {}
    for tag in re.finditer(r"<input\b[^>]*>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(0)))
        if "name" not in attrs or attrs.get("type") in ("submit", "button", "file"):
            continue
        if attrs.get("type") == "checkbox" and "checked" not in tag.group(0):
            continue
        data.setdefault(attrs["name"], []).append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
    for select in re.finditer(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen
    for area in re.finditer(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        from html import unescape

        data[area.group(1)] = [unescape(area.group(2)).lstrip("\n")]
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--skip-restore", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from organise.backup import workshop_backup_json, workshop_restore
    from workshops.models import Group, Room, Workshop

    call_command("migrate", verbosity=0)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    workshop, organiser = _workshop(args.participants)
    print(f"{connection.vendor}, {workshop.participants.count()} participants, {workshop.groups.count()} groups")
    client = Client()
    client.force_login(organiser)
    change = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    delete = reverse("admin:workshops_workshop_delete", args=[workshop.pk])
    for label, path in [
        ("workshop change page", change),
        ("workshop delete page", delete),
        ("group change page", reverse("admin:workshops_group_change", args=[workshop.groups.first().pk])),
        ("session change page", reverse("admin:workshops_breakoutsession_change", args=[workshop.sessions.first().pk])),
        (
            "facilitator change page",
            reverse("admin:workshops_facilitator_change", args=[workshop.facilitators.first().pk]),
        ),
    ]:
        with CaptureQueriesContext(connection) as queries:
            seconds, response = _median(lambda path=path: client.get(path))
        html = response.content.decode()
        fields = sum(len(values) for values in _fields(html).values())
        print(
            f"{label:26} {response.status_code} {seconds:6.2f} s  {len(response.content) / 1e6:5.2f} MB"
            f"  {len(queries) // 3:4d} queries  {fields:5d} fields"
        )
    data = _fields(client.get(change).content.decode())
    data["_continue"] = ["Save and continue editing"]
    started = time.perf_counter()
    response = client.post(change, data)
    print(
        f"workshop change page POST {response.status_code} {time.perf_counter() - started:6.2f} s"
        f"  {sum(len(v) for v in data.values())} fields  saved: {response.status_code == 302}"
    )

    started = time.perf_counter()
    text = workshop_backup_json(workshop=workshop)
    print(f"backup  {time.perf_counter() - started:6.2f} s  {len(text) / 1e6:5.1f} MB")
    if args.skip_restore:
        return
    copy = f"{workshop.slug}-restored"
    old = Workshop.objects.filter(slug=copy).first()
    if old is not None:
        Group.objects.filter(workshop=old).delete()
        Room.objects.filter(workshop=old).delete()
        old.delete()
    started = time.perf_counter()
    workshop_restore(text=text, slug=copy)
    print(f"restore {time.perf_counter() - started:6.2f} s")


if __name__ == "__main__":
    main()
