"""Offline at the venue, on the server's side: the service worker's script and which answers it may
keep as a person's offline copy (the browser's side is tests/browser/test_offline.py)."""

import json
from datetime import timedelta

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from worksheets.offline import OWNER_HEADER, offline_owner
from workshops.access import person_user_ensure, personal_link_path
from workshops.timezones import workshop_localtime

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1), timezone="America/Bogota")
    group = f.group(workshop, name="C")
    session = f.session(workshop, title="Counter-Trafficking")
    f.question(workshop, text="What is your response?")
    ana = f.participant(workshop, name="Ana", group=group)
    bo = f.participant(workshop, name="Bo", group=group)
    facilitator = f.facilitator(workshop, name="Hélène")
    f.assignment(facilitator, session, group)
    return {"workshop": workshop, "session": session, "ana": ana, "bo": bo, "facilitator": facilitator}


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302
    person.refresh_from_db()  # its login exists from the first opening


def _config(response) -> dict:
    first_line = response.content.decode().split("\n", 1)[0]
    assert first_line.startswith("self.OFFLINE = ") and first_line.endswith(";")
    return json.loads(first_line.removeprefix("self.OFFLINE = ").removesuffix(";"))


def test_service_worker_is_javascript_never_cached_and_may_control_every_page(client):
    response = client.get(reverse("service_worker"))
    assert response.status_code == 200
    assert reverse("service_worker") == "/sw.js"  # at the root: its scope covers /es/me/ too
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert 'addEventListener("fetch"' in response.content.decode()


def test_service_worker_precaches_the_pages_static_files_by_their_served_names(client):
    config = _config(client.get(reverse("service_worker")))
    assert static("css/app.css") in config["precache"]
    assert static("js/worksheet.js") in config["precache"]
    assert static("js/offline.js") in config["precache"]
    assert config["staticUrl"] == "/static/"
    assert config["staticFirst"] is False  # names without a hash (tests, DEBUG): network first
    assert len(config["version"]) == 12


def test_service_worker_caches_static_files_first_when_their_names_carry_a_hash(client, settings, monkeypatch):
    monkeypatch.setattr("worksheets.views.offline._names_are_hashed", lambda: True)
    assert _config(client.get(reverse("service_worker")))["staticFirst"] is True


@pytest.mark.parametrize("name", ["my_day", "worksheet"])
def test_participant_pages_are_marked_as_her_offline_copy(client, world, name):
    sign_in(client, world["ana"])
    args = [] if name == "my_day" else [world["session"].pk]
    response = client.get(reverse(f"worksheets:{name}", args=args))
    assert response.status_code == 200
    assert response[OWNER_HEADER] == offline_owner(user=world["ana"].user)
    assert 'data-offline-copy="live"' in response.content.decode()


@pytest.mark.parametrize("name", ["my_day", "assignment"])
def test_facilitator_pages_are_marked_as_his_offline_copy(client, world, name):
    sign_in(client, world["facilitator"])
    args = [] if name == "my_day" else [world["session"].pk]
    response = client.get(reverse(f"worksheets:{name}", args=args))
    assert response.status_code == 200
    assert response[OWNER_HEADER] == offline_owner(user=world["facilitator"].user)


def test_offline_copy_owner_differs_from_person_to_person_and_names_nobody_in_clear(world):
    ana_user, bo_user = (person_user_ensure(person=world[name]) for name in ("ana", "bo"))
    ana, bo = offline_owner(user=ana_user), offline_owner(user=bo_user)
    assert ana != bo
    assert ana == offline_owner(user=ana_user)  # the same on every page of hers
    assert len(ana) == 24 and ana not in (str(ana_user.pk), ana_user.username)


def test_offline_copy_notice_gives_the_time_in_the_workshops_zone(client, world):
    sign_in(client, world["ana"])
    before = workshop_localtime(timezone.now(), world["workshop"]).strftime("%H:%M")
    page = client.get(reverse("worksheets:my_day")).content.decode()
    after = workshop_localtime(timezone.now(), world["workshop"]).strftime("%H:%M")
    zurich = timezone.localtime(timezone.now()).strftime("%H:%M")
    assert zurich not in (before, after)  # Bogotá's clock, not the server's
    assert f"showing the copy from {before}" in page or f"showing the copy from {after}" in page


def test_visitor_without_a_session_is_told_to_drop_the_offline_copy(client, world):
    response = client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    assert response.status_code == 403
    assert response[OWNER_HEADER] == "none"


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("autosave", "post"),
        ("status", "post"),
        ("notes_autosave", "post"),
        ("download", "get"),
        ("rotation_ical", "get"),
    ],
)
def test_script_calls_files_and_form_answers_are_never_an_offline_copy(client, world, name, method):
    person = world["facilitator"] if name in ("notes_autosave", "rotation_ical") else world["ana"]
    sign_in(client, person)
    args = [] if name in ("download", "rotation_ical") else [world["session"].pk]
    response = getattr(client, method)(reverse(f"worksheets:{name}", args=args))
    assert OWNER_HEADER not in response


def test_sign_out_clears_the_browsers_cache(client, world):
    sign_in(client, world["ana"])
    response = client.post(reverse("worksheets:sign_out"))
    assert response["Clear-Site-Data"] == '"cache"'
    assert 'src="/static/js/signed_out.js"' in response.content.decode()
