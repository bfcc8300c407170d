"""The guided set-up: a new workshop from nothing to sessions, without the Django admin, in the
workshop's own time zone; each step saved as it goes and checked in words."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from workshops.models import BreakoutSession, LanguageMode, Workshop

pytestmark = pytest.mark.django_db

NEW = "/organise/new/"


def _step(name, workshop):
    return reverse(f"organise:setup_{name}", kwargs={"slug": workshop.slug})


@pytest.fixture
def santiago(client, organiser):
    client.force_login(organiser)
    response = client.post(
        NEW,
        {
            "title_en": "Santiago 2031",
            "slug": "santiago-2031",
            "venue": "CEPAL",
            "start_date": "2031-05-20",
            "end_date": "2031-05-21",
            "timezone": "America/Santiago",
        },
    )
    workshop = Workshop.objects.get(slug="santiago-2031")
    assert response.status_code == 302 and response.url == _step("languages", workshop)
    return workshop


def test_step_one_creates_an_unpublished_workshop_in_my_team_with_the_default_questions(organiser, santiago):
    assert not santiago.is_published and santiago.timezone == "America/Santiago"
    assert list(santiago.organisers.all()) == [organiser]
    assert santiago.questions.count() >= 4


def test_the_time_zone_is_chosen_from_a_list(client, organiser):
    client.force_login(organiser)
    body = client.get(NEW).content.decode()
    assert '<select name="timezone"' in body and '<option value="America/Santiago"' in body
    response = client.post(
        NEW,
        {
            "title_en": "X",
            "slug": "x",
            "start_date": "2031-05-20",
            "end_date": "2031-05-21",
            "timezone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200 and not Workshop.objects.filter(slug="x").exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"end_date": "2031-05-19"}, "The last day cannot be before the first day."),
        ({"slug": "new"}, "names a page of the back office"),
        ({"slug": "Not a slug"}, "letters, numbers, underscores or hyphens"),
    ],
)
def test_step_one_refuses_in_words_and_keeps_what_was_typed(client, organiser, changes, message):
    client.force_login(organiser)
    data = {
        "title_en": "Typed title",
        "slug": "ok-slug",
        "start_date": "2031-05-20",
        "end_date": "2031-05-21",
        "timezone": "Africa/Dakar",
    } | changes
    response = client.post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "Typed title" in body
    assert not Workshop.objects.filter(title="Typed title").exists()


def test_ready_made_and_other_language_modes(client, santiago):
    response = client.post(
        _step("languages", santiago),
        {"presets": ["tri", "en"], "name": "Español y portugués", "languages": ["es", "pt"], "interpretation": "on"},
    )
    assert response.status_code == 302
    modes = {
        mode.name: (mode.languages, mode.interpretation) for mode in LanguageMode.objects.filter(workshop=santiago)
    }
    assert modes == {
        "Tri-lingual": (["en", "es", "fr"], True),
        "English only": (["en"], False),
        "Español y portugués": (["es", "pt"], True),
    }
    # Asked twice, a mode is not added twice.
    client.post(_step("languages", santiago), {"presets": ["tri"]})
    assert LanguageMode.objects.filter(workshop=santiago).count() == 3


def test_interpretation_needs_two_languages_said_in_words(client, santiago):
    response = client.post(_step("languages", santiago), {"name": "Solo", "languages": ["es"], "interpretation": "on"})
    assert response.status_code == 200 and "Interpretation needs at least two languages." in response.content.decode()
    assert not LanguageMode.objects.filter(workshop=santiago).exists()


def test_rooms_need_a_language_mode_first(client, santiago):
    response = client.get(_step("rooms", santiago))
    assert response.status_code == 302 and response.url == _step("languages", santiago)


def test_a_room_and_its_group_in_one_step(client, santiago):
    client.post(_step("languages", santiago), {"presets": ["es"]})
    mode = LanguageMode.objects.get(workshop=santiago)
    response = client.post(
        _step("rooms", santiago), {"name_en": "Sala A", "capacity": "20", "language_mode": mode.pk, "group_name": "A"}
    )
    assert response.status_code == 302
    room = santiago.rooms.get()
    assert (room.name, room.capacity, room.language_mode, room.group.name) == ("Sala A", 20, mode, "A")
    again = client.post(
        _step("rooms", santiago), {"name_en": "Sala B", "capacity": "20", "language_mode": mode.pk, "group_name": "A"}
    )
    assert again.status_code == 200 and "already has a group with this name" in again.content.decode()
    assert santiago.rooms.count() == 1


def test_a_session_is_read_on_the_workshops_clock(client, santiago):
    section = f.section("2.6")
    response = client.post(
        _step("sessions", santiago),
        {
            "title": "Migración y trabajo",
            "day": "2031-05-20",
            "start": "11:00",
            "end": "13:00",
            "section": section.pk,
            "facilitators_required": "2",
        },
    )
    assert response.status_code == 302
    session = BreakoutSession.objects.get(workshop=santiago)
    assert session.start == datetime(2031, 5, 20, 15, 0, tzinfo=UTC)  # 11:00 in Santiago, UTC-4 in May
    assert session.section == section and session.facilitators_required == 2


def test_a_session_must_end_after_it_starts_and_be_on_a_workshop_day(client, santiago):
    late = client.post(
        _step("sessions", santiago),
        {"title": "T", "day": "2031-05-20", "start": "13:00", "end": "11:00", "facilitators_required": "2"},
    )
    assert late.status_code == 200 and "A session must end after it starts." in late.content.decode()
    outside = client.post(
        _step("sessions", santiago),
        {"title": "T", "day": "2031-06-01", "start": "11:00", "end": "13:00", "facilitators_required": "2"},
    )
    assert outside.status_code == 200
    assert not BreakoutSession.objects.filter(workshop=santiago).exists()


def test_the_steps_show_what_is_done(client, santiago):
    client.post(_step("languages", santiago), {"presets": ["en"]})
    body = client.get(_step("languages", santiago)).content.decode()
    assert 'aria-current="step"' in body
    assert body.count("(done)") == 3  # details, language modes, questions (the defaults)


def test_other_teams_cannot_open_or_change_another_workshops_setup(client, other_organiser, santiago):
    client.force_login(other_organiser)
    for step in ("details", "languages", "rooms", "sessions"):
        assert client.get(_step(step, santiago)).status_code == 404
    assert client.post(_step("languages", santiago), {"presets": ["en"]}).status_code == 404
    assert not LanguageMode.objects.filter(workshop=santiago).exists()


def test_the_setup_reads_in_spanish(client, organiser):
    client.force_login(organiser)
    body = client.get("/es" + NEW).content.decode()
    assert "Nuevo taller" in body and "Huso horario" in body


def test_names_typed_on_a_spanish_page_show_in_every_language(client, santiago):
    """Typed on /es/…, a room, a group, a session and another mode still have their names in English
    (the language every other falls back to), not only in Spanish."""
    with translation.override("es"):  # the pages' Spanish addresses, /es/organise/…
        languages, rooms, sessions = (_step(name, santiago) for name in ("languages", "rooms", "sessions"))
    assert languages.startswith("/es/")
    client.post(languages, {"presets": ["es"], "name": "Español y portugués", "languages": ["es", "pt"]})
    mode = LanguageMode.objects.get(workshop=santiago, languages=["es"])
    client.post(rooms, {"name_en": "Sala A", "capacity": "20", "language_mode": mode.pk, "group_name": "A"})
    client.post(
        sessions,
        {
            "title": "Migración y trabajo",
            "day": "2031-05-20",
            "start": "11:00",
            "end": "13:00",
            "facilitators_required": "2",
        },
    )
    room = santiago.rooms.get()
    assert (room.name_en, room.group.name_en) == ("Sala A", "A")
    assert BreakoutSession.objects.get(workshop=santiago).title_en == "Migración y trabajo"
    other = LanguageMode.objects.get(workshop=santiago, languages=["es", "pt"])
    assert other.name_en == "Español y portugués"
    assert (mode.name_en, mode.name_es, mode.name_fr) == ("Spanish only", "Solo español", "Espagnol seulement")


def test_correcting_the_zone_in_the_details_keeps_each_session_at_its_time_of_day(client, santiago):
    client.post(
        _step("sessions", santiago),
        {"title": "T", "day": "2031-05-20", "start": "11:00", "end": "13:00", "facilitators_required": "2"},
    )
    data = {
        "title_en": "Santiago 2031",
        "slug": "santiago-2031",
        "start_date": "2031-05-20",
        "end_date": "2031-05-21",
        "timezone": "Africa/Dakar",
    }
    assert client.post(_step("details", santiago), data).status_code == 302
    session = BreakoutSession.objects.get(workshop=santiago)
    assert session.start == datetime(2031, 5, 20, 11, 0, tzinfo=UTC)  # 11:00 in Dakar (UTC+0), not 15:00
