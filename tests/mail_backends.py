"""E-mail backends for the tests: one that fails as a real mail server does, one that is slow."""

import os
import smtplib
import time
from html.parser import HTMLParser

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

ERRORS = {
    "smtp": lambda: smtplib.SMTPDataError(451, b"4.3.0 Mail server temporarily rejected message"),
    "refused": lambda: ConnectionRefusedError(111, "Connection refused"),
    "auth": lambda: smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid"),
}


class FailingBackend(BaseEmailBackend):
    """Raises `error` (a key of ERRORS) on every send, and counts the attempts."""

    attempts = 0

    def __init__(self, *, error="smtp", **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def send_messages(self, email_messages):
        type(self).attempts += 1
        raise ERRORS[self.error]()


class AcceptsNothingBackend(BaseEmailBackend):
    """Raises nothing and takes nothing, as a backend with fail_silently does when the server is down."""

    def send_messages(self, email_messages):
        return 0


class SlowBackend(LocmemBackend):
    """The local-memory backend, taking `delay` seconds per message as a distant SMTP server does."""

    def __init__(self, *, delay=0.3, **kwargs):
        super().__init__(**kwargs)
        self.delay = delay

    def send_messages(self, messages):
        for _message in messages:
            time.sleep(self.delay)
        return super().send_messages(messages)


class SlowFileBackend(FileBackend):
    """The file backend writing to $EMAIL_FILE_PATH, taking 0.3 s per message: for servers run by a test.

    A request that sends mail then holds its worker long enough that requests sent at the same
    time are taken by the other workers, whatever the machine's load.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("file_path", os.environ["EMAIL_FILE_PATH"])
        super().__init__(**kwargs)

    def send_messages(self, messages):
        time.sleep(0.3 * len(messages))
        return super().send_messages(messages)


class HtmlHead(HTMLParser):
    """Reads an e-mail's HTML part for its <html lang> and <title>."""

    def __init__(self):
        super().__init__()
        self.lang, self.title, self._in_title = None, "", False

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def closed_port() -> int:
    """A TCP port on 127.0.0.1 where nothing listens: connecting to it is refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_mailer(settings, backend: str, **options) -> None:
    """Make `backend` (a class of this module, or a dotted path) the default mailer, with `options`."""
    path = backend if "." in backend else f"tests.mail_backends.{backend}"
    settings.MAILERS = {"default": {"BACKEND": path, "OPTIONS": options}}


def use_refused_smtp(settings) -> None:
    """Django's real SMTP backend, pointed at a closed port on this machine."""
    use_mailer(settings, "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=closed_port(), timeout=5)
