"""Races over real HTTP on the importer: the same import applied twice at once.

The harness (browsers, forcing the interleavings) is `live.py`; why and how, in its docstring.
SQLite runs one writer at a time, so these races cannot happen there: the tests are skipped.
"""

import re
import urllib.parse
from dataclasses import dataclass

import pytest
from django.core import signing
from django.urls import reverse

from organise.views.imports import SUMMARY_SALT
from tests import factories
from tests.concurrency.live import (
    FIXTURES,
    Browser,
    Hold,
    Reply,
    blocked_on_a_lock,
    finished,
    held_then,
    organiser_browser,
)
from workshops.imports import resources as import_resources
from workshops.imports import services as import_services
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db(transaction=True)


# --- (4) the same import applied twice at once --------------------------------------------------


@dataclass
class Importing:
    workshop: Workshop
    browser: Browser  # one organiser, two tabs
    content: bytes

    def upload(self) -> str:
        """Upload the file (a tab's own preview); the signed token its "Apply" button sends."""
        reply = self.browser.post_file(
            reverse("organise:import", args=[self.workshop.slug]),
            {"kind": "auto"},
            name="file",
            filename="registro_es.csv",
            content=self.content,
        )
        assert reply.status == 302, reply.body[:1000]
        return urllib.parse.parse_qs(urllib.parse.urlsplit(reply.location).query)["token"][0]

    def apply(self, token: str):
        path = reverse("organise:import_apply", args=[self.workshop.slug])
        return lambda: self.browser.post_form(path, {"token": token})

    def done(self, reply: Reply) -> dict:
        """The counts the "Imported" page shows, checked against the summary it was given."""
        assert reply.status == 302, (reply.status, reply.body[:1000])
        summary = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.location).query)["summary"][0]
        page = self.browser.message_after(reply)
        shown = {
            key: int(re.search(rf'id="done-{key}">(\d+) ', page).group(1)) for key in ("new", "update", "unchanged")
        }
        assert shown == {key: signing.loads(summary, salt=SUMMARY_SALT)[key] for key in shown}
        return shown

    def people(self):
        return list(Participant.objects.filter(workshop=self.workshop).values_list("email", flat=True))


FILE_ROWS = 6  # people in registro_es.csv


@pytest.fixture
def importing(server):
    organiser = factories.user()
    workshop = factories.workshop(organisers=[organiser])
    return Importing(workshop, organiser_browser(server, organiser), (FIXTURES / "registro_es.csv").read_bytes())


def hold_after_reading_who_is_there(monkeypatch, hold: Hold):
    """Hold the first import inside its transaction, after it read the workshop's people, before it inserts."""
    real = import_resources.ParticipantResource.before_import

    def before_import(self, dataset, **kwargs):
        real(self, dataset, **kwargs)
        hold.pause()

    monkeypatch.setattr(import_resources.ParticipantResource, "before_import", before_import)


def test_the_same_file_applied_from_two_tabs_at_once_the_second_waits_and_finds_everyone(importing, monkeypatch, hold):
    tokens = importing.upload(), importing.upload()
    hold_after_reading_who_is_there(monkeypatch, hold)

    first, second = held_then(
        importing.apply(tokens[0]), importing.apply(tokens[1]), hold=hold, until=blocked_on_a_lock
    )

    assert importing.done(first) == {"new": FILE_ROWS, "update": 0, "unchanged": 0}
    assert importing.done(second) == {"new": 0, "update": 0, "unchanged": FILE_ROWS}  # nothing new, no error
    emails = importing.people()
    assert len(emails) == FILE_ROWS and len({email.lower() for email in emails}) == FILE_ROWS


def test_one_preview_applied_twice_at_once_the_second_finds_it_claimed(importing, monkeypatch, hold):
    """A double click on "Apply": the same token twice. The second request answers while the first still runs."""
    token = importing.upload()
    hold_after_reading_who_is_there(monkeypatch, hold)

    first, second = held_then(importing.apply(token), importing.apply(token), hold=hold, until=finished)

    assert second.status == 400
    assert "This preview has expired or was already applied: upload the file again." in second.body
    assert importing.done(first) == {"new": FILE_ROWS, "update": 0, "unchanged": 0}
    assert len(importing.people()) == FILE_ROWS


def test_control_without_the_workshop_lock_the_second_import_is_refused_whole(importing, monkeypatch, hold):
    """The same two tabs, with `imports.services._workshop_lock` patched out and the first import held at the same point.

    The second does not wait: it reads nobody, inserts everyone and commits. The first, released,
    read nobody too; its insert hits the unique e-mail constraint and it is refused whole (409,
    the preview again with the database's error). No duplicates, but an organiser's import failed
    for nothing; with the lock it would have succeeded and reported everyone unchanged.
    """
    monkeypatch.setattr(import_services, "_workshop_lock", lambda workshop: None)
    tokens = importing.upload(), importing.upload()
    hold_after_reading_who_is_there(monkeypatch, hold)

    first, second = held_then(importing.apply(tokens[0]), importing.apply(tokens[1]), hold=hold, until=finished)

    assert importing.done(second) == {"new": FILE_ROWS, "update": 0, "unchanged": 0}
    assert first.status == 409
    assert "participant_unique_email_per_workshop" in first.body  # refused by the constraint, shown on the preview
    emails = importing.people()
    assert len(emails) == FILE_ROWS and len({email.lower() for email in emails}) == FILE_ROWS
