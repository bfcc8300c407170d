"""Lost my link: e-mail a one-time link to an address, without telling anyone whether it is registered.

Every request that passes the rate limit sends exactly one e-mail to the address typed: to a
registered address its one-time links (one per workshop it is registered in), to any other
address a note that no workshop has it. So the page, the time it takes (one message through the
same mailer either way) and a mail-server failure (tried either way) are the same whoever asks.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .access import lost_link_path
from .mail import mail_message, mail_send, one_line
from .models import Facilitator, Participant


def lost_link_send(*, email: str, base_url: str, language: str) -> None:
    """Send `email` one message: its one-time links if it is registered, otherwise a note that it is not.

    A registered address gets its message in the language of its most recent registration; any
    other address in `language` (the page's). Returns once the mailer took the message; raises
    `workshops.mail.MailNotSent` otherwise (for a registered address or not alike).
    """
    people = sorted(
        [
            *Participant.objects.filter(email__iexact=email).select_related("workshop"),
            *Facilitator.objects.filter(email__iexact=email).select_related("workshop"),
        ],
        key=lambda person: (person.workshop.start_date, person.workshop.pk),
        reverse=True,
    )
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
                    "link": base_url + lost_link_path(person=person),
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
