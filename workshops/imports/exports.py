"""Exports: the participants and the schedule as CSV or Excel, headers in the active language.

The participants with their group and room; the schedule with one row per session and group,
with its facilitators.
"""

from zoneinfo import ZoneInfo

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields as ie_fields
from import_export import resources
from import_export.formats import base_formats

from ..languages import language_names
from ..models import Assignment, BreakoutSession, Group, Participant, Workshop
from .headers import COLUMNS


class ParticipantExportResource(resources.ModelResource):
    """Participants with their group and room; the columns read back by the import (`header_index`)."""

    name = ie_fields.Field(attribute="name")
    email = ie_fields.Field(attribute="email")
    country = ie_fields.Field()
    region = ie_fields.Field()
    organisation = ie_fields.Field(attribute="organisation")
    languages = ie_fields.Field()
    gender = ie_fields.Field()
    preferred_language = ie_fields.Field()
    group = ie_fields.Field()
    room = ie_fields.Field()
    language_mode = ie_fields.Field()

    class Meta:
        model = Participant
        fields = (
            "name", "email", "country", "region", "organisation", "languages", "gender", "preferred_language",
            "group", "room", "language_mode",
        )  # fmt: skip

    def __init__(self):
        super().__init__()
        labels = {c.key: c.label for c in COLUMNS} | {
            "group": gettext_lazy("Group"),
            "room": gettext_lazy("Room"),
            "language_mode": gettext_lazy("Language mode"),
        }
        for name, export_field in self.fields.items():
            export_field.column_name = str(labels[name])  # in the active language

    def dehydrate_country(self, participant):
        return participant.country.name

    def dehydrate_region(self, participant):
        return participant.get_region_display()

    def dehydrate_languages(self, participant):
        return language_names(participant.languages)

    def dehydrate_gender(self, participant):
        return participant.get_gender_display()

    def dehydrate_preferred_language(self, participant):
        return participant.get_preferred_language_display()

    def dehydrate_group(self, participant):
        return participant.group.name if participant.group else ""

    def dehydrate_room(self, participant):
        return participant.group.room.name if participant.group else ""

    def dehydrate_language_mode(self, participant):
        return participant.group.room.language_mode.name if participant.group else ""


def participants_table(*, workshop: Workshop) -> tablib.Dataset:
    """Every participant of the workshop, by name, with group, room and language mode (one query)."""
    queryset = (
        Participant.objects.filter(workshop=workshop)
        .select_related("group__room__language_mode")
        .order_by("name", "pk")
    )
    return ParticipantExportResource().export(queryset=queryset)


def schedule_table(*, workshop: Workshop) -> tablib.Dataset:
    """One row per session and group (every group, even without facilitators), times in the workshop's zone."""
    tz = ZoneInfo(workshop.timezone)
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk"))
    groups = list(Group.objects.filter(workshop=workshop).select_related("room__language_mode").order_by("name"))
    facilitators: dict[tuple[int, int], list[str]] = {}
    for assignment in (
        Assignment.objects.filter(session__workshop=workshop)
        .select_related("facilitator")
        .order_by("facilitator__name", "pk")
    ):
        facilitators.setdefault((assignment.session_id, assignment.group_id), []).append(assignment.facilitator.name)
    dataset = tablib.Dataset(
        headers=[
            _("Date"), _("Start"), _("End"), _("Session"), _("Curriculum section"), _("Group"), _("Room"),
            _("Language mode"), _("Languages"), _("Facilitators"),
        ]
    )  # fmt: skip
    for session in sessions:
        start, end = timezone.localtime(session.start, tz), timezone.localtime(session.end, tz)
        for group in groups:
            mode = group.room.language_mode
            dataset.append(
                [
                    start.date().isoformat(),
                    f"{start:%H:%M}",
                    f"{end:%H:%M}",
                    session.title,
                    str(session.section) if session.section else "",
                    group.name,
                    group.room.name,
                    mode.name,
                    language_names(mode.languages),
                    "; ".join(facilitators.get((session.pk, group.pk), [])),
                ]
            )
    return dataset


EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _guarded(dataset: tablib.Dataset, starts: str) -> tablib.Dataset:
    """Cells a spreadsheet would run as formulas (a name such as "=HYPERLINK(...)") get a leading apostrophe."""
    safe = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        safe.append([f"'{cell}" if isinstance(cell, str) and cell and cell[0] in starts else cell for cell in row])
    return safe


def dataset_render(dataset: tablib.Dataset, fmt: str) -> bytes:
    """CSV (UTF-8 with a byte-order mark, so Excel shows accents and non-Latin names) or .xlsx."""
    if fmt == "csv":
        text = base_formats.CSV().export_data(_guarded(dataset, "=+-@\t\r"))
        return ("\ufeff" + text).encode("utf-8")
    if fmt == "xlsx":
        return base_formats.XLSX().export_data(_guarded(dataset, "="))
    raise ValueError(fmt)
