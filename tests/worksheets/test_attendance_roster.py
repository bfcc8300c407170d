"""The facilitator's attendance roster: only their group in their session, stale marks refused, works without script."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from workshops.access import personal_link_path
from workshops.models import Attendance, AttendanceChange

pytestmark = pytest.mark.django_db


def make_world() -> dict:
    today = timezone.localdate()
    workshop = f.workshop(timezone="America/Lima", start_date=today, end_date=today + timedelta(days=1))
    c, d = f.group(workshop, name="C"), f.group(workshop, name="D")
    morning, afternoon = f.session(workshop, start_hour=11), f.session(workshop, start_hour=15)
    me, other = f.facilitator(workshop, name="Me"), f.facilitator(workshop, name="Other")
    f.assignment(me, afternoon, c)
    f.assignment(other, afternoon, d)
    f.assignment(other, morning, c)
    return {
        "workshop": workshop,
        "c": c,
        "morning": morning,
        "afternoon": afternoon,
        "me": me,
        "other": other,
        "ana": f.participant(workshop, name="Ana", group=c),
        "dee": f.participant(workshop, name="Dee", group=d),
    }


@pytest.fixture
def world():
    return make_world()


def sign_in(client, person):
    client.logout()
    assert client.get(personal_link_path(person=person)).status_code == 302


def post(client, session, participant, status, version):
    return client.post(
        reverse("worksheets:attendance_autosave", args=[session.pk]),
        json.dumps({"participant": participant.pk, "status": status, "version": version}),
        content_type="application/json",
    )


def test_roster_mark_is_saved_with_its_history(client, world):
    sign_in(client, world["me"])
    response = post(client, world["afternoon"], world["ana"], "late", 0)
    assert response.status_code == 200
    assert response.json() == {"participant": world["ana"].pk, "status": "late", "status_label": "Late", "version": 1}
    mark = Attendance.objects.get()
    assert (mark.session, mark.participant, mark.status, mark.source) == (
        world["afternoon"],
        world["ana"],
        "late",
        "roster",
    )
    world["me"].refresh_from_db()
    assert AttendanceChange.objects.get().changed_by == world["me"].user


def test_roster_stale_mark_is_refused_with_the_stored_one(client, world):
    sign_in(client, world["me"])
    post(client, world["afternoon"], world["ana"], "present", 0)
    post(client, world["afternoon"], world["ana"], "left_early", 1)  # the co-facilitator's phone, say
    response = post(client, world["afternoon"], world["ana"], "absent", 1)
    assert response.status_code == 409
    body = response.json()
    assert (body["status"], body["version"]) == ("left_early", 2)
    assert "Someone else changed this mark meanwhile" in body["error"]
    assert Attendance.objects.get().status == "left_early"


def test_roster_only_for_the_facilitators_group_and_session(client, world):
    sign_in(client, world["me"])
    assert post(client, world["afternoon"], world["dee"], "present", 0).status_code == 404  # another group
    assert post(client, world["morning"], world["ana"], "present", 0).status_code == 404  # not my session
    sign_in(client, world["other"])
    assert post(client, world["afternoon"], world["ana"], "present", 0).status_code == 404  # C is not theirs now
    assert post(client, world["morning"], world["ana"], "present", 0).status_code == 200  # but it was this morning
    assert list(Attendance.objects.values_list("session", flat=True)) == [world["morning"].pk]


def test_roster_participants_cannot_mark(client, world):
    sign_in(client, world["ana"])
    assert post(client, world["afternoon"], world["ana"], "present", 0).status_code == 404
    assert not Attendance.objects.exists()


def test_roster_signed_out_is_told_so_and_nothing_saved(client, world):
    response = post(client, world["afternoon"], world["ana"], "present", 0)
    assert response.status_code == 403 and response.json()["signed_out"] is True
    assert not Attendance.objects.exists()


def test_roster_unreadable_marks_are_400(client, world):
    sign_in(client, world["me"])
    url = reverse("worksheets:attendance_autosave", args=[world["afternoon"].pk])
    for body in ("not json", json.dumps({"participant": world["ana"].pk, "status": "asleep", "version": 0})):
        assert client.post(url, body, content_type="application/json").status_code == 400
    assert not Attendance.objects.exists()


def test_roster_page_shows_one_form_per_person_that_works_without_script(client, world):
    sign_in(client, world["me"])
    post(client, world["afternoon"], world["ana"], "late", 0)
    page = client.get(reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    assert f'data-participant="{world["ana"].pk}" data-version="1" data-status="late"' in page
    assert 'value="late" class="btn attendance-choice attendance-late" aria-pressed="true"' in page
    assert "Dee" not in page
    # The form, as a browser without script sends it: saved, then back to the roster.
    url = reverse("worksheets:attendance_autosave", args=[world["afternoon"].pk])
    response = client.post(url, {"participant": world["ana"].pk, "status": "present", "version": 1}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#attendance-heading")
    assert "Ana: Present, saved." in response.content.decode()
    stale = client.post(url, {"participant": world["ana"].pk, "status": "absent", "version": 1}, follow=True)
    assert "Someone else changed this mark meanwhile" in stale.content.decode()
    assert Attendance.objects.get().status == "present"


def test_roster_mark_queries_do_not_grow(client):
    counts = []
    for size in (1, 8):
        world = make_world()
        for _ in range(size * 4):
            person = f.participant(world["workshop"], group=world["c"])
            Attendance.objects.create(
                session=world["afternoon"], participant=person, group=world["c"], status="present", source="roster"
            )
        sign_in(client, world["me"])
        post(client, world["afternoon"], world["ana"], "present", 0)
        with CaptureQueriesContext(connection) as ctx:
            assert post(client, world["afternoon"], world["ana"], "late", 1).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_signing_out_clears_the_rosters_queued_marks_kept_in_this_browser(client, world):
    """On a shared computer the next person must not send marks queued offline under their own login:
    a facilitator's sign-out clears the queue of each roster they hold (static/js/signed_out.js)."""
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    key = f"attendance-{world['afternoon'].pk}-{world['c'].pk}"
    assert f'data-storage-key="{key}"' in page
    html = client.post(reverse("worksheets:sign_out")).content.decode()
    keys = json.loads(re.search(r'<script id="kept-keys" type="application/json">(.*?)</script>', html).group(1))
    assert key in keys
