"""The facilitator's pages: only their own assignments, groups and shared answers; notes without loss."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from curriculum.models import SectionItem
from tests import factories as f
from worksheets.enums import Sharing, WorksheetStatus
from worksheets.models import TeamNote
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_anonymous_sharer_is_shown(settings):
    """These tests are about what is shared and by whom; the anonymity threshold is tested in test_report_anonymity.py."""
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    section = f.section("3.12", title="Irregular Migration")
    SectionItem.objects.create(
        section=section, kind="guiding_question", text_en="Who is trafficked?", text_fr="Qui est victime de la traite ?"
    )
    SectionItem.objects.create(section=section, kind="key_message", text_en="Protect victims first.")
    SectionItem.objects.create(section=section, kind="exercise", text_en="Map your referral system.")
    c = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C", directions="Ground floor"))
    d = f.group(workshop, name="D", room_obj=f.room(workshop, name="Room D"))
    morning = f.session(workshop, title="Labour", start_hour=11)
    afternoon = f.session(workshop, title="Counter-Trafficking", start_hour=15, section=section)
    me = f.facilitator(workshop, name="Me Facilitator", email="me@facilitators.example")
    partner = f.facilitator(workshop, name="Partner", email="partner@facilitators.example", languages=["fr", "en"])
    other = f.facilitator(workshop, name="Other", email="other@facilitators.example", languages=["es"])
    f.assignment(me, afternoon, c)
    f.assignment(partner, afternoon, c)
    f.assignment(other, afternoon, d)
    f.assignment(other, morning, c)
    question = f.question(workshop, text="What is your response?")
    in_c = [f.participant(workshop, name=n, group=c, email=f"{n.lower()}@example.org") for n in ("Ana", "Bo", "Cy")]
    in_d = f.participant(workshop, name="Dee", group=d)
    shared_named = f.worksheet(
        in_c[0], afternoon, sharing=Sharing.NAMED, status=WorksheetStatus.SUBMITTED, submitted_at=timezone.now()
    )
    f.answer(shared_named, question, text="Named insight")
    shared_anon = f.worksheet(in_c[1], afternoon, sharing=Sharing.ANONYMOUS)
    f.answer(shared_anon, question, text="Anonymous insight")
    private = f.worksheet(in_c[2], afternoon)
    f.answer(private, question, text="Private thought")
    other_group = f.worksheet(in_d, afternoon, sharing=Sharing.NAMED)
    f.answer(other_group, question, text="Group D insight")
    other_session = f.worksheet(in_c[1], morning, sharing=Sharing.NAMED)
    f.answer(other_session, question, text="Morning insight")
    return {
        "workshop": workshop,
        "c": c,
        "d": d,
        "morning": morning,
        "afternoon": afternoon,
        "me": me,
        "partner": partner,
        "other": other,
    }


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


def test_rotation_shows_where_to_go_with_whom(client, world):
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:my_day")).content.decode()
    for text in (
        "My rotation",
        "Room C",
        "Group C",
        "Ground floor",
        "Partner",
        "Counter-Trafficking",
        "EMM section 3.12: Irregular Migration",
        "interpretation available",
        "Next",
    ):
        assert text in page, text
    assert "Room D" not in page and "Labour" not in page  # not my assignments


def test_rotation_as_ical_parses_back(client, world):
    sign_in(client, world["me"])
    response = client.get(reverse("worksheets:rotation_ical"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Counter-Trafficking · Group C"
    assert str(event["location"]) == "Room C (Ground floor)"
    assert event.decoded("dtstart") == world["afternoon"].start
    assert event.decoded("dtend") == world["afternoon"].end
    assert "Partner" in str(event["description"])
    assert str(event["uid"]).startswith("assignment-")


def test_rotation_ical_titles_are_one_line_with_single_spaces(client, world):
    session = world["afternoon"]
    session.title = "Counter-Trafficking \t\u2028 Referrals"
    session.save()
    world["workshop"].title = "EMM  Workshop\x85Geneva"
    world["workshop"].save()
    sign_in(client, world["me"])
    calendar = Calendar.from_ical(client.get(reverse("worksheets:rotation_ical")).content)
    assert str(calendar["x-wr-calname"]) == "EMM Workshop Geneva"
    assert str(next(iter(calendar.walk("VEVENT")))["summary"]) == "Counter-Trafficking Referrals · Group C"


def test_assignment_page_has_guide_roster_progress_and_only_shared_answers(client, world):
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    for text in (
        "Who is trafficked?",
        "Protect victims first.",
        "Map your referral system.",
        "What is your response?",
        "Ana",
        "Bo",
        "Cy",
        "Named insight",
        "Anonymous insight",
    ):
        assert text in page
    for leak in ("Private thought", "Group D insight", "Morning insight", "@example.org"):
        assert leak not in page  # no participant's contact details either
    # Dee's name as a word: a random token of the page (CSRF, nonce) may hold the letters (seen once).
    assert not re.search(r"(?<![A-Za-z0-9_+/=-])Dee(?![A-Za-z0-9_+/=-])", page)
    # The named answer carries its author; the anonymous one does not.
    assert "Named insight <span" in page and "— Ana" in page
    assert "— Bo" not in page


def test_guide_in_french(client, world):
    world["me"].preferred_language = "fr"
    world["me"].save()
    sign_in(client, world["me"])
    page = client.get("/fr" + reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    assert "Qui est victime de la traite ?" in page


def test_another_session_or_group_is_404(client, world):
    sign_in(client, world["me"])
    assert client.get(reverse("worksheets:assignment", args=[world["morning"].pk])).status_code == 404
    assert client.get(reverse("worksheets:assignment_progress", args=[world["morning"].pk])).status_code == 404
    foreign = f.session(f.workshop())
    assert client.get(reverse("worksheets:assignment", args=[foreign.pk])).status_code == 404


def test_participants_cannot_open_facilitator_pages(client, world):
    sign_in(client, world["c"].participants.first())
    assert client.get(reverse("worksheets:assignment", args=[world["afternoon"].pk])).status_code == 404
    assert client.get(reverse("worksheets:rotation_ical")).status_code == 404


def test_live_progress_counts(client, world):
    sign_in(client, world["me"])
    data = client.get(reverse("worksheets:assignment_progress", args=[world["afternoon"].pk])).json()
    assert data == {"participants": 3, "not_started": 0, "in_progress": 2, "submitted": 1}


def notes(client, session, payload):
    return client.post(
        reverse("worksheets:notes_autosave", args=[session.pk]), json.dumps(payload), content_type="application/json"
    )


def test_notes_are_shared_with_the_co_facilitator_and_never_silently_overwritten(client, world):
    sign_in(client, world["me"])
    assert notes(client, world["afternoon"], {"text": "Start with the map exercise", "revision": 0}).json() == {
        "revision": 1
    }
    client.logout()
    sign_in(client, world["partner"])
    page = client.get(reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    assert "Start with the map exercise" in page
    assert notes(client, world["afternoon"], {"text": "Map first, then cases", "revision": 1}).status_code == 200
    client.logout()
    sign_in(client, world["me"])
    stale = notes(client, world["afternoon"], {"text": "My older edit", "revision": 1})
    assert stale.status_code == 409 and stale.json()["text"] == "Map first, then cases"
    assert TeamNote.objects.get().text == "Map first, then cases"


def test_notes_autosave_conflict_json_is_the_stored_text_without_a_scale(client, world):
    sign_in(client, world["me"])
    notes(client, world["afternoon"], {"text": "Start with the map exercise", "revision": 0})
    stale = notes(client, world["afternoon"], {"text": "From another tab", "revision": 0})
    assert (stale.status_code, stale.json()) == (
        409,
        {
            "error": "These notes were changed by your co-facilitator (or in another tab) since you opened them.",
            "revision": 1,
            "text": "Start with the map exercise",
        },
    )


def test_notes_of_another_group_are_out_of_reach(client, world):
    TeamNote.objects.create(session=world["afternoon"], group=world["d"], text="Group D notes")
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    assert "Group D notes" not in page
    assert notes(client, world["morning"], {"text": "x", "revision": 0}).status_code == 404
    assert TeamNote.objects.get(group=world["d"]).text == "Group D notes"


def test_notes_bad_input(client, world):
    sign_in(client, world["me"])
    assert notes(client, world["afternoon"], {"text": "x" * 20_001, "revision": 0}).status_code == 400
    assert notes(client, world["afternoon"], {"text": "x", "revision": "1"}).status_code == 400
    assert notes(client, world["afternoon"], ["not", "an", "object"]).status_code == 400
    assert not TeamNote.objects.exists()


def test_facilitator_pages_queries_constant(client, world):
    sign_in(client, world["me"])
    pages = [
        reverse("worksheets:my_day"),
        reverse("worksheets:assignment", args=[world["afternoon"].pk]),
        reverse("worksheets:rotation_ical"),
    ]
    for page in pages:
        client.get(page)

    def counts():
        result = []
        for page in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(page).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    small = counts()
    question = world["workshop"].questions.first()
    for i in range(15):
        p = f.participant(world["workshop"], group=world["c"])
        f.answer(f.worksheet(p, world["afternoon"], sharing=Sharing.NAMED), question, text=f"more {i}")
    for hour in (17, 19):
        f.assignment(world["me"], f.session(world["workshop"], start_hour=hour), world["d"])
    assert counts() == small


def _co_facilitators(page: str) -> list[str]:
    """The co-facilitator entries of a page, as their text (tags and extra spaces removed)."""
    entries = re.findall(r'<li class="co-facilitator">(.*?)</li>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in entries]


def test_rotation_shows_each_co_facilitators_languages_and_e_mail(client, world):
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:my_day")).content.decode()
    assert _co_facilitators(page) == ["Partner · speaks English, French · partner@facilitators.example"]
    assert 'href="mailto:partner@facilitators.example"' in page
    # Other facilitates elsewhere (Group D, and Group C in another session): not my co-facilitator.
    assert "other@facilitators.example" not in page and "Other" not in page


def test_assignment_page_shows_each_co_facilitators_languages_and_e_mail_in_french(client, world):
    world["me"].preferred_language = "fr"
    world["me"].save()
    sign_in(client, world["me"])
    page = client.get("/fr" + reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    assert _co_facilitators(page) == ["Partner · parle anglais, français · partner@facilitators.example"]
    assert 'href="mailto:partner@facilitators.example"' in page
    assert "other@facilitators.example" not in page


def test_co_facilitators_of_another_assignment_stay_out_of_reach(client, world):
    # The morning team of Group C is Other alone: Me's morning page is 404, and Other never shows.
    sign_in(client, world["other"])
    page = client.get(reverse("worksheets:my_day")).content.decode()
    assert _co_facilitators(page) == []
    assert "partner@facilitators.example" not in page and "me@facilitators.example" not in page
    own_page = client.get(reverse("worksheets:assignment", args=[world["afternoon"].pk])).content.decode()
    assert _co_facilitators(own_page) == []
    assert "partner@facilitators.example" not in own_page
