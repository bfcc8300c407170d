"""Sample worksheets for the demo event, so the organiser's report and dashboard have something to show.

Fictional answers, written for the demo, in each participant's language. Created once: a
workshop that already has worksheets is left alone.
"""

import random

from django.db import transaction
from django.utils import timezone

from worksheets.enums import QuestionKind, Sharing, WorksheetStatus
from worksheets.models import Answer, Worksheet
from workshops.models import Workshop

SAMPLE_TEXTS = {
    "en": [
        "The section gives a clear overview; our ministry would need more on bilateral labour agreements.",
        "Useful as a shared vocabulary between the labour and interior ministries.",
        "The exercises could be adapted for our regional training on recruitment agencies.",
        "We need a short version for parliamentarians.",
    ],
    "es": [
        "La sección ofrece un panorama claro; faltan ejemplos de América Latina.",
        "Sería útil para formar a los funcionarios consulares sobre la protección de trabajadores migrantes.",
        "Necesitamos herramientas en español para los gobiernos locales.",
    ],
    "fr": [
        "Le contenu est pertinent, mais il faudrait davantage d'exemples d'Afrique de l'Ouest.",
        "Les exercices pratiques se prêtent bien à nos formations pour les agents aux frontières.",
        "Un guide de poche pour les inspecteurs du travail serait précieux.",
    ],
}


@transaction.atomic
def demo_worksheets_load(*, workshop: Workshop) -> int:
    """Fill and share some worksheets of the first session (deterministic); returns how many were created."""
    if Worksheet.objects.filter(session__workshop=workshop).exists():
        return 0
    session = workshop.sessions.order_by("start").first()
    if session is None:
        return 0
    rng = random.Random(2005)
    questions = list(workshop.questions.filter(session__isnull=True).order_by("order"))
    participants = list(workshop.participants.order_by("email")[:40])
    sharing_choices = [Sharing.ANONYMOUS, Sharing.ANONYMOUS, Sharing.NAMED, Sharing.PRIVATE]
    created = 0
    for index, participant in enumerate(participants):
        submitted = index % 3 != 2
        worksheet = Worksheet.objects.create(
            participant=participant,
            session=session,
            status=WorksheetStatus.SUBMITTED if submitted else WorksheetStatus.DRAFT,
            submitted_at=timezone.now() if submitted else None,
            sharing=sharing_choices[index % len(sharing_choices)],
        )
        texts = SAMPLE_TEXTS.get(participant.preferred_language, SAMPLE_TEXTS["en"])
        for question in questions[:4]:
            if question.kind == QuestionKind.SCALE:
                Answer.objects.create(worksheet=worksheet, question=question, scale=rng.choice([3, 4, 4, 5, 5, 2]))
            else:
                Answer.objects.create(worksheet=worksheet, question=question, text=rng.choice(texts))
        created += 1
    return created
