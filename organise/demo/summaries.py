"""Sample report-back summaries for the demo event (issue 17): the first session's rapporteurs and what they
wrote, so the organiser's projector page has something to show. Fictional, written for the demo. Groups A–C
have a summary, D has a volunteer who has not written yet, E has nobody: every state the page shows.
Created once: a workshop that already has summaries is left alone."""

from django.db import transaction

from worksheets.models import GroupSummary
from workshops.models import Workshop

SAMPLE_SUMMARIES = {
    "A": (
        "1. The EMM section on labour migration gives ministries a shared vocabulary.\n"
        "2. We need more on bilateral labour agreements and on the costs of recruitment.\n"
        "3. Proposal: a short version for parliamentarians, in the three languages."
    ),
    "B": (
        "1. El contenido es pertinente; faltan ejemplos de América Latina y del Caribe.\n"
        "2. Los ejercicios prácticos sirven para formar a funcionarios consulares.\n"
        "3. Pedimos herramientas en español para los gobiernos locales."
    ),
    "C": (
        "1. Le chapitre est clair, mais il faudrait davantage d'exemples d'Afrique de l'Ouest.\n"
        "2. Un guide de poche pour les inspecteurs du travail serait précieux.\n"
        "3. Nous proposons un atelier régional de suivi."
    ),
}


@transaction.atomic
def demo_summaries_load(*, workshop: Workshop) -> int:
    """Rapporteurs and summaries of the first session for groups A–D (deterministic); returns how many were made."""
    session = workshop.sessions.order_by("start").first()
    if session is None or GroupSummary.objects.filter(session__workshop=workshop).exists():
        return 0
    created = 0
    for group in workshop.groups.filter(name__in=["A", "B", "C", "D"]).order_by("name"):
        rapporteur = group.participants.order_by("email").first()
        if rapporteur is None:
            continue
        text = SAMPLE_SUMMARIES.get(group.name, "")
        GroupSummary.objects.create(
            session=session,
            group=group,
            rapporteur=rapporteur,
            rapporteur_volunteered=not text,  # D's volunteer has not written yet
            text=text,
            revision=1 if text else 0,
            updated_by_participant=rapporteur if text else None,
        )
        created += 1
    return created
