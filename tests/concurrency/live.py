"""The harness of the races over real HTTP (`test_live_*.py`): concurrent requests from simulated browsers to a live server, on PostgreSQL.

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
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from django.db import connection
from django.urls import reverse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "registration"
TIMEOUT = 20  # seconds: every HTTP call, every wait, every barrier, every join


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
