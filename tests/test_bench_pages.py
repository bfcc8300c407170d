"""The page benchmark (bench/pages.py) cannot rot: its data and its list of pages, at a tiny size, in-process.

Every URL of the permission matrix is either measured or named as not measured with a reason,
and every page it measures answers 200 to the role it is measured as, in the workshop it
generates: so a new page is measured from the day it lands, and a page the benchmark cannot
open shows up here rather than as a silent gap in its table.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bench.pages_batches import BATCHES
from bench.pages_data import LOGINS, credentials, page_plan, world_generate
from tests.security.test_permission_matrix import ALL_URLS
from worksheets.models import Answer, TeamNote, Worksheet
from workshops.models import Assignment, Invitation, Participant, ScheduleRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    return world_generate(participants=20, slug="bench-20", solver_seconds=0.5)


def test_generated_workshop_is_filled(generated):
    workshop = generated["world"]["mine"]["workshop"]
    people = Participant.objects.filter(workshop=workshop)
    assert people.count() == 20
    assert not people.filter(group__isnull=True).exists()
    assert not people.filter(user__isnull=True).exists()  # everyone has a personal link
    sessions = workshop.sessions.count()
    # Most participants have a worksheet in every session, each with every question answered.
    worksheets = Worksheet.objects.filter(session__workshop=workshop).count()
    assert 0.8 * 20 * sessions <= worksheets < 20 * sessions
    assert (
        Answer.objects.filter(worksheet__session__workshop=workshop).count() == worksheets * workshop.questions.count()
    )
    assert Assignment.objects.filter(session__workshop=workshop).count() == 2 * workshop.groups.count() * sessions
    assert TeamNote.objects.filter(session__workshop=workshop).count() == workshop.groups.count() * sessions
    assert Invitation.objects.filter(workshop=workshop).count() > 20
    assert ScheduleRun.objects.get(workshop=workshop).status == ScheduleRun.Status.DONE


def _client(role, creds) -> Client:
    client = Client(raise_request_exception=False)
    credential = creds.get(role)
    if credential is None:
        return client
    if "link" in credential:
        assert client.get(credential["link"]).status_code == 302, role
    else:
        client.force_login(get_user_model().objects.get(username=credential["username"]))
    return client


def test_every_matrix_url_is_measured_or_listed(generated):
    world = generated["world"]
    plan = page_plan(world)
    measured = {page["name"].split("@")[0] for page in plan["pages"]}
    listed = {item["name"].split("@")[0] for item in plan["not_measured"]}
    assert set(ALL_URLS) <= measured | listed
    assert not measured & listed
    assert all(item["reason"] for item in plan["not_measured"])
    assert len(measured) > 80  # the people's, the organisers' and the admin's pages
    # Nothing is left out because the benchmark could not build its URL or log in as its role.
    assert [
        item for item in plan["not_measured"] if not item["reason"].startswith(("POST", "no page", "left out"))
    ] == []

    creds = credentials(world, generated["passwords"])
    clients = {role: _client(role, creds) for role in LOGINS}
    answers = {page["name"]: clients[page["role"]].get(page["url"]).status_code for page in plan["pages"]}
    assert {name: status for name, status in answers.items() if status != 200} == {}


def test_every_batch_runs(generated, tmp_path, django_capture_on_commit_callbacks):
    slug = generated["world"]["mine"]["workshop"].slug
    sent = Invitation.objects.filter(workshop__slug=slug, status=Invitation.Status.SENT)
    before = sent.count()
    for name, (batch, _label) in BATCHES.items():
        if name == "solver":
            continue  # the solver's own benchmark is bench/scheduling.py; its commands have their tests
        # The invitations are sent once their transaction commits: the test's never does.
        with django_capture_on_commit_callbacks(execute=True):
            seconds, detail = batch(slug, tmp_path, "quick")
        assert seconds > 0 and detail, name
    assert sent.count() - before == 20 + 6  # the invitations batch sent everyone's link
