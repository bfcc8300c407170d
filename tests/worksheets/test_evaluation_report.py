"""The evaluation's figures against hand-counted data, the anonymity threshold, and the organiser's pages."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.worksheets.evaluation_data import knowledge_question
from worksheets.enums import KnowledgePhase
from worksheets.evaluation import evaluation_prepare, evaluation_submit, knowledge_submit
from worksheets.evaluation_report import evaluation_summary, knowledge_summary
from worksheets.models import EvaluationQuestion, EvaluationWindow, KnowledgeQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    now = timezone.now()
    today = timezone.localdate(now)
    workshop = f.workshop(start_date=today, end_date=today, timezone="Asia/Manila")
    groups = {
        name: f.group(workshop, name=name, room_obj=f.room(workshop, mode=f.language_mode(workshop, languages=langs)))
        for name, langs in (("A", ("en", "es", "fr")), ("B", ("en", "es", "fr")), ("D", ("en",)))
    }
    session = f.session(
        workshop, title="Migration and Labour", start=now - timedelta(hours=3), end=now - timedelta(hours=1)
    )
    evaluation_prepare(workshop=workshop)
    qs = {q.topic: q for q in EvaluationQuestion.objects.filter(workshop=workshop, scope="session")}
    return {"workshop": workshop, "groups": groups, "session": session, "q": qs, "now": now}


def answer(world, group, relevance, *, interpretation=None, comment=""):
    person = f.participant(world["workshop"], group=world["groups"][group])
    q = world["q"]
    values = {q["relevance"].pk: str(relevance), q["comments"].pk: comment}
    if interpretation:
        values[q["interpretation"].pk] = str(interpretation)
    assert evaluation_submit(participant=person, session=world["session"], values=values, base_revision=0).saved
    return person


def figures(summary, topic):
    form = summary["forms"][0]
    return next(q for q in form["questions"] if q["topic"] == topic)


def test_figures_match_hand_counts(world):
    # A: 5, 4, 4 (interpretation 3, 5, 5); B: 2, 3, 5, 5 (interpretation 4 ×4); D: 1, 1, 2 (no interpretation asked)
    for rating, interp in ((5, 3), (4, 5), (4, 5)):
        answer(world, "A", rating, interpretation=interp, comment="Good pace")
    for rating in (2, 3, 5, 5):
        answer(world, "B", rating, interpretation=4)
    for rating in (1, 1, 2):
        answer(world, "D", rating, interpretation=5, comment="Too fast")  # not asked: dropped
    summary = evaluation_summary(workshop=world["workshop"])
    form = summary["forms"][0]
    assert form["session"]["title"] == "Migration and Labour" and form["responses"] == 10
    relevance = figures(summary, "relevance")
    assert relevance["count"] == 10
    assert relevance["mean"] == 3.2  # (5+4+4+2+3+5+5+1+1+2) / 10
    assert [bar["count"] for bar in relevance["distribution"]] == [2, 2, 1, 2, 3]
    assert [bar["percent"] for bar in relevance["distribution"]] == [20, 20, 10, 20, 30]
    interpretation = figures(summary, "interpretation")
    assert interpretation["count"] == 7 and interpretation["mean"] == round(29 / 7, 2)
    assert figures(summary, "comments")["comments"] == ["Good pace"] * 3 + ["Too fast"] * 3
    by_group = {g["name"]: g for g in form["groups"]}
    assert [by_group[name]["responses"] for name in "ABD"] == [3, 4, 3]
    assert by_group["B"]["questions"][0]["mean"] == 3.75
    assert summary["forms"][-1]["session"] is None  # the whole workshop's form, always listed last


@override_settings(REPORT_MIN_ANONYMOUS_SHARERS=3)
def test_a_group_below_the_threshold_is_withheld_from_every_figure(world):
    for rating in (5, 5, 5):
        answer(world, "A", rating, comment="Shown")
    answer(world, "B", 1, comment="Would point at someone")
    answer(world, "B", 2)
    summary = evaluation_summary(workshop=world["workshop"])
    form = summary["forms"][0]
    assert form["responses"] == 3 and form["withheld_responses"] == 2
    relevance = figures(summary, "relevance")
    assert relevance["count"] == 3 and relevance["mean"] == 5
    assert figures(summary, "comments")["comments"] == ["Shown"] * 3
    by_group = {g["name"]: g for g in form["groups"]}
    assert by_group["B"] == {"name": "B", "responses": None, "withheld": True, "questions": []}


def attempt(world, session, group, phase, picks):
    person = f.participant(world["workshop"], group=world["groups"][group])
    questions = list(KnowledgeQuestion.objects.filter(session=session).order_by("order"))
    now = session.start - timedelta(minutes=5) if phase == KnowledgePhase.BEFORE else session.end + timedelta(minutes=5)
    result = knowledge_submit(
        participant=person,
        session=session,
        phase=phase,
        choices=dict(zip([q.pk for q in questions], picks, strict=True)),
        now=now,
    )
    assert result.saved


@override_settings(REPORT_MIN_ANONYMOUS_SHARERS=3)
def test_knowledge_change_per_session_and_group_matches_hand_counts(world):
    session = world["session"]
    knowledge_question(session, correct=1, order=1)
    knowledge_question(session, correct=2, order=2)
    # A before: 0/2, 1/2, 1/2 = 33.3 %; after: 2/2, 2/2, 1/2 = 83.3 %; change +50.0
    for picks in (("2", "1"), ("1", "1"), ("2", "2")):
        attempt(world, session, "A", "before", picks)
    for picks in (("1", "2"), ("1", "2"), ("1", "1")):
        attempt(world, session, "A", "after", picks)
    # B before: 2/2 ×3 = 100 %; after: 1/2 ×3 = 50 %; change −50.0
    for _ in range(3):
        attempt(world, session, "B", "before", ("1", "2"))
        attempt(world, session, "B", "after", ("1", "1"))
    # D: three before, two after: withheld, and out of the session's figures
    for _ in range(3):
        attempt(world, session, "D", "before", ("2", "1"))
    for _ in range(2):
        attempt(world, session, "D", "after", ("1", "2"))
    summary = knowledge_summary(workshop=world["workshop"])
    (row,) = summary["sessions"]
    groups = {g["name"]: g for g in row["groups"]}
    assert groups["A"]["before"] == {"attempts": 3, "mean_percent": 33.3}
    assert groups["A"]["after"] == {"attempts": 3, "mean_percent": 83.3}
    assert groups["A"]["change"] == 50.0
    assert groups["B"]["change"] == -50.0
    assert groups["D"] == {"name": "D", "withheld": True}
    assert row["before"] == {"attempts": 6, "mean_percent": round((0 + 50 + 50 + 300) / 6, 1)}
    assert row["after"] == {"attempts": 6, "mean_percent": round((100 + 100 + 50 + 150) / 6, 1)}


def test_summary_keeps_its_query_count_as_data_grows(world, django_assert_num_queries):
    answer(world, "A", 4)
    with django_assert_num_queries(5):
        evaluation_summary(workshop=world["workshop"])
    for rating in range(1, 6):
        answer(world, "B", rating, comment="more")
        answer(world, "D", rating)
    f.session(world["workshop"])
    with django_assert_num_queries(5):
        evaluation_summary(workshop=world["workshop"])
    with django_assert_num_queries(3):
        knowledge_summary(workshop=world["workshop"])


# --- The organiser's pages -----------------------------------------------------------------------


@pytest.fixture
def organiser(client, world):
    user = f.user(username="team")
    world["workshop"].organisers.add(user)
    client.force_login(user)
    return user


def test_organiser_sets_the_closing_time_on_the_venues_clock(client, world, organiser):
    url = reverse("organise:evaluation", args=[world["workshop"].slug])
    response = client.post(url, {"action": "closing", "day": "2030-10-05", "at": "18:00"})
    assert response.status_code == 302
    closes = EvaluationWindow.objects.get(workshop=world["workshop"]).closes_at
    assert closes.isoformat() == "2030-10-05T10:00:00+00:00"  # 18:00 in Manila
    assert "18:00" in client.get(url).content.decode()


def test_organiser_edits_a_question_in_french(client, world, organiser):
    url = reverse("organise:evaluation", args=[world["workshop"].slug])
    questions = list(EvaluationQuestion.objects.filter(workshop=world["workshop"]).order_by("scope", "order", "pk"))
    data = {"form-TOTAL_FORMS": len(questions) + 1, "form-INITIAL_FORMS": len(questions)}
    for i, q in enumerate(questions):
        data |= {
            f"form-{i}-id": q.pk,
            f"form-{i}-order": q.order,
            f"form-{i}-scope": q.scope,
            f"form-{i}-topic": q.topic,
            f"form-{i}-kind": q.kind,
            f"form-{i}-text_en": q.text_en,
            f"form-{i}-text_es": q.text_es,
            f"form-{i}-text_fr": q.text_fr,
        }
    extra = len(questions)  # the empty form for a new question, as the browser sends it
    data |= {f"form-{extra}-order": 0, f"form-{extra}-scope": "session", f"form-{extra}-kind": "scale"}
    data["form-0-text_fr"] = "Le contenu vous a-t-il servi\u00a0?"
    assert client.post(url, data).status_code == 302
    assert EvaluationQuestion.objects.get(pk=questions[0].pk).text_fr == "Le contenu vous a-t-il servi\u00a0?"
    assert EvaluationQuestion.objects.filter(workshop=world["workshop"]).count() == len(questions)


def test_removing_every_question_does_not_bring_the_ready_made_ones_back(client, world, organiser):
    EvaluationQuestion.objects.filter(workshop=world["workshop"]).delete()
    client.get(reverse("organise:evaluation", args=[world["workshop"].slug]))
    assert not EvaluationQuestion.objects.filter(workshop=world["workshop"]).exists()
    client.post(reverse("organise:evaluation", args=[world["workshop"].slug]), {"action": "defaults"})
    assert EvaluationQuestion.objects.filter(workshop=world["workshop"]).count() == 11


def test_organiser_writes_a_knowledge_check(client, world, organiser):
    url = reverse("organise:knowledge_questions", args=[world["workshop"].slug, world["session"].pk])
    data = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 0,
        "form-0-order": 1,
        "form-0-text_en": "Which instrument protects migrant workers?",
        "form-0-choice_1_en": "ICRMW",
        "form-0-choice_2_en": "GATS",
        "form-0-correct": 1,
    }
    assert client.post(url, data).status_code == 302
    assert KnowledgeQuestion.objects.get(session=world["session"]).choices() == [(1, "ICRMW"), (2, "GATS")]
    data["form-0-correct"] = 3  # no third choice
    data["form-0-text_en"] = "Another"
    assert client.post(url, data).status_code == 400


def test_another_teams_session_is_not_found(client, world, organiser):
    elsewhere = f.session(f.workshop())
    url = reverse("organise:knowledge_questions", args=[world["workshop"].slug, elsewhere.pk])
    assert client.get(url).status_code == 404
