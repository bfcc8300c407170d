"""Personal links on shared computers: signing out, sessions that end with the link, no caching,
one-time links that a mail scanner's GET does not spend."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from worksheets.models import Worksheet
from workshops.access import lost_link_path, personal_link_path, personal_link_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today, links_valid_until=today)
    return f.participant(workshop, preferred_language="en", group=f.group(workshop))


@pytest.fixture
def facilitator(participant):
    person = f.facilitator(participant.workshop)
    f.assignment(person, f.session(participant.workshop), participant.group)
    return person


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_sign_out_ends_the_session(client, participant):
    assert client.get(personal_link_path(person=participant)).status_code == 302
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    response = client.post(reverse("worksheets:sign_out"))
    assert response.status_code == 200
    assert "You are signed out" in response.content.decode()
    assert client.get(reverse("worksheets:my_day")).status_code == 403


def test_sign_out_by_get_is_refused(client, participant):
    client.get(personal_link_path(person=participant))
    assert client.get(reverse("worksheets:sign_out")).status_code == 405
    assert client.get(reverse("worksheets:my_day")).status_code == 200


def test_sign_out_needs_the_csrf_token(participant):
    strict = Client(enforce_csrf_checks=True)
    strict.get(personal_link_path(person=participant))
    assert strict.post(reverse("worksheets:sign_out")).status_code == 403
    assert strict.get(reverse("worksheets:my_day")).status_code == 200


def test_sign_out_page_lists_this_participants_kept_text(client, participant):
    session = f.session(participant.workshop)
    worksheet = f.worksheet(participant, session)
    other = f.participant(participant.workshop, group=participant.group)
    f.worksheet(other, session)
    client.get(personal_link_path(person=participant))
    response = client.post(reverse("worksheets:sign_out"))
    keys = json.loads(
        re.search(r'<script id="kept-keys" type="application/json">(.*?)</script>', response.content.decode()).group(1)
    )
    assert keys == [f"worksheet-{worksheet.pk}"]
    assert Worksheet.objects.count() == 2


def test_sign_out_page_lists_this_facilitators_notes(client, facilitator):
    assignment = facilitator.assignments.get()
    client.get(personal_link_path(person=facilitator))
    response = client.post(reverse("worksheets:sign_out"))
    keys = json.loads(
        re.search(r'<script id="kept-keys" type="application/json">(.*?)</script>', response.content.decode()).group(1)
    )
    cell = f"{assignment.session_id}-{assignment.group_id}"
    assert keys == [f"notes-{cell}", f"attendance-{cell}"]  # the notes and the roster's queued marks


def test_every_personal_page_has_sign_out_and_my_day(client, facilitator, participant):
    session = participant.group.assignments.get().session
    client.get(personal_link_path(person=participant))
    for url in (
        reverse("worksheets:my_day"),
        reverse("worksheets:worksheet", args=[session.pk]),
        reverse("workshops:home"),
    ):
        page = client.get(url).content.decode()
        assert f'action="{reverse("worksheets:sign_out")}"' in page, url
        assert f'href="{reverse("worksheets:my_day")}"' in page, url
    client.logout()
    client.get(personal_link_path(person=facilitator))
    for url in (reverse("worksheets:my_day"), reverse("worksheets:assignment", args=[session.pk])):
        page = client.get(url).content.decode()
        assert f'action="{reverse("worksheets:sign_out")}"' in page, url


def test_anonymous_pages_have_no_sign_out(client, participant):
    page = client.get(reverse("workshops:home")).content.decode()
    assert reverse("worksheets:sign_out") not in page


def test_personal_pages_pdf_and_ical_are_not_cached(client, facilitator, participant):
    session = participant.group.assignments.get().session
    client.get(personal_link_path(person=participant))
    for url in (
        reverse("worksheets:my_day"),
        reverse("worksheets:worksheet", args=[session.pk]),
        reverse("worksheets:download"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response) >= {"private", "no-store"}, url
    client.logout()
    client.get(personal_link_path(person=facilitator))
    for url in (
        reverse("worksheets:my_day"),
        reverse("worksheets:rotation_ical"),
        reverse("worksheets:assignment", args=[session.pk]),
        reverse("worksheets:assignment_progress", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response) >= {"private", "no-store"}, url


def test_open_session_ends_when_the_link_expires(client, monkeypatch, participant):
    client.get(personal_link_path(person=participant))
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1))
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("worksheets:my_day")).status_code == 403


def test_open_session_ends_when_the_link_is_revoked(client, participant):
    session = f.session(participant.workshop)
    client.get(personal_link_path(person=participant))
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    personal_link_revoke(person=participant)
    assert client.get(reverse("worksheets:my_day")).status_code == 403
    response = client.post(
        reverse("worksheets:autosave", args=[session.pk]),
        json.dumps({"question": 1, "text": "x", "revision": 0}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == SIGNED_OUT  # the page's script says the session ended


def test_one_time_link_is_not_spent_by_get(client, participant):
    path = lost_link_path(person=participant)
    for _ in range(3):  # a mail system's link scanner, then the person
        page = client.get(path)
        assert page.status_code == 200
        assert f'<form method="post" action="{path}"' in page.content.decode()
    assert client.get(reverse("worksheets:my_day")).status_code == 403
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    client.logout()
    assert client.post(path).status_code == 410
    assert client.get(path).status_code == 410


def test_one_time_link_bad_token_says_so_on_get(client, participant):
    assert client.get(reverse("workshops:one_time_link", args=["nonsense"])).status_code == 410


def test_open_session_ends_soon_after_the_organisers_shorten_the_links_validity(client, monkeypatch, participant):
    client.get(personal_link_path(person=participant))
    workshop = participant.workshop
    workshop.links_valid_until = timezone.localdate() - timedelta(days=1)
    workshop.save(update_fields=["links_valid_until"])
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("worksheets:my_day")).status_code == 403


def test_open_session_follows_a_longer_links_validity(client, monkeypatch, participant):
    client.get(personal_link_path(person=participant))
    workshop = participant.workshop
    workshop.links_valid_until = timezone.localdate() + timedelta(days=3)
    workshop.save(update_fields=["links_valid_until"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1))
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("worksheets:my_day")).status_code == 200


# --- After review: link sessions cost nothing on autosave, end cleanly, and say so. ---------------

SIGNED_OUT = {
    "error": "You are signed out, so this was not saved. Open your personal link again to go on.",
    "signed_out": True,
}


def _autosave(client, session, payload):
    return client.post(
        reverse("worksheets:autosave", args=[session.pk]), json.dumps(payload), content_type="application/json"
    )


def _notes(client, session, payload):
    return client.post(
        reverse("worksheets:notes_autosave", args=[session.pk]), json.dumps(payload), content_type="application/json"
    )


def _tomorrow_past_midnight():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1))


def _kept_keys(page: str):
    found = re.search(r'<script id="kept-keys" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1)) if found else None


def _sql(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries]


def test_autosave_past_the_recheck_interval_keeps_its_budget(client, monkeypatch, participant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = f.session(participant.workshop)
    question = f.question(participant.workshop)
    client.get(personal_link_path(person=participant))
    client.get(reverse("worksheets:worksheet", args=[session.pk]))
    assert _autosave(client, session, {"question": question.pk, "text": "a", "revision": 0}).status_code == 200
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with CaptureQueriesContext(connection) as ctx:
        response = _autosave(client, session, {"question": question.pk, "text": "b", "revision": 1})
    assert response.status_code == 200
    # The session, the user, one conditional UPDATE of the answer: no re-read of the link's
    # expiry and no rewrite of the session on the busiest request.
    assert len(ctx.captured_queries) == 3, _sql(ctx)
    assert [q for q in _sql(ctx) if "django_session" in q and not q.startswith("SELECT")] == []


def test_notes_autosave_and_progress_past_the_recheck_interval_do_not_read_the_link_again(
    client, monkeypatch, facilitator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = facilitator.assignments.get().session
    client.get(personal_link_path(person=facilitator))
    client.get(reverse("worksheets:assignment", args=[session.pk]))

    def counts(revision):
        with CaptureQueriesContext(connection) as notes_ctx:
            assert _notes(client, session, {"text": f"t{revision}", "revision": revision}).status_code == 200
        with CaptureQueriesContext(connection) as progress_ctx:
            assert client.get(reverse("worksheets:assignment_progress", args=[session.pk])).status_code == 200
        return len(notes_ctx.captured_queries), len(progress_ctx.captured_queries), _sql(notes_ctx) + _sql(progress_ctx)

    counts(0)  # the first save creates the notes
    inside = counts(1)
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = counts(2)
    assert after[:2] == inside[:2], after[2]
    assert [q for q in after[2] if "django_session" in q and not q.startswith("SELECT")] == []


def test_open_session_follows_a_longer_links_validity_on_autosave(client, monkeypatch, participant):
    session = f.session(participant.workshop)
    question = f.question(participant.workshop)
    client.get(personal_link_path(person=participant))
    client.get(reverse("worksheets:worksheet", args=[session.pk]))
    workshop = participant.workshop
    workshop.links_valid_until = timezone.localdate() + timedelta(days=3)
    workshop.save(update_fields=["links_valid_until"])
    later = _tomorrow_past_midnight()
    monkeypatch.setattr(timezone, "now", lambda: later)
    # Typing past the old expiry without opening a page: the longer date is read at that moment.
    assert _autosave(client, session, {"question": question.pk, "text": "a", "revision": 0}).status_code == 200


def test_session_of_a_deleted_person_is_logged_out(client, monkeypatch, participant):
    from django.contrib.auth import SESSION_KEY

    client.get(personal_link_path(person=participant))
    type(participant).objects.filter(pk=participant.pk).delete()  # the login stays, the person is gone
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("worksheets:my_day")).status_code == 403
    assert SESSION_KEY not in client.session


def test_session_of_an_erased_participant_is_logged_out(client, participant):
    from django.contrib.auth import SESSION_KEY

    from organise.erasure import participant_erase

    client.get(personal_link_path(person=participant))
    participant_erase(participant=participant)  # deletes the login
    assert client.get(reverse("worksheets:my_day")).status_code == 403
    assert SESSION_KEY not in client.session


def test_autosave_after_the_link_expired_answers_signed_out_json(client, monkeypatch, participant):
    session = f.session(participant.workshop)
    question = f.question(participant.workshop)
    client.get(personal_link_path(person=participant))
    client.get(reverse("worksheets:worksheet", args=[session.pk]))
    later = _tomorrow_past_midnight()
    monkeypatch.setattr(timezone, "now", lambda: later)
    for _ in range(2):  # the request that ends the session, and any after it
        response = _autosave(client, session, {"question": question.pk, "text": "a", "revision": 0})
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        assert response.json() == SIGNED_OUT


def test_notes_autosave_after_revocation_answers_signed_out_json(client, facilitator):
    session = facilitator.assignments.get().session
    client.get(personal_link_path(person=facilitator))
    personal_link_revoke(person=facilitator)
    response = _notes(client, session, {"text": "x", "revision": 0})
    assert response.status_code == 403
    assert response.json() == SIGNED_OUT


def test_next_page_after_the_link_expired_clears_the_persons_kept_text(client, monkeypatch, participant):
    session = f.session(participant.workshop)
    other = f.participant(participant.workshop, group=participant.group)
    f.worksheet(other, session)
    client.get(personal_link_path(person=participant))
    client.get(reverse("worksheets:worksheet", args=[session.pk]))
    mine = Worksheet.objects.get(participant=participant)
    later = _tomorrow_past_midnight()
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get(reverse("worksheets:my_day"))
    assert page.status_code == 403
    html = page.content.decode()
    assert _kept_keys(html) == [f"worksheet-{mine.pk}"]
    # After expiry the link no longer opens, so text that never reached the server could never be
    # sent: it is cleared too (no "keep unsent" on the script).
    assert re.search(r'<script src="[^"]*js/signed_out\.js"></script>', html)
    assert _directives(page) >= {"private", "no-store"}
    assert _kept_keys(client.get(reverse("workshops:home")).content.decode()) is None  # said once


def test_next_page_after_revocation_keeps_unsent_text(client, facilitator):
    assignment = facilitator.assignments.get()
    client.get(personal_link_path(person=facilitator))
    personal_link_revoke(person=facilitator)
    html = client.get(reverse("workshops:home")).content.decode()
    cell = f"{assignment.session_id}-{assignment.group_id}"
    assert _kept_keys(html) == [f"notes-{cell}", f"attendance-{cell}"]
    # The person gets a new link: text that never reached the server stays for it.
    assert re.search(r'<script src="[^"]*js/signed_out\.js" data-keep-unsent="true"></script>', html)


def test_page_after_an_autosave_found_the_session_ended_clears_kept_text(client, monkeypatch, participant):
    session = f.session(participant.workshop)
    question = f.question(participant.workshop)
    client.get(personal_link_path(person=participant))
    client.get(reverse("worksheets:worksheet", args=[session.pk]))
    mine = Worksheet.objects.get(participant=participant)
    later = _tomorrow_past_midnight()
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _autosave(client, session, {"question": question.pk, "text": "a", "revision": 0}).status_code == 403
    assert _kept_keys(client.get(reverse("workshops:home")).content.decode()) == [f"worksheet-{mine.pk}"]


def test_sign_out_after_the_session_ended_clears_the_persons_kept_text(client, monkeypatch, participant):
    session = f.session(participant.workshop)
    question = f.question(participant.workshop)
    client.get(personal_link_path(person=participant))
    client.get(reverse("worksheets:worksheet", args=[session.pk]))
    mine = Worksheet.objects.get(participant=participant)
    later = _tomorrow_past_midnight()
    monkeypatch.setattr(timezone, "now", lambda: later)
    _autosave(client, session, {"question": question.pk, "text": "a", "revision": 0})
    # The stale page's "Sign out" (its button asked about unsent text first).
    response = client.post(reverse("worksheets:sign_out"))
    assert _kept_keys(response.content.decode()) == [f"worksheet-{mine.pk}"]


@pytest.mark.parametrize("kind", ["participant", "facilitator"])
def test_link_expiry_reread_costs_two_queries_for_either_kind_of_person(
    django_assert_num_queries, rf, participant, facilitator, kind
):
    """What `PersonalLinkSessionMiddleware` says it costs: the person behind the login, then their
    workshop's dates (a facilitator's login is not first looked up as a participant's)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from workshops.access import link_session_expired, person_user_ensure
    from workshops.middleware import _recheck

    person = {"participant": participant, "facilitator": facilitator}[kind]
    user_id = person_user_ensure(person=person).pk
    request = rf.get(reverse("worksheets:my_day"))
    request.user = get_user_model().objects.get(pk=user_id)  # fresh: nothing cached on it
    request.session = SessionStore()
    with django_assert_num_queries(2):
        _recheck(request, user_id)
    assert request.user.is_authenticated and not link_session_expired(session=request.session)
