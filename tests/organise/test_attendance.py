"""The organiser's attendance: live figures on the dashboard, corrections with who changed what, the margin, the demo."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories as f
from workshops.access import person_user_ensure
from workshops.attendance import attended_sessions
from workshops.attendance_marks import attendance_mark
from workshops.enums import AttendanceSource
from workshops.models import Attendance, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client, organiser):
    def signed_in(_workshop):
        client.force_login(organiser)
        return client

    return signed_in


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    morning = f.session(workshop, title="Migration and Labour", start_hour=11)
    afternoon = f.session(workshop, title="Counter-Trafficking", start_hour=15)
    people = {name: f.participant(workshop, name=name, group=a) for name in ("Ana", "Ben", "Cai")}
    people |= {name: f.participant(workshop, name=name, group=b) for name in ("Dee", "Eli")}
    facilitator = f.facilitator(workshop, name="Fay Facilitator")
    fay = person_user_ensure(person=facilitator)
    for name, status in (("Ana", "present"), ("Ben", "late"), ("Dee", "absent"), ("Eli", "left_early")):
        attendance_mark(
            session=morning,
            participant=people[name],
            status=status,
            source=AttendanceSource.ROSTER,
            by_user=fay,
            expected_version=0,
        )
    # Another workshop's marks must not count here.
    other = f.workshop()
    other_session = f.session(other)
    attendance_mark(
        session=other_session,
        participant=f.participant(other, group=f.group(other)),
        status="present",
        source=AttendanceSource.ROSTER,
        by_user=None,
        expected_version=0,
    )
    return {"workshop": workshop, "a": a, "b": b, "morning": morning, "afternoon": afternoon, **people}


def page_url(world, session="morning"):
    return reverse("organise:attendance", kwargs={"slug": world["workshop"].slug, "session_id": world[session].pk})


def test_dashboard_shows_attendance_per_session_and_group(admin_client_for, world):
    client = admin_client_for(world["workshop"])
    status = client.get(reverse("organise:dashboard_status", kwargs={"slug": world["workshop"].slug})).json()
    morning, afternoon = world["morning"].pk, world["afternoon"].pk
    assert status["attendance"][f"{morning}:{world['a'].pk}"] == {
        "present": 1,
        "late": 1,
        "left_early": 0,
        "absent": 0,
        "not_recorded": 1,
    }
    assert status["attendance"][f"{morning}:{world['b'].pk}"] == {
        "present": 0,
        "late": 0,
        "left_early": 1,
        "absent": 1,
        "not_recorded": 0,
    }
    assert status["attendance_totals"][str(morning)] == {
        "present": 1,
        "late": 1,
        "left_early": 1,
        "absent": 1,
        "not_recorded": 1,
    }
    assert status["attendance_totals"][str(afternoon)]["not_recorded"] == 5
    page = client.get(reverse("organise:dashboard", kwargs={"slug": world["workshop"].slug})).content.decode()
    assert f'data-attendance-cell="{morning}:{world["a"].pk}"' in page
    assert page_url(world) in page


def test_attendance_page_lists_marks_by_group_with_who_changed_what(admin_client_for, world):
    page = admin_client_for(world["workshop"]).get(page_url(world)).content.decode()
    assert "Group A · Room A" in page and "Group B · Room B" in page
    assert "Not recorded" in page  # Cai
    history = page.split("data-history>", 1)[1].split("</ol>", 1)[0]
    assert history.count("Fay Facilitator (facilitator’s roster)") == 4
    assert "Ben · Late" in history and "Dee · Absent" in history


def test_attendance_correction_is_saved_as_the_organisers(admin_client_for, world, organiser):
    client = admin_client_for(world["workshop"])
    response = client.post(page_url(world), {"participant": world["Dee"].pk, "status": "present", "version": 1})
    assert response.status_code == 302
    mark = Attendance.objects.get(participant=world["Dee"])
    assert (mark.status, mark.source, mark.updated_by, mark.version) == ("present", "organiser", organiser, 2)
    change = mark.changes.first()
    assert (change.before, change.after, change.changed_by) == ("absent", "present", organiser)
    page = client.get(page_url(world)).content.decode()
    assert "Dee: Present, saved." in page


def test_attendance_stale_correction_is_refused(admin_client_for, world):
    client = admin_client_for(world["workshop"])
    response = client.post(
        page_url(world), {"participant": world["Dee"].pk, "status": "present", "version": 0}, follow=True
    )
    assert "not changed, someone else marked “Absent” meanwhile" in response.content.decode()
    assert Attendance.objects.get(participant=world["Dee"]).status == "absent"


def test_attendance_of_another_workshops_participant_or_session_is_refused(admin_client_for, world):
    client = admin_client_for(world["workshop"])
    stranger = Attendance.objects.exclude(session__workshop=world["workshop"]).get()
    response = client.post(page_url(world), {"participant": stranger.participant.pk, "status": "absent", "version": 1})
    assert response.status_code == 302
    assert Attendance.objects.get(pk=stranger.pk).status == "present"
    url = reverse("organise:attendance", kwargs={"slug": world["workshop"].slug, "session_id": stranger.session.pk})
    assert client.get(url).status_code == 404


def test_attendance_page_sets_the_checkin_margin(admin_client_for, world):
    client = admin_client_for(world["workshop"])
    assert client.post(page_url(world), {"checkin_margin_minutes": "30"}).status_code == 302
    assert Workshop.objects.get(pk=world["workshop"].pk).checkin_margin_minutes == 30
    refused = client.post(page_url(world), {"checkin_margin_minutes": "600"})
    assert refused.status_code == 200 and "At most 240 minutes" in refused.content.decode()
    assert Workshop.objects.get(pk=world["workshop"].pk).checkin_margin_minutes == 30


def test_demo_has_attendance_with_someone_absent_from_both_sessions(db):
    call_command("load_demo", stdout=StringIO())
    workshop = Workshop.objects.get(slug="idm-2005-capacity")
    sessions = set(workshop.sessions.values_list("pk", flat=True))
    attended = attended_sessions(workshop)
    placed = list(workshop.participants.filter(group__isnull=False).values_list("pk", flat=True))
    both = [p for p in placed if attended.get(p) == sessions]
    one = [p for p in placed if len(attended.get(p, ())) == 1]
    none = [p for p in placed if not attended.get(p)]
    assert len(both) > len(placed) * 0.7 and one and none
    statuses = set(Attendance.objects.filter(session__workshop=workshop).values_list("status", flat=True))
    assert statuses == {"present", "late", "left_early", "absent"}
    call_command("load_demo", stdout=StringIO())  # a second run changes nothing
    assert Attendance.objects.filter(session__workshop=workshop).count() == 2 * len(placed)
