"""The whole day for participants and facilitators: my day, the rotation, their calendars, the printed itinerary.

The workshop is in Santiago (UTC-3 in late September 2030), so a time shown or exported on the
server's clock (or in UTC without saying so) would be seen.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests import factories as f
from workshops.access import personal_link_path
from workshops.enums import ProgrammeKind

pytestmark = pytest.mark.django_db

SANTIAGO = ZoneInfo("America/Santiago")
UTC = ZoneInfo("UTC")


def at(day, hour, minute=0):
    return datetime(2030, 9, day, hour, minute, tzinfo=SANTIAGO)


@pytest.fixture
def day():
    workshop = f.workshop(timezone="America/Santiago")
    mine = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room Aconcagua", directions="First floor"))
    theirs = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room Bío-Bío"))
    labour = f.session(workshop, title="Migration and Labour", start=at(27, 11), end=at(27, 13))
    trafficking = f.session(workshop, title="Counter-Trafficking", start=at(27, 15), end=at(27, 17))
    hall = f.room(workshop, name="Hall")
    items = {
        "opening": f.programme_item(
            workshop,
            kind=ProgrammeKind.OPENING,
            title_en="Opening",
            title_es="Apertura",
            title_fr="Ouverture",
            place_en="Main hall",
            place_es="Sala principal",
            description_en="Welcome\nby the Director",
            start=at(27, 9, 30),
            end=at(27, 10),
        ),
        "lunch": f.programme_item(
            workshop, kind=ProgrammeKind.MEAL, title_en="Lunch", title_es="Almuerzo", start=at(27, 13), end=at(27, 15)
        ),
        "report": f.programme_item(
            workshop, kind=ProgrammeKind.REPORT_BACK, title_en="Report-back", room=hall, start=at(28, 9), end=at(28, 10)
        ),
    }
    participant = f.participant(workshop, group=mine)
    facilitator = f.facilitator(workshop, name="Fiona Facilitator")
    f.assignment(facilitator, labour, mine)
    f.assignment(facilitator, trafficking, theirs)
    f.assignment(f.facilitator(workshop, name="Pablo Partner"), labour, mine)
    return {
        "workshop": workshop,
        "participant": participant,
        "facilitator": facilitator,
        "items": items,
        "sessions": (labour, trafficking),
        "theirs": theirs,
    }


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def in_order(text, *parts):
    positions = [text.index(part) for part in parts]
    return positions == sorted(positions)


def events(response) -> list:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return sorted(Calendar.from_ical(response.content).walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


def test_my_day_shows_the_whole_day_in_order_with_my_room(client, day):
    sign_in(client, day["participant"])
    text = text_of(client.get(reverse("worksheets:my_day")))
    assert in_order(
        text,
        "Friday 27 September 2030",
        "09:30–10:00 Opening Opening Where: Main hall",
        "11:00–13:00 · Room Aconcagua Migration and Labour",
        "13:00–15:00 Meal Lunch",
        "15:00–17:00 · Room Aconcagua Counter-Trafficking",
        "Saturday 28 September 2030",
        "09:00–10:00 Report-back Report-back Where: Hall",
    )
    assert "Room Bío-Bío" not in text  # another group's room is not mine


def test_day_ics_has_my_breakouts_in_my_room_and_the_plenary_items(client, day):
    sign_in(client, day["participant"])
    response = client.get(reverse("worksheets:day_ical"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="day.ics"'
    found = events(response)
    assert [str(e["summary"]) for e in found] == [
        "Opening",
        "Migration and Labour",
        "Lunch",
        "Counter-Trafficking",
        "Report-back",
    ]
    assert [str(e.get("location", "")) for e in found] == [
        "Main hall",
        "Room Aconcagua (First floor)",
        "",
        "Room Aconcagua (First floor)",
        "Hall",
    ]
    opening, labour = found[0], found[1]
    assert opening["dtstart"].params["TZID"] == "America/Santiago"
    assert opening.decoded("dtstart") == at(27, 9, 30)
    assert opening.decoded("dtstart").astimezone(UTC) == datetime(2030, 9, 27, 12, 30, tzinfo=UTC)
    assert str(opening["description"]) == "Opening\nWelcome by the Director"
    assert labour.decoded("dtend") == at(27, 13)
    assert "Pablo Partner" in str(labour["description"]) and "Fiona Facilitator" in str(labour["description"])
    assert b"Bio" not in response.content and "Bío".encode() not in response.content
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:America/Santiago" in response.content


def test_day_ics_in_the_participants_language(client, day):
    participant = day["participant"]
    participant.preferred_language = "es"
    participant.save()
    sign_in(client, participant)
    found = events(client.get(reverse("worksheets:day_ical"), follow=True))  # to /es/me/day.ics
    assert [str(e["summary"]) for e in found][:3] == ["Apertura", "Migration and Labour", "Almuerzo"]
    assert str(found[0]["location"]) == "Sala principal"
    assert str(found[0]["description"]).splitlines()[0] == "Apertura"  # the kind, in Spanish


def test_day_ics_is_only_for_participants(client, day):
    sign_in(client, day["facilitator"])
    assert client.get(reverse("worksheets:day_ical")).status_code == 404


def test_day_ics_of_a_participant_without_a_group_yet(client, day):
    loose = f.participant(day["workshop"])
    sign_in(client, loose)
    found = events(client.get(reverse("worksheets:day_ical")))
    labour = found[1]
    assert "location" not in labour
    assert str(labour["description"]) == "Your group and room are not decided yet."


def test_rotation_shows_the_plenary_items_among_my_sessions(client, day):
    sign_in(client, day["facilitator"])
    text = text_of(client.get(reverse("worksheets:my_day")))
    assert in_order(
        text,
        "09:30–10:00 Opening",
        "Migration and Labour Room Aconcagua · Group A",
        "13:00–15:00 Meal Lunch",
        "Counter-Trafficking Room Bío-Bío · Group B",
        "Saturday 28 September 2030",
        "09:00–10:00 Report-back",
    )


def test_rotation_ics_has_the_plenary_items_on_the_venues_clock(client, day):
    sign_in(client, day["facilitator"])
    found = events(client.get(reverse("worksheets:rotation_ical")))
    assert [str(e["summary"]) for e in found] == [
        "Opening",
        "Migration and Labour · Group A",
        "Lunch",
        "Counter-Trafficking · Group B",
        "Report-back",
    ]
    report = found[-1]
    assert report["dtstart"].params["TZID"] == "America/Santiago"
    assert report.decoded("dtstart").astimezone(UTC) == datetime(2030, 9, 28, 12, tzinfo=UTC)
    assert report.decoded("dtend") - report.decoded("dtstart") == timedelta(hours=1)
    assert len({str(e["uid"]) for e in found}) == 5


def test_printed_itineraries_show_the_plenary_items_in_the_facilitators_language(client, day):
    organiser = f.user(is_staff=True)
    day["workshop"].organisers.add(organiser)
    facilitator = day["facilitator"]
    facilitator.preferred_language = "es"
    facilitator.save()
    client.force_login(organiser)
    text = text_of(client.get(reverse("organise:itineraries", kwargs={"slug": day["workshop"].slug})))
    assert in_order(
        text, "09:30–10:00", "Apertura", "Sala principal", "Migration and Labour", "Almuerzo", "Report-back"
    )
