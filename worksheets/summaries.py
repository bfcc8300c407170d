"""The report-back (issue 17): each group's rapporteur and summary of a session, and the plenary's files.

Who may do what, written once here:
- name (or replace, or clear) the rapporteur: the group's facilitators of that session;
- volunteer: a participant of the group, while nobody is named; withdraw: that volunteer only;
- write the summary: its rapporteur and the group's facilitators of that session;
- read it: the whole group (a summary is shared material, never a personal worksheet), and the
  workshop's organisers on the report-back page.
Participants of other groups and workshops never reach a summary: the views find the group
through the person asking (their own group, or their own assignment), so anything else is 404.
"""

import csv
import io

from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from workshops.models import BreakoutSession, Facilitator, Group, Participant
from workshops.timezones import workshop_localtime

from .models import GroupSummary
from .services import SaveResult, _is_revision, _validate_text
from .summaries_pdf import PdfSummary, summaries_pdf
from .xlsx import XlsxSheet, xlsx_workbook


def participant_session_group(*, participant: Participant, session_id: int) -> tuple[BreakoutSession, Group]:
    """The session (of the participant's workshop) and the participant's group; 404 without a group."""
    if participant.group_id is None:
        raise Http404
    session = (
        BreakoutSession.objects.select_related("workshop", "section")
        .filter(pk=session_id, workshop_id=participant.workshop_id)
        .first()
    )
    if session is None:
        raise Http404
    group = Group.objects.select_related("room").get(pk=participant.group_id)
    return session, group


def group_summary(*, session, group) -> GroupSummary | None:
    """The group's summary of the session with its rapporteur and last writers (one query), or None."""
    return (
        GroupSummary.objects.select_related("rapporteur", "updated_by_participant", "updated_by_facilitator")
        .filter(session=session, group=group)
        .first()
    )


def summary_may_write(*, summary: GroupSummary | None, person) -> bool:
    """May this person write the summary? A facilitator reaches it only through their own assignment (the
    view checks that); a participant only when they are its rapporteur."""
    if isinstance(person, Facilitator):
        return True
    return summary is not None and summary.rapporteur_id == person.pk


def _summary_row(*, session, group) -> GroupSummary:
    summary, _created = GroupSummary.objects.get_or_create(session=session, group=group)
    return summary


@transaction.atomic
def rapporteur_volunteer(*, participant: Participant, session, group) -> bool:
    """Make the participant the rapporteur if nobody is named yet; False when someone already is (never
    replaces anyone: two volunteers at once, the first wins)."""
    _summary_row(session=session, group=group)
    return bool(
        GroupSummary.objects.filter(session=session, group=group, rapporteur__isnull=True).update(
            rapporteur=participant, rapporteur_volunteered=True
        )
    )


@transaction.atomic
def rapporteur_withdraw(*, participant: Participant, session, group) -> bool:
    """Withdraw the participant's own volunteering; False when they are not a volunteer rapporteur (one named by
    the facilitators asks them instead). The summary's text stays: it is the group's."""
    return bool(
        GroupSummary.objects.filter(
            session=session, group=group, rapporteur=participant, rapporteur_volunteered=True
        ).update(rapporteur=None, rapporteur_volunteered=False)
    )


@transaction.atomic
def rapporteur_name(*, session, group, participant_id: int | None) -> None:
    """A facilitator names (or replaces, or with None clears) the rapporteur: a participant of the group only
    (404 for anyone else)."""
    rapporteur = None
    if participant_id is not None:
        rapporteur = Participant.objects.filter(pk=participant_id, group=group).first()
        if rapporteur is None:
            raise Http404
    _summary_row(session=session, group=group)
    GroupSummary.objects.filter(session=session, group=group).update(
        rapporteur=rapporteur, rapporteur_volunteered=False
    )


def summary_autosave(*, session, group, person, text, base_revision) -> SaveResult:
    """Save the summary if it is still at `base_revision`, with the same no-loss rule as answers and notes:
    a stale write is refused with the stored text. The caller has checked `summary_may_write`; the
    rapporteur's right is checked again in the same UPDATE, so a rapporteur replaced meanwhile is refused."""
    if not _is_revision(base_revision):
        return SaveResult("invalid", message=gettext("The revision is missing or not a number."))
    cleaned, reason = _validate_text(text)
    if cleaned is None:
        return SaveResult("invalid", message=reason)
    _summary_row(session=session, group=group)
    rows = GroupSummary.objects.filter(session=session, group=group)
    is_participant = isinstance(person, Participant)
    writer = {"updated_by_participant": person if is_participant else None}
    writer["updated_by_facilitator"] = None if is_participant else person
    allowed = rows.filter(rapporteur=person) if is_participant else rows
    updated = allowed.filter(revision=base_revision).update(
        text=cleaned, revision=F("revision") + 1, updated_at=timezone.now(), **writer
    )
    if updated:
        return SaveResult("saved", revision=base_revision + 1)
    current = rows.order_by().first()
    if is_participant and current.rapporteur_id != person.pk:
        return SaveResult("closed", message=gettext("You are no longer this group's rapporteur."))
    return SaveResult(
        "conflict",
        revision=current.revision,
        message=gettext("This summary was changed by someone else (or in another tab) since you opened it."),
        stored={"text": current.text},
    )


def report_back_rows(*, session) -> list[tuple[Group, GroupSummary | None]]:
    """Every group of the session's workshop, by name, with its summary of the session (or None): two
    queries, whatever the number of groups. Summaries only: no worksheet's answer is ever read here."""
    groups = list(Group.objects.filter(workshop_id=session.workshop_id).select_related("room").order_by("name"))
    summaries = {
        summary.group_id: summary
        for summary in GroupSummary.objects.filter(session=session).select_related(
            "rapporteur", "updated_by_participant", "updated_by_facilitator"
        )
    }
    return [(group, summaries.get(group.pk)) for group in groups]


def report_back_sessions(*, workshop) -> list[BreakoutSession]:
    """The workshop's sessions by time, each with `summaries_written`: how many groups wrote a summary (one query)."""
    return list(
        BreakoutSession.objects.filter(workshop=workshop)
        .annotate(summaries_written=Count("group_summaries", filter=~Q(group_summaries__text="")))
        .order_by("start")
    )


def _export_headers() -> list[str]:
    return [gettext("Group"), gettext("Room"), gettext("Rapporteur"), gettext("Summary")]


def _export_values(rows) -> list[list[str]]:
    return [
        [
            group.name,
            group.room.name if group.room_id else "",
            summary.rapporteur.name if summary and summary.rapporteur else "",
            summary.text if summary else "",
        ]
        for group, summary in rows
    ]


def _csv_cell(value: str) -> str:
    # A cell that a spreadsheet would read as a formula is kept as text (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_back_csv(*, rows) -> bytes:
    """The summaries as CSV (UTF-8 with a byte-order mark, for spreadsheets): group, room, rapporteur, summary."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_export_headers())
    for values in _export_values(rows):
        writer.writerow([_csv_cell(value) for value in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_back_xlsx(*, rows, title: str) -> bytes:
    """The summaries as an Excel workbook, one row per group."""
    values = [[value or None for value in row] for row in _export_values(rows)]  # empty cells, not empty text
    return xlsx_workbook([XlsxSheet(title=title[:31], headers=_export_headers(), rows=values)])


def report_back_pdf(*, rows, session, workshop) -> bytes:
    """The summaries as one PDF, the session's time on the workshop's clock."""
    start, end = workshop_localtime(session.start, workshop), workshop_localtime(session.end, workshop)
    summaries = [
        PdfSummary(
            group=" · ".join(
                filter(
                    None, [gettext("Group %(group)s") % {"group": group.name}, group.room.name if group.room_id else ""]
                )
            ),
            rapporteur=gettext("Rapporteur: %(name)s") % {"name": summary.rapporteur.name}
            if summary and summary.rapporteur
            else gettext("No rapporteur yet"),
            text=summary.text if summary and summary.text else gettext("No summary yet."),
        )
        for group, summary in rows
    ]
    return summaries_pdf(
        workshop_title=workshop.title,
        session_title=session.title,
        when=f"{date_format(start, 'DATE_FORMAT')}, {start:%H:%M}–{end:%H:%M}",
        summaries=summaries,
    )
