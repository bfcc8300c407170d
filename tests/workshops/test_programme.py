"""The whole programme: plenary items and break-out sessions in time order, on the workshop's clock."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from workshops.enums import ProgrammeKind
from workshops.models import ProgrammeItem
from workshops.programme import programme_public
from workshops.services import workshop_rezone

pytestmark = pytest.mark.django_db

SANTIAGO = ZoneInfo("America/Santiago")


def titles(entries):
    return [entry.title for entry in entries]


def santiago_workshop(**kwargs):
    # Chile is on summer time (UTC-3) from 8 September 2030: 09:00 there is 12:00 UTC.
    return f.workshop(timezone="America/Santiago", start_date=date(2030, 9, 27), end_date=date(2030, 9, 28), **kwargs)


def test_programme_orders_items_and_sessions_across_days():
    workshop = f.workshop()
    f.programme_item(workshop, title="Report-back", start_hour=9, day=1)
    f.session(workshop, title="Migration and Labour", start_hour=11)
    f.programme_item(workshop, title="Lunch", start_hour=13, minutes=120)
    f.programme_item(workshop, title="Opening", start_hour=9)
    f.session(workshop, title="Counter-Trafficking", start_hour=15)
    entries = programme_public(workshop=workshop, sessions=workshop.sessions.all())
    assert titles(entries) == ["Opening", "Migration and Labour", "Lunch", "Counter-Trafficking", "Report-back"]
    assert [entry.day for entry in entries] == [date(2030, 9, 27)] * 4 + [date(2030, 9, 28)]
    assert [entry.is_breakout for entry in entries] == [False, True, False, True, False]


def test_programme_ties_shorter_first_then_plenary_then_the_order_entered():
    workshop = f.workshop()
    session = f.session(workshop, title="Break-out", start_hour=11, hours=1)
    f.programme_item(workshop, title="Long plenary", start_hour=11, minutes=90)
    f.programme_item(workshop, title="Same as the break-out", start_hour=11, minutes=60)
    f.programme_item(workshop, title="Welcome", start_hour=11, minutes=10)
    f.programme_item(workshop, title="Also the same", start_hour=11, minutes=60)
    entries = programme_public(workshop=workshop, sessions=[session])
    assert titles(entries) == ["Welcome", "Same as the break-out", "Also the same", "Break-out", "Long plenary"]


def test_programme_public_reads_its_items_in_one_query(django_assert_num_queries):
    workshop = f.workshop()
    room = f.room(workshop)
    for hour in (9, 10, 13, 17):
        f.programme_item(workshop, start_hour=hour, room=room)
    sessions = list(workshop.sessions.all())
    with django_assert_num_queries(1):
        entries = programme_public(workshop=workshop, sessions=sessions)
        assert [entry.item.where for entry in entries] == [room.name] * 4


def test_item_must_end_after_it_starts():
    workshop = f.workshop()
    start = datetime(2030, 9, 27, 10, tzinfo=ZoneInfo(workshop.timezone))
    item = ProgrammeItem(workshop=workshop, title="Opening", start=start, end=start)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["end"] == ["An item must end after it starts."]


def test_item_on_the_workshops_days_counted_on_its_own_clock():
    workshop = santiago_workshop()
    # 23:00–23:59 on the last day in Santiago is already the next day in UTC: still on the programme.
    late = datetime(2030, 9, 28, 23, tzinfo=SANTIAGO)
    ProgrammeItem(workshop=workshop, title="Late dinner", start=late, end=late + timedelta(minutes=59)).full_clean()
    after = datetime(2030, 9, 29, 9, tzinfo=SANTIAGO)
    with pytest.raises(ValidationError) as error:
        ProgrammeItem(workshop=workshop, title="Too late", start=after, end=after + timedelta(hours=1)).full_clean()
    assert error.value.message_dict["start"] == [
        "The workshop runs from Friday 27 September 2030 to Saturday 28 September 2030: "
        "this item is on Sunday 29 September 2030. "
        "Change its date, or the workshop’s days."
    ]


def test_item_room_of_another_workshop_is_refused():
    workshop, other = f.workshop(), f.workshop()
    start = datetime(2030, 9, 27, 10, tzinfo=ZoneInfo(workshop.timezone))
    item = ProgrammeItem(workshop=workshop, title="Opening", start=start, end=start + timedelta(hours=1))
    item.room = f.room(other)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["room"] == ["Choose a room of this workshop."]


def test_item_where_is_the_place_else_the_room():
    workshop = f.workshop()
    room = f.room(workshop, name="Room A")
    assert f.programme_item(workshop, place="Main hall", room=room).where == "Main hall"
    assert f.programme_item(workshop, room=room).where == "Room A"
    assert f.programme_item(workshop).where == ""


def test_public_page_shows_the_whole_day_in_order_on_the_venues_clock(client):
    workshop = santiago_workshop()
    f.programme_item(workshop, title="Opening", kind=ProgrammeKind.OPENING, start_hour=9, place="Main hall")
    f.programme_item(workshop, title="Report-back", start_hour=9, minutes=60, day=1, kind=ProgrammeKind.REPORT_BACK)
    session = f.session(workshop, title="Migration and Labour")
    session.start, session.end = datetime(2030, 9, 27, 11, tzinfo=SANTIAGO), datetime(2030, 9, 27, 13, tzinfo=SANTIAGO)
    session.save()
    page = client.get(workshop.get_absolute_url()).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "09:00–09:30 Opening Opening Where: Main hall" in text
    order = [page.index(title) for title in ("Opening", "Migration and Labour", "Report-back")]
    assert order == sorted(order)
    assert "11:00" in text and "13:00" in text
    assert "12:00" not in text and "14:00" not in text  # no UTC time: 09:00 and 11:00 in Santiago
    assert "Friday 27 September 2030" in text and "Saturday 28 September 2030" in text
    assert 'datetime="2030-09-27T09:00:00-03:00"' in page


@pytest.mark.parametrize(
    "language,title,kind,where",
    [("es", "Pausa para el café", "Pausa", "Dónde:"), ("fr", "Pause café", "Pause", "Où\u00a0:")],
)
def test_public_page_in_spanish_and_french(client, language, title, kind, where):
    workshop = f.workshop()
    f.programme_item(
        workshop,
        kind=ProgrammeKind.BREAK,
        title_en="Coffee break",
        title_es="Pausa para el café",
        title_fr="Pause café",
        place_en="Foyer",
    )
    with translation.override(language):
        url = reverse("workshops:detail", kwargs={"slug": workshop.slug})
    page = client.get(url).content.decode()
    assert title in page and "Coffee break" not in page
    assert f">{kind}</span>" in page
    assert where in page and "Foyer" in page  # an untranslated place falls back to English


def test_rezoning_a_workshop_keeps_its_items_clock_times():
    workshop = f.workshop()
    item = f.programme_item(workshop, start_hour=9, minutes=30)
    workshop.timezone = "America/Santiago"
    workshop.save()
    workshop_rezone(workshop=workshop, previous_timezone="Europe/Zurich")
    item.refresh_from_db()
    assert item.start.astimezone(SANTIAGO).replace(tzinfo=None) == datetime(2030, 9, 27, 9, 0)
    assert item.end.astimezone(SANTIAGO).replace(tzinfo=None) == datetime(2030, 9, 27, 9, 30)
