"""Lost my link: e-mail a one-time link to an address, without telling anyone whether it is registered.

Every request that passes the rate limit sends exactly one e-mail to the address typed: to a
registered address its one-time links (one per workshop it is registered in), to any other
address a note that no workshop has it. So the page, the time it takes (one message through the
same mailer either way) and a mail-server failure (tried either way) are the same whoever asks.
Both also run the same queries: the people with that address (two reads, their logins joined)
and one counter row, so the database takes as long either way.

Notes to unknown addresses are capped site-wide (LOST_LINK_UNKNOWN_PER_HOUR): many clients, each
under its own limit, cannot make the site mail strangers in bulk. Beyond the cap an unknown
address gets no note (the page answers the same, but sooner: no mail is sent) and the log says so.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .access import one_time_link_path, person_user_ensure
from .mail import mail_message, mail_send
from .models import Facilitator, Participant
from .rate_limits import rate_limit_count
from .text import one_line

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)


def lost_link_send(*, email: str, base_url: str, language: str) -> None:
    """Send `email` one message: its one-time links if it is registered, otherwise a note that it is not.

    A registered address gets its message in the language of its most recent registration; any
    other address in `language` (the page's). Returns once the mailer took the message; raises
    `workshops.mail.MailNotSent` otherwise (for a registered address or not alike). Once the hour's
    LOST_LINK_UNKNOWN_PER_HOUR notes to unknown addresses were sent, an unknown address is sent
    nothing and this returns at once (a warning is logged the first time in the hour).
    """
    people = sorted(
        [
            *Participant.objects.filter(email__iexact=email).select_related("workshop", "user"),
            *Facilitator.objects.filter(email__iexact=email).select_related("workshop", "user"),
        ],
        key=lambda person: (person.workshop.start_date, person.workshop.pk),
        reverse=True,
    )
    # Counted for registered addresses too, so that both run the same queries.
    count = rate_limit_count(key="lost-link:sent:" + ("known" if people else "unknown"), window=WINDOW)
    cap = settings.LOST_LINK_UNKNOWN_PER_HOUR
    if not people and count > cap:
        if count == cap + 1:
            logger.warning(
                "Lost my link: %s requests for unknown addresses this hour (LOST_LINK_UNKNOWN_PER_HOUR); "
                "no more notes to unknown addresses are sent until the hour ends",
                cap,
            )
        return
    base_url = base_url.rstrip("/")
    if people:
        email, language = people[0].email, people[0].preferred_language  # the address as registered
    with translation.override(language):
        context = {
            "minutes": settings.LOST_LINK_MINUTES,
            "lost_link": base_url + reverse("workshops:lost_link"),
            "registrations": [
                {
                    "name": person.name,
                    "workshop": one_line(person.workshop.title),
                    "link": base_url + one_time_link_path(user=_login(person)),
                }
                for person in people
            ],
        }
        if not people:
            subject = gettext("Your request for a workshop link")
            template = "workshops/email/lost_link_unknown.txt"
        elif len({person.workshop_id for person in people}) == 1:
            subject = gettext("Your link for %(workshop)s") % {"workshop": people[0].workshop.title}
            template = "workshops/email/lost_link.txt"
        else:
            subject = gettext("Your links for your workshops")
            template = "workshops/email/lost_link.txt"
        message = mail_message(subject=subject, body=render_to_string(template, context), to=[email], language=language)
    mail_send(messages=[message])


def _login(person):
    """The person's login, as loaded with them. It exists from their first link on (invitation or
    lost link): creating it, once per person, is the only write a lost-link request can make."""
    return person.user if person.user_id else person_user_ensure(person=person)
