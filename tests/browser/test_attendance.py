"""Attendance in Chromium: a facilitator marks on a phone while offline, then online again, and finds the marks
saved; a participant scans the room sign's QR code (decoded back from the printed sign) and checks in."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests import factories as f
from workshops.access import personal_link_path
from workshops.attendance_marks import attendance_mark
from workshops.enums import AttendanceSource
from workshops.models import Attendance

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    today = timezone_today()
    organiser = f.user(username="printer")
    workshop = f.workshop(
        organisers=[organiser],
        timezone="America/Bogota",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
    )
    c = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C", directions="2nd floor"))
    start = now() + timedelta(minutes=5)
    session = f.session(workshop, title="Counter-Trafficking", start=start, end=start + timedelta(hours=2))
    facilitator = f.facilitator(workshop, name="Hélène Marchetti")
    f.assignment(facilitator, session, c)
    people = {name: f.participant(workshop, name=name, group=c) for name in ("Ana", "Bo", "Cy")}
    return {"organiser": organiser, "workshop": workshop, "session": session, "facilitator": facilitator, **people}


def now():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def person_row(page, name):
    return page.locator(".attendance-person").filter(has_text=name)


def marks(session) -> dict:
    return dict(Attendance.objects.filter(session=session).values_list("participant__name", "status"))


def test_facilitator_marks_offline_on_a_phone_then_online(live_server, page, context, world, screenshot, axe_check):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + personal_link_path(person=world["facilitator"]))
    page.goto(live_server.url + f"/me/sessions/{world['session'].pk}/")
    ana = person_row(page, "Ana")
    ana.get_by_role("button", name="Present").click()
    expect(ana.locator(".attendance-state")).to_have_text("Saved")
    assert marks(world["session"]) == {"Ana": "present"}
    box = ana.get_by_role("button", name="Present").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 120  # a thumb's target, two by two on a phone

    context.set_offline(True)
    person_row(page, "Bo").get_by_role("button", name="Late").click()
    person_row(page, "Cy").get_by_role("button", name="Absent").click()
    person_row(page, "Cy").get_by_role("button", name="Left early").click()  # changed her mind: the last tap counts
    expect(page.locator("[data-attendance-queue]")).to_contain_text("Offline")
    expect(person_row(page, "Cy").get_by_role("button", name="Left early")).to_have_attribute("aria-pressed", "true")
    assert marks(world["session"]) == {"Ana": "present"}
    queued = page.evaluate(f"localStorage.getItem('attendance-{world['session'].pk}-{world['Bo'].group_id}')")
    assert '"late"' in queued and '"left_early"' in queued
    screenshot("attendance-offline-390")

    context.set_offline(False)
    expect(person_row(page, "Cy").locator(".attendance-state")).to_have_text("Saved", timeout=15000)
    expect(person_row(page, "Bo").locator(".attendance-state")).to_have_text("Saved")
    assert marks(world["session"]) == {"Ana": "present", "Bo": "late", "Cy": "left_early"}
    assert page.evaluate(f"localStorage.getItem('attendance-{world['session'].pk}-{world['Bo'].group_id}')") is None

    # The co-facilitator marked Ana late meanwhile: my tap is refused, theirs shown, nothing overwritten.
    attendance_mark(
        session=world["session"],
        participant=world["Ana"],
        status="late",
        source=AttendanceSource.ROSTER,
        by_user=None,
        expected_version=1,
    )
    ana.get_by_role("button", name="Absent").click()
    expect(ana.locator(".attendance-state")).to_contain_text("Someone else changed this mark meanwhile")
    expect(ana.get_by_role("button", name="Late")).to_have_attribute("aria-pressed", "true")
    assert marks(world["session"])["Ana"] == "late"

    page.reload()
    expect(person_row(page, "Cy").get_by_role("button", name="Left early")).to_have_attribute("aria-pressed", "true")
    axe_check()


def test_room_sign_qr_code_checks_the_participant_in(live_server, page, world):
    page.goto(live_server.url + "/admin/login/?next=/organise/" + world["workshop"].slug + "/printables/room-signs/")
    page.get_by_label("Username").fill("printer")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    figure = page.locator(".room-sign-checkin").first
    image = Image.open(io.BytesIO(figure.screenshot()))
    image.save("test-artifacts/room-sign-checkin-qr.png")
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text.startswith(live_server.url + "/me/checkin/")
    assert result.text == figure.get_attribute("data-checkin-url")

    page.context.clear_cookies()
    page.goto(result.text)
    expect(page.get_by_role("heading", name="Open your personal link first")).to_be_visible()
    page.goto(live_server.url + personal_link_path(person=world["Bo"]))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(result.text)
    page.get_by_role("button", name="I am here: check me in").click()
    expect(page.get_by_text("You are checked in (Present). Welcome!")).to_be_visible()
    assert marks(world["session"]) == {"Bo": "present"}
