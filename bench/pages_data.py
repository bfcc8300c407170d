"""The page benchmark's data and its list of pages (bench/pages.py runs these in a Django process).

`world_generate` fills a migrated database with one workshop of a given size, in bulk: the
generated people placed and their facilitators rotated by the solver (short time limits),
worksheets for most participants in every session with an answer to every question, the
facilitators' notes for every group and session, two invitation batches, a solver proposal to
review, logins behind everyone's personal link, an organiser and a superuser. It returns the
"world" the permission matrix (tests/security/test_permission_matrix.py) names its objects by.

`page_plan` turns the permission matrix's enumeration of every URL, and the role that may see
each page (the same choice as tests/test_query_budgets.py), into the URLs to measure, and names
every other URL of the matrix with the reason it is not measured.
"""

import random
import secrets
import uuid
from dataclasses import replace

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bench.pages_day import day_records_make
from curriculum.services import curriculum_load_emm
from organise.demo.worksheets import SAMPLE_TEXTS
from worksheets.enums import QuestionKind, Sharing, WorksheetStatus
from worksheets.models import Answer, TeamNote, Worksheet
from worksheets.services import questions_create_defaults
from workshops.access import participant_users_ensure, person_user_ensure, personal_link_path
from workshops.models import Assignment, Facilitator, Invitation, Job, Participant, ScheduleRun, Workshop
from workshops.schedule_store import schedule_store
from workshops.scheduling.generate import schedule_generate
from workshops.scheduling.placement import participants_place
from workshops.scheduling.rotation import rotation_build
from workshops.services import schedule_run_create, schedule_run_execute

# participants: (groups, sessions, facilitators, countries). The 100 size is the 3,000 one scaled
# down about 30 times in every direction but sessions (six at both sizes), so worksheets,
# answers, notes and invitations grow about 30 times too: "linear" means about 30 times slower.
SIZES = {
    20: (2, 2, 6, 8),  # the test's tiny size
    100: (4, 6, 12, 30),
    3000: (100, 6, 250, 150),
}
ORGANISER = "bench-organiser"
SUPERUSER = "bench-root"
SHARING = [Sharing.ANONYMOUS, Sharing.NAMED, Sharing.PRIVATE, Sharing.ANONYMOUS]
BATCH_SIZE = 2000


def _solved(schedule, seconds: float):
    """The generated schedule with everyone placed and every group staffed, by the solver itself."""
    placement = participants_place(schedule, time_limit=seconds)
    placed = replace(
        schedule, participants=tuple(replace(p, group_id=placement.groups.get(p.id)) for p in schedule.participants)
    )
    rotation = rotation_build(placed, time_limit=seconds)
    return replace(placed, assignments=tuple(rotation.assignments))


def _users() -> dict:
    """The organiser and the superuser, with fresh passwords."""
    User = get_user_model()
    users, passwords = {}, {}
    for username, superuser in ((ORGANISER, False), (SUPERUSER, True)):
        password = secrets.token_urlsafe(12)
        user, _created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
        user.is_staff = True
        user.is_superuser = superuser
        user.set_password(password)
        user.save()
        users[username], passwords[username] = user, password
    return {"users": users, "passwords": passwords}


def _worksheets(workshop: Workshop, rng: random.Random) -> tuple[int, int]:
    """A worksheet for about nine participants in ten in every session, each question answered."""
    questions = list(workshop.questions.order_by("order"))
    sessions = list(workshop.sessions.order_by("start"))
    people = list(Participant.objects.filter(workshop=workshop).order_by("pk").values_list("pk", "preferred_language"))
    now = timezone.now()
    sheets = []
    for index, (pk, _language) in enumerate(people):
        for s_index, session in enumerate(sessions):
            if (index + s_index) % 10 == 9:
                continue  # this one did not open their worksheet of that session
            submitted = (index + s_index) % 3 != 2
            sheets.append(
                Worksheet(
                    participant_id=pk,
                    session=session,
                    status=WorksheetStatus.SUBMITTED if submitted else WorksheetStatus.DRAFT,
                    submitted_at=now if submitted else None,
                    sharing=SHARING[(index + s_index) % len(SHARING)],
                )
            )
    Worksheet.objects.bulk_create(sheets, batch_size=BATCH_SIZE)
    language = dict(people)
    rows = Worksheet.objects.filter(session__workshop=workshop).values_list("pk", "participant_id")
    answers = []
    for worksheet_id, participant_id in rows.iterator():
        texts = SAMPLE_TEXTS.get(language[participant_id], SAMPLE_TEXTS["en"])
        for question in questions:
            if question.kind == QuestionKind.SCALE:
                answers.append(Answer(worksheet_id=worksheet_id, question=question, scale=rng.randint(1, 5)))
            else:
                answers.append(Answer(worksheet_id=worksheet_id, question=question, text=rng.choice(texts)))
    Answer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
    return len(sheets), len(answers)


def _notes(workshop: Workshop) -> int:
    """The facilitators' notes of every group in every session, written by one of its facilitators."""
    notes = {}
    for session_id, group_id, facilitator_id in Assignment.objects.filter(session__workshop=workshop).values_list(
        "session_id", "group_id", "facilitator_id"
    ):
        notes.setdefault((session_id, group_id), facilitator_id)
    TeamNote.objects.bulk_create(
        TeamNote(
            session_id=session_id,
            group_id=group_id,
            updated_by_id=facilitator_id,
            text="Started with the guiding questions; the group asked for more examples from the regions.",
        )
        for (session_id, group_id), facilitator_id in notes.items()
    )
    return len(notes)


def _invitations(workshop: Workshop, organiser) -> int:
    """Everyone invited in a first batch (a few failed), then a reminder batch for a third of the participants."""
    now = timezone.now()
    first, reminders = uuid.uuid4(), uuid.uuid4()
    rows = []
    participants = list(Participant.objects.filter(workshop=workshop).order_by("pk"))
    for index, person in enumerate(participants):
        failed = index % 50 == 7
        rows.append(
            Invitation(
                workshop=workshop,
                participant=person,
                language=person.preferred_language,
                to_email=person.email,
                batch=first,
                created_by=organiser,
                status=Invitation.Status.FAILED if failed else Invitation.Status.SENT,
                error="SMTPRecipientsRefused: mailbox unavailable" if failed else "",
                attempted_at=now,
                sent_at=None if failed else now,
            )
        )
        if index % 3 == 0:
            rows.append(
                Invitation(
                    workshop=workshop,
                    participant=person,
                    kind=Invitation.Kind.REMINDER,
                    language=person.preferred_language,
                    to_email=person.email,
                    batch=reminders,
                    created_by=organiser,
                    status=Invitation.Status.SENT,
                    attempted_at=now,
                    sent_at=now,
                )
            )
    for person in Facilitator.objects.filter(workshop=workshop).order_by("pk"):
        rows.append(
            Invitation(
                workshop=workshop,
                facilitator=person,
                language=person.preferred_language,
                to_email=person.email,
                batch=first,
                created_by=organiser,
                status=Invitation.Status.SENT,
                attempted_at=now,
                sent_at=now,
            )
        )
    Invitation.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _shared_rows() -> None:
    """One row of each shared table the admin shows (as the matrix's world has): an auth group, a
    task result, login logs; the superuser's pages about them then show an object, not a redirect."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group as AuthGroup
    from django_tasks_db.models import DBTaskResult

    AuthGroup.objects.get_or_create(name="Helpers")
    DBTaskResult.objects.create(
        args_kwargs={}, task_path="x.y", backend_name="default", run_after=timezone.now(),
        exception_class_path="", traceback="",
    )  # fmt: skip
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", user_agent="ua", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="ua")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="ua", locked_out=False)


def world_generate(*, participants: int, slug: str, seed: int = 0, solver_seconds: float = 2.0) -> dict:
    """One filled workshop of `participants` (a key of SIZES) and the matrix's world naming its objects.

    Returns {"world": ..., "figures": ..., "passwords": ...}. Expects a migrated database.
    """
    groups, sessions, facilitators, countries = SIZES[participants]
    curriculum_load_emm()
    schedule = schedule_generate(
        participants=participants,
        groups=groups,
        sessions=sessions,
        facilitators=facilitators,
        countries=countries,
        seed=seed,
    )
    schedule = _solved(schedule, solver_seconds)
    rng = random.Random(seed)
    with transaction.atomic():
        accounts = _users()
        _shared_rows()
        organiser = accounts["users"][ORGANISER]
        workshop = schedule_store(
            schedule=schedule, slug=slug, title=f"Page benchmark, {participants} participants", organisers=[organiser]
        )
        Workshop.objects.filter(pk=workshop.pk).update(is_published=True)
        workshop.refresh_from_db()
        questions_create_defaults(workshop=workshop)
        participant_users_ensure(workshop=workshop)
        opened = [
            pk
            for index, pk in enumerate(workshop.participants.order_by("pk").values_list("pk", flat=True))
            if index % 3
        ]
        Participant.objects.filter(pk__in=opened).update(link_opened_at=timezone.now())
        for facilitator in Facilitator.objects.filter(workshop=workshop, user__isnull=True):
            person_user_ensure(person=facilitator)
        worksheets, answers = _worksheets(workshop, rng)
        notes = _notes(workshop)
        invitations = _invitations(workshop, organiser)
        day = day_records_make(workshop=workshop, organiser=organiser)
    # A placement proposal waiting for review, from the solver (its page previews every move).
    run = schedule_run_create(
        workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT, user=organiser, time_limit=1, solved_here=True
    )
    run = schedule_run_execute(run_id=run.pk)
    figures = {
        "participants": workshop.participants.count(),
        "groups": workshop.groups.count(),
        "sessions": workshop.sessions.count(),
        "facilitators": workshop.facilitators.count(),
        "assignments": Assignment.objects.filter(session__workshop=workshop).count(),
        "worksheets": worksheets,
        "answers": answers,
        "notes": notes,
        "invitations": invitations,
        "run": run.status,
        **day["figures"],
    }
    world = world_of(workshop, run, accounts["users"])
    world["mine"].update(day["objects"])
    return {"world": world, "figures": figures, "passwords": accounts["passwords"]}


def world_of(workshop: Workshop, run: ScheduleRun, users: dict) -> dict:
    """The objects the matrix's URLs name, in the shape of its `world` fixture (workshop A only).

    The participant is the first of a group with a worksheet in the first session; the
    facilitator the first with an assignment in it: the people whose pages show the most. Both
    read English (the URLs are reversed in English; Spanish or French readers are redirected).
    """
    session = workshop.sessions.order_by("start", "pk").first()
    worksheet = (
        Worksheet.objects.filter(
            session=session, participant__group__isnull=False, participant__preferred_language="en"
        )
        .select_related("participant__group__room__language_mode")
        .order_by("participant_id")
        .first()
    )
    participant = worksheet.participant
    assignment = (
        Assignment.objects.filter(session=session, facilitator__preferred_language="en")
        .select_related("facilitator")
        .order_by("group_id", "pk")
        .first()
    )
    return {
        "mine": {
            "workshop": workshop,
            "languagemode": participant.group.room.language_mode,
            "room": participant.group.room,
            "group": participant.group,
            "breakoutsession": session,
            "participant": participant,
            "facilitator": assignment.facilitator,
            "assignment": assignment,
            "question": workshop.questions.order_by("order").first(),
            "worksheet": worksheet,
            "run": run,
            "invitation": Invitation.objects.filter(workshop=workshop).order_by("pk").first(),
            "job": _done_job(workshop, users[ORGANISER]),
        },
        "users": {"organiser": users[ORGANISER], "superuser": users[SUPERUSER]},
        "section": session.section,
    }


def _done_job(workshop, organiser):
    """A finished background job with its file (a badges PDF), for the job pages to show."""
    return Job.objects.filter(workshop=workshop, state=Job.State.DONE).first() or Job.objects.create(
        workshop=workshop,
        kind=Job.Kind.BADGES,
        state=Job.State.DONE,
        done=1,
        total=1,
        created_by=organiser,
        result=b"%PDF-1.7",
        result_name="badges.pdf",
        result_type="application/pdf",
        result_size=8,
    )


# --- the pages ---------------------------------------------------------------------------------

LOGINS = ("anonymous", "participant", "facilitator", "organiser", "superuser")


def _not_measured_reasons() -> dict[str, str]:
    from tests import test_query_budgets as budgets
    from tests.security import test_permission_matrix as matrix

    reasons = {name: "POST only" for name in budgets.POST_ONLY}
    reasons |= {name: f"no page: {why}" for name, why in budgets.NO_PAGE.items()}
    reasons |= {name: f"left out by the matrix: {matrix.SKIPPED[name]}" for name in budgets.NOT_BUDGETED_SKIPPED}
    reasons |= {name: f"no page: {why}" for name, why in matrix.UNNAMED_ALLOWED.items()}
    return reasons


# Pages that, for a workshop over a printed page's worth of people, send the organiser to one
# group's page or to a PDF made in the background (the "badges" batch times that PDF): measured
# as one group's page at both sizes, which is what the printables page offers there.
ONE_GROUP_PAGES = {"organise:badges"}


def page_plan(world: dict) -> dict:
    """{"pages": [{"name", "role", "url"}], "not_measured": [{"name", "reason"}]} for every URL of the matrix.

    A page is requested as the role the query budgets count it as (the first of anonymous,
    participant, facilitator, organiser... that the matrix answers 200 for), plus the extra
    roles they count some pages as (`my_day` as a facilitator too).
    """
    from tests import test_query_budgets as budgets
    from tests.security import test_permission_matrix as matrix

    reasons = _not_measured_reasons()
    pages, not_measured = [], []
    cases = {name for name, _role in budgets.CASES}
    for name, role in budgets.CASES:
        label = name if budgets.PAGES.get(name) == role else f"{name}@{role}"
        if role not in LOGINS:
            not_measured.append(
                {"name": label, "reason": f"only {role.replace('_', ' ')} (another workshop's) sees it"}
            )
            continue
        try:
            url = budgets._url(name, world)
        except Exception as error:  # noqa: BLE001 - whatever stops the URL being built is the reason
            not_measured.append({"name": label, "reason": f"cannot build its URL: {error}"})
            continue
        if name in ONE_GROUP_PAGES:  # the page an organiser opens at every size: one group's
            url += f"?group={world['mine']['group'].pk}"
        pages.append({"name": label, "role": role, "url": url})
    for name in matrix.ALL_URLS:
        if name not in cases:
            reason = reasons.get(name, "not in the permission matrix's table or the query budgets' lists")
            not_measured.append({"name": name, "reason": reason})
    return {"pages": pages, "not_measured": not_measured}


def credentials(world: dict, passwords: dict) -> dict:
    """How each role logs in: the staff by username and password, the people by their personal link."""
    mine = world["mine"]
    return {
        "organiser": {"username": ORGANISER, "password": passwords[ORGANISER]},
        "superuser": {"username": SUPERUSER, "password": passwords[SUPERUSER]},
        "participant": {"link": personal_link_path(person=mine["participant"])},
        "facilitator": {"link": personal_link_path(person=mine["facilitator"])},
    }
