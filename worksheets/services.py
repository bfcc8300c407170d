"""Worksheet operations that touch several rows."""

import functools
import re
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from workshops.mail import mail_message, mail_send
from workshops.models import BreakoutSession, Participant, Workshop
from workshops.text import one_line

from .defaults import DEFAULT_QUESTIONS
from .enums import ANSWER_MAX_LENGTH, QuestionKind, Sharing, WorksheetStatus
from .models import Answer, Question, TeamNote, Worksheet
from .pdf import PdfAnswer, PdfWorksheet, worksheets_pdf


@transaction.atomic
def questions_create_defaults(*, workshop: Workshop) -> list[Question]:
    """Give a workshop the default worksheet questions, unless it already has questions."""
    if workshop.questions.exists():
        return list(workshop.questions.all())
    created = []
    for order, spec in enumerate(DEFAULT_QUESTIONS, start=1):
        fields = {
            "workshop": workshop,
            "order": order,
            "kind": spec["kind"],
            "never_shared": spec.get("never_shared", False),
        }
        for language in ("en", "es", "fr"):
            fields[f"text_{language}"] = spec["text"][language]
            fields[f"help_text_{language}"] = spec["help_text"][language]
        created.append(Question.objects.create(**fields))
    return created


@dataclass(frozen=True)
class SaveResult:
    """What an autosave did: saved (with the new revision), refused as stale (with the stored version), or
    refused as invalid or closed."""

    status: str  # "saved" | "conflict" | "invalid" | "closed"
    revision: int = 0
    message: str = ""
    stored: dict = field(default_factory=dict)  # on a conflict: the stored version's fields the page shows

    @property
    def server_text(self) -> str:
        return self.stored.get("text", "")

    @property
    def server_scale(self) -> int | None:
        return self.stored.get("scale")


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


def _is_revision(value) -> bool:
    """A revision a writer can send: a whole number from 0 (not a bool, which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_scale(value) -> bool:
    """A value of a scale question: a whole number from 1 to 5 (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


@functools.cache
def _direct_sql(kinds: int) -> str:
    """The statement of `answer_autosave_direct` for `kinds` question kinds: SQL that SQLite and PostgreSQL share.

    Written out rather than built by the ORM: building this UPDATE and its EXISTS through the ORM
    cost as much CPU as the three queries it replaces. The revision is compared on the answer row
    being updated, so PostgreSQL re-checks it when a concurrent save got there first (READ
    COMMITTED); SQLite runs one writer at a time.
    """
    answer, worksheet, participant, session, workshop, question = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Answer, Worksheet, Participant, BreakoutSession, Workshop, Question)
    )
    return f"""UPDATE {answer} SET text = %s, scale = %s, revision = revision + 1, updated_at = %s
        WHERE question_id = %s AND revision = %s AND EXISTS (
            SELECT 1 FROM {worksheet} w
            JOIN {participant} p ON p.id = w.participant_id
            JOIN {session} s ON s.id = w.session_id
            JOIN {workshop} ws ON ws.id = s.workshop_id
            JOIN {question} q ON q.workshop_id = ws.id
            WHERE w.id = {answer}.worksheet_id AND p.user_id = %s AND w.session_id = %s AND w.status <> %s
              AND ws.worksheets_open = %s AND q.id = %s AND (q.session_id IS NULL OR q.session_id = w.session_id)
              AND q.kind IN ({", ".join(["%s"] * kinds)})
        )
    """


def answer_autosave_direct(*, user_id: int, session_id: int, payload: dict) -> int | None:
    """The common autosave in one statement: the new revision, or None to take `answer_autosave`.

    An event's busiest request is a participant saving text they saved before. This does it in a
    single conditional UPDATE whose EXISTS checks what `answer_autosave` checks one query at a
    time: the worksheet is this login's for this session, the workshop's worksheets are open, the
    worksheet is not submitted, the question is the workshop's (for every session or this one)
    and of the kind the value fits, and the answer is still at the revision the writer saw. The
    revision is compared on the updated row itself, so a concurrent writer is caught exactly as
    in `_save_if_current`. Anything else (a first answer, a stale revision, bad input, someone
    else's worksheet) returns None and the caller takes the full path, which says what is wrong.
    """
    base_revision = payload.get("revision")
    if not _is_revision(base_revision) or not 1 <= base_revision < 2**31:  # 0: a first answer
        return None
    try:
        question_id = int(payload["question"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    if not 1 <= question_id < 2**63:  # out of any key's range: the database would refuse the number
        return None
    scale = payload.get("scale")
    if scale is not None:
        if not _is_scale(scale):
            return None
        values, kinds = {"scale": scale, "text": ""}, [QuestionKind.SCALE]
    else:
        cleaned, _reason = _validate_text(payload.get("text"))
        if cleaned is None:
            return None
        values, kinds = {"text": cleaned, "scale": None}, [k for k in QuestionKind.values if k != QuestionKind.SCALE]
    params = [
        values["text"],
        values["scale"],
        connection.ops.adapt_datetimefield_value(timezone.now()),
        question_id,
        base_revision,
        user_id,
        session_id,
        WorksheetStatus.SUBMITTED,
        True,
        question_id,
        *kinds,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_direct_sql(len(kinds)), params)
        updated = cursor.rowcount
    return base_revision + 1 if updated else None


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
    if not _is_revision(base_revision):
        return SaveResult("invalid", message=gettext("The revision is missing or not a number."))
    if question.kind == QuestionKind.SCALE:
        if scale is not None and not _is_scale(scale):
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
    return _saved_or_conflict(
        saved=saved,
        revision=revision,
        current=current,
        shown={"text": "", "scale": None},
        message=gettext("This answer was changed elsewhere (another tab or device) since you opened it."),
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


def _saved_or_conflict(*, saved: bool, revision: int, current, shown: dict, message: str) -> SaveResult:
    """What `_save_if_current` returned, as a SaveResult: saved at `revision`, or a conflict that carries the
    stored row's revision and its `shown` fields (the values in `shown` when no row is stored), for the
    writer to see what is there before writing again."""
    if saved:
        return SaveResult("saved", revision=revision)
    return SaveResult(
        "conflict",
        revision=current.revision if current else 0,
        message=message,
        stored={name: getattr(current, name) for name in shown} if current else dict(shown),
    )


# A lone UTF-16 surrogate: JSON's "\ud800" parses to one, but no database or encoder accepts it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _validate_text(value) -> tuple[str | None, str]:
    """The text to store, or None and the reason it is refused (too long, not text, not valid Unicode)."""
    cleaned = _clean_text(value)
    if cleaned is None:
        return None, gettext("The answer must be text.")
    if surrogate := _SURROGATE.search(cleaned):
        return None, gettext(
            "The text contains an invalid character (U+%(code)04X): it was not saved. Remove it and try again."
        ) % {"code": ord(surrogate.group())}
    if len(cleaned) > ANSWER_MAX_LENGTH:
        return None, gettext("This answer is too long: %(length)d characters, at most %(limit)d.") % {
            "length": len(cleaned),
            "limit": ANSWER_MAX_LENGTH,
        }
    return cleaned, ""


def team_note_autosave(*, facilitator, session, group, text, base_revision) -> SaveResult:
    """Save the co-facilitators' notes on a group in a session, with the same no-loss rule as answers."""
    if not _is_revision(base_revision):
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
    return _saved_or_conflict(
        saved=saved,
        revision=revision,
        current=current,
        shown={"text": ""},
        message=gettext("These notes were changed by your co-facilitator (or in another tab) since you opened them."),
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


def participant_worksheets_email(*, participant) -> None:
    """E-mail a participant a copy of their worksheets: plain text, HTML and the PDF, all in their language.

    Returns only once the mailer took the message; raises `workshops.mail.MailNotSent` otherwise.
    """
    language = participant.preferred_language
    with translation.override(language):
        worksheets = participant_worksheets_export(participant=participant)
        workshop = participant.workshop
        context = {"participant": participant, "workshop": workshop, "worksheets": worksheets}
        context["subject"] = one_line(gettext("Your worksheets: %(workshop)s") % {"workshop": workshop.title})
        context["language"] = language
        message = mail_message(
            subject=context["subject"],
            body=render_to_string("worksheets/email/copy.txt", context),
            html=render_to_string("worksheets/email/copy.html", context),
            to=[participant.email],
            language=language,
        )
        pdf = worksheets_pdf(participant_name=participant.name, workshop_title=workshop.title, worksheets=worksheets)
    message.attach("worksheets.pdf", pdf, "application/pdf")
    mail_send(messages=[message])
