"""Two workshops with one of everything, and a logged-in client for each role of the permission matrix."""

import uuid

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from curriculum.models import IammItem, SectionItem
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import TeamNote
from workshops import access
from workshops.models import Announcement, Availability, Certificate, Invitation, Job, RotationRepair, ScheduleRun

ROLES = (
    "anonymous",
    "participant",
    "other_participant",
    "facilitator",
    "other_facilitator",
    "organiser",
    "other_organiser",
    "superuser",
)


def one_workshop(organiser) -> dict:
    workshop = f.workshop(organisers=[organiser])
    mode = f.language_mode(workshop)
    group = f.group(workshop, room_obj=f.room(workshop, mode=mode))
    session = f.session(workshop, section=f.section("2.6"))
    participant = f.participant(workshop, group=group)
    facilitator = f.facilitator(workshop)
    Availability.objects.create(facilitator=facilitator, start=session.start, end=session.end)
    question = f.question(workshop)
    worksheet = f.worksheet(participant, session, sharing=Sharing.NAMED)
    f.answer(worksheet, question, text="shared by name")
    assignment = f.assignment(facilitator, session, group)
    programme_item = f.programme_item(workshop, room=group.room)
    TeamNote.objects.create(session=session, group=group, text="notes")
    run = ScheduleRun.objects.create(workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT, created_by=organiser)
    invitation = Invitation.objects.create(
        workshop=workshop, participant=participant, language="en", to_email=participant.email, batch=uuid.uuid4()
    )
    job = Job.objects.create(
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
    announcement = Announcement.objects.create(workshop=workshop, message_en="Lunch is at one.", created_by=organiser)
    certificate = Certificate.objects.create(participant=participant)
    repair = RotationRepair.objects.create(  # a proposed repair of the day: its page names each change
        workshop=workshop,
        facilitator=facilitator,
        frozen_at=session.start,
        changes=[[facilitator.pk, session.pk, group.pk, None]],
        state_fingerprint="-",
    )
    return {
        "repair": repair,
        "workshop": workshop,
        "announcement": announcement,
        "certificate": certificate,
        "languagemode": mode,
        "job": job,
        "room": group.room,
        "group": group,
        "breakoutsession": session,
        "participant": participant,
        "facilitator": facilitator,
        "assignment": assignment,
        "programmeitem": programme_item,
        "question": question,
        "worksheet": worksheet,
        "run": run,
        "invitation": invitation,
    }


@pytest.fixture
def world(db):
    return make_world()


def make_world() -> dict:
    """The `world` fixture's objects (also counted on by tests/test_query_budgets.py)."""
    organiser = f.user(username="organiser-a")
    other_organiser = f.user(username="organiser-b")
    superuser = f.user(username="root", is_superuser=True)
    section = f.section("2.6")
    SectionItem.objects.create(section=section, kind="guiding_question", text="Why?")
    IammItem.objects.create(kind="common_understanding", order=1, title="Migration is integral to globalization")
    AuthGroup.objects.create(name="Helpers")
    DBTaskResult.objects.create(
        args_kwargs={},
        task_path="x.y",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", user_agent="ua", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="ua")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="ua", locked_out=False)
    mine = one_workshop(organiser)
    theirs = one_workshop(other_organiser)
    return {
        "mine": mine,
        "theirs": theirs,
        "users": {"organiser": organiser, "other_organiser": other_organiser, "superuser": superuser},
        "section": section,
    }


def login_as(client, world, role):
    """Log the test client in as `role`; personal-link people through their real link."""
    client.logout()
    if role == "anonymous":
        return
    person = {
        "participant": lambda: world["mine"]["participant"],
        "other_participant": lambda: world["theirs"]["participant"],
        "facilitator": lambda: world["mine"]["facilitator"],
        "other_facilitator": lambda: world["theirs"]["facilitator"],
    }.get(role)
    if person:
        response = client.get(access.personal_link_path(person=person()))
        assert response.status_code == 302, role
        return
    client.force_login(world["users"][role])
