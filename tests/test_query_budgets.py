"""Every page keeps a fixed query budget: the same number of queries at two sizes of data.

The pages are not listed by hand: they come from the permission matrix
(tests/security/test_permission_matrix.py), which enumerates every URL of the project. Each URL
that answers a GET with 200 for some role is requested as that role in the matrix's world (two
workshops with one of everything), then again after workshop A (and the shared tables: users,
curriculum, logs...) has grown several times over. A count that grows with the data is an N+1.
`test_every_url_is_budgeted_or_listed` makes sure a new URL cannot escape: it is either a page,
and budgeted here, or named in one of the lists below.
"""

import re
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from curriculum.models import IammItem, SectionItem
from tests import factories as f
from tests.security.conftest import ROLES, login_as, make_world
from tests.security.test_permission_matrix import (
    ADMIN_MODELS,
    ALL_URLS,
    EXPECTED,
    SKIPPED,
    UNNAMED_ALLOWED,
    _object_for_admin,
    _reverse,
)
from tests.worksheets.evaluation_data import evaluation_grow
from worksheets.enums import QuestionKind, Sharing, WorksheetStatus
from worksheets.models import Answer, GroupSummary, TeamNote, Worksheet
from workshops.access import person_user_ensure
from workshops.attendance_marks import attendance_mark
from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import (
    Announcement,
    AnnouncementDismissal,
    Attendance,
    AttendanceChange,
    Availability,
    Invitation,
    Job,
    RotationRepair,
    ScheduleRun,
)

pytestmark = pytest.mark.django_db

# The role a page is counted as: the first of these the matrix answers 200 for. The people who
# really use a page come before the superuser; public pages are counted for anonymous visitors.
ROLE_PREFERENCE = (
    "anonymous",
    "participant",
    "facilitator",
    "organiser",
    "other_participant",
    "other_facilitator",
    "other_organiser",
    "superuser",
)
assert set(ROLE_PREFERENCE) == set(ROLES)


def _page_role(name):
    """The role to count a GET page as, or None when no role gets a 200 page."""
    method, answers = EXPECTED[name]
    if method != "GET":
        return None
    by_role = dict(zip(ROLES, answers.split(), strict=True))
    return next((role for role in ROLE_PREFERENCE if by_role[role] == "200"), None)


# Pages the matrix leaves out as Django's own, that still answer 200: budgeted all the same.
SKIPPED_PAGES = {"admin:jsi18n": "organiser", "admin:password_change_done": "organiser"}
# Pages one role sees differently enough from the first to count it too.
EXTRA_ROLES = {"worksheets:my_day": ("facilitator",), "worksheets:announcements": ("facilitator",)}

PAGES = {name: role for name in EXPECTED if (role := _page_role(name))} | SKIPPED_PAGES
CASES = [(name, role) for name, role in sorted(PAGES.items())] + [
    (name, role) for name, roles in sorted(EXTRA_ROLES.items()) for role in roles
]

# Every URL that is not budgeted, and why. Listed by hand so a new one is a conscious decision.
POST_ONLY = {
    "worksheets:sign_out",
    "worksheets:email_copy",
    "worksheets:autosave",  # budgeted in tests/worksheets/test_worksheet_views.py
    "worksheets:status",
    "worksheets:notes_autosave",  # budgeted in tests/worksheets/test_facilitator.py
    "worksheets:summary_autosave",  # a constant few queries (tests/worksheets/test_summaries.py)
    "worksheets:rapporteur",
    "worksheets:announcement_dismiss",  # budgeted in tests/worksheets/test_announcements.py
    "worksheets:attendance_autosave",  # budgeted in tests/worksheets/test_attendance_roster.py
    "organise:run_start",
    "organise:run_apply",
    "organise:run_discard",
    "organise:move_participant",
    "organise:swap_facilitators",
    "organise:schedule_undo",
    "organise:assign_facilitator",
    "organise:unlock",
    "organise:repair_apply",
    "organise:repair_discard",
    "organise:import_apply",
    "organise:import_columns",
    "organise:invitations_send",
    "organise:invitation_resend",
    "organise:invitation_note",
    "organise:invitation_test",
    "organise:invitation_link",  # a POST showing one person's link (tests/organise/test_person_link.py)
    "organise:invitation_batch_resume",
    "organise:badges_pdf",
    "organise:certificates_issue",
    "organise:certificates_pdf",
}
NO_PAGE = {
    "favicon": "a redirect to the static icon (tests/test_validators.py)",
    "workshops:one_time_link": "410 for a bad token; the good one shows a button whose POST redirects (tests/workshops/test_link_sessions.py)",
    "workshops:personal_link": "a redirect to /me/",
    "view_on_site": "a redirect to the object's public page",
    "worksheets:checkin": "404 for a forged token; budgeted at two sizes in tests/worksheets/test_checkin.py",
    "organise:import_preview": "400 without an upload waiting (tests/organise/test_imports.py)",
    "organise:import_done": "a redirect to the form without an import",
    "organise:import_refused": "400 without an upload waiting; budgeted in tests/organise/test_import_flow.py",
    # Admin pages nobody may open (403 for everyone): read-only logs, worksheets only participants write.
    "admin:worksheets_worksheet_add": "403",
    "admin:django_tasks_database_dbtaskresult_add": "403",
    "admin:django_tasks_database_dbtaskresult_delete": "403",
    "admin:axes_accessattempt_add": "403",
    "admin:axes_accesslog_add": "403",
    "admin:axes_accessfailurelog_add": "403",
}
NOT_BUDGETED_SKIPPED = {
    "set_language",
    "admin:autocomplete",
    "admin:view_on_site",
    "admin:logout",
    "organisers_sign_in",  # budgeted as admin:login, whose address it serves
}


def test_every_url_is_budgeted_or_listed():
    computed_post = {name for name, (method, _answers_text) in EXPECTED.items() if method == "POST"}
    computed_no_page = {name for name in EXPECTED if name not in computed_post and name not in PAGES}
    assert computed_post == POST_ONLY
    assert computed_no_page == set(NO_PAGE)
    assert set(SKIPPED) == set(SKIPPED_PAGES) | NOT_BUDGETED_SKIPPED
    everything = set(PAGES) | POST_ONLY | set(NO_PAGE) | NOT_BUDGETED_SKIPPED | set(UNNAMED_ALLOWED)
    assert set(ALL_URLS) == everything
    assert len(PAGES) > 80  # every admin page of every model, the people's pages, the organisers' pages


@pytest.fixture
def world(db):
    """The permission matrix's world: two workshops with one of everything."""
    return make_world()


def grow(world) -> None:
    """Make workshop A several times bigger in every direction a page can show, and the shared tables too."""
    mine = world["mine"]
    workshop = mine["workshop"]
    organiser = world["users"]["organiser"]
    mode = mine["languagemode"]
    section = world["section"]
    first_session = mine["breakoutsession"]

    # Organisers, language modes, rooms, groups, sessions, questions.
    helpers = [f.user() for _ in range(3)]
    workshop.organisers.add(*helpers)
    modes = [mode, f.language_mode(workshop, languages=("en",))]
    groups = [mine["group"]] + [
        f.group(workshop, room_obj=f.room(workshop, mode=modes[i % 2], capacity=40)) for i in range(3)
    ]
    f.room(workshop, mode=mode)  # a room without a group yet
    sessions = [first_session] + [
        f.session(workshop, start_hour=14, section=section),
        f.session(workshop, start_hour=17),
        f.session(workshop, start_hour=11, day=1, section=f.section("3.12")),
    ]
    for index, hour in enumerate((9, 10, 13, 17)):  # plenary items on both days, in rooms or not
        f.programme_item(workshop, start_hour=hour, day=index % 2, room=groups[index].room if index % 2 else None)
    questions = [mine["question"], mine["session_question"]] + [f.question(workshop) for _ in range(3)]
    questions.append(f.question(workshop, kind=QuestionKind.SCALE))
    questions.append(f.question(workshop, session=first_session))

    # Participants: 15 more in A's group, 5 in each new group, 3 not placed yet; some with logins.
    people = [f.participant(workshop, group=mine["group"]) for _ in range(15)]
    for group in groups[1:]:
        people += [f.participant(workshop, group=group, country="FR", region="europe") for _ in range(5)]
    people += [f.participant(workshop) for _ in range(3)]
    for person in people[::3]:
        person_user_ensure(person=person)
        person.link_opened_at = timezone.now()
        person.save(update_fields=["link_opened_at"])

    # Worksheets in every session for everyone (A's participant included), all kinds, with answers.
    everyone = [mine["participant"], *people]
    worksheets = Worksheet.objects.bulk_create(
        Worksheet(
            participant=person,
            session=session,
            sharing=[Sharing.PRIVATE, Sharing.ANONYMOUS, Sharing.NAMED][p_index % 3],
            status=WorksheetStatus.SUBMITTED if p_index % 2 == 0 else WorksheetStatus.DRAFT,
            submitted_at=timezone.now() if p_index % 2 == 0 else None,
        )
        for p_index, person in enumerate(everyone)
        for session in sessions
        if (person, session) != (mine["participant"], first_session)
    )
    answered = set(Answer.objects.filter(worksheet=mine["worksheet"]).values_list("question", flat=True))
    Answer.objects.bulk_create(
        Answer(worksheet=worksheet, question=question, scale=1 + index % 5)
        if question.kind == QuestionKind.SCALE
        else Answer(worksheet=worksheet, question=question, text=f"Thoughts, {index}")
        for index, worksheet in enumerate([mine["worksheet"], *worksheets])
        for question in questions
        if question.session_id in (None, worksheet.session_id)
        and not (worksheet == mine["worksheet"] and question.pk in answered)
    )

    # Evaluation (issue 16): everyone evaluates every session and the workshop, knowledge checks taken.
    evaluation_grow(workshop=workshop, sessions=sessions, people=everyone)

    # Facilitators: 5 more, with expertise, availability, and assignments in every session.
    facilitators = [mine["facilitator"]] + [f.facilitator(workshop, languages=["en", "fr"]) for _ in range(5)]
    for facilitator in facilitators[1:]:
        facilitator.expertise.add(section)
        for session in sessions:
            Availability.objects.create(facilitator=facilitator, start=session.start, end=session.end)
    for facilitator in facilitators[::2]:
        person_user_ensure(person=facilitator)
    for s_index, session in enumerate(sessions):
        for g_index, group in enumerate(groups):
            for k in range(2):  # co-facilitated
                facilitator = facilitators[(s_index + 2 * g_index + k) % len(facilitators)]
                if not facilitator.assignments.filter(session=session).exists():
                    f.assignment(facilitator, session, group)
            TeamNote.objects.get_or_create(
                session=session, group=group, defaults={"text": "notes", "updated_by": facilitators[1]}
            )
            GroupSummary.objects.update_or_create(
                session=session,
                group=group,
                defaults={
                    "rapporteur": group.participants.order_by("pk").last(),
                    "text": "What the group says",
                    "updated_by_facilitator": facilitators[1],
                },
            )

    # Attendance: everyone placed, in every session, each mark changed once more (its history grows too).
    marks = Attendance.objects.bulk_create(
        Attendance(
            session=session,
            participant=person,
            group_id=person.group_id,
            status=AttendanceStatus.values[p_index % 4],
            source=AttendanceSource.ROSTER,
            version=2,
            updated_by=[organiser, None][p_index % 2],
        )
        for p_index, person in enumerate(people)
        for session in sessions
        if person.group_id is not None
    )
    AttendanceChange.objects.bulk_create(
        AttendanceChange(
            attendance=mark,
            before=before,
            after=mark.status,
            source=AttendanceSource.ROSTER,
            changed_by=mark.updated_by,
        )
        for mark in marks
        for before in ("", AttendanceStatus.ABSENT)
    )

    # Invitations: everyone in A's batch, and a second batch; schedule runs, A's run proposing for everyone.
    batch = mine["invitation"].batch
    later = uuid.uuid4()
    for index, person in enumerate(people):
        status = [Invitation.Status.SENT, Invitation.Status.FAILED, Invitation.Status.QUEUED][index % 3]
        for this_batch in (batch, later):
            Invitation.objects.create(
                workshop=workshop,
                participant=person,
                language="en",
                to_email=person.email,
                batch=this_batch,
                status=status,
                created_by=organiser,
            )
    for facilitator in facilitators[1:]:
        Invitation.objects.create(
            workshop=workshop, facilitator=facilitator, language="fr", to_email=facilitator.email, batch=batch
        )
    for kind in (ScheduleRun.Kind.PLACEMENT, ScheduleRun.Kind.ROTATION, ScheduleRun.Kind.PLACEMENT):
        ScheduleRun.objects.create(
            workshop=workshop, kind=kind, status=ScheduleRun.Status.DONE, created_by=organiser, progress=[[1, 2.0]]
        )
    for state in (Job.State.DONE, Job.State.FAILED, Job.State.RUNNING, Job.State.QUEUED):
        for kind in (Job.Kind.BADGES, Job.Kind.REPORT_CSV, Job.Kind.REPORT_XLSX):  # the lists of recent files grow
            Job.objects.create(workshop=workshop, kind=kind, state=state, created_by=organiser, result=b"x" * 100)
    # Repairs of the day: more of them listed, and A's with a change per facilitator and session.
    for facilitator in facilitators:
        RotationRepair.objects.create(
            workshop=workshop, facilitator=facilitator, frozen_at=first_session.start, state_fingerprint="-"
        )
    repair = mine["repair"]
    repair.changes = [[p.pk, s.pk, g.pk, None] for p, s, g in zip(facilitators, sessions, groups, strict=False)]
    repair.changes += [[p.pk, sessions[-1].pk, None, groups[-1].pk] for p in facilitators]
    repair.save()
    run = mine["run"]
    run.proposal = {"groups": {str(p.pk): groups[i % len(groups)].pk for i, p in enumerate(everyone)}}
    run.progress = [[i, 100.0 - i] for i in range(40)]
    run.save()

    # Announcements to every audience, some dismissed, one withdrawn: the banners and the history grow.
    audiences = [{"audience": "everyone"}, {"audience": "facilitators"}, {"audience": "group", "group": groups[0]}]
    audiences += [{"audience": "room", "room": groups[1].room}, {"audience": "group", "group": groups[0]}]
    announcements = [Announcement.objects.create(workshop=workshop, message_en="News", **a) for a in audiences]
    announcements[-1].withdrawn_at = timezone.now()
    announcements[-1].save()
    AnnouncementDismissal.objects.bulk_create(
        AnnouncementDismissal(announcement=announcements[0], user_id=user_id)
        for user_id in workshop.participants.filter(user__isnull=False).values_list("user_id", flat=True)[:4]
    )

    # More workshops of the same team, published: the home page, admin lists and the team's menus grow.
    for _ in range(3):
        f.populated_workshop(participants=4, groups=2, sessions=2, facilitators=2, organisers=[organiser])

    # Histories: each object an admin page names was changed a few more times, by the team and the superuser.
    _log_changes(world, (organiser, world["users"]["superuser"], organiser))

    # The shared tables: users, auth groups, curriculum, task results and login logs.
    for i in range(5):
        user = f.user(username=f"grown-{i}")
        user.groups.add(AuthGroup.objects.create(name=f"Team {i}"))
    for number in ("2.7", "2.8", "3.1", "3.2"):
        new_section = f.section(number)
        SectionItem.objects.bulk_create(
            SectionItem(section=new_section, kind=kind, order=i, text=f"{kind} {i}")
            for i in range(3)
            for kind in ("guiding_question", "key_message", "exercise")
        )
    SectionItem.objects.bulk_create(
        SectionItem(section=section, kind="key_message", order=i, text=f"Message {i}") for i in range(5)
    )
    IammItem.objects.bulk_create(
        IammItem(kind=kind, order=10 + i, title=f"{kind} {i}")
        for i in range(5)
        for kind in ("common_understanding", "effective_practice")
    )
    for i in range(5):
        DBTaskResult.objects.create(
            args_kwargs={},
            task_path=f"x.y{i}",
            backend_name="default",
            run_after=timezone.now() - timedelta(minutes=i),
            exception_class_path="",
            traceback="",
        )
        AccessAttempt.objects.create(
            username=f"x{i}", ip_address=f"10.0.1.{i}", user_agent="ua", failures_since_start=1
        )
        AccessLog.objects.create(username=f"x{i}", ip_address=f"10.0.1.{i}", user_agent="ua")
        AccessFailureLog.objects.create(username=f"x{i}", ip_address=f"10.0.1.{i}", user_agent="ua", locked_out=False)


def _log_changes(world, users) -> None:
    """A change in the admin's log of each object an admin page names, by each of these users."""
    for label in ADMIN_MODELS:
        obj = _object_for_admin(world, *label.split("."))
        for user in users:
            LogEntry.objects.create(
                user=user,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                action_flag=CHANGE,
                change_message='[{"changed": {"fields": ["Name"]}}]',
            )


def _attendance_marked(participant, session, *, by_user) -> None:
    """A roster's mark, then a correction (two history rows)."""
    for status, source in (
        (AttendanceStatus.ABSENT, AttendanceSource.ROSTER),
        (AttendanceStatus.LATE, AttendanceSource.ORGANISER),
    ):
        mark = Attendance.objects.filter(session=session, participant=participant).first()
        attendance_mark(
            session=session,
            participant=participant,
            status=status,
            source=source,
            by_user=by_user,
            expected_version=mark.version if mark else 0,
        )


def _prepare(world) -> None:
    """What the matrix's world lacks, so the small size has one of every kind of thing as well.

    A's run is a proposal to review (its page shows the preview), A's session has a question
    of its own, answered (deleting the session deletes them too: one more kind of row to list),
    and each object has a history (an empty one is not even fetched).
    """
    _log_changes(world, [world["users"]["organiser"]])
    mine = world["mine"]
    _attendance_marked(mine["participant"], mine["breakoutsession"], by_user=world["users"]["organiser"])
    mine["session_question"] = f.question(mine["workshop"], session=mine["breakoutsession"])
    f.answer(mine["worksheet"], mine["session_question"], text="about this session")
    GroupSummary.objects.create(  # the report-back: A's participant is its group's rapporteur, and wrote
        session=mine["breakoutsession"],
        group=mine["group"],
        rapporteur=mine["participant"],
        text="Our summary",
        updated_by_participant=mine["participant"],
    )
    run = mine["run"]
    run.status = ScheduleRun.Status.DONE
    run.proposal = {"groups": {str(mine["participant"].pk): mine["group"].pk}}
    run.progress = [[1, 5.0]]
    run.save()


def _someone_without_a_login(world) -> None:
    f.participant(world["mine"]["workshop"], group=world["mine"]["group"])


# Run after the warm-up, before the first count: so both counts take the same path.
AFTER_WARM_UP = {
    # Badges carry personal links: the first request after people were added creates their logins,
    # in bulk (tests/organise/test_printables.py). Someone new at both sizes: both counts do that.
    "organise:badges": _someone_without_a_login,
}


def _url(name, world) -> str:
    if name in SKIPPED_PAGES:
        return reverse(name)
    return _reverse(name, world)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [query["sql"] for query in ctx.captured_queries]


def _shape(sql) -> str:
    """A query without its values, so the same query for another row looks the same."""
    return re.sub(r"\bIN \([^)]*\)", "IN (...)", re.sub(r"'[^']*'|\b\d+\b", "?", sql))


def _grown(small, large) -> str:
    """The queries run more often with more data: where the N+1 is."""
    before, after = Counter(map(_shape, small)), Counter(map(_shape, large))
    return "\n".join(f"{before[q]} -> {after[q]}: {q[:300]}" for q in after if after[q] > before[q])


@pytest.mark.parametrize(
    ("name", "role"), CASES, ids=[name if PAGES.get(name) == role else f"{name}@{role}" for name, role in CASES]
)
def test_page_queries_constant(client, world, name, role):
    _prepare(world)
    url = _url(name, world)
    login_as(client, world, role)
    warm_up = client.get(url)  # the session's and caches' one-off queries are not the page's
    assert warm_up.status_code == 200, f"{url} as {role}: {warm_up.status_code}"
    if name in AFTER_WARM_UP:
        AFTER_WARM_UP[name](world)
    response, small = _count(client, url)
    assert response.status_code == 200, f"{url} as {role}, small: {response.status_code}"
    grow(world)
    response, large = _count(client, url)
    assert response.status_code == 200, f"{url} as {role}, large: {response.status_code}"
    small_count, large_count = len(small), len(large)
    assert large_count == small_count, (
        f"{url} as {role}: {small_count} queries with little data, {large_count} with more\n{_grown(small, large)}"
    )
