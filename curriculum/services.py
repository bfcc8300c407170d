"""Loading the curriculum's reference content."""

from django.db import transaction

from . import emm_data
from .models import IammItem, Section, SectionItem, Volume

LANGUAGES = ("en", "es", "fr")


def _translated(field: str, values: dict) -> dict:
    return {f"{field}_{language}": values.get(language, "") for language in LANGUAGES}


@transaction.atomic
def curriculum_load_emm() -> None:
    """Create or update the EMM's 3 volumes and 32 sections, sample items of 2.6 and 3.12, and the IAMM.

    Idempotent: rows are matched by their number (or kind and order) and only updated.
    """
    volumes = {}
    for spec in emm_data.VOLUMES:
        volumes[spec["number"]], _ = Volume.objects.update_or_create(
            number=spec["number"],
            defaults={**_translated("title", spec["title"]), **_translated("summary", spec["summary"])},
        )
    for spec in emm_data.SECTIONS:
        section, _ = Section.objects.update_or_create(
            number=spec["number"],
            defaults={
                "volume": volumes[spec["volume"]],
                "is_sample_content": spec["number"] in emm_data.SAMPLE_ITEMS,
                **_translated("title", spec["title"]),
                **_translated("summary", spec["summary"]),
            },
        )
        for kind, items in emm_data.SAMPLE_ITEMS.get(spec["number"], {}).items():
            for order, text in enumerate(items, start=1):
                SectionItem.objects.update_or_create(
                    section=section, kind=kind, order=order, defaults=_translated("text", text)
                )
    counters: dict[str, int] = {}
    for spec in emm_data.IAMM_ITEMS:
        counters[spec["kind"]] = counters.get(spec["kind"], 0) + 1
        IammItem.objects.update_or_create(
            kind=spec["kind"],
            order=counters[spec["kind"]],
            defaults={**_translated("title", spec["title"]), **_translated("text", spec.get("text", {}))},
        )
