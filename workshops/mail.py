"""The site's e-mail: how every message is built and sent, and what a failure means.

Every message the site sends is automatic (`Auto-Submitted: auto-generated`, RFC 3834, so that
out-of-office replies stay away), names its language (`Content-Language`) and carries a
`Message-ID` on the site's own domain (`SITE_DOMAIN`), not the machine's host name. A subject
is always one line: a line break in a workshop's title would otherwise make the mail library
refuse the header.

`mail_send` and `mail_connection_open` (one connection for a batch; nothing else opens the
mailer) never fail silently and never let an error through as a crash: anything that
stops a message (a refused connection, a timeout, an SMTP error, a misconfigured backend, a
backend that accepted nothing) is raised as `MailNotSent`, which each caller turns into a
clear message for the person or a recorded error for the organiser. A message is only ever
reported sent when the mailer took it.
"""

import logging

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, InvalidMailer, make_msgid
from django.utils.translation import gettext

from .text import one_line

logger = logging.getLogger(__name__)

# What a mailer raises when a message cannot leave: smtplib's errors, refused connections,
# timeouts and TLS failures are all OSError; a backend that cannot be built raises InvalidMailer
# (or ImproperlyConfigured for the old settings).
MAIL_ERRORS = (OSError, InvalidMailer, ImproperlyConfigured)


class NothingAccepted(Exception):
    """The mailer raised nothing but did not take the message either (it returned 0)."""

    def __str__(self) -> str:
        return "the mailer accepted no message"


class MailNotSent(Exception):
    """A message did not leave. `error` is what the mailer raised (kept for the log and the organiser)."""

    def __init__(self, error: BaseException):
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error


def mail_message(*, subject: str, body: str, to: list[str], language: str, html: str | None = None):
    """One automatic e-mail in `language`: plain text, and HTML too when given. Nothing is sent yet."""
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=body,
        to=to,
        headers={
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
            "Message-ID": make_msgid(domain=settings.SITE_DOMAIN),
        },
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def mail_connection_open():
    """The default mailer, built and connected, for sending several messages through one connection.

    Raises `MailNotSent` (the error logged with its traceback) when the mailer cannot be built
    (misconfigured) or cannot connect, as `mail_send` does. The caller closes the connection.
    """
    try:
        connection = mail.mailers.default
        connection.open()
    except MAIL_ERRORS as error:
        logger.exception("E-mail connection not opened")
        raise MailNotSent(error) from error
    return connection


def mail_send(*, messages: list[EmailMultiAlternatives], connection=None) -> None:
    """Send `messages` through `connection` (the default mailer when None); return only when all were taken.

    Raises `MailNotSent` when the mailer cannot be built, cannot connect, raises, or takes fewer
    messages than it was given; the error is logged with its traceback.
    """
    try:
        if connection is None:
            connection = mail.mailers.default
        accepted = connection.send_messages(messages)
        if accepted != len(messages):
            raise NothingAccepted
    except (*MAIL_ERRORS, NothingAccepted) as error:
        logger.exception("E-mail not sent to %s", ", ".join(address for m in messages for address in m.to))
        raise MailNotSent(error) from error


# Why a message did not leave, in words an organiser can act on, by the error's class name (the
# invitation records keep "ClassName: detail", so the reason can be shown in the reader's language).
_REASONS = {
    "SMTPRecipientsRefused": lambda: gettext("The mail server refused this address."),
    "SMTPAuthenticationError": lambda: gettext(
        "The mail server refused the site's user name or password (EMAIL_HOST_USER, EMAIL_HOST_PASSWORD)."
    ),
    "SMTPSenderRefused": lambda: gettext("The mail server refused the sender's address (DEFAULT_FROM_EMAIL)."),
    "InvalidMailer": lambda: gettext("The e-mail settings are wrong (EMAIL_BACKEND and its options)."),
    "ImproperlyConfigured": lambda: gettext("The e-mail settings are wrong (EMAIL_BACKEND and its options)."),
    "NothingAccepted": lambda: gettext("The mail backend took no e-mail and gave no reason."),
}
_UNREACHABLE = {
    "ConnectionRefusedError",
    "ConnectionResetError",
    "ConnectionAbortedError",
    "TimeoutError",
    "gaierror",
    "SMTPConnectError",
    "SMTPServerDisconnected",
    "OSError",
}


def mail_error_reason(error_text: str) -> str:
    """What an error recorded as "ClassName: detail" means for whoever runs the site, in the active language."""
    name = (error_text or "").split(":", 1)[0].strip()
    if name in _REASONS:
        return _REASONS[name]()
    if name in _UNREACHABLE:
        return gettext("The mail server could not be reached or stopped answering (EMAIL_HOST, EMAIL_PORT).")
    return gettext("The mail server did not take the e-mail.")
