"""Self check-in from the room sign: only in the session's window, only the group meeting in that room."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from workshops.access import personal_link_path
from workshops.checkin import checkin_token, checkin_url
from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import Attendance, AttendanceChange

pytestmark = pytest.mark.django_db

MANILA = ZoneInfo("Asia/Manila")  # outside Europe/Zurich: every time said must be Manila's


def make_world(*, starts_in: timedelta) -> dict:
    today = timezone.localdate()
    workshop = f.workshop(
        timezone="Asia/Manila", start_date=today - timedelta(days=1), end_date=today + timedelta(days=1)
    )
    mode = f.language_mode(workshop)
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", mode=mode))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B", mode=mode, directions="2nd floor"))
    start = timezone.now().replace(microsecond=0) + starts_in
    session = f.session(workshop, title="Migration and Labour", start=start, end=start + timedelta(hours=2))
    facilitator = f.facilitator(workshop)
    f.assignment(facilitator, session, a)
    return {
        "workshop": workshop,
        "session": session,
        "a": a,
        "b": b,
        "ana": f.participant(workshop, name="Ana", group=a),
        "bea": f.participant(workshop, name="Bea", group=b),
        "facilitator": facilitator,
        "url": checkin_url(room=a.room, session=session),
    }


@pytest.fixture
def world():
    return make_world(starts_in=timedelta(minutes=5))  # opens 15 minutes before: open now


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


def refusal(response) -> str:
    assert response.status_code == 403
    page = response.content.decode()
    return page.split("data-checkin-refusal>", 1)[1].split("</div>", 1)[0]


def test_checkin_shows_a_button_then_records_present_from_check_in(client, world):
    sign_in(client, world["ana"])
    page = client.get(world["url"])
    assert page.status_code == 200
    assert "I am here: check me in" in page.content.decode()
    assert not Attendance.objects.exists()  # a GET (or the link on the badge) is no check-in
    response = client.post(world["url"])
    assert response.status_code == 200
    assert "You are checked in (Present). Welcome!" in response.content.decode()
    mark = Attendance.objects.get()
    assert (mark.participant, mark.status, mark.source) == (world["ana"], "present", AttendanceSource.CHECK_IN)


def test_checkin_twice_is_one_mark_and_one_history_row(client, world):
    sign_in(client, world["ana"])
    client.post(world["url"])
    again = client.post(world["url"])
    assert again.status_code == 200
    assert "You are checked in" in again.content.decode()
    assert (Attendance.objects.count(), AttendanceChange.objects.count()) == (1, 1)


def test_checkin_after_start_plus_margin_is_late(client):
    world = make_world(starts_in=-timedelta(minutes=30))
    sign_in(client, world["ana"])
    client.post(world["url"])
    assert Attendance.objects.get().status == AttendanceStatus.LATE


def test_checkin_before_the_window_says_when_it_opens_on_the_workshops_clock(client):
    world = make_world(starts_in=timedelta(hours=3))
    sign_in(client, world["ana"])
    opens = (world["session"].start - timedelta(minutes=15)).astimezone(MANILA)
    words = refusal(client.post(world["url"]))
    assert words.startswith("Check-in for Migration and Labour opens at ")
    assert opens.strftime("%H:%M") in words
    assert not Attendance.objects.exists()


def test_checkin_after_the_window_says_when_it_closed(client):
    world = make_world(starts_in=-timedelta(hours=3))
    sign_in(client, world["ana"])
    closed = (world["session"].end + timedelta(minutes=15)).astimezone(MANILA)
    words = refusal(client.get(world["url"]))
    assert words.startswith("Check-in for Migration and Labour closed at ")
    assert closed.strftime("%H:%M") in words
    assert refusal(client.post(world["url"])) == words
    assert not Attendance.objects.exists()


def test_checkin_margin_set_by_the_organiser_widens_the_window(client):
    world = make_world(starts_in=timedelta(minutes=50))
    sign_in(client, world["ana"])
    assert client.get(world["url"]).status_code == 403
    world["workshop"].checkin_margin_minutes = 60
    world["workshop"].save()
    assert client.get(world["url"]).status_code == 200


def test_checkin_in_another_groups_room_says_where_the_group_meets(client, world):
    sign_in(client, world["bea"])
    words = refusal(client.post(world["url"]))
    assert words == "This is not your group&#x27;s room. Your group B meets in Room B, 2nd floor."
    assert not Attendance.objects.exists()


def test_checkin_of_another_workshops_participant_is_refused(client, world):
    other = make_world(starts_in=timedelta(minutes=5))
    sign_in(client, other["ana"])
    words = refusal(client.post(world["url"]))
    assert words.startswith("This sign belongs to another workshop")
    assert not Attendance.objects.exists()


def test_checkin_of_a_facilitator_is_refused(client, world):
    sign_in(client, world["facilitator"])
    words = refusal(client.post(world["url"]))
    assert words.startswith("Facilitators do not check in")
    assert not Attendance.objects.exists()


def test_checkin_of_an_organiser_is_refused(client, world):
    client.force_login(f.user(is_superuser=True))
    assert refusal(client.post(world["url"])).startswith("Check-in is for participants")


def test_checkin_not_signed_in_says_to_open_the_personal_link_first(client, world):
    response = client.get(world["url"])
    assert response.status_code == 403
    assert "open your personal link" in response.content.decode()
    assert client.post(world["url"]).status_code == 403
    assert not Attendance.objects.exists()


def test_checkin_forged_or_mismatched_token_is_404(client, world):
    sign_in(client, world["ana"])
    token = checkin_token(room=world["a"].room, session=world["session"])
    room_id, rest = token.split("-", 1)
    forged = f"{world['b'].room.pk}-{rest}"  # another room, the same signature
    for bad in (forged, "1-1:abc", "nothing"):
        assert client.get(f"/me/checkin/{bad}/").status_code == 404


def test_checkin_page_queries_do_not_grow(client):
    counts = []
    for size in (1, 6):
        world = make_world(starts_in=timedelta(minutes=5))
        for _ in range(size * 5):
            f.participant(world["workshop"], group=world["a"])
        for _ in range(size):
            f.assignment(f.facilitator(world["workshop"]), world["session"], world["b"])
        client.logout()
        sign_in(client, world["ana"])
        client.get(world["url"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(world["url"]).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
