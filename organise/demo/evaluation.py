"""The demo event's evaluation: the ready-made questions, answers from some participants for both
sessions and the workshop, and a knowledge check for the first session (Migration and Labour).

Fictional answers, written through the same services as the participants' pages, so they are as
anonymous as real ones. The demo is replayed long after 2005: its evaluation stays open (like its
personal links) so that the participant's pages can be tried. Created once.
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from worksheets.enums import KnowledgePhase
from worksheets.evaluation import evaluation_prepare, evaluation_questions, evaluation_submit, knowledge_submit
from worksheets.models import EvaluationKind, EvaluationResponse, KnowledgeQuestion
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
    after_all = max(s.end for s in sessions) + timedelta(hours=1)
    knowledge = _knowledge_questions(sessions[0])
    participants = list(workshop.participants.select_related("group__room__language_mode").order_by("email")[:45])
    created = 0
    for index, participant in enumerate(participants):
        comments = COMMENTS.get(participant.preferred_language, COMMENTS["en"])
        forms = [sessions[0]] if index % 4 == 3 else [*sessions, None]
        for session in forms:
            interpreted = bool(participant.group and participant.group.room.language_mode.interpretation)
            questions = evaluation_questions(workshop=workshop, session=session, interpreted=interpreted)
            values = {
                q.pk: (
                    str(rng.choice([3, 4, 4, 5, 5, 2]))
                    if q.kind == EvaluationKind.SCALE
                    else rng.choice([*comments, ""])
                )
                for q in questions
            }
            if evaluation_submit(
                participant=participant, session=session, values=values, base_revision=0, now=after_all
            ).saved:
                created += 1
        # The knowledge check of the first session: most before, a little better after.
        for phase, now, right in (
            (KnowledgePhase.BEFORE, sessions[0].start - timedelta(hours=1), 0.5),
            (KnowledgePhase.AFTER, after_all, 0.8),
        ):
            if index % 5 == 4 and phase == KnowledgePhase.AFTER:
                continue
            choices = {q.pk: str(q.correct if rng.random() < right else q.correct % 3 + 1) for q in knowledge}
            knowledge_submit(participant=participant, session=sessions[0], phase=phase, choices=choices, now=now)
    return created
