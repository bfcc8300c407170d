"""Every Django e-mail backend works by setting EMAIL_BACKEND alone, through the real settings.

Each test starts `manage.py shell` in a subprocess with the production settings (`config.settings`,
not the test settings, which replace MAILERS), so what is checked is what a deployment gets.
"""

import os
import socket
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SEND = (
    "from django.core import mail\n"
    "from django.core.mail import EmailMessage\n"
    "message = EmailMessage('Subject mail-settings-check', 'Body of the check', 'workshops@example.org', ['ana@example.org'])\n"
    "print('SENT', mail.mailers.default.send_messages([message]), type(mail.mailers.default).__module__)\n"
    "print('OUTBOX', len(getattr(mail, 'outbox', [])))\n"
)


def run_send(**variables) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="mail-settings-test-" + "x" * 40, DEBUG="0")
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-W", "error", "manage.py", "shell", "--no-imports", "-c", SEND],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def sent_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("SENT "))


def test_mail_settings_console_backend_prints_the_message():
    result = run_send(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert sent_line(result) == "SENT 1 django.core.mail.backends.console"
    assert "Subject: Subject mail-settings-check" in result.stdout


def test_mail_settings_locmem_backend_keeps_the_message():
    result = run_send(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    assert sent_line(result) == "SENT 1 django.core.mail.backends.locmem"
    assert "OUTBOX 1" in result.stdout.splitlines()


def test_mail_settings_dummy_backend_accepts_the_message():
    result = run_send(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    assert sent_line(result) == "SENT 1 django.core.mail.backends.dummy"


def test_mail_settings_file_backend_writes_to_email_file_path(tmp_path):
    folder = tmp_path / "mail"
    result = run_send(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(folder))
    assert sent_line(result) == "SENT 1 django.core.mail.backends.filebased"
    files = list(folder.iterdir())
    assert len(files) == 1
    assert b"Subject: Subject mail-settings-check" in files[0].read_bytes()


def test_mail_settings_file_backend_alone_writes_to_the_sent_mail_folder():
    folder = BASE_DIR / "sent-mail"
    before = set(folder.iterdir()) if folder.exists() else set()
    result = run_send(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")
    try:
        assert sent_line(result) == "SENT 1 django.core.mail.backends.filebased"
        new = set(folder.iterdir()) - before
        assert len(new) == 1
        assert b"Subject: Subject mail-settings-check" in new.pop().read_bytes()
    finally:
        for path in set(folder.iterdir()) - before if folder.exists() else ():
            path.unlink()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of an SMTP server to accept one message (RFC 5321's happy path)."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost test SMTP")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 localhost")
            elif command == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append(data)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_mail_settings_smtp_backend_uses_email_host_and_port(smtp_server):
    result = run_send(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.server_address[1]),
    )
    assert sent_line(result) == "SENT 1 django.core.mail.backends.smtp"
    assert len(smtp_server.messages) == 1
    assert b"Subject: Subject mail-settings-check" in smtp_server.messages[0]


def test_mail_settings_smtp_is_the_default_without_debug(smtp_server):
    result = run_send(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_server.server_address[1]))
    assert sent_line(result) == "SENT 1 django.core.mail.backends.smtp"
    assert len(smtp_server.messages) == 1


def test_mail_settings_smtp_refused_connection_raises():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_send(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port)
    )
    assert result.returncode == 1
    assert "ConnectionRefusedError" in result.stderr


def site_domain(**variables) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "DJANGO_", "SITE_", "ALLOWED_HOSTS"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="mail-settings-test-" + "x" * 40, DEBUG="0")
    env.update(variables)
    code = "from django.conf import settings; print(settings.SITE_DOMAIN)"
    result = subprocess.run(
        [sys.executable, "-W", "error", "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_mail_settings_site_domain_from_the_environment_or_allowed_hosts():
    assert site_domain(SITE_DOMAIN="workshops.example.org") == "workshops.example.org"
    assert site_domain(ALLOWED_HOSTS="10.0.0.5,[::1],.events.example.org,www.example.org") == "events.example.org"
    assert site_domain(ALLOWED_HOSTS="10.0.0.5,*") == "localhost"
    assert site_domain() == "localhost"  # the development default hosts
