"""The session guide organisers can write: per session, in three languages, over the curriculum
section's content or for a session with no section; facilitators and participants read it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from curriculum.models import SectionItem
from tests import factories as f
from worksheets.selectors import session_guide_content
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    group = f.group(workshop, name="A")
    section = f.section("2.6")
    SectionItem.objects.create(section=section, kind="guiding_question", text_en="What does the EMM say?", order=1)
    SectionItem.objects.create(section=section, kind="key_message", text_en="Labour migration can be managed.", order=1)
    with_section = f.session(workshop, title="Labour", section=section)
    without = f.session(workshop, title="Open discussion", start_hour=15)
    return {"workshop": workshop, "group": group, "section": section, "with_section": with_section, "without": without}


def _url(session):
    return reverse("organise:session_guide", kwargs={"slug": session.workshop.slug, "session_id": session.pk})


def test_the_sections_content_is_the_guide_until_the_session_has_its_own(world):
    guide = session_guide_content(session=world["with_section"])
    assert guide["guiding_questions"] == ["What does the EMM say?"] and guide["key_messages"] == [
        "Labour migration can be managed."
    ]
    assert guide["written_for_session"] is False


def test_the_sessions_own_guide_replaces_the_section_kind_by_kind_in_the_readers_language(world):
    session = world["with_section"]
    session.guide_questions_en = "How is labour migration managed where you work?\n\nWho decides?"
    session.guide_questions_es = "¿Cómo se gestiona la migración laboral donde usted trabaja?"
    session.save()
    guide = session_guide_content(session=session)
    assert guide["guiding_questions"] == ["How is labour migration managed where you work?", "Who decides?"]
    assert guide["key_messages"] == ["Labour migration can be managed."]  # this kind not rewritten
    assert guide["written_for_session"] is True
    with translation.override("es"):
        assert session_guide_content(session=session)["guiding_questions"] == [
            "¿Cómo se gestiona la migración laboral donde usted trabaja?"
        ]
    with translation.override("fr"):  # no French: the English text
        assert session_guide_content(session=session)["guiding_questions"][0].startswith("How is")


def test_the_organiser_writes_the_guide_in_three_languages(client, organiser, world):
    client.force_login(organiser)
    session = world["without"]
    page = client.get(_url(session)).content.decode()
    assert "Open discussion" in page
    response = client.post(
        _url(session),
        {
            "guide_questions_en": "What worked?",
            "guide_questions_fr": "Qu’est-ce qui a marché\u00a0?",
            "guide_messages_en": "",
            "guide_exercises_en": "Map your partners.",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.guide_questions_en, session.guide_questions_fr, session.guide_exercises_en) == (
        "What worked?",
        "Qu’est-ce qui a marché\u00a0?",
        "Map your partners.",
    )


def test_the_guide_page_shows_the_sections_content_as_what_is_shown_today(client, organiser, world):
    client.force_login(organiser)
    body = client.get(_url(world["with_section"])).content.decode()
    assert "What does the EMM say?" in body


def test_a_facilitator_sees_the_sessions_guide_and_never_the_printed_emm_without_a_section(client, world):
    session = world["without"]
    facilitator = f.facilitator(world["workshop"], name="Fatou")
    assignment = f.assignment(facilitator, session, world["group"])
    assert client.get(personal_link_path(person=facilitator)).status_code == 302  # opens the personal link
    url = reverse("worksheets:assignment", args=[session.pk])
    body = client.get(url).content.decode()
    assert "printed EMM" not in body and "No guide has been written for this session yet." in body
    session.guide_exercises_en = "Map your partners."
    session.save()
    assert "Map your partners." in client.get(url).content.decode()
    assert assignment  # the facilitator facilitates this group in this session


def test_other_teams_get_404(client, other_organiser, world):
    client.force_login(other_organiser)
    assert client.get(_url(world["without"])).status_code == 404
    assert client.post(_url(world["without"]), {"guide_questions_en": "x"}).status_code == 404


def test_another_workshops_session_is_404(client, organiser, world):
    other = f.workshop(organisers=[organiser])
    theirs = f.session(other)
    client.force_login(organiser)
    url = reverse("organise:session_guide", kwargs={"slug": world["workshop"].slug, "session_id": theirs.pk})
    assert client.get(url).status_code == 404


def test_the_guide_page_query_count_does_not_grow(client, organiser, world):
    client.force_login(organiser)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(world["with_section"])).status_code == 200
        return len(queries)

    small = count()
    for i in range(5):
        SectionItem.objects.create(section=world["section"], kind="exercise", text_en=f"Exercise {i}", order=i + 2)
    assert count() == small
