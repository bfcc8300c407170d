"""The anonymous evaluation and the knowledge check: participants' pages, the rules, and anonymity."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.worksheets.evaluation_data import evaluation_answer_all, knowledge_question
from worksheets.enums import EvaluationTopic
from worksheets.evaluation import evaluation_closes_at, evaluation_key, evaluation_prepare, evaluation_submit
from worksheets.evaluation_report import evaluation_summary, knowledge_summary
from worksheets.models import (
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    EvaluationSubmission,
    EvaluationWindow,
    KnowledgeAttempt,
    KnowledgeTaken,
)
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


@pytest.fixture
def world():
    """A workshop in Bogotá: a session that ended an hour ago, one still to come; rooms with and without interpretation."""
    now = timezone.now()
    today = timezone.localdate(now, BOGOTA)
    workshop = f.workshop(start_date=today, end_date=today, timezone="America/Bogota")
    trilingual = f.group(workshop, name="A", room_obj=f.room(workshop, mode=f.language_mode(workshop)))
    english = f.group(workshop, name="D", room_obj=f.room(workshop, mode=f.language_mode(workshop, languages=("en",))))
    ended = f.session(
        workshop, title="Migration and Labour", start=now - timedelta(hours=3), end=now - timedelta(hours=1)
    )
    coming = f.session(
        workshop, title="Counter-Trafficking", start=now + timedelta(hours=1), end=now + timedelta(hours=3)
    )
    evaluation_prepare(workshop=workshop)
    me = f.participant(workshop, name="Ana Respondent", group=trilingual)
    other = f.participant(workshop, name="Bo Colleague", group=english)
    return {
        "workshop": workshop,
        "ended": ended,
        "coming": coming,
        "me": me,
        "other": other,
        "a": trilingual,
        "d": english,
    }


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


def questions(workshop, scope="session"):
    return list(EvaluationQuestion.objects.filter(workshop=workshop, scope=scope).order_by("order"))


def post_form(client, url, values: dict, revision=0):
    return client.post(url, {"revision": revision, **{f"q{q.pk}": v for q, v in values.items()}})


# --- Anonymity -----------------------------------------------------------------------------------

ANONYMOUS_MODELS = ("evaluationresponse", "evaluationanswer", "knowledgeattempt")
PERSON_MODELS = {"workshops.participant", "workshops.facilitator", "auth.user", "workshops.person"}


@pytest.mark.parametrize("model_name", ANONYMOUS_MODELS)
def test_anonymous_tables_have_no_person_no_time_and_no_ordered_id(model_name):
    model = apps.get_model("worksheets", model_name)
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if related is not None and (field.many_to_one or field.one_to_one or field.many_to_many):
            assert related._meta.label_lower not in PERSON_MODELS, field
            # What they point at holds no person either (workshop, session, group, question, response).
            for inner in related._meta.concrete_fields:
                if inner.is_relation and related._meta.label_lower.startswith("worksheets."):
                    assert inner.related_model._meta.label_lower not in PERSON_MODELS, inner
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), field
    assert isinstance(model._meta.pk, models.UUIDField)  # random: the rows' order tells nothing


def test_nothing_joins_an_evaluation_to_a_person():
    """No model reaches the anonymous tables from a person: the only links are from the submission records."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.model_name in ANONYMOUS_MODELS:
                assert model._meta.model_name in ANONYMOUS_MODELS, f"{model} links to {field.related_model}"


def test_a_response_holds_neither_the_id_nor_the_time_of_its_author(world):
    before = timezone.now()
    evaluation_answer_all(participant=world["me"], session=world["ended"], rating=4, comment="Fine")
    response = EvaluationResponse.objects.get()
    row = EvaluationResponse.objects.filter(pk=response.pk).values().get()
    assert set(row) == {"id", "workshop_id", "session_id", "group_id", "interpreted", "key", "revision"}
    assert EvaluationSubmission.objects.filter(participant=world["me"], session=world["ended"]).count() == 1
    assert not any(isinstance(v, datetime) and v >= before for v in row.values())


def test_the_key_needs_the_servers_secret(world):
    key = evaluation_key(participant_id=world["me"].pk, session_id=world["ended"].pk)
    with override_settings(SECRET_KEY="another secret, another server" * 2):
        assert evaluation_key(participant_id=world["me"].pk, session_id=world["ended"].pk) != key
    assert evaluation_key(participant_id=world["me"].pk, session_id=None) != key  # one key per form


def test_report_never_names_a_respondent(client, world):
    people = [
        world["me"],
        *[f.participant(world["workshop"], name=f"Named Person{i}", group=world["a"]) for i in range(3)],
    ]
    for person in people:
        evaluation_answer_all(participant=person, session=world["ended"], rating=5, comment="Very clear")
    organiser = f.user(username="team")
    world["workshop"].organisers.add(organiser)
    client.force_login(organiser)
    page = client.get(reverse("organise:evaluation_report", args=[world["workshop"].slug])).content.decode()
    assert "Very clear" in page
    data = repr([evaluation_summary(workshop=world["workshop"]), knowledge_summary(workshop=world["workshop"])])
    for person in people:
        assert person.name not in page and person.email not in page
        assert person.name not in data and person.email not in data


# --- One answer per participant, editable until closing ------------------------------------------


def test_answering_twice_edits_the_one_response(client, world):
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["ended"].pk])
    first, *_rest, comments = questions(world["workshop"])
    assert post_form(client, url, {first: "2", comments: "Too short"}).status_code == 302
    assert post_form(client, url, {first: "5", comments: "Better on reflection"}, revision=1).status_code == 302
    response = EvaluationResponse.objects.get()
    assert response.revision == 2
    assert set(EvaluationAnswer.objects.values_list("scale", "text")) == {(None, "Better on reflection"), (5, "")}
    assert EvaluationSubmission.objects.filter(participant=world["me"]).count() == 1
    page = client.get(url).content.decode()
    assert "Better on reflection" in page and 'value="5" checked' in page


def test_a_stale_edit_is_refused_and_shows_what_is_saved(client, world):
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["ended"].pk])
    first = questions(world["workshop"])[0]
    post_form(client, url, {first: "3"})
    post_form(client, url, {first: "4"}, revision=1)  # another window
    stale = post_form(client, url, {first: "1"}, revision=1)
    assert stale.status_code == 409
    assert 'value="4" checked' in stale.content.decode()
    assert list(EvaluationAnswer.objects.values_list("scale", flat=True)) == [4]


def test_an_answer_its_key_no_longer_finds_is_not_answered_twice(client, world):
    """After a restore (new ids) or a new secret key the stored key finds nothing: the person has
    answered (the record says so), and a second answer would be counted twice."""
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["ended"].pk])
    first = questions(world["workshop"])[0]
    post_form(client, url, {first: "3"})
    EvaluationResponse.objects.update(key="0" * 64)  # what a restore leaves: a key of the old ids
    again = post_form(client, url, {first: "1"})
    assert again.status_code == 409
    assert "answered this evaluation already" in again.content.decode()
    assert list(EvaluationAnswer.objects.values_list("scale", flat=True)) == [3]
    assert EvaluationResponse.objects.count() == 1


def test_the_evaluation_opens_when_the_session_ends(client, world):
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["coming"].pk])
    assert "opens on" in client.get(url).content.decode()
    assert post_form(client, url, {questions(world["workshop"])[0]: "3"}).status_code == 403
    assert not EvaluationResponse.objects.exists() and not EvaluationSubmission.objects.exists()


def test_after_closing_answers_are_read_only(client, world):
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["ended"].pk])
    first = questions(world["workshop"])[0]
    post_form(client, url, {first: "3"})
    EvaluationWindow.objects.filter(workshop=world["workshop"]).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = client.get(url).content.decode()
    assert "The evaluation is closed" in page and 'value="3" checked disabled' in page
    assert post_form(client, url, {first: "1"}, revision=1).status_code == 403
    assert list(EvaluationAnswer.objects.values_list("scale", flat=True)) == [3]


def test_closing_time_defaults_to_a_week_after_the_last_day_at_the_venues_midnight(world):
    closes = evaluation_closes_at(workshop=world["workshop"])
    assert closes == datetime.combine(world["workshop"].end_date + timedelta(days=8), datetime.min.time(), BOGOTA)


def test_an_empty_form_is_refused(client, world):
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["ended"].pk])
    assert post_form(client, url, {}).status_code == 400
    assert not EvaluationSubmission.objects.exists()


# --- Interpretation only where there is interpretation -------------------------------------------


def test_interpretation_is_asked_only_in_rooms_with_interpretation(client, world):
    interpretation = EvaluationQuestion.objects.get(workshop=world["workshop"], scope="session", topic="interpretation")
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["ended"].pk])
    assert interpretation.text in client.get(url).content.decode()
    sign_in(client, world["other"])  # English-only room
    assert interpretation.text not in client.get(url).content.decode()
    post_form(client, url, {interpretation: "1", questions(world["workshop"])[0]: "4"})
    response = EvaluationResponse.objects.get()
    assert response.interpreted is False and response.group == world["d"]
    assert list(EvaluationAnswer.objects.values_list("question__topic", flat=True)) == [EvaluationTopic.RELEVANCE]


# --- My day --------------------------------------------------------------------------------------


def test_my_day_offers_the_evaluation_after_the_session_and_the_knowledge_check_around_it(client, world):
    knowledge_question(world["ended"])
    knowledge_question(world["coming"])
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:my_day")).content.decode()
    assert reverse("worksheets:evaluation", args=[world["ended"].pk]) in page
    assert reverse("worksheets:evaluation", args=[world["coming"].pk]) not in page
    assert reverse("worksheets:knowledge", args=[world["coming"].pk, "before"]) in page
    assert reverse("worksheets:knowledge", args=[world["ended"].pk, "after"]) in page
    assert reverse("worksheets:knowledge", args=[world["ended"].pk, "before"]) not in page
    assert reverse("worksheets:evaluation_workshop") not in page  # a session is still to come


# --- Knowledge check -----------------------------------------------------------------------------


def test_knowledge_check_is_scored_once_per_phase_and_kept_without_the_person(client, world):
    q1, q2 = (
        knowledge_question(world["coming"], correct=2, order=1),
        knowledge_question(world["coming"], correct=1, order=2),
    )
    sign_in(client, world["me"])
    url = reverse("worksheets:knowledge", args=[world["coming"].pk, "before"])
    answer = client.post(url, {f"k{q1.pk}": "2", f"k{q2.pk}": "3"})
    assert "You answered 1 of 2 questions correctly" in answer.content.decode()
    assert list(KnowledgeAttempt.objects.values_list("group", "phase", "score", "out_of")) == [
        (world["a"].pk, "before", 1, 2)
    ]
    assert client.post(url, {f"k{q1.pk}": "2", f"k{q2.pk}": "1"}).status_code == 403
    assert KnowledgeAttempt.objects.count() == 1 and KnowledgeTaken.objects.count() == 1
    after = reverse("worksheets:knowledge", args=[world["coming"].pk, "after"])
    assert client.post(after, {f"k{q1.pk}": "2", f"k{q2.pk}": "1"}).status_code == 403  # not ended yet


def test_knowledge_check_of_another_workshop_is_not_found(client, world):
    elsewhere = f.session(f.workshop(), title="Elsewhere")
    knowledge_question(elsewhere)
    sign_in(client, world["me"])
    assert client.get(reverse("worksheets:knowledge", args=[elsewhere.pk, "before"])).status_code == 404
    assert client.get(reverse("worksheets:knowledge", args=[world["coming"].pk, "during"])).status_code == 404
    assert client.get(reverse("worksheets:evaluation", args=[elsewhere.pk])).status_code == 404


# --- Languages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "question", "interface"),
    [
        ("es", "¿Cómo valora la calidad de la facilitación?", "Enviar mi evaluación"),
        ("fr", "Comment évaluez-vous la qualité de l'animation\u00a0?", "Envoyer mon évaluation"),
    ],
)
def test_the_form_is_in_the_participants_language(client, world, language, question, interface):
    sign_in(client, world["me"])
    client.cookies["django_language"] = language
    page = client.get(reverse("worksheets:evaluation", args=[world["ended"].pk]), follow=True).content.decode()
    assert question.replace("'", "&#x27;") in page and interface in page


# --- Query budget --------------------------------------------------------------------------------


def test_the_open_form_and_my_day_keep_their_query_count_as_data_grows(client, world):
    sign_in(client, world["me"])
    evaluation_answer_all(participant=world["me"], session=world["ended"], rating=3, comment="Hm")
    urls = [reverse("worksheets:evaluation", args=[world["ended"].pk]), reverse("worksheets:my_day")]

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = [count(url) for url in urls]
    for index in range(6):
        person = f.participant(world["workshop"], group=world["a"])
        evaluation_answer_all(participant=person, session=world["ended"], rating=1 + index % 5, comment=f"c{index}")
        session = f.session(
            world["workshop"],
            start=timezone.now() - timedelta(hours=9 - index),
            end=timezone.now() - timedelta(hours=8 - index),
        )
        knowledge_question(session)
        evaluation_answer_all(participant=world["me"], session=session, rating=2)
    assert [count(url) for url in urls] == small


def test_submit_refuses_a_first_answer_with_a_revision(world):
    result = evaluation_submit(participant=world["me"], session=world["ended"], values={}, base_revision=3)
    assert not result.saved


NASTY = ["<script>alert(1)</script>", "\x00", "a\x00b", "x" * 25_000, "9" * 5000, "-1", "6", "%(name)s", ""]


@pytest.mark.parametrize("value", NASTY, ids=range(len(NASTY)))
def test_hostile_input_is_refused_or_stored_harmlessly(client, world, value):
    knowledge = knowledge_question(world["coming"])
    sign_in(client, world["me"])
    url = reverse("worksheets:evaluation", args=[world["ended"].pk])
    answer = client.post(url, {"revision": value, **{f"q{q.pk}": value for q in questions(world["workshop"])}})
    assert answer.status_code in (302, 400, 409)
    for text in EvaluationAnswer.objects.values_list("text", flat=True):
        assert "\x00" not in text and len(text) <= 20_000
    assert "<script>alert(1)</script>" not in client.get(url).content.decode()
    check = client.post(
        reverse("worksheets:knowledge", args=[world["coming"].pk, "before"]), {f"k{knowledge.pk}": value}
    )
    assert check.status_code == 400 and not KnowledgeAttempt.objects.exists()
