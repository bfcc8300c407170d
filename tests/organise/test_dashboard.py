"""Live progress: worksheet counts per session and group, who has not opened their link, access, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from worksheets.enums import WorksheetStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    morning = f.session(workshop, title="Migration and Labour", start_hour=11)
    afternoon = f.session(workshop, title="Counter-Trafficking", start_hour=15)
    a_people = [f.participant(workshop, name=f"A{i}", group=a) for i in range(3)]
    b_people = [f.participant(workshop, name=f"B{i}", group=b) for i in range(2)]
    unplaced = f.participant(workshop, name="Not placed")
    # Morning: A has one not started, one in progress, one submitted; B one submitted.
    f.worksheet(a_people[1], morning)
    f.worksheet(a_people[2], morning, status=WorksheetStatus.SUBMITTED, submitted_at=timezone.now())
    f.worksheet(b_people[0], morning, status=WorksheetStatus.SUBMITTED, submitted_at=timezone.now())
    f.worksheet(unplaced, afternoon)
    a_people[0].link_opened_at = timezone.now()
    a_people[0].save()
    opened_facilitator = f.facilitator(workshop, name="Opened")
    opened_facilitator.link_opened_at = timezone.now()
    opened_facilitator.save()
    f.facilitator(workshop, name="Never opened")
    # Another workshop's progress must not count here.
    other = f.workshop()
    other_group = f.group(other, name="A")
    other_session = f.session(other)
    f.worksheet(f.participant(other, group=other_group), other_session, status=WorksheetStatus.SUBMITTED)
    return {"workshop": workshop, "a": a, "b": b, "morning": morning, "afternoon": afternoon}


def dashboard_url(workshop, name="dashboard"):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug})


def cell(participants, not_started, in_progress, submitted):
    return {
        "participants": participants,
        "not_started": not_started,
        "in_progress": in_progress,
        "submitted": submitted,
    }


def test_status_counts_each_session_and_group(client, organiser, world):
    client.force_login(organiser)
    data = client.get(dashboard_url(world["workshop"], "dashboard_status")).json()
    morning, afternoon, a, b = world["morning"].pk, world["afternoon"].pk, world["a"].pk, world["b"].pk
    assert data["cells"] == {
        f"{morning}:{a}": cell(3, 1, 1, 1),
        f"{morning}:{b}": cell(2, 1, 0, 1),
        f"{morning}:none": cell(1, 1, 0, 0),
        f"{afternoon}:{a}": cell(3, 3, 0, 0),
        f"{afternoon}:{b}": cell(2, 2, 0, 0),
        f"{afternoon}:none": cell(1, 0, 1, 0),
    }
    assert data["totals"] == {str(morning): cell(6, 3, 1, 2), str(afternoon): cell(6, 5, 1, 0)}
    assert data["unopened"] == {"participants": 5, "facilitators": 1, "total": 6}


def test_page_shows_the_same_counts_and_links_to_who_never_opened(client, organiser, world):
    client.force_login(organiser)
    response = client.get(dashboard_url(world["workshop"]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Migration and Labour", "Counter-Trafficking", "Room A", "Room B", "Not in a group", "All groups"):
        assert text in page
    morning, a = world["morning"].pk, world["a"].pk
    row = page.split(f'data-cell="{morning}:{a}"')[1].split("</tr>")[0]
    assert [row.split(f'data-count="{name}">')[1].split("<")[0] for name in cell(0, 0, 0, 0)] == ["3", "1", "1", "1"]
    assert '<strong data-unopened="participants">5</strong>' in page
    assert '<strong data-unopened="facilitators">1</strong>' in page
    people = reverse("organise:invitation_people", kwargs={"slug": world["workshop"].slug})
    assert f'href="{people}?unopened=1"' in page
    assert 'src="/static/js/dashboard.js"' in page


def test_a_newly_saved_worksheet_changes_the_counts(client, organiser, world):
    client.force_login(organiser)
    from worksheets.services import answer_autosave, worksheet_get_or_create

    person = world["a"].participants.get(name="A0")
    question = f.question(world["workshop"])
    worksheet = worksheet_get_or_create(participant=person, session=world["morning"])
    assert answer_autosave(worksheet=worksheet, question=question, text="First thoughts", base_revision=0).status == (
        "saved"
    )
    data = client.get(dashboard_url(world["workshop"], "dashboard_status")).json()
    assert data["cells"][f"{world['morning'].pk}:{world['a'].pk}"] == cell(3, 0, 2, 1)


def test_no_unplaced_row_when_everyone_is_in_a_group(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    group = f.group(workshop, name="A")
    session = f.session(workshop)
    f.participant(workshop, group=group)
    client.force_login(organiser)
    assert list(client.get(dashboard_url(workshop, "dashboard_status")).json()["cells"]) == [f"{session.pk}:{group.pk}"]
    assert "Not in a group" not in client.get(dashboard_url(workshop)).content.decode()


def test_another_workshops_organiser_gets_404(client, other_organiser, world):
    f.workshop(organisers=[other_organiser])
    client.force_login(other_organiser)
    assert client.get(dashboard_url(world["workshop"])).status_code == 404
    assert client.get(dashboard_url(world["workshop"], "dashboard_status")).status_code == 404


def test_dashboard_requires_a_staff_login(client, world):
    for name in ("dashboard", "dashboard_status"):
        response = client.get(dashboard_url(world["workshop"], name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("name", ["dashboard", "dashboard_status"])
def test_dashboard_queries_constant(client, organiser, name):
    client.force_login(organiser)
    small = f.populated_workshop(participants=4, groups=2, sessions=1, facilitators=2, organisers=[organiser])
    large = f.populated_workshop(participants=60, groups=8, sessions=4, facilitators=16, organisers=[organiser])
    f.participant(large)  # and someone not in a group

    def count(workshop):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(dashboard_url(workshop, name)).status_code == 200
        return len(ctx.captured_queries)

    count(small)
    assert count(large) == count(small)
