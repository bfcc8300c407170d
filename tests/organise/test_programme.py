"""The organiser's programme page: items added, changed and deleted (after asking), typed on the workshop's clock."""

import json
import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from organise.backup import _checksum, workshop_backup_json, workshop_restore
from organise.copy import workshop_copy
from tests import factories as f
from workshops.enums import ProgrammeKind
from workshops.models import ProgrammeItem, Workshop

pytestmark = pytest.mark.django_db

SANTIAGO = ZoneInfo("America/Santiago")


@pytest.fixture
def organiser():
    return f.user()


@pytest.fixture
def workshop(organiser):
    return f.workshop(
        organisers=[organiser], timezone="America/Santiago", start_date=date(2030, 9, 27), end_date=date(2030, 9, 28)
    )


def url(name, workshop, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


def form_data(**changes):
    data = {
        "kind": ProgrammeKind.OPENING,
        "day": "2030-09-28",
        "start": "09:30",
        "end": "10:00",
        "title_en": "Opening",
        "title_es": "Apertura",
        "title_fr": "Ouverture",
        "place_en": "Main hall",
        "place_es": "",
        "place_fr": "Salle principale",
        "room": "",
        "description_en": "",
        "description_es": "",
        "description_fr": "",
    }
    data.update(changes)
    return data


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def test_an_item_typed_on_the_workshops_clock_is_stored_as_that_moment(client, organiser, workshop):
    client.force_login(organiser)
    response = client.post(url("programme", workshop), form_data())
    assert response.status_code == 302
    [item] = ProgrammeItem.objects.filter(workshop=workshop)
    assert item.start == datetime(2030, 9, 28, 9, 30, tzinfo=SANTIAGO)
    assert item.start.astimezone(ZoneInfo("UTC")).hour == 12  # Santiago is UTC-3 then
    assert (item.title_en, item.title_es, item.title_fr) == ("Opening", "Apertura", "Ouverture")
    assert (item.place_en, item.place_fr) == ("Main hall", "Salle principale")
    with translation.override("es"):
        assert item.place == "Main hall"  # left empty: Spanish readers see the English
    page = text_of(client.get(url("programme", workshop)))
    assert "Saturday 28 September 2030 09:30–10:00 Opening Opening Where: Main hall" in page
    assert "“Opening” is added to the programme." in page


def test_the_list_shows_the_breakout_sessions_among_the_items(client, organiser, workshop):
    f.programme_item(workshop, title="Lunch", start_hour=13, minutes=120)
    session = f.session(workshop, title="Migration and Labour")
    session.start, session.end = datetime(2030, 9, 27, 11, tzinfo=SANTIAGO), datetime(2030, 9, 27, 13, tzinfo=SANTIAGO)
    session.save()
    f.programme_item(workshop, title="Opening", start_hour=9)
    client.force_login(organiser)
    page = text_of(client.get(url("programme", workshop)))
    positions = [page.index(text) for text in ("09:00–09:30", "11:00–13:00 Break-out sessions", "13:00–15:00")]
    assert positions == sorted(positions)


def test_an_item_that_ends_before_it_starts_is_refused_in_words(client, organiser, workshop):
    client.force_login(organiser)
    response = client.post(url("programme", workshop), form_data(start="10:00", end="09:00"))
    assert response.status_code == 200
    assert "An item must end after it starts." in response.content.decode()
    assert not ProgrammeItem.objects.exists()


def test_a_day_outside_the_workshop_is_not_offered(client, organiser, workshop):
    client.force_login(organiser)
    response = client.post(url("programme", workshop), form_data(day="2030-09-29"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not ProgrammeItem.objects.exists()


def test_a_room_of_another_workshop_is_not_offered(client, organiser, workshop):
    other_room = f.room(f.workshop(organisers=[organiser]))
    client.force_login(organiser)
    response = client.post(url("programme", workshop), form_data(room=str(other_room.pk)))
    assert response.status_code == 200
    assert not ProgrammeItem.objects.exists()


def test_editing_shows_and_keeps_the_workshops_clock(client, organiser, workshop):
    item = f.programme_item(workshop, title="Opening", start_hour=9, minutes=30)
    client.force_login(organiser)
    page = client.get(url("programme_item", workshop, item_id=item.pk)).content.decode()
    assert 'value="09:00"' in page and 'value="09:30"' in page
    assert '<option value="2030-09-27" selected>' in page
    response = client.post(url("programme_item", workshop, item_id=item.pk), form_data(start="14:00", end="14:45"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.start, item.end) == (
        datetime(2030, 9, 28, 14, tzinfo=SANTIAGO),
        datetime(2030, 9, 28, 14, 45, tzinfo=SANTIAGO),
    )


def test_deleting_asks_first_then_deletes(client, organiser, workshop):
    item = f.programme_item(workshop, title="Coffee break")
    client.force_login(organiser)
    question = client.get(url("programme_item_delete", workshop, item_id=item.pk))
    assert question.status_code == 200
    assert "Delete this item?" in question.content.decode() and "Coffee break" in question.content.decode()
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()  # asking deletes nothing
    response = client.post(url("programme_item_delete", workshop, item_id=item.pk))
    assert response.status_code == 302
    assert not ProgrammeItem.objects.filter(pk=item.pk).exists()


def test_another_workshops_item_is_404_even_to_its_own_organiser(client, organiser, workshop):
    theirs = f.programme_item(f.workshop(organisers=[organiser]), title="Elsewhere")
    client.force_login(organiser)
    assert client.get(url("programme_item", workshop, item_id=theirs.pk)).status_code == 404
    assert client.post(url("programme_item_delete", workshop, item_id=theirs.pk)).status_code == 404
    assert ProgrammeItem.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "language,heading,field", [("es", "Programa", "Título (español)"), ("fr", "Programme", "Titre (français)")]
)
def test_the_page_in_spanish_and_french(client, organiser, workshop, language, heading, field):
    f.programme_item(workshop, title_en="Lunch", title_es="Almuerzo", title_fr="Déjeuner", kind=ProgrammeKind.MEAL)
    client.force_login(organiser)
    with translation.override(language):
        page = client.get(url("programme", workshop)).content.decode()
        assert f'<h1 class="h3">{heading}' in page
        assert field in page
        assert {"es": "Almuerzo", "fr": "Déjeuner"}[language] in page


def test_copying_a_workshop_moves_its_items_to_the_same_clock_times_with_their_rooms():
    workshop = f.workshop(timezone="America/Santiago", start_date=date(2030, 4, 5), end_date=date(2030, 4, 6))
    room = f.room(workshop, name="Sala A")
    # 5 April 2030 is before Chile's change of clocks (UTC-3), 4 April 2031 after it (UTC-4).
    f.programme_item(
        workshop,
        title_en="Opening",
        title_fr="Ouverture",
        start=datetime(2030, 4, 5, 9, 30, tzinfo=SANTIAGO),
        end=datetime(2030, 4, 5, 10, tzinfo=SANTIAGO),
        room=room,
    )
    copy = workshop_copy(source=workshop, slug="santiago-2031", start_date=date(2031, 4, 4))
    [item] = ProgrammeItem.objects.filter(workshop=copy)
    assert item.start.astimezone(SANTIAGO).replace(tzinfo=None) == datetime(2031, 4, 4, 9, 30)
    assert (item.title_en, item.title_fr, item.room.name, item.room.workshop) == (
        "Opening",
        "Ouverture",
        "Sala A",
        copy,
    )
    assert ProgrammeItem.objects.filter(workshop=workshop).count() == 1  # last year's stays


def test_backup_and_restore_keep_the_programme_items_in_every_language(workshop):
    room = f.room(workshop, name="Sala A")
    f.programme_item(workshop, title_en="Opening", title_es="Apertura", place_fr="Salle", room=room, start_hour=9)
    f.programme_item(workshop, title_en="Lunch", kind=ProgrammeKind.MEAL, start_hour=13, minutes=90, day=1)
    text = workshop_backup_json(workshop=workshop)
    restored = workshop_restore(text=text, slug="restored").workshop
    items = list(ProgrammeItem.objects.filter(workshop=restored).order_by("start"))
    assert [(i.title_en, i.title_es, i.place_fr, i.kind) for i in items] == [
        ("Opening", "Apertura", "Salle", ProgrammeKind.PRESENTATION),
        ("Lunch", None, None, ProgrammeKind.MEAL),
    ]
    assert items[0].room.workshop == restored and items[0].room.name == "Sala A" and items[1].room is None
    assert [i.start for i in items] == list(
        ProgrammeItem.objects.filter(workshop=workshop).values_list("start", flat=True)
    )


def test_a_backup_made_before_the_programme_still_restores(workshop):
    f.programme_item(workshop)
    document = json.loads(workshop_backup_json(workshop=workshop))
    del document["content"]["programme_items"]
    document["checksum"] = _checksum(document["content"])
    restored = workshop_restore(text=json.dumps(document), slug="older").workshop
    assert not ProgrammeItem.objects.filter(workshop=restored).exists()


def test_the_2005_demo_has_a_plenary_programme_on_both_days_around_the_breakouts(client):
    call_command("load_demo", stdout=StringIO())
    demo = Workshop.objects.get(slug="idm-2005-capacity")
    zurich = ZoneInfo("Europe/Zurich")
    items = list(ProgrammeItem.objects.filter(workshop=demo).order_by("start"))
    for item in items:
        item.full_clean()  # on the workshop's days, ending after it starts
        assert item.title_es and item.title_fr and item.place_es and item.place_fr
    first = items[0].start.astimezone(zurich)
    assert (first.date(), first.hour, first.minute, items[0].kind) == (date(2005, 9, 27), 9, 30, ProgrammeKind.OPENING)
    assert {i.start.astimezone(zurich).date() for i in items} == {date(2005, 9, 27), date(2005, 9, 28)}
    lunch = next(i for i in items if i.kind == ProgrammeKind.MEAL)
    assert (lunch.start.astimezone(zurich).hour, lunch.end.astimezone(zurich).hour) == (13, 15)
    sessions = list(demo.sessions.all())
    assert not any(i.start < s.end and s.start < i.end for i in items for s in sessions)  # none overlaps a break-out
    kinds = {i.kind for i in items}
    assert {ProgrammeKind.REPORT_BACK, ProgrammeKind.CLOSING, ProgrammeKind.BREAK, ProgrammeKind.PRESENTATION} <= kinds
    call_command("load_demo", stdout=StringIO())
    assert ProgrammeItem.objects.filter(workshop=demo).count() == len(items)  # loading again adds nothing
    with translation.override("fr"):
        page = client.get(reverse("workshops:detail", kwargs={"slug": demo.slug})).content.decode()
    assert "Ouverture de l’atelier" in page and "Restitution des sessions en groupes" in page
