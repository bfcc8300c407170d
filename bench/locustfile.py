"""Locust scenario for `bench/load.py`: participants autosaving, plus a baseline on `/healthz`.

Reads the participants from the JSON file named by `LOAD_PEOPLE` (written by `bench/load.py`):
a list of {"participant", "link", "session", "question"}. Each simulated participant takes the
next one, opens their personal link once, opens their worksheet, then autosaves one answer every
5 seconds with the revision the previous save returned. The text of save k is
"participant <id> save <k>", and the last text that got a 200 (with its revision) is written to
`LOAD_ACCEPTED` when the run stops, so the script can check the database against it.

The users are locust's FastHttpUser (geventhttpclient): it costs the load generator several times
less CPU per request than HttpUser (python-requests), and on this 2-core box the generator shares
the cores with the server it measures.
"""

import itertools
import json
import os
import random

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"]).read()) if os.environ.get("LOAD_PEOPLE") else []
_next = itertools.count()
ACCEPTED: dict[int, dict] = {}  # participant id -> {"text", "revision"} of the last 200
UNKNOWN: set[int] = set()  # participants with a save whose outcome is unknown (network error)
FAILED = {"autosave": 0}  # over the whole run (locust's own counts restart when spawning ends)


class Participant(FastHttpUser):
    """One participant: log in once, open the worksheet, autosave every 5 seconds."""

    wait_time = constant(5)

    def on_start(self):
        self.person = PEOPLE[next(_next) % len(PEOPLE)]
        self.revision = 0
        self.saves = 0
        self.client.get(self.person["link"], name="personal link")
        self.client.get(f"/me/worksheets/{self.person['session']}/", name="worksheet page")
        self.csrf = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        gevent.sleep(random.uniform(0, 5))  # people do not all type in step

    @task
    def autosave(self):
        self.saves += 1
        pid = self.person["participant"]
        text = f"participant {pid} save {self.saves}"
        payload = {"question": self.person["question"], "text": text, "revision": self.revision}
        with self.client.post(
            f"/me/worksheets/{self.person['session']}/autosave/",
            json=payload,
            headers={"X-CSRFToken": self.csrf},
            name="autosave",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.revision = response.json()["revision"]
                ACCEPTED[pid] = {"text": text, "revision": self.revision}
                UNKNOWN.discard(pid)
                response.success()
            else:
                FAILED["autosave"] += 1
                if response.status_code == 0:
                    UNKNOWN.add(pid)
                response.failure(f"status {response.status_code}")


class Baseline(FastHttpUser):
    """The minimal view on the same stack: one database round trip, no session."""

    fixed_count = 20
    wait_time = between(0.5, 1.5)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz (baseline)")


@events.quitting.add_listener
def _write_accepted(environment, **kwargs):
    path = os.environ.get("LOAD_ACCEPTED")
    if path:
        with open(path, "w") as out:
            json.dump(
                {"accepted": ACCEPTED, "unknown": sorted(UNKNOWN), "failed": FAILED["autosave"], "ramp": RAMP}, out
            )


SETTLE = float(os.environ.get("LOAD_SETTLE", "0"))  # seconds from the last participant joining to the figures
RAMP: dict = {}  # the autosaves made while people joined and the queue settled
_ENVIRONMENT: list = []


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    _ENVIRONMENT.append(environment)


@events.spawning_complete.add_listener
def _measure_after_settling(user_count, **kwargs):
    """Start the figures SETTLE seconds after everyone has joined, once the join storm's queue has drained.

    What the autosaves met until then is kept in RAMP and written with the accepted answers, so
    the script reports it beside the figures.
    """

    def reset():
        entry = _ENVIRONMENT[0].stats.get("autosave", "POST")
        if entry.num_requests:
            RAMP.update(
                requests=entry.num_requests,
                p95=entry.get_response_time_percentile(0.95),
                max=entry.max_response_time,
            )
        _ENVIRONMENT[0].stats.reset_all()

    if SETTLE and _ENVIRONMENT:
        gevent.spawn_later(SETTLE, reset)
