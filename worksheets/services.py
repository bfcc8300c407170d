"""Worksheet operations that touch several rows."""

import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from workshops.models import Workshop

from .defaults import DEFAULT_QUESTIONS
from .enums import ANSWER_MAX_LENGTH, QuestionKind, Sharing, WorksheetStatus
from .models import Answer, Question, TeamNote, Worksheet
from .pdf import PdfAnswer, PdfWorksheet


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


@dataclass(frozen=True)
class SaveResult:
    """What an autosave did: saved (with the new revision), refused as stale, or refused as invalid."""

    status: str  # "saved" | "conflict" | "invalid" | "closed"
    revision: int = 0
    message: str = ""
    server_text: str = ""
    server_scale: int | None = None


def worksheet_get_or_create(*, participant, session) -> Worksheet:
    worksheet, _ = Worksheet.objects.select_related("session__workshop").get_or_create(
        participant=participant, session=session
    )
    return worksheet


def worksheet_questions(*, worksheet: Worksheet) -> list[Question]:
    """The workshop's questions for every session plus those for this session, in order."""
    return list(
        Question.objects.filter(workshop_id=worksheet.session.workshop_id)
        .filter(Q(session__isnull=True) | Q(session_id=worksheet.session_id))
        .order_by("order", "pk")
    )


def _clean_text(value) -> str | None:
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "")


def answer_autosave(
    *, worksheet: Worksheet, question: Question, text=None, scale=None, base_revision: int
) -> SaveResult:
    """Save one answer if it is still at `base_revision`; otherwise refuse with the stored version.

    Touches only that answer's row: one conditional UPDATE (or one INSERT for a first answer).
    Never overwrites text written elsewhere since the revision the writer saw.
    """
    workshop = worksheet.session.workshop
    if not workshop.worksheets_open:
        return SaveResult("closed", message=gettext("This workshop's worksheets are closed."))
    if worksheet.status == WorksheetStatus.SUBMITTED:
        return SaveResult("closed", message=gettext("This worksheet is submitted. Reopen it to change it."))
    if question.workshop_id != workshop.pk or (question.session_id and question.session_id != worksheet.session_id):
        return SaveResult("invalid", message=gettext("This question is not part of this worksheet."))
    if not isinstance(base_revision, int) or isinstance(base_revision, bool) or base_revision < 0:
        return SaveResult("invalid", message=gettext("The revision is missing or not a number."))
    if question.kind == QuestionKind.SCALE:
        if scale is not None and (isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= 5):
            return SaveResult("invalid", message=gettext("Choose a value from 1 to 5."))
        values = {"scale": scale, "text": ""}
    else:
        cleaned, reason = _validate_text(text)
        if cleaned is None:
            return SaveResult("invalid", message=reason)
        values = {"text": cleaned, "scale": None}

    saved, revision, current = _save_if_current(
        model=Answer, keys={"worksheet": worksheet, "question": question}, values=values, base_revision=base_revision
    )
    if saved:
        return SaveResult("saved", revision=revision)
    return SaveResult(
        "conflict",
        revision=current.revision if current else 0,
        message=gettext("This answer was changed elsewhere (another tab or device) since you opened it."),
        server_text=current.text if current else "",
        server_scale=current.scale if current else None,
    )


def _save_if_current(*, model, keys: dict, values: dict, base_revision: int):
    """Write `values` to the row `keys` only if it is still at `base_revision` (0: no row yet).

    One conditional UPDATE (or one INSERT); returns (saved, new revision, the stored row when refused).
    Two writers that saw the same revision: the second is refused, never silently overwrites.
    """
    if base_revision == 0:
        try:
            with transaction.atomic():
                model.objects.create(**keys, revision=1, **values)
            return True, 1, None
        except IntegrityError:
            pass  # someone saved a first version meanwhile: a conflict
    else:
        updated = model.objects.filter(**keys, revision=base_revision).update(
            revision=F("revision") + 1, updated_at=timezone.now(), **values
        )
        if updated:
            return True, base_revision + 1, None
    return False, 0, model.objects.filter(**keys).order_by().first()


def _validate_text(value) -> tuple[str | None, str]:
    """The text to store, or None and the reason it is refused."""
    cleaned = _clean_text(value)
    if cleaned is None:
        return None, gettext("The answer must be text.")
    if len(cleaned) > ANSWER_MAX_LENGTH:
        return None, gettext("This answer is too long: %(length)d characters, at most %(limit)d.") % {
            "length": len(cleaned),
            "limit": ANSWER_MAX_LENGTH,
        }
    return cleaned, ""


def team_note_autosave(*, facilitator, session, group, text, base_revision) -> SaveResult:
    """Save the co-facilitators' notes on a group in a session, with the same no-loss rule as answers."""
    if not isinstance(base_revision, int) or isinstance(base_revision, bool) or base_revision < 0:
        return SaveResult("invalid", message=gettext("The revision is missing or not a number."))
    cleaned, reason = _validate_text(text)
    if cleaned is None:
        return SaveResult("invalid", message=reason)
    saved, revision, current = _save_if_current(
        model=TeamNote,
        keys={"session": session, "group": group},
        values={"text": cleaned, "updated_by": facilitator},
        base_revision=base_revision,
    )
    if saved:
        return SaveResult("saved", revision=revision)
    return SaveResult(
        "conflict",
        revision=current.revision if current else 0,
        message=gettext("These notes were changed by your co-facilitator (or in another tab) since you opened them."),
        server_text=current.text if current else "",
    )


@transaction.atomic
def worksheet_set_status(*, worksheet: Worksheet, submit: bool, sharing: str) -> None:
    """Submit (or reopen) a worksheet and record the sharing choice."""
    if sharing not in Sharing.values:
        raise ValidationError(gettext("Choose how to share this worksheet."))
    if not worksheet.session.workshop.worksheets_open:
        raise ValidationError(gettext("This workshop's worksheets are closed."))
    worksheet.status = WorksheetStatus.SUBMITTED if submit else WorksheetStatus.DRAFT
    worksheet.submitted_at = timezone.now() if submit else None
    worksheet.sharing = sharing
    worksheet.revision = F("revision") + 1
    worksheet.save(update_fields=["status", "submitted_at", "sharing", "revision", "updated_at"])
    worksheet.refresh_from_db(fields=["revision"])


def participant_worksheets_export(*, participant) -> list:
    """Every worksheet a participant started, as plain data for the PDF and the e-mail copy.

    In the active language; every question of each session is listed, answered or not.
    A fixed number of queries whatever the number of sessions and answers.
    """
    workshop = participant.workshop
    worksheets = list(
        Worksheet.objects.filter(participant=participant)
        .select_related("session__section")
        .prefetch_related("answers")
        .order_by("session__start")
    )
    questions = list(Question.objects.filter(workshop=workshop).order_by("order", "pk"))
    zone = zoneinfo.ZoneInfo(workshop.timezone)
    exported = []
    for worksheet in worksheets:
        session = worksheet.session
        answers = {a.question_id: a for a in worksheet.answers.all()}
        start, end = timezone.localtime(session.start, zone), timezone.localtime(session.end, zone)
        exported.append(
            PdfWorksheet(
                session_title=session.title,
                when=f"{date_format(start, 'DATE_FORMAT')}, {start:%H:%M}–{end:%H:%M}",
                section=(
                    gettext("EMM section %(number)s: %(title)s")
                    % {"number": session.section.number, "title": session.section.title}
                    if session.section
                    else ""
                ),
                status=WorksheetStatus(worksheet.status).label,
                answers=[
                    PdfAnswer(
                        question=question.text,
                        text=answers[question.pk].text if question.pk in answers else "",
                        scale=answers[question.pk].scale if question.pk in answers else None,
                    )
                    for question in questions
                    if question.session_id in (None, session.pk)
                ],
            )
        )
    return exported


def participant_worksheets_email(*, participant, pdf: bytes | None = None) -> None:
    """E-mail a participant a copy of their worksheets in their language: plain text and HTML, PDF attached."""
    with translation.override(participant.preferred_language):
        _worksheets_email_send(participant=participant, pdf=pdf)


def _worksheets_email_send(*, participant, pdf: bytes | None) -> None:
    context = {
        "participant": participant,
        "workshop": participant.workshop,
        "worksheets": participant_worksheets_export(participant=participant),
    }
    message = EmailMultiAlternatives(
        subject=gettext("Your worksheets: %(workshop)s") % {"workshop": participant.workshop.title},
        body=render_to_string("worksheets/email/copy.txt", context),
        to=[participant.email],
    )
    message.attach_alternative(render_to_string("worksheets/email/copy.html", context), "text/html")
    if pdf is not None:
        message.attach("worksheets.pdf", pdf, "application/pdf")
    message.send()
