"""The worksheet questions as one list: edit in three languages, add, reorder, remove (asking first
when answers would go with a question), per session or for all; the defaults for a workshop without
any; a warning where a room's language lacks a translation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from worksheets.models import Answer, Question

pytestmark = pytest.mark.django_db


def _url(workshop):
    return reverse("organise:questions", kwargs={"slug": workshop.slug})


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    tri = f.language_mode(workshop, languages=["en", "es", "fr"])
    f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", mode=tri))
    morning = f.session(workshop, title="Migration and Labour")
    first = f.question(workshop, text="First", text_es="Primera", text_fr="Première", order=1)
    second = f.question(workshop, text="Second", order=2)  # no Spanish, no French
    return {"workshop": workshop, "morning": morning, "first": first, "second": second}


def _data(questions, *, extra=None, **changes):
    """The formset's POST data for `questions` as they are, with `changes` keyed "index-field"."""
    rows = list(questions) + ([extra] if extra else [])
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(questions)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, question in enumerate(rows):
        if isinstance(question, Question):
            values = {
                "id": question.pk,
                "session": question.session_id or "",
                "kind": question.kind,
                "order": question.order,
                "text_en": question.text_en or "",
                "text_es": question.text_es or "",
                "text_fr": question.text_fr or "",
                "help_text_en": question.help_text_en or "",
                "help_text_es": question.help_text_es or "",
                "help_text_fr": question.help_text_fr or "",
            }
        else:
            values = question
        data.update({f"form-{index}-{name}": value for name, value in values.items()})
    data.update({f"form-{key}": value for key, value in changes.items()})
    return data


def test_the_page_lists_every_question_with_its_languages_and_warns_of_a_missing_translation(client, organiser, world):
    client.force_login(organiser)
    response = client.get(_url(world["workshop"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Primera" in body and "Première" in body and "Second" in body
    assert "No text in: Spanish, French" in body  # the second question, in a tri-lingual room


def test_edit_add_and_reorder_in_one_save(client, organiser, world):
    client.force_login(organiser)
    questions = [world["first"], world["second"]]
    new = {
        "session": world["morning"].pk,
        "kind": "long_text",
        "order": "1",
        "text_en": "Morning question",
        "text_es": "Pregunta",
        "text_fr": "Question",
    }
    response = client.post(
        _url(world["workshop"]), _data(questions, extra=new, **{"1-text_es": "Segunda", "0-order": "3"})
    )
    assert response.status_code == 302
    listed = list(world["workshop"].questions.order_by("order").values_list("text_en", "text_es", "session_id"))
    assert listed == [
        ("Morning question", "Pregunta", world["morning"].pk),
        ("Second", "Segunda", None),
        ("First", "Primera", None),
    ]
    assert list(world["workshop"].questions.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


def test_removing_an_unanswered_question_needs_no_confirmation(client, organiser, world):
    client.force_login(organiser)
    data = _data([world["first"], world["second"]], **{"1-DELETE": "on"})
    assert client.post(_url(world["workshop"]), data).status_code == 302
    assert list(world["workshop"].questions.values_list("text_en", flat=True)) == ["First"]


def test_removing_an_answered_question_asks_first_and_keeps_everything_until_confirmed(client, organiser, world):
    person = f.participant(world["workshop"])
    f.answer(f.worksheet(person, world["morning"]), world["second"], text="My thoughts")
    client.force_login(organiser)
    data = _data([world["first"], world["second"]], **{"1-DELETE": "on", "0-text_es": "Cambiada"})
    response = client.post(_url(world["workshop"]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 answer" in body and "Second" in body
    assert world["workshop"].questions.count() == 2 and Answer.objects.count() == 1
    assert Question.objects.get(pk=world["first"].pk).text_es == "Primera"  # nothing saved yet
    assert 'value="Cambiada"' in body  # what was typed is kept
    data["confirm_delete"] = "on"
    assert client.post(_url(world["workshop"]), data).status_code == 302
    assert list(world["workshop"].questions.values_list("text_es", flat=True)) == ["Cambiada"]
    assert Answer.objects.count() == 0


def test_a_question_needs_its_text_in_english_and_errors_keep_what_was_typed(client, organiser, world):
    client.force_login(organiser)
    new = {"session": "", "kind": "long_text", "order": "3", "text_en": "", "text_es": "Solo en español"}
    response = client.post(_url(world["workshop"]), _data([world["first"], world["second"]], extra=new))
    assert response.status_code == 200
    assert "Solo en español" in response.content.decode()
    assert world["workshop"].questions.count() == 2


def test_another_workshops_session_is_refused(client, organiser, world):
    other = f.workshop(organisers=[organiser])
    foreign = f.session(other)
    client.force_login(organiser)
    response = client.post(
        _url(world["workshop"]), _data([world["first"], world["second"]], **{"0-session": foreign.pk})
    )
    assert response.status_code == 200
    assert Question.objects.get(pk=world["first"].pk).session is None


def test_another_workshops_question_cannot_be_edited_through_this_page(client, organiser, world):
    other = f.workshop(organisers=[organiser])
    theirs = f.question(other, text="Theirs")
    client.force_login(organiser)
    data = _data([world["first"], world["second"]])
    data.update({"form-1-id": theirs.pk, "form-1-text_en": "Hijacked"})
    client.post(_url(world["workshop"]), data)
    assert Question.objects.get(pk=theirs.pk).text_en == "Theirs"


def test_a_workshop_without_questions_can_take_the_defaults(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    client.force_login(organiser)
    assert "default questions" in client.get(_url(workshop)).content.decode()
    response = client.post(_url(workshop), {"action": "defaults"})
    assert response.status_code == 302
    assert workshop.questions.count() >= 4 and not workshop.questions.filter(text_fr="").exists()


def test_other_teams_get_404(client, other_organiser, world):
    client.force_login(other_organiser)
    assert client.get(_url(world["workshop"])).status_code == 404
    assert client.post(_url(world["workshop"]), {"action": "defaults"}).status_code == 404


def test_the_page_reads_in_french(client, organiser, world):
    client.force_login(organiser)
    body = client.get("/fr" + _url(world["workshop"])).content.decode()
    assert "Questions de la fiche de travail" in body


def test_query_count_does_not_grow_with_questions(client, organiser, world):
    client.force_login(organiser)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(world["workshop"])).status_code == 200
        return len(queries)

    small = count()
    for i in range(5):
        f.question(world["workshop"], session=world["morning"], text=f"More {i}")
        f.session(world["workshop"], start_hour=15)
    assert count() == small
