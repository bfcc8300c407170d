"""Exports: the participants and the schedule as CSV or Excel, headers in the active language.

The participants with their group and room; the schedule with one row per session and group,
with its facilitators.
"""

import io
from zoneinfo import ZoneInfo

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..enums import Gender, Region
from ..languages import language_names
from ..models import Assignment, BreakoutSession, Group, Participant, Workshop
from .headers import COLUMNS

# The participants export's columns: those the import reads back (`header_index`), then where each sits.
PARTICIPANT_EXPORT_COLUMNS = (
    "name", "email", "country", "region", "organisation", "languages", "gender", "preferred_language",
    "group", "room", "language_mode",
)  # fmt: skip


def participants_table(*, workshop: Workshop) -> tablib.Dataset:
    """Every participant of the workshop, by name, with group, room and language mode (one query).

    Built in bulk, in time linear in the participants: one query of plain values, and each label
    (a country's name, a set of languages, a choice's label) worked out once per distinct value
    rather than once per row, as a per-row resource did (0.9 s at 3,000 participants).
    """
    labels = {c.key: c.label for c in COLUMNS} | {
        "group": gettext_lazy("Group"),
        "room": gettext_lazy("Room"),
        "language_mode": gettext_lazy("Language mode"),
    }
    dataset = tablib.Dataset(headers=[str(labels[key]) for key in PARTICIPANT_EXPORT_COLUMNS])  # in the active language
    rows = (
        Participant.objects.filter(workshop=workshop)
        .order_by("name", "pk")
        .values_list(
            "name",
            "email",
            "country",
            "region",
            "organisation",
            "languages",
            "gender",
            "preferred_language",
            "group__name",
            "group__room__name",
            "group__room__language_mode__name",
        )  # fmt: skip
    )
    regions, genders = dict(Region.choices), dict(Gender.choices)
    preferred = dict(Participant._meta.get_field("preferred_language").flatchoices)
    country_names: dict[str, str] = {}
    language_labels: dict[tuple, str] = {}
    for name, email, country, region, organisation, languages, gender, language, group, room, mode in rows:
        code = str(country or "")
        if code not in country_names:
            country_names[code] = str(countries.name(code)) if code else ""
        spoken = tuple(languages or ())
        if spoken not in language_labels:
            language_labels[spoken] = language_names(list(spoken))
        dataset.append(
            [
                name,
                email,
                country_names[code],
                str(regions.get(region, region)),
                organisation,
                language_labels[spoken],
                str(genders.get(gender, gender)),
                str(preferred.get(language, language)),
                group or "",
                room or "",
                mode or "",
            ]
        )
    return dataset


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
        return _xlsx(_guarded(dataset, "="))
    raise ValueError(fmt)


def _xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as one sheet in openpyxl's write-only mode, row after row (linear in its rows): bold
    headers frozen at the top, multi-line cells wrapped, text kept as text, columns as wide as their text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    headers = [str(header) for header in dataset.headers]
    widths = [len(header) for header in headers]
    for row in dataset:
        for index, value in enumerate(row):
            longest = max((len(line) for line in str(value).split("\n")), default=0) if value is not None else 0
            widths[index] = max(widths[index], longest)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2  # tablib's "adaptive" width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, header, font=bold) for header in headers])
    for row in dataset:
        sheet.append([_xlsx_cell(sheet, value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_WRAPPED = Alignment(wrap_text=True)


def _xlsx_cell(sheet, value: str, *, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text stays text
    if font is not None:
        cell.font = font
    elif "\n" in value:
        cell.alignment = _WRAPPED
    return cell
