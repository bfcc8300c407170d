"""Worksheet operations that touch several rows."""

from django.db import transaction

from workshops.models import Workshop

from .defaults import DEFAULT_QUESTIONS
from .models import Question


@transaction.atomic
def questions_create_defaults(*, workshop: Workshop) -> list[Question]:
    """Give a workshop the default worksheet questions, unless it already has questions."""
    if workshop.questions.exists():
        return list(workshop.questions.all())
    created = []
    for order, spec in enumerate(DEFAULT_QUESTIONS, start=1):
        fields = {"workshop": workshop, "order": order, "kind": spec["kind"]}
        for language in ("en", "es", "fr"):
            fields[f"text_{language}"] = spec["text"][language]
            fields[f"help_text_{language}"] = spec["help_text"][language]
        created.append(Question.objects.create(**fields))
    return created
