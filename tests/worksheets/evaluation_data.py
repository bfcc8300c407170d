"""Evaluation data for tests: anonymous responses and knowledge checks, written through the services."""

from datetime import timedelta

from worksheets.enums import KnowledgePhase
from worksheets.evaluation import evaluation_prepare, evaluation_submit, knowledge_submit
from worksheets.models import EvaluationQuestion, KnowledgeQuestion


def knowledge_question(session, *, correct=2, order=1) -> KnowledgeQuestion:
    return KnowledgeQuestion.objects.create(
        session=session,
        order=order,
        text_en=f"Question {order}?",
        text_es=f"¿Pregunta {order}?",
        text_fr=f"Question {order}\u00a0?",
        choice_1_en="One",
        choice_1_es="Uno",
        choice_1_fr="Un",
        choice_2_en="Two",
        choice_2_es="Dos",
        choice_2_fr="Deux",
        choice_3_en="Three",
        correct=correct,
    )


def evaluation_answer_all(*, participant, session, rating: int, comment: str = "", now=None) -> None:
    """The participant answers every question of one form (rating on scales, `comment` in texts)."""
    questions = EvaluationQuestion.objects.filter(
        workshop=participant.workshop, scope="session" if session else "workshop"
    )
    values = {q.pk: (str(rating) if q.kind == "scale" else comment) for q in questions}
    result = evaluation_submit(participant=participant, session=session, values=values, base_revision=0, now=now)
    assert result.saved, result


def evaluation_grow(*, workshop, sessions, people) -> None:
    """Every placed person evaluates every session and the workshop, and takes every knowledge check."""
    evaluation_prepare(workshop=workshop)
    last_end = max(session.end for session in sessions)
    for session in sessions:
        if not KnowledgeQuestion.objects.filter(session=session).exists():
            knowledge_question(session, order=1)
            knowledge_question(session, order=2, correct=1)
    for index, person in enumerate(people):
        for session in sessions:
            evaluation_answer_all(
                participant=person, session=session, rating=1 + index % 5, comment=f"Comment {index}", now=last_end
            )
            questions = list(KnowledgeQuestion.objects.filter(session=session))
            for phase, now in (
                (KnowledgePhase.BEFORE, session.start - timedelta(hours=1)),
                (KnowledgePhase.AFTER, last_end),
            ):
                knowledge_submit(
                    participant=person,
                    session=session,
                    phase=phase,
                    choices={q.pk: str(1 + (index + q.pk) % 3) for q in questions},
                    now=now,
                )
        evaluation_answer_all(participant=person, session=None, rating=1 + index % 5, comment="Workshop", now=last_end)
