"""Invitations: every participant and facilitator gets their personal link by e-mail, in their language.

A batch is a set of `Invitation` rows sharing one `batch` id, created in one transaction and
sent by a background task (Django's tasks framework), started off the request whatever the backend
(`workshops.jobs.task_enqueue`: a thread with the immediate one). Before an e-mail leaves, its row is
claimed with a conditional UPDATE (queued → sending), so two runs of the same batch (a retry,
a second worker, a double click) never send anyone two copies: a row is e-mailed at most once,
ever. An error part-way stops the run and leaves the rest queued; resuming the batch sends only
what was not sent.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .access import link_expires_at, personal_link_url
from .jobs import task_enqueue
from .mail import MailNotSent, mail_connection_open, mail_error_reason, mail_message, mail_send
from .models import Facilitator, Invitation, Participant, Workshop
from .text import one_line

logger = logging.getLogger(__name__)

Status = Invitation.Status
Kind = Invitation.Kind

# A row still "sending" this long after it was claimed belongs to a run that died mid-send: the
# e-mail may or may not have left, so it is never sent again automatically (resend by hand).
INTERRUPTED_AFTER = timedelta(minutes=10)
# Statuses that mean "this person has been (or is being) sent their link".
INVITED = (Status.QUEUED, Status.SENDING, Status.SENT)


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Participants and facilitators")
    PARTICIPANTS = "participants", _("Participants only")
    FACILITATORS = "facilitators", _("Facilitators only")


class Selection(models.TextChoices):
    NOT_INVITED = "not_invited", _("Only people who have not been sent their link yet")
    UNOPENED = "unopened", _("Only people who have never opened their link (a reminder)")
    ALL = "all", _("Everyone, again")


class BatchExists(Exception):
    """This batch id was used already (the same form submitted twice): nothing more was queued."""


def _people(*, workshop: Workshop, audience: str) -> list[models.QuerySet]:
    querysets = []
    if audience in (Audience.EVERYONE, Audience.FACILITATORS):
        querysets.append(Facilitator.objects.filter(workshop=workshop))
    if audience in (Audience.EVERYONE, Audience.PARTICIPANTS):
        querysets.append(Participant.objects.filter(workshop=workshop))
    return querysets


def _invitations_of(model, *, statuses) -> Exists:
    field = "participant" if model is Participant else "facilitator"
    return Exists(Invitation.objects.filter(**{field: OuterRef("pk")}, status__in=statuses))


def invitation_batch_create(
    *, workshop: Workshop, audience: str, selection: str, batch: uuid.UUID, user=None, base_url: str
) -> int:
    """Queue one invitation per chosen person, in one transaction, and start sending them in the background.

    `batch` comes from the form, so the same form submitted twice raises `BatchExists` and queues
    nothing more. People with an invitation already queued or being sent are skipped in every
    selection. Returns how many invitations were queued.
    """
    if Invitation.objects.filter(batch=batch).exists():
        raise BatchExists
    rows = []
    for queryset in _people(workshop=workshop, audience=audience):
        model = queryset.model
        queryset = queryset.annotate(
            in_flight=_invitations_of(model, statuses=(Status.QUEUED, Status.SENDING)),
            was_sent=_invitations_of(model, statuses=(Status.SENT,)),
        ).filter(in_flight=False)
        if selection == Selection.NOT_INVITED:
            queryset = queryset.filter(was_sent=False)
        elif selection == Selection.UNOPENED:
            queryset = queryset.filter(link_opened_at__isnull=True)
        for person in queryset.order_by("name", "pk"):
            rows.append(
                _row(
                    person=person,
                    workshop=workshop,
                    batch=batch,
                    user=user,
                    # A reminder only for someone who was sent their link before and never opened it.
                    kind=Kind.REMINDER if selection == Selection.UNOPENED and person.was_sent else Kind.INVITATION,
                )
            )
    return _queue(rows=rows, workshop=workshop, batch=batch, base_url=base_url)


def invitation_resend(*, person: Participant | Facilitator, batch: uuid.UUID, user=None, base_url: str) -> int:
    """Send one person their link again, as a new invitation (the earlier records stay as they were).

    `batch` comes from the page the organiser clicked on: a double click queues one e-mail, not two.
    """
    row = _row(person=person, workshop=person.workshop, batch=batch, user=user, kind=Kind.INVITATION)
    return _queue(rows=[row], workshop=person.workshop, batch=batch, base_url=base_url)


def _row(*, person, workshop, batch, user, kind) -> Invitation:
    return Invitation(
        workshop=workshop,
        participant=person if isinstance(person, Participant) else None,
        facilitator=person if isinstance(person, Facilitator) else None,
        kind=kind,
        language=person.preferred_language,
        to_email=person.email,
        batch=batch,
        created_by=user,
    )


def _queue(*, rows: list[Invitation], workshop: Workshop, batch: uuid.UUID, base_url: str) -> int:
    if Invitation.objects.filter(batch=batch).exclude(workshop=workshop).exists():
        raise BatchExists  # another workshop's batch id: never mix the two
    try:
        with transaction.atomic():
            Invitation.objects.bulk_create(rows, batch_size=500)
            task_enqueue(task=invitation_batch_task, batch=str(batch), base_url=base_url)
    except IntegrityError as error:
        raise BatchExists from error  # the unique (batch, person) constraints: submitted twice
    return len(rows)


def invitation_batch_resume(*, workshop: Workshop, batch: uuid.UUID, base_url: str) -> int:
    """Queue the batch's failed invitations again and send everything still waiting.

    Sent invitations, and those interrupted while sending (they may have arrived), are never sent
    again. Returns how many failed invitations were queued again.
    """
    with transaction.atomic():
        now = timezone.now()
        requeued = Invitation.objects.filter(workshop=workshop, batch=batch, status=Status.FAILED).update(
            status=Status.QUEUED, error="", stopped_run=False, queued_at=now
        )
        # Handed to the queue again: a worker gets another `TASKS_QUEUE_WAIT_SECONDS` to take it.
        Invitation.objects.filter(workshop=workshop, batch=batch, status=Status.QUEUED).update(queued_at=now)
        task_enqueue(task=invitation_batch_task, batch=str(batch), base_url=base_url)
    return requeued


def _claim(pk: int) -> bool:
    """Take one queued invitation for sending; False when another run took it (or it was sent) already."""
    return bool(
        Invitation.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.SENDING, attempted_at=timezone.now()
        )
    )


def invitation_batch_send(*, batch: uuid.UUID | str, base_url: str) -> dict:
    """Send every queued invitation of the batch, each at most once, through the default mailer.

    An address the mail server refuses fails alone and the run goes on. Any other error (the
    server is down, the connection dropped, the mailer is misconfigured, the backend took nothing)
    fails that invitation with its reason and stops the run: the rest stay queued for
    `invitation_batch_resume`. An invitation is marked sent only once the mailer took it.
    Returns the batch's counts.
    """
    pending = list(
        Invitation.objects.filter(batch=batch, status=Status.QUEUED).order_by("pk").values_list("pk", flat=True)
    )
    connection = None
    try:
        for pk in pending:
            if not _claim(pk):
                continue
            invitation = Invitation.objects.select_related(
                "workshop", "participant__workshop", "facilitator__workshop"
            ).get(pk=pk)
            try:
                message = invitation_message(invitation=invitation, base_url=base_url)
                if connection is None:
                    # Opened here, not before the loop: a misconfigured or unreachable mailer fails
                    # this invitation with its reason (the organiser sees why) instead of leaving
                    # the batch waiting.
                    connection = mail_connection_open()
                mail_send(messages=[message], connection=connection)  # raises unless the mailer took it
            except MailNotSent as failure:
                refused = isinstance(failure.error, smtplib.SMTPRecipientsRefused)
                _fail(invitation, failure.error, stops_run=not refused)
                if refused:
                    continue
                break
            except Exception as error:  # whatever it was, it is recorded on the row; the rest wait for a resume
                logger.exception("Invitation %s not sent; the batch stops", pk)
                _fail(invitation, error, stops_run=True)
                break
            Invitation.objects.filter(pk=pk, status=Status.SENDING).update(
                status=Status.SENT,
                sent_at=timezone.now(),
                error="",
                to_email=invitation.to_email,
                language=invitation.language,
            )
    finally:
        if connection is not None:
            connection.close()
    return invitation_batch_counts(batch=batch)


def _fail(invitation: Invitation, error: Exception, *, stops_run: bool) -> None:
    text = f"{type(error).__name__}: {error}"[:1000]
    Invitation.objects.filter(pk=invitation.pk, status=Status.SENDING).update(
        status=Status.FAILED, error=text, stopped_run=stops_run
    )


@task
def invitation_batch_task(batch: str, base_url: str) -> dict:
    return invitation_batch_send(batch=batch, base_url=base_url)


def invitation_message(*, invitation: Invitation, base_url: str) -> EmailMultiAlternatives:
    """The e-mail of one invitation, in its person's language now: plain text and HTML.

    Uses the person's current address and language (corrected since the batch was queued, for
    instance after a refused address) and records them on the invitation.
    """
    person = invitation.person
    invitation.to_email = person.email
    invitation.language = person.preferred_language
    with translation.override(invitation.language):  # the link opens in their language (/es/link/...)
        link = personal_link_url(person=person, base_url=base_url)
    content = invitation_content(
        workshop=invitation.workshop,
        person=person,
        language=invitation.language,
        is_facilitator=invitation.facilitator_id is not None,
        is_reminder=invitation.kind == Kind.REMINDER,
        link=link,
        base_url=base_url,
    )
    return mail_message(
        subject=content["subject"],
        body=content["text"],
        html=content["html"],
        to=[person.email],
        language=invitation.language,
    )


def invitation_content(
    *,
    workshop: Workshop,
    person: Participant | Facilitator,
    language: str,
    is_facilitator: bool,
    is_reminder: bool,
    link: str,
    base_url: str,
    is_test: bool = False,
) -> dict:
    """An invitation's subject, plain text and HTML in `language`, with the organiser's own message
    in that language (English when it has none). The one place an invitation is written: sent,
    previewed (`workshops.invitation_preview`) and sent as a test alike."""
    with translation.override(language):
        last_day = (link_expires_at(person=person) - timedelta(days=1)).date()
        context = {
            "language": language,
            "person": person,
            "is_facilitator": is_facilitator,
            "is_reminder": is_reminder,
            "is_test": is_test,
            "workshop": workshop,
            "dates": _dates(workshop),
            # The translated field reads this language's, or English when it is empty.
            "own_message": (workshop.invitation_note or "").strip(),
            "link": link,
            "lost_link": base_url.rstrip("/") + reverse("workshops:lost_link"),
            "valid_until": date_format(last_day, "DATE_FORMAT"),
        }
        if is_reminder:
            subject = gettext("Reminder: your personal link for %(workshop)s")
        else:
            subject = gettext("Your personal link for %(workshop)s")
        subject = subject % {"workshop": workshop.title}
        if is_test:
            subject = gettext("Test: %(subject)s") % {"subject": subject}
        context["subject"] = one_line(subject)
        return {
            "subject": context["subject"],
            "text": render_to_string("workshops/email/invitation.txt", context),
            "html": render_to_string("workshops/email/invitation.html", context),
        }


def _dates(workshop: Workshop) -> str:
    if workshop.start_date == workshop.end_date:
        return date_format(workshop.start_date, "DATE_FORMAT")
    return gettext("%(start)s to %(end)s") % {
        "start": date_format(workshop.start_date, "DATE_FORMAT"),
        "end": date_format(workshop.end_date, "DATE_FORMAT"),
    }


# Reads


def _counts(queryset) -> dict:
    cutoff = timezone.now() - INTERRUPTED_AFTER
    counts = queryset.aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(status=Status.QUEUED)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        interrupted=Count("pk", filter=Q(status=Status.SENDING, attempted_at__lt=cutoff)),
        stopped=Count("pk", filter=Q(status=Status.FAILED, stopped_run=True)),
        last_queued=Max("queued_at"),
        last_attempted=Max("attempted_at"),
    )
    # Finished: nothing is being sent by a live run, and nothing waits unless an error stopped the run.
    stopped = counts.pop("stopped") > 0
    counts["stopped"] = stopped
    counts["finished"] = (counts["queued"] == 0 or stopped) and counts["sending"] == counts["interrupted"]
    counts["no_worker"] = _no_worker(
        waiting=counts["queued"] if not stopped else 0,
        sending=counts["sending"] - counts["interrupted"],
        last_queued=counts.pop("last_queued"),
        last_attempted=counts.pop("last_attempted"),
    )
    return counts


def _no_worker(*, waiting: int, sending: int, last_queued, last_attempted) -> bool:
    """E-mails wait (not stopped by an error), none is being sent, and nothing was queued or claimed for
    `TASKS_QUEUE_WAIT_SECONDS`: no worker took the batch (TASKS_BACKEND=database without `db_worker`).

    Said, never acted on: the e-mails stay queued, and go out once a worker runs.
    """
    last_activity = max(filter(None, (last_queued, last_attempted)), default=None)
    waited = timezone.now() - timedelta(seconds=settings.TASKS_QUEUE_WAIT_SECONDS)
    return bool(waiting and not sending and last_activity is not None and last_activity < waited)


def invitation_batch_counts(*, batch: uuid.UUID | str, workshop: Workshop | None = None) -> dict:
    """How many of the batch's invitations wait, are being sent, were sent, failed, were interrupted.

    Also whether it is `finished`, `stopped` at an error, and whether no worker has taken it
    (`no_worker`: still waiting `TASKS_QUEUE_WAIT_SECONDS` after it was queued, nothing claimed).
    """
    queryset = Invitation.objects.filter(batch=batch)
    if workshop is not None:
        queryset = queryset.filter(workshop=workshop)
    return _counts(queryset)


def invitation_batch_rows(*, workshop: Workshop, batch: uuid.UUID, page: str | int | None = 1, per_page: int = 100):
    """One page of the batch's invitations with their people, in sending order (a Django `Page`).

    Each has `.interrupted`, and `.reason`: why it failed, in the reader's language ("" if it did not).
    Two queries (the count and the page) whatever the size of the batch.
    """
    queryset = (
        Invitation.objects.filter(workshop=workshop, batch=batch)
        .select_related("participant", "facilitator", "created_by")
        .order_by("pk")
    )
    rows = Paginator(queryset, per_page).get_page(page)
    _explain(rows)
    return rows


def invitation_batch_stops(*, workshop: Workshop, batch: uuid.UUID) -> list[Invitation]:
    """The failures that stopped the batch's sending (at most a few), with `.reason`."""
    rows = list(
        Invitation.objects.filter(workshop=workshop, batch=batch, status=Status.FAILED, stopped_run=True).order_by(
            "pk"
        )[:5]
    )
    _explain(rows)
    return rows


def _explain(rows) -> None:
    cutoff = timezone.now() - INTERRUPTED_AFTER
    for row in rows:
        row.interrupted = row.status == Status.SENDING and row.attempted_at is not None and row.attempted_at < cutoff
        row.reason = mail_error_reason(row.error) if row.error else ""


def invitation_batches(*, workshop: Workshop, limit: int = 20) -> list[dict]:
    """The workshop's most recent batches with their counts, newest first; `no_worker` as in the batch's counts."""
    cutoff = timezone.now() - INTERRUPTED_AFTER
    batches = list(
        Invitation.objects.filter(workshop=workshop)
        .values("batch")
        .annotate(
            created=Min("created_at"),
            total=Count("pk"),
            queued=Count("pk", filter=Q(status__in=(Status.QUEUED, Status.SENDING))),
            sent=Count("pk", filter=Q(status=Status.SENT)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            waiting=Count("pk", filter=Q(status=Status.QUEUED)),
            sending_live=Count("pk", filter=Q(status=Status.SENDING, attempted_at__gte=cutoff)),
            stopped=Count("pk", filter=Q(status=Status.FAILED, stopped_run=True)),
            last_queued=Max("queued_at"),
            last_attempted=Max("attempted_at"),
        )
        .order_by("-created")[:limit]
    )
    for batch in batches:
        waiting, stopped = batch.pop("waiting"), batch.pop("stopped")
        batch["no_worker"] = _no_worker(
            waiting=0 if stopped else waiting,
            sending=batch.pop("sending_live"),
            last_queued=batch.pop("last_queued"),
            last_attempted=batch.pop("last_attempted"),
        )
    return batches


def _latest(model, field: str):
    latest = Invitation.objects.filter(**{model._meta.model_name: OuterRef("pk")}).order_by("-created_at", "-pk")
    return Subquery(latest.values(field)[:1])


def invitation_people(
    *, workshop: Workshop, unopened_only: bool = False, search: str = "", page=1, facilitators_page=1, per_page=100
) -> dict:
    """Facilitators and participants, each with their latest invitation (status, time) and whether
    they have opened their link: one page (a Django `Page`) of each, found by name or e-mail
    (`search`). Four queries (a count and a page of each) whatever the size."""
    result = {}
    pages = {"facilitators": facilitators_page, "participants": page}
    for key, model in (("facilitators", Facilitator), ("participants", Participant)):
        queryset = model.objects.filter(workshop=workshop).annotate(
            last_status=_latest(model, "status"),
            last_sent_at=_latest(model, "sent_at"),
            last_created_at=_latest(model, "created_at"),
            last_error=_latest(model, "error"),
        )
        if unopened_only:
            queryset = queryset.filter(link_opened_at__isnull=True)
        if search.strip():
            queryset = queryset.filter(Q(name__icontains=search.strip()) | Q(email__icontains=search.strip()))
        if model is Participant:
            queryset = queryset.select_related("group")
        people = Paginator(queryset.order_by("name", "pk"), per_page).get_page(pages[key])
        labels = dict(Status.choices)
        for person in people:
            person.last_status_label = labels.get(person.last_status, "")
            person.reference = f"{model._meta.model_name}:{person.pk}"
        result[key] = people
    return result


def invitation_summary(*, workshop: Workshop) -> dict:
    """How many participants and facilitators there are, were sent their link, and opened it."""
    summary = {}
    for key, model in (("facilitators", Facilitator), ("participants", Participant)):
        summary[key] = model.objects.filter(workshop=workshop).aggregate(
            total=Count("pk"),
            sent=Count("pk", filter=Exists(_sent_to(model))),
            opened=Count("pk", filter=Q(link_opened_at__isnull=False)),
        )
        summary[key]["unopened"] = summary[key]["total"] - summary[key]["opened"]
    return summary


def _sent_to(model):
    return Invitation.objects.filter(**{model._meta.model_name: OuterRef("pk")}, status=Status.SENT)


def person_of_workshop(*, workshop: Workshop, reference: str) -> Participant | Facilitator | None:
    """The participant or facilitator named "participant:12" / "facilitator:3", if of this workshop."""
    kind, _sep, pk = (reference or "").partition(":")
    model = {"participant": Participant, "facilitator": Facilitator}.get(kind)
    if model is None or not pk.isdigit():
        return None
    return model.objects.select_related("workshop").filter(workshop=workshop, pk=int(pk)).first()
