"""An announcement by e-mail: to each person it is for, in their preferred language, off the request.

`announcement_email_start` queues `announcement_email_task` once the announcement is committed; the
task claims the announcement (`emailed_at` set from empty: at most one sending, even if queued twice),
sends one message per person through one connection, and records how many left and how many did not
(a refused address fails alone; any other mail failure stops the run, the rest counted as not sent).
`announcement_email_task`'s import path is stored in queued rows (django-tasks-db): keep it.
"""

import logging
import smtplib

from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .announcements import announcement_recipients
from .jobs import task_enqueue
from .mail import MailNotSent, mail_connection_open, mail_message, mail_send
from .models import Announcement

logger = logging.getLogger(__name__)


def announcement_email_start(*, announcement: Announcement) -> None:
    """Queue the e-mail of an announcement asked to go by e-mail (nothing for one that is not)."""
    if announcement.by_email:
        task_enqueue(task=announcement_email_task, announcement_id=announcement.pk)


@task
def announcement_email_task(announcement_id: int) -> int:
    return announcement_email_send(announcement_id=announcement_id)


def announcement_email_send(*, announcement_id: int) -> int:
    """Send the announcement to everyone it is for who has an address, each in their preferred language
    (the message in English where it has no text in theirs). Returns how many were sent; 0 when it
    was sent already, withdrawn meanwhile, or not to go by e-mail."""
    claimed = Announcement.objects.filter(
        pk=announcement_id, by_email=True, emailed_at__isnull=True, withdrawn_at__isnull=True
    ).update(emailed_at=timezone.now())
    if not claimed:
        return 0
    announcement = Announcement.objects.select_related("workshop").get(pk=announcement_id)
    participants, facilitators = announcement_recipients(announcement=announcement)
    people = [
        *participants.exclude(email="").only("email", "name", "preferred_language").order_by("pk"),
        *facilitators.exclude(email="").only("email", "name", "preferred_language").order_by("pk"),
    ]
    sent = failed = 0
    connection = None
    try:
        for index, person in enumerate(people):
            try:
                if connection is None:
                    connection = mail_connection_open()
                mail_send(messages=[_message(announcement, person)], connection=connection)
            except MailNotSent as failure:
                failed += 1
                if isinstance(failure.error, smtplib.SMTPRecipientsRefused):
                    continue
                failed += len(people) - index - 1  # the server is down or refuses us: the rest cannot go either
                break
            sent += 1
    finally:
        if connection is not None:
            connection.close()
        Announcement.objects.filter(pk=announcement_id).update(
            emailed_count=F("emailed_count") + sent, email_failed_count=F("email_failed_count") + failed
        )
    return sent


def _message(announcement: Announcement, person):
    language = person.preferred_language or "en"
    with translation.override(language):
        workshop = announcement.workshop
        context = {"person": person, "workshop": workshop, "message": announcement.message}
        return mail_message(
            subject=gettext("Announcement: %(workshop)s") % {"workshop": workshop.title},
            body=render_to_string("workshops/email/announcement.txt", context),
            to=[person.email],
            language=language,
        )
