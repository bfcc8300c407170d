"""Evaluation data for tests: anonymous responses and knowledge checks (through the services, or in bulk for size)."""

from worksheets.enums import KnowledgePhase
from worksheets.evaluation import evaluation_key, evaluation_prepare, evaluation_submit
from worksheets.models import (
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    EvaluationSubmission,
    KnowledgeAttempt,
    KnowledgeQuestion,
    KnowledgeTaken,
)


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
    """Every person evaluates every session and the workshop and takes every knowledge check (rows made in bulk)."""
    evaluation_prepare(workshop=workshop)
    questions = list(EvaluationQuestion.objects.filter(workshop=workshop))
    for session in sessions:
        if not KnowledgeQuestion.objects.filter(session=session).exists():
            knowledge_question(session, order=1)
            knowledge_question(session, order=2, correct=1)
    responses, answers, submissions, attempts, taken = [], [], [], [], []
    ids = [person.pk for person in people]
    submitted = set(
        EvaluationSubmission.objects.filter(participant__in=ids).values_list("participant_id", "session_id")
    )
    took = set(KnowledgeTaken.objects.filter(participant__in=ids).values_list("participant_id", "session_id", "phase"))
    for index, person in enumerate(people):
        for session in [*sessions, None]:
            if (person.pk, session.pk if session else None) in submitted:
                continue
            response = EvaluationResponse(
                workshop=workshop,
                session=session,
                group=person.group,
                key=evaluation_key(participant_id=person.pk, session_id=session.pk if session else None),
            )
            responses.append(response)
            submissions.append(EvaluationSubmission(participant=person, session=session))
            scope = "session" if session else "workshop"
            answers += [
                EvaluationAnswer(response=response, question=q, scale=1 + index % 5)
                if q.kind == "scale"
                else EvaluationAnswer(response=response, question=q, text=f"Comment {index}")
                for q in questions
                if q.scope == scope
            ]
        for session in sessions:
            for phase in KnowledgePhase.values:
                if (person.pk, session.pk, phase) not in took:
                    taken.append(KnowledgeTaken(participant=person, session=session, phase=phase))
                    attempts.append(
                        KnowledgeAttempt(session=session, group=person.group, phase=phase, score=index % 3, out_of=2)
                    )
    EvaluationResponse.objects.bulk_create(responses)
    EvaluationAnswer.objects.bulk_create(answers)
    EvaluationSubmission.objects.bulk_create(submissions)
    KnowledgeAttempt.objects.bulk_create(attempts)
    KnowledgeTaken.objects.bulk_create(taken)
