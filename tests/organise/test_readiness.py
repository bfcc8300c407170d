"""The board's readiness checklist: what is missing before invitations can go out, each line linking to
where it is fixed. An empty workshop is never "every rule is met"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.models import SectionItem
from organise.readiness import workshop_readiness
from tests import factories as f

pytestmark = pytest.mark.django_db


def _board(client, workshop):
    return client.get(reverse("organise:board", kwargs={"slug": workshop.slug}))


def _todo(items):
    return {item.key for item in items if not item.ok}


@pytest.fixture
def ready(organiser):
    """A small workshop with nothing missing."""
    workshop = f.workshop(organisers=[organiser], is_published=True)
    english = f.language_mode(workshop, languages=["en"])
    group = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", mode=english))
    session = f.session(workshop, facilitators_required=1)
    f.question(workshop, text="What do you think?")
    f.participant(workshop, group=group)
    f.assignment(f.facilitator(workshop), session, group)
    return workshop


def test_an_empty_workshop_lists_everything_it_lacks_and_never_says_every_rule_is_met(client, organiser):
    workshop = f.workshop(organisers=[organiser], is_published=False)
    assert _todo(workshop_readiness(workshop=workshop)) >= {
        "sessions",
        "groups",
        "questions",
        "participants",
        "published",
    }
    client.force_login(organiser)
    body = _board(client, workshop).content.decode()
    assert "Every rule is met" not in body
    assert "No break-out sessions yet" in body and "No worksheet questions yet" in body
    assert reverse("organise:import", kwargs={"slug": workshop.slug}) in body


def test_a_complete_workshop_is_ready(client, organiser, ready):
    assert _todo(workshop_readiness(workshop=ready)) == set()
    client.force_login(organiser)
    body = _board(client, ready).content.decode()
    assert "Ready for invitations" in body and "Every rule is met" in body


def test_unplaced_participants_and_groups_without_facilitators_are_counted(organiser, ready):
    f.participant(ready, name="Not placed yet")
    f.session(ready, start_hour=15, facilitators_required=2)  # nobody facilitates it
    items = {item.key: item for item in workshop_readiness(workshop=ready)}
    assert not items["placed"].ok and "1 participant" in items["placed"].message
    assert not items["facilitators"].ok and "1 group" in items["facilitators"].message


def test_a_missing_translation_a_room_needs_is_named(organiser, ready):
    spanish = f.language_mode(ready, languages=["es"], name="Solo español")
    f.group(ready, name="B", room_obj=f.room(ready, name="Sala B", mode=spanish))
    items = {item.key: item for item in workshop_readiness(workshop=ready)}
    assert not items["translations"].ok
    assert "Spanish" in items["translations"].message and "1 question" in items["translations"].message


def test_guide_content_missing_a_needed_translation_is_named(organiser, ready):
    section = f.section("2.6")
    SectionItem.objects.create(section=section, kind="guiding_question", text_en="A guiding question", order=1)
    spanish = f.language_mode(ready, languages=["en", "es"], name="Bilingual")
    f.group(ready, name="B", room_obj=f.room(ready, name="Sala B", mode=spanish))
    ready.questions.update(text_es="¿Qué opina?")
    session = ready.sessions.first()
    session.section = section
    session.save()
    items = workshop_readiness(workshop=ready)
    guide = [item for item in items if item.key == "guide" and not item.ok]
    assert [item.message for item in guide] == [
        f"The guide of “{session.title}” has no Spanish text, which a room needs."
    ]
    assert guide[0].url == reverse("organise:session_guide", kwargs={"slug": ready.slug, "session_id": session.pk})
    assert {item.key: item for item in items}["translations"].ok  # the questions are translated


def _trilingual_with_english_only_guide(ready):
    trilingual = f.language_mode(ready, languages=["en", "es", "fr"], name="Tri-lingual")
    f.group(ready, name="B", room_obj=f.room(ready, name="Sala B", mode=trilingual))
    ready.questions.update(text_es="¿Qué opina?", text_fr="Qu’en pensez-vous\u00a0?")
    session = ready.sessions.get()  # no curriculum section: its organisers wrote its guide
    session.guide_questions_en = "Who decides?\nWho pays?"
    session.guide_messages_en = "Protection comes first."
    session.save()
    return session


def test_a_session_guide_written_only_in_english_is_a_line_linking_to_its_guide(client, organiser, ready):
    session = _trilingual_with_english_only_guide(ready)
    items = workshop_readiness(workshop=ready)
    guide = [item for item in items if item.key == "guide" and not item.ok]
    assert [item.message for item in guide] == [
        f"The guide of “{session.title}” has no Spanish or French text, which a room needs."
    ]
    url = reverse("organise:session_guide", kwargs={"slug": ready.slug, "session_id": session.pk})
    assert guide[0].url == url
    client.force_login(organiser)
    body = _board(client, ready).content.decode()
    assert "has no Spanish or French text, which a room needs." in body
    assert f'<a href="{url}">Write the guide</a>' in body

    # Spanish written, French only for the questions: French is still missing.
    session.guide_questions_es = "¿Quién decide?\n¿Quién paga?"
    session.guide_messages_es = "La protección es lo primero."
    session.guide_questions_fr = "Qui décide\u00a0?"
    session.save()
    guide = [item for item in workshop_readiness(workshop=ready) if item.key == "guide" and not item.ok]
    assert [item.message for item in guide] == [
        f"The guide of “{session.title}” has no French text, which a room needs."
    ]

    session.guide_messages_fr = "La protection d’abord."
    session.save()
    items = workshop_readiness(workshop=ready)
    assert {item.key for item in items if not item.ok} <= {"facilitators", "placed", "rules"}  # group B's own
    assert [item.message for item in items if item.key == "guide"] == [
        "Every session’s guide is written in every language the rooms need."
    ]


def test_a_session_guide_overrides_its_sections_untranslated_items(organiser, ready):
    """The session's own text of a kind replaces the section's items of that kind: only what is read counts."""
    section = f.section("2.6")
    SectionItem.objects.create(section=section, kind="key_message", text_en="Only English", order=1)
    SectionItem.objects.create(
        section=section, kind="guiding_question", text_en="Q", text_es="P", text_fr="Q ?", order=2
    )
    bilingual = f.language_mode(ready, languages=["en", "es"], name="Bilingual")
    f.group(ready, name="B", room_obj=f.room(ready, name="Sala B", mode=bilingual))
    ready.questions.update(text_es="¿Qué opina?")
    session = ready.sessions.get()
    session.section = section
    session.save()
    assert [item.ok for item in workshop_readiness(workshop=ready) if item.key == "guide"] == [False]
    session.guide_messages_en = "Our own key message"
    session.guide_messages_es = "Nuestro mensaje clave"
    session.save()
    assert [item.ok for item in workshop_readiness(workshop=ready) if item.key == "guide"] == [True]


def test_many_sessions_lacking_a_translation_are_summed_up_after_five(organiser, ready):
    trilingual = f.language_mode(ready, languages=["en", "fr"], name="Bilingual")
    f.group(ready, name="B", room_obj=f.room(ready, name="Sala B", mode=trilingual))
    ready.questions.update(text_fr="Qu’en pensez-vous\u00a0?")
    ready.sessions.all().delete()
    sessions = [
        f.session(ready, title=f"S{i}", start_hour=8 + i, hours=1, guide_exercises_en="Role play") for i in range(8)
    ]
    guide = [item for item in workshop_readiness(workshop=ready) if item.key == "guide"]
    assert len(guide) == 6
    assert guide[5].message == "3 more sessions’ guides have no text in a language a room needs: S5, S6, S7."
    assert guide[5].url == reverse("organise:session_guide", kwargs={"slug": ready.slug, "session_id": sessions[5].pk})


def test_sessions_outside_the_workshops_days_are_named(organiser, ready):
    zone = ZoneInfo(ready.timezone)
    late = datetime.combine(ready.end_date + timedelta(days=3), datetime.min.time(), tzinfo=zone).replace(hour=9)
    f.session(ready, title="Too late", start=late, end=late + timedelta(hours=2), facilitators_required=1)
    items = {item.key: item for item in workshop_readiness(workshop=ready)}
    assert not items["dates"].ok and "Too late" in items["dates"].message


def test_broken_rules_are_a_line_of_the_checklist(organiser, ready):
    room = ready.rooms.get()
    room.capacity = 1
    room.save()
    f.participant(ready, group=ready.groups.get())
    items = {item.key: item for item in workshop_readiness(workshop=ready)}
    assert not items["rules"].ok


def test_the_checklist_reads_in_spanish(client, organiser):
    workshop = f.workshop(organisers=[organiser], is_published=False)
    client.force_login(organiser)
    body = client.get("/es" + reverse("organise:board", kwargs={"slug": workshop.slug})).content.decode()
    assert "Todavía no hay sesiones de trabajo en grupo" in body


def test_the_board_query_count_does_not_grow_with_the_checklist(client, organiser, ready):
    client.force_login(organiser)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert _board(client, ready).status_code == 200
        return len(queries)

    small = count()
    mode = f.language_mode(ready, languages=["en", "es", "fr"])
    for name in "BCD":
        group = f.group(ready, name=name, room_obj=f.room(ready, mode=mode))
        f.participant(ready, group=group)
        f.participant(ready)
    for hour in (15, 17, 19):
        f.question(ready)
        f.session(ready, start_hour=hour, guide_questions_en="Only in English")
    assert count() == small
