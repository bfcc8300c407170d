"""Copy a past workshop: its frame (language modes, rooms, groups, sessions at the same local times on
the new dates, questions) and none of its people, answers, notes or invitations; from the command and
from the organisers' home."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from organise.copy import workshop_copy
from tests import factories as f
from worksheets.models import Question
from workshops.models import BreakoutSession, Workshop

pytestmark = pytest.mark.django_db

SANTIAGO = ZoneInfo("America/Santiago")


@pytest.fixture
def past(organiser):
    """Last year's workshop in Santiago, across the April change of clocks (UTC-3 before, UTC-4 after)."""
    workshop = f.workshop(
        organisers=[organiser],
        slug="santiago-2030",
        title="Santiago 2030",
        title_es="Santiago 2030 (es)",
        timezone="America/Santiago",
        start_date=date(2030, 4, 5),
        end_date=date(2030, 4, 6),
        venue="CEPAL",
        is_published=True,
    )
    spanish = f.language_mode(workshop, languages=["es"], name="Solo español")
    tri = f.language_mode(workshop)
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Sala A", mode=spanish, capacity=20))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Sala B", mode=tri, capacity=25))
    morning = f.session(
        workshop,
        title="Migración y trabajo",
        start=datetime(2030, 4, 5, 11, tzinfo=SANTIAGO),
        end=datetime(2030, 4, 5, 13, tzinfo=SANTIAGO),
        section=f.section("2.6"),
        facilitators_required=2,
    )
    afternoon = f.session(
        workshop,
        title="Trata de personas",
        start=datetime(2030, 4, 6, 15, tzinfo=SANTIAGO),
        end=datetime(2030, 4, 6, 17, tzinfo=SANTIAGO),
        facilitators_required=1,
    )
    everywhere = f.question(workshop, text="For every session", text_fr="Pour chaque session", order=1)
    only_morning = f.question(workshop, session=morning, text="Morning only", order=2)
    person = f.participant(workshop, group=a)
    facilitator = f.facilitator(workshop)
    f.assignment(facilitator, morning, a)
    f.answer(f.worksheet(person, morning), everywhere, text="Private thoughts")
    f.answer(f.worksheet(person, afternoon), only_morning, text="More")
    return {"workshop": workshop, "a": a, "b": b, "morning": morning, "afternoon": afternoon}


def test_copy_keeps_the_frame_and_shifts_sessions_to_the_same_local_times(past):
    copy = workshop_copy(source=past["workshop"], slug="santiago-2031", start_date=date(2031, 9, 10))

    assert (copy.start_date, copy.end_date) == (date(2031, 9, 10), date(2031, 9, 11))
    assert copy.timezone == "America/Santiago" and copy.venue == "CEPAL"
    assert copy.title == "Santiago 2030" and copy.title_es == "Santiago 2030 (es)"
    assert not copy.is_published  # published only when its organiser says so
    assert list(copy.organisers.all()) == list(past["workshop"].organisers.all())

    rooms = {room.name: room for room in copy.rooms.select_related("language_mode")}
    assert set(rooms) == {"Sala A", "Sala B"}
    assert rooms["Sala A"].language_mode.languages == ["es"] and rooms["Sala A"].capacity == 20
    assert rooms["Sala A"].language_mode.workshop == copy
    assert {(g.name, g.room.name) for g in copy.groups.select_related("room")} == {("A", "Sala A"), ("B", "Sala B")}

    sessions = list(copy.sessions.order_by("start"))
    local = [(s.title, s.start.astimezone(SANTIAGO), s.end.astimezone(SANTIAGO)) for s in sessions]
    # The local clock times are kept, whatever the offset on the new days.
    assert [(t, s.date(), s.time().hour, e.time().hour) for t, s, e in local] == [
        ("Migración y trabajo", date(2031, 9, 10), 11, 13),
        ("Trata de personas", date(2031, 9, 11), 15, 17),
    ]
    assert sessions[0].section.number == "2.6" and sessions[0].facilitators_required == 2
    assert sessions[1].facilitators_required == 1

    questions = list(Question.objects.filter(workshop=copy).order_by("order"))
    assert [(q.text, q.text_fr) for q in questions] == [
        ("For every session", "Pour chaque session"),
        ("Morning only", None),
    ]
    assert questions[0].session is None and questions[1].session == sessions[0]


def test_copy_keeps_local_times_across_a_change_of_clocks(past):
    """Santiago's clocks go back in April: a session at 11:00 in April 2030 (UTC-3) copied to a day in
    May (UTC-4) still starts at 11:00 on the wall, not at 10:00."""
    copy = workshop_copy(source=past["workshop"], slug="santiago-may", start_date=date(2031, 5, 20))
    first = copy.sessions.order_by("start").first()
    assert first.start.astimezone(SANTIAGO).replace(tzinfo=None) == datetime(2031, 5, 20, 11)
    assert first.start.utcoffset() is not None
    assert past["morning"].start.astimezone(SANTIAGO).utcoffset() != first.start.astimezone(SANTIAGO).utcoffset()


def test_copy_takes_no_people_answers_notes_or_invitations(past):
    copy = workshop_copy(source=past["workshop"], slug="santiago-2031", start_date=date(2031, 9, 10))
    assert not copy.participants.exists() and not copy.facilitators.exists()
    assert not copy.invitations.exists()
    assert not BreakoutSession.objects.filter(workshop=copy, worksheets__isnull=False).exists()
    assert not BreakoutSession.objects.filter(workshop=copy, assignments__isnull=False).exists()
    # The source is untouched.
    assert past["workshop"].participants.count() == 1 and past["workshop"].sessions.count() == 2


def test_copy_leaves_last_years_invitation_message_behind(past):
    """The organiser's own message is the invitations' (last year's venue and logistics): not the frame."""
    Workshop.objects.filter(pk=past["workshop"].pk).update(
        invitation_note_en="Venue: Palais, gate 3", invitation_note_es="Sede: Palais, puerta 3"
    )
    past["workshop"].refresh_from_db()
    copy = workshop_copy(source=past["workshop"], slug="santiago-2031", start_date=date(2031, 9, 10))
    copy.refresh_from_db()
    assert (copy.invitation_note_en, copy.invitation_note_es, copy.invitation_note_fr) == ("", "", "")


def test_a_new_title_replaces_every_language_of_the_old_one(past):
    copy = workshop_copy(source=past["workshop"], slug="s31", start_date=date(2031, 9, 10), title="Santiago 2031")
    assert (copy.title_en, copy.title_es, copy.title_fr) == ("Santiago 2031", None, None)


def test_copy_refuses_a_slug_in_use_and_leaves_nothing_behind(past):
    f.workshop(slug="taken")
    before = Workshop.objects.count()
    with pytest.raises(ValueError, match="taken"):
        workshop_copy(source=past["workshop"], slug="taken", start_date=date(2031, 9, 10))
    assert Workshop.objects.count() == before


def test_command_copies_and_says_what_it_made(past):
    out = StringIO()
    call_command(
        "workshop_copy",
        "santiago-2030",
        "--slug",
        "santiago-2031",
        "--start-date",
        "2031-09-10",
        "--title",
        "Santiago 2031",
        stdout=out,
    )
    copy = Workshop.objects.get(slug="santiago-2031")
    assert copy.title == "Santiago 2031" and copy.start_date == date(2031, 9, 10)
    assert "santiago-2031" in out.getvalue() and "2 sessions" in out.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["nowhere", "--slug", "x", "--start-date", "2031-09-10"], "nowhere"),
        (["santiago-2030", "--slug", "x", "--start-date", "10/09/2031"], "YYYY-MM-DD"),
        (["santiago-2030", "--slug", "santiago-2030", "--start-date", "2031-09-10"], "santiago-2030"),
        (["santiago-2030", "--slug", "not a slug", "--start-date", "2031-09-10"], "short name"),
    ],
)
def test_command_refuses_bad_input_in_words(past, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("workshop_copy", *args)


def test_copy_page_makes_the_copy_and_opens_its_board(client, organiser, past):
    client.force_login(organiser)
    url = reverse("organise:copy", kwargs={"slug": "santiago-2030"})
    page = client.get(url)
    assert page.status_code == 200 and "Santiago 2030" in page.content.decode()
    response = client.post(url, {"slug": "santiago-2031", "title": "Santiago 2031", "start_date": "2031-09-10"})
    copy = Workshop.objects.get(slug="santiago-2031")
    assert response.status_code == 302 and response.url == reverse("organise:board", kwargs={"slug": copy.slug})
    assert organiser in copy.organisers.all()


def test_copy_page_keeps_what_was_typed_when_refused(client, organiser, past):
    client.force_login(organiser)
    url = reverse("organise:copy", kwargs={"slug": "santiago-2030"})
    response = client.post(url, {"slug": "santiago-2030", "title": "Typed title", "start_date": "2031-09-10"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Typed title" in body and "already" in body
    assert Workshop.objects.filter(slug__startswith="santiago").count() == 1


def test_copy_page_is_for_the_workshop_team_only(client, other_organiser, past):
    client.force_login(other_organiser)
    url = reverse("organise:copy", kwargs={"slug": "santiago-2030"})
    assert client.get(url).status_code == 404
    assert client.post(url, {"slug": "stolen", "title": "x", "start_date": "2031-09-10"}).status_code == 404
    assert not Workshop.objects.filter(slug="stolen").exists()
