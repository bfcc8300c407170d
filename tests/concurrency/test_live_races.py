"""Races over real HTTP: concurrent requests from simulated browsers to a live server, on PostgreSQL.

`test_races.py` forces these interleavings by calling the services from threads. Here every actor
is a browser of its own (a cookie jar, a login through the real pages, the CSRF token sent as a
browser sends it) speaking HTTP to pytest-django's live server: a threaded WSGI server in this
process, where each request runs in its own thread with its own database connection.

The interleavings are forced, not hoped for. The live server shares this process, so a hook
monkeypatched into the code under test can meet the other requests at a barrier, or hold one
request at a chosen point (inside its transaction) while the test sends the other and waits until
PostgreSQL shows that one blocked on a lock (`pg_stat_activity`); then the test lets go. Each
protection has a control: the same interleaving with the protection patched out loses or undoes
something, or is refused, while the protected run keeps everything.

SQLite runs one writer at a time, so these races cannot happen there: the tests are skipped.
"""

import http.cookiejar
import json
import os
import re
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse

import worksheets.services
import worksheets.views.participant
import workshops.services
from organise.views.imports import SUMMARY_SALT
from tests import factories
from worksheets.models import Answer, Worksheet
from workshops.access import personal_link_path
from workshops.imports import resources as import_resources
from workshops.imports import services as import_services
from workshops.models import Assignment, Participant, ScheduleRun, Workshop
from workshops.selectors import schedule_load
from workshops.services import _fingerprint, workshop_check

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "registration"
TIMEOUT = 20  # seconds: every HTTP call, every wait, every barrier, every join


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("CI runs these tests on PostgreSQL, but the test database is not PostgreSQL")
        pytest.skip("race tests need PostgreSQL (SQLite serialises all writers); set DATABASE_URL=postgres://...")


@pytest.fixture
def server(live_server):
    """The live server, its queue of connections waiting to be accepted as long as gunicorn's.

    Django's test server listens with a queue of 10: thirty browsers connecting at the same moment
    would see some connections dropped and retried by the client a second later. Linux lets a
    listening socket's queue be changed by calling listen() again.
    """
    live_server.thread.httpd.socket.listen(2048)
    return live_server


# --- Browsers --------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: Message
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def json(self):
        return json.loads(self.body)


class _AsItIs(urllib.request.HTTPErrorProcessor):
    """Every response as it came: a redirect is not followed, a 4xx or 5xx raises nothing."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Browser:
    """One browser (its tabs share its cookies), speaking HTTP to the live server with urllib."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()  # thread-safe: two tabs may use it at once
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _AsItIs())

    def cookie(self, name: str) -> str:
        value = next((cookie.value for cookie in self.jar if cookie.name == name), None)
        assert value, f"no {name} cookie"
        return value

    def request(self, method: str, path: str, *, data: bytes | None = None, headers=None) -> Reply:
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers or {})
        with self.opener.open(request, timeout=TIMEOUT) as response:
            return Reply(response.status, response.headers, response.read().decode("utf-8"))

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict) -> Reply:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields}).encode()
        return self.request("POST", path, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, payload: dict) -> Reply:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.cookie("csrftoken")}
        return self.request("POST", path, data=json.dumps(payload).encode(), headers=headers)

    def post_file(self, path: str, fields: dict, *, name: str, filename: str, content: bytes) -> Reply:
        boundary = uuid.uuid4().hex
        body = b""
        for key, value in {"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields}.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(
            "POST", path, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def message_after(self, reply: Reply) -> str:
        """The page a redirect leads to, where the message it left is shown."""
        assert reply.status == 302, (reply.status, reply.body[:1000])
        target = urllib.parse.urlsplit(reply.location)
        return self.get(target.path + (f"?{target.query}" if target.query else "")).body


def organiser_browser(live_server, user) -> Browser:
    """Logged in with a password through the back office's login page."""
    browser = Browser(live_server.url)
    login = reverse("admin:login")
    assert browser.get(login).status == 200  # the login page sets the CSRF cookie
    reply = browser.post_form(login, {"username": user.username, "password": "pw", "next": "/"})
    assert reply.status == 302, reply.body[:1000]
    return browser


def participant_browser(live_server, link: str, session_id: int) -> Browser:
    """Logged in through a personal link, with the worksheet open (its page sets the CSRF cookie)."""
    browser = Browser(live_server.url)
    assert browser.get(link).status == 302
    assert browser.get(reverse("worksheets:worksheet", args=[session_id])).status == 200
    return browser


# --- Forcing the interleavings ---------------------------------------------------------------


def all_at_once(*calls):
    """Run each call in its own thread (a browser, or a tab of one); their results, in order."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
        return [future.result(timeout=TIMEOUT) for future in futures]


class Hold:
    """Stops the first request that calls `pause()` (in the server) until the test lets go."""

    def __init__(self):
        self.reached, self.released = threading.Event(), threading.Event()
        self._first = threading.Lock()

    def pause(self):
        if not self._first.acquire(blocking=False):
            return  # only the first caller is held
        self.reached.set()
        if not self.released.wait(TIMEOUT):
            raise RuntimeError("the test never released the held request")


@pytest.fixture
def hold():
    hold = Hold()
    yield hold
    hold.released.set()  # never leave a server thread waiting


def held_then(first, second, *, hold: Hold, until):
    """Send `first`; once the server holds it, send `second`; when `until(second)` returns, let go."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        try:
            one = pool.submit(first)
            assert hold.reached.wait(TIMEOUT), "the first request never reached the hold"
            two = pool.submit(second)
            until(two)
        finally:
            hold.released.set()
        return one.result(timeout=TIMEOUT), two.result(timeout=TIMEOUT)


def blocked_on_a_lock(_future=None):
    """Wait until a request of this test database waits for a lock held by another transaction."""
    deadline = time.monotonic() + TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second request never waited for a lock")


def finished(future):
    future.result(timeout=TIMEOUT)


def meet_before(module, name, barrier: threading.Barrier, monkeypatch, *, rounds: int = 1):
    """Make the requests calling `module.name` meet at `barrier` first, `rounds` times; later calls go straight."""
    real = getattr(module, name)
    calls, counting = iter(range(barrier.parties * rounds)), threading.Lock()

    def meet_then_call(*args, **kwargs):
        with counting:
            meets = next(calls, None) is not None
        if meets:
            barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, meet_then_call)


def check_then_write(barrier: threading.Barrier):
    """The naive save the revision-checked UPDATE replaces: read, compare, then write the whole row.

    Everyone reads before anyone writes (the barrier), as happens when requests overlap.
    """

    def save(*, model, keys, values, base_revision):
        current = model.objects.filter(**keys).first()
        barrier.wait()
        if current is None or current.revision != base_revision:
            return False, 0, current
        for field, value in values.items():
            setattr(current, field, value)
        current.revision += 1
        current.save()
        return True, current.revision, None

    return save


def without_the_protection(monkeypatch, barrier: threading.Barrier):
    """The control's server: every save goes the naive way (no single-statement save, no revision-checked UPDATE)."""
    monkeypatch.setattr(worksheets.views.participant, "answer_autosave_direct", lambda **kwargs: None)
    monkeypatch.setattr(worksheets.services, "_save_if_current", check_then_write(barrier))


# --- (1) two tabs saving the same answer with the same base revision --------------------------


@pytest.fixture
def one_participant(server):
    workshop = factories.workshop()
    session = factories.session(workshop)
    question = factories.question(workshop)
    participant = factories.participant(workshop)
    browser = participant_browser(server, personal_link_path(person=participant), session.pk)
    worksheet = Worksheet.objects.get(participant=participant, session=session)  # made by the page
    return browser, worksheet, question, reverse("worksheets:autosave", args=[session.pk])


def two_tabs_save(browser, path, question, base):
    texts = ("from tab one", "from tab two")
    replies = all_at_once(
        *(
            lambda text=text: browser.post_json(path, {"question": question.pk, "text": text, "revision": base})
            for text in texts
        )
    )
    return dict(zip(texts, replies, strict=True))


@pytest.mark.parametrize("base", [0, 1], ids=["first-answer", "later-answer"])
def test_two_tabs_save_at_once_one_wins_the_other_gets_409_with_the_winners_text(one_participant, monkeypatch, base):
    browser, worksheet, question, path = one_participant
    if base:
        factories.answer(worksheet, question, text="before", revision=base)
    # Both requests are inside the server, past the login, before either saves.
    meet_before(
        worksheets.views.participant, "answer_autosave_direct", threading.Barrier(2, timeout=TIMEOUT), monkeypatch
    )

    replies = two_tabs_save(browser, path, question, base)

    assert sorted(reply.status for reply in replies.values()) == [200, 409]
    winner_text, winner = next((text, reply) for text, reply in replies.items() if reply.status == 200)
    loser_text, loser = next((text, reply) for text, reply in replies.items() if reply.status == 409)
    assert winner.json() == {"revision": base + 1}
    refused = loser.json()
    assert (refused["text"], refused["revision"]) == (winner_text, base + 1)  # the page can merge
    stored = Answer.objects.get(worksheet=worksheet, question=question)
    assert (stored.text, stored.revision) == (winner_text, base + 1)
    # Nothing is lost: the refused tab saves both texts on top of the winner's revision.
    merged = f"{winner_text} + {loser_text}"
    again = browser.post_json(path, {"question": question.pk, "text": merged, "revision": refused["revision"]})
    assert (again.status, again.json()) == (200, {"revision": base + 2})
    stored.refresh_from_db()
    assert (stored.text, stored.revision) == (merged, base + 2)


def test_control_check_then_write_over_http_tells_both_tabs_saved_and_loses_one(one_participant, monkeypatch):
    browser, worksheet, question, path = one_participant
    factories.answer(worksheet, question, text="before", revision=1)
    without_the_protection(monkeypatch, threading.Barrier(2, timeout=TIMEOUT))

    replies = two_tabs_save(browser, path, question, 1)

    assert [(reply.status, reply.json()) for reply in replies.values()] == [(200, {"revision": 2})] * 2
    stored = Answer.objects.get(worksheet=worksheet, question=question)
    assert stored.revision == 2 and stored.text in replies  # two saves reported, one revision
    lost = next(text for text in replies if text != stored.text)
    assert not Answer.objects.filter(text__contains=lost).exists()  # that tab's text is gone


# --- (2) many participants saving at once -----------------------------------------------------


def many_participants(live_server, count: int):
    workshop = factories.workshop()
    session = factories.session(workshop)
    question = factories.question(workshop)
    people = [factories.participant(workshop) for _ in range(count)]
    links = [personal_link_path(person=person) for person in people]  # here: the browsers only speak HTTP
    browsers = all_at_once(*(lambda link=link: participant_browser(live_server, link, session.pk) for link in links))
    return people, browsers, question, reverse("worksheets:autosave", args=[session.pk])


def test_thirty_participants_saving_at_once_every_request_succeeds_and_every_last_answer_is_stored(server, monkeypatch):
    """30 participants, 3 autosaves each, each carrying the revision the previous one returned.

    In each round all 30 requests are inside the server at the same moment (a 30-way barrier at
    the save). What this guards: saves of different people never block, fail or overwrite each
    other (one row per answer, no lock wider than it). A naive save would lose nothing here either,
    since no two of these requests share a row: the control for "many at once" is the one below,
    where each participant's two tabs overlap, and scenario (1)'s.
    """
    count, rounds = 30, 3
    people, browsers, question, path = many_participants(server, count)
    meet_before(
        worksheets.views.participant,
        "answer_autosave_direct",
        threading.Barrier(count, timeout=TIMEOUT),
        monkeypatch,
        rounds=rounds,
    )

    def participant(person, browser):
        statuses, revision = [], 0
        for round_ in range(1, rounds + 1):
            reply = browser.post_json(
                path, {"question": question.pk, "text": f"{person.pk}: {round_}", "revision": revision}
            )
            statuses.append(reply.status)
            revision = reply.json().get("revision", revision)
        return statuses, revision

    results = all_at_once(*(lambda p=p, b=b: participant(p, b) for p, b in zip(people, browsers, strict=True)))

    assert results == [([200] * rounds, rounds)] * count
    stored = {
        participant_id: (text, revision)
        for participant_id, text, revision in Answer.objects.filter(question=question).values_list(
            "worksheet__participant_id", "text", "revision"
        )
    }
    assert stored == {person.pk: (f"{person.pk}: {rounds}", rounds) for person in people}


def fifteen_participants_with_two_tabs(server):
    people, browsers, question, path = many_participants(server, 15)
    for person in people:
        factories.answer(Worksheet.objects.get(participant=person), question, text="before", revision=1)

    def tab(person, browser, number):
        text = f"{person.pk}: tab {number}"
        return person.pk, text, browser.post_json(path, {"question": question.pk, "text": text, "revision": 1})

    calls = [lambda p=p, b=b, n=n: tab(p, b, n) for p, b in zip(people, browsers, strict=True) for n in (1, 2)]
    return people, question, calls


def test_fifteen_participants_with_two_tabs_each_all_at_once_one_tab_wins_per_participant(server, monkeypatch):
    people, question, calls = fifteen_participants_with_two_tabs(server)
    meet_before(
        worksheets.views.participant,
        "answer_autosave_direct",
        threading.Barrier(len(calls), timeout=TIMEOUT),
        monkeypatch,
    )

    results = all_at_once(*calls)

    assert all(reply.status in (200, 409) for _, _, reply in results), [reply.status for _, _, reply in results]
    stored = dict(Answer.objects.filter(question=question).values_list("worksheet__participant_id", "text"))
    for person in people:
        mine = [(text, reply) for pk, text, reply in results if pk == person.pk]
        assert sorted(reply.status for _, reply in mine) == [200, 409]
        winner_text = next(text for text, reply in mine if reply.status == 200)
        refused = next(reply.json() for _, reply in mine if reply.status == 409)
        assert (refused["text"], refused["revision"]) == (winner_text, 2)
        assert stored[person.pk] == winner_text
    assert set(Answer.objects.filter(question=question).values_list("revision", flat=True)) == {2}


def test_control_fifteen_participants_two_tabs_check_then_write_every_tab_told_saved_fifteen_texts_lost(
    server, monkeypatch
):
    people, question, calls = fifteen_participants_with_two_tabs(server)
    without_the_protection(monkeypatch, threading.Barrier(len(calls), timeout=TIMEOUT))

    results = all_at_once(*calls)

    assert [(reply.status, reply.json()) for _, _, reply in results] == [(200, {"revision": 2})] * len(calls)
    stored = dict(Answer.objects.filter(question=question).values_list("worksheet__participant_id", "text"))
    told_saved = {text for _, text, _ in results}
    assert len(told_saved - set(stored.values())) == len(people)  # one tab's text per participant is gone


# --- (3) a rotation applied while a facilitator is swapped by hand ----------------------------


@dataclass
class Rotation:
    workshop: Workshop
    session: object
    run: ScheduleRun
    anna: object
    ben: object
    carl: object
    a: object
    b: object
    applying: Browser  # one organiser applies the proposal...
    swapping: Browser  # ...while another swaps Anna and Ben by hand


@pytest.fixture
def rotation(server):
    """One session, groups A and B, one facilitator each: Anna in A, Ben in B, Carl free.

    The proposal (made before anyone swaps) puts Carl in A and Anna in B.
    """
    first, second = factories.user(), factories.user()
    workshop = factories.workshop(organisers=[first, second])
    session = factories.session(workshop, facilitators_required=1)
    mode = factories.language_mode(workshop)
    a = factories.group(workshop, name="A", room_obj=factories.room(workshop, mode=mode))
    b = factories.group(workshop, name="B", room_obj=factories.room(workshop, mode=mode))
    anna, ben, carl = (factories.facilitator(workshop, name=name) for name in ("Anna", "Ben", "Carl"))
    factories.assignment(anna, session, a)
    factories.assignment(ben, session, b)
    run = ScheduleRun.objects.create(
        workshop=workshop,
        kind=ScheduleRun.Kind.ROTATION,
        status=ScheduleRun.Status.DONE,
        proposal={
            "assignments": [[carl.pk, session.pk, a.pk, False], [anna.pk, session.pk, b.pk, False]],
            "fingerprint": _fingerprint(schedule_load(workshop=workshop), ScheduleRun.Kind.ROTATION),
        },
    )
    assert workshop_check(workshop=workshop) == []
    applying, swapping = organiser_browser(server, first), organiser_browser(server, second)
    return Rotation(workshop, session, run, anna, ben, carl, a, b, applying, swapping)


def apply_request(r: Rotation):
    return lambda: r.applying.post_form(reverse("organise:run_apply", args=[r.workshop.slug, r.run.pk]), {})


def swap_request(r: Rotation):
    fields = {"session": r.session.pk, "first": r.anna.pk, "second": r.ben.pk}
    return lambda: r.swapping.post_form(reverse("organise:swap_facilitators", args=[r.workshop.slug]), fields)


def assignments(r: Rotation):
    return sorted(Assignment.objects.filter(session=r.session).values_list("facilitator_id", "group_id", "locked"))


def hold_the_apply_before_it_commits(monkeypatch, hold: Hold):
    """Hold the apply after it wrote the new rotation, before it marks the run applied and commits."""
    real = ScheduleRun.save

    def save(self, *args, **kwargs):
        if "applied_at" in (kwargs.get("update_fields") or ()):
            hold.pause()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ScheduleRun, "save", save)


SWAP_SAVED = "Saved. Every rule is still met."
APPLIED = "Applied: 4 change(s)."  # 2 assignments removed, 2 created
STALE = "The workshop changed after this proposal was made (someone moved people or facilitators). Run it again."


def expected_after_apply_then_swap(r: Rotation):
    # Carl in A (the proposal); Anna's place in B given to Ben by hand, kept by later runs.
    return sorted([(r.carl.pk, r.a.pk, False), (r.ben.pk, r.b.pk, True)])


def expected_after_swap_alone(r: Rotation):
    return sorted([(r.anna.pk, r.b.pk, True), (r.ben.pk, r.a.pk, True)])


def test_swap_sent_while_the_apply_holds_the_workshop_waits_and_applies_on_top(rotation, monkeypatch, hold):
    r = rotation
    hold_the_apply_before_it_commits(monkeypatch, hold)

    applied, swapped = held_then(apply_request(r), swap_request(r), hold=hold, until=blocked_on_a_lock)

    assert APPLIED in r.applying.message_after(applied)
    assert SWAP_SAVED in r.swapping.message_after(swapped)
    assert assignments(r) == expected_after_apply_then_swap(r)  # the hand move came last and stands
    assert ScheduleRun.objects.get(pk=r.run.pk).status == ScheduleRun.Status.APPLIED
    assert workshop_check(workshop=r.workshop) == []


def test_apply_sent_while_the_swap_holds_the_workshop_waits_and_is_refused_as_stale(rotation, monkeypatch, hold):
    r = rotation
    real_check = workshops.services.workshop_check

    def check_while_holding(**kwargs):  # called by the swap after its writes, inside its transaction
        hold.pause()
        return real_check(**kwargs)

    monkeypatch.setattr(workshops.services, "workshop_check", check_while_holding)

    swapped, applied = held_then(swap_request(r), apply_request(r), hold=hold, until=blocked_on_a_lock)

    assert SWAP_SAVED in r.swapping.message_after(swapped)
    assert applied.location.endswith(reverse("organise:run", args=[r.workshop.slug, r.run.pk]))
    assert STALE in r.applying.message_after(applied)  # in words, on the run's page
    assert assignments(r) == expected_after_swap_alone(r)  # the hand move was not undone
    assert ScheduleRun.objects.get(pk=r.run.pk).status == ScheduleRun.Status.DONE  # not applied
    assert workshop_check(workshop=r.workshop) == []


def test_apply_and_swap_sent_at_once_the_swap_stands_whichever_comes_first(rotation):
    r = rotation
    start = threading.Barrier(2, timeout=TIMEOUT)

    def after_start(call):
        def send():
            start.wait()
            return call()

        return send

    applied, swapped = all_at_once(after_start(apply_request(r)), after_start(swap_request(r)))

    assert SWAP_SAVED in r.swapping.message_after(swapped)
    applied_page = r.applying.message_after(applied)
    if ScheduleRun.objects.get(pk=r.run.pk).status == ScheduleRun.Status.APPLIED:
        assert APPLIED in applied_page
        assert assignments(r) == expected_after_apply_then_swap(r)
    else:
        assert STALE in applied_page
        assert assignments(r) == expected_after_swap_alone(r)
    assert workshop_check(workshop=r.workshop) == []


def test_control_without_the_workshop_lock_the_swap_is_reported_saved_and_silently_undone(rotation, monkeypatch, hold):
    """The same interleaving as the first test of (3), with the workshop's row lock patched out.

    The swap reads the old rotation (the apply has not committed), its UPDATE then waits for the
    rows the apply deleted, and updates nothing once they are gone. The fingerprint cannot catch
    this: the apply checked it before the swap had written anything. Only the lock orders them.
    """
    r = rotation

    class Unlocked:
        class objects:  # stands in for the manager
            @staticmethod
            def select_for_update(**kwargs):
                return Workshop.objects.all()

    monkeypatch.setattr(workshops.services, "Workshop", Unlocked)
    hold_the_apply_before_it_commits(monkeypatch, hold)

    applied, swapped = held_then(apply_request(r), swap_request(r), hold=hold, until=blocked_on_a_lock)

    assert APPLIED in r.applying.message_after(applied)
    assert SWAP_SAVED in r.swapping.message_after(swapped)  # the organiser is told it is saved...
    # ...but it is nowhere: the proposal as it was computed, nothing kept by hand.
    assert assignments(r) == sorted([(r.carl.pk, r.a.pk, False), (r.anna.pk, r.b.pk, False)])


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
