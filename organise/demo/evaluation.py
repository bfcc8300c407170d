"""The demo event's evaluation: the ready-made questions, answers from some participants for both
sessions and the workshop, and a knowledge check for the first session (Migration and Labour).

Fictional answers, made as the participants' pages make them (`worksheets.evaluation`: the same
rows, keys and "answered" records, no person on an answer), but in a few bulk inserts: the demo is
loaded by many tests and by every quick start. The demo is replayed long after 2005: its evaluation
stays open (like its personal links) so that the participant's pages can be tried. Created once.
"""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from worksheets.enums import EvaluationScope, EvaluationTopic, KnowledgePhase
from worksheets.evaluation import evaluation_key, evaluation_prepare
from worksheets.models import (
    EvaluationAnswer,
    EvaluationKind,
    EvaluationQuestion,
    EvaluationResponse,
    EvaluationSubmission,
    KnowledgeAttempt,
    KnowledgeQuestion,
    KnowledgeTaken,
)
from workshops.models import Workshop

DEMO_CLOSES_AT = datetime(2099, 12, 31, 23, 59, tzinfo=ZoneInfo("Europe/Zurich"))

COMMENTS = {
    "en": [
        "More time for the exercises, please.",
        "Clear and practical.",
        "The co-facilitators complemented each other well.",
    ],
    "es": ["Más tiempo para los ejercicios, por favor.", "Claro y práctico."],
    "fr": ["Plus de temps pour les exercices, s'il vous plaît.", "Clair et concret."],
}

# Migration and Labour (EMM 2.6): (text en/es/fr, choices en/es/fr, correct choice)
KNOWLEDGE = [
    (
        (
            "Which UN convention protects the rights of all migrant workers and members of their families?",
            "¿Qué convención de la ONU protege los derechos de todos los trabajadores migratorios y sus familiares?",
            "Quelle convention de l'ONU protège les droits de tous les travailleurs migrants et des membres de leur famille\u00a0?",
        ),
        [
            (
                "The 1990 International Convention (ICRMW)",
                "La Convención internacional de 1990",
                "La Convention internationale de 1990",
            ),
            (
                "The 1951 Refugee Convention",
                "La Convención sobre el Estatuto de los Refugiados de 1951",
                "La Convention de 1951 relative au statut des réfugiés",
            ),
            ("The Chicago Convention", "El Convenio de Chicago", "La Convention de Chicago"),
        ],
        1,
    ),
    (
        (
            "What do bilateral labour agreements mainly regulate?",
            "¿Qué regulan principalmente los acuerdos bilaterales de trabajo?",
            "Que règlent principalement les accords bilatéraux de main-d'œuvre\u00a0?",
        ),
        [
            ("Tariffs on goods", "Los aranceles sobre mercancías", "Les droits de douane sur les marchandises"),
            (
                "The recruitment and conditions of migrant workers between two States",
                "La contratación y las condiciones de los trabajadores migrantes entre dos Estados",
                "Le recrutement et les conditions des travailleurs migrants entre deux États",
            ),
            ("Asylum procedures", "Los procedimientos de asilo", "Les procédures d'asile"),
        ],
        2,
    ),
]


def _knowledge_questions(session) -> list[KnowledgeQuestion]:
    if not KnowledgeQuestion.objects.filter(session=session).exists():
        for order, (texts, choices, correct) in enumerate(KNOWLEDGE, start=1):
            fields = {f"text_{code}": texts[i] for i, code in enumerate(("en", "es", "fr"))}
            for n, choice in enumerate(choices, start=1):
                fields |= {f"choice_{n}_{code}": choice[i] for i, code in enumerate(("en", "es", "fr"))}
            KnowledgeQuestion.objects.create(session=session, order=order, correct=correct, **fields)
    return list(KnowledgeQuestion.objects.filter(session=session).order_by("order"))


@transaction.atomic
def demo_evaluation_load(*, workshop: Workshop) -> int:
    """Evaluations from some participants (deterministic); returns how many responses were created."""
    window = evaluation_prepare(workshop=workshop)
    if window.closes_at is None:
        window.closes_at = DEMO_CLOSES_AT
        window.save(update_fields=["closes_at"])
    if EvaluationResponse.objects.filter(workshop=workshop).exists():
        return 0
    sessions = list(workshop.sessions.order_by("start"))
    if not sessions:
        return 0
    rng = random.Random(2005)
    knowledge = _knowledge_questions(sessions[0])
    questions = list(EvaluationQuestion.objects.filter(workshop=workshop).order_by("order", "pk"))
    participants = list(workshop.participants.select_related("group__room__language_mode").order_by("email")[:45])
    responses, answers, submitted, attempts, taken = [], [], [], [], []
    for index, participant in enumerate(participants):
        comments = COMMENTS.get(participant.preferred_language, COMMENTS["en"])
        interpreted = bool(participant.group and participant.group.room.language_mode.interpretation)
        forms = [sessions[0]] if index % 4 == 3 else [*sessions, None]
        for session in forms:
            scope = EvaluationScope.SESSION if session else EvaluationScope.WORKSHOP
            form = [
                q for q in questions if q.scope == scope and (interpreted or q.topic != EvaluationTopic.INTERPRETATION)
            ]
            values = [
                (q, rng.choice([3, 4, 4, 5, 5, 2]), "")
                if q.kind == EvaluationKind.SCALE
                else (q, None, rng.choice([*comments, ""]))
                for q in form
            ]
            response = EvaluationResponse(
                workshop=workshop,
                session=session,
                group=participant.group,
                interpreted=interpreted,
                key=evaluation_key(participant_id=participant.pk, session_id=session.pk if session else None),
            )
            responses.append(response)
            answers += [
                EvaluationAnswer(response=response, question=q, scale=rating, text=text)
                for q, rating, text in values
                if rating is not None or text
            ]
            submitted.append(EvaluationSubmission(participant=participant, session=session))
        # The knowledge check of the first session: most before, a little better after.
        for phase, right in ((KnowledgePhase.BEFORE, 0.5), (KnowledgePhase.AFTER, 0.8)):
            if index % 5 == 4 and phase == KnowledgePhase.AFTER:
                continue
            score = sum(1 for _q in knowledge if rng.random() < right)
            taken.append(KnowledgeTaken(participant=participant, session=sessions[0], phase=phase))
            attempts.append(
                KnowledgeAttempt(
                    session=sessions[0], group=participant.group, phase=phase, score=score, out_of=len(knowledge)
                )
            )
    rng.shuffle(responses)  # the rows' order tells nothing (their ids are random too)
    rng.shuffle(attempts)
    EvaluationResponse.objects.bulk_create(responses)
    EvaluationAnswer.objects.bulk_create(answers)
    EvaluationSubmission.objects.bulk_create(submitted)
    KnowledgeAttempt.objects.bulk_create(attempts)
    KnowledgeTaken.objects.bulk_create(taken)
    return len(responses)
