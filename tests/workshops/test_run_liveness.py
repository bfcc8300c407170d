"""A solver run never stays "Running" without a live worker, at the level of the services and the task:
its budget capped to what the backend serves, a heartbeat beaten while it solves (quiet or not),
and a stale run failed once, never brought back by a late worker or failed when a worker took it.
The same seen on the organiser's pages: tests/organise/test_run_liveness.py.
"""

import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import factories as f
from workshops.models import ScheduleRun
from workshops.services import schedule_run_execute, schedule_runs_fail_stale
from workshops.tasks import schedule_run_start

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def workshop():
    workshop = f.workshop()
    f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", capacity=10))
    f.session(workshop, title="Labour", start_hour=11)
    f.participant(workshop, name="P0", languages=["en"])
    return workshop


def running(workshop, *, heartbeat_age: float, **fields) -> ScheduleRun:
    now = timezone.now()
    return ScheduleRun.objects.create(
        workshop=workshop,
        kind=ScheduleRun.Kind.PLACEMENT,
        status=ScheduleRun.Status.RUNNING,
        started_at=now - timedelta(seconds=heartbeat_age + 5),
        heartbeat_at=now - timedelta(seconds=heartbeat_age),
        **fields,
    )


def test_run_start_service_caps_the_budget_in_request(workshop, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    settings.SOLVER_MAX_SECONDS_IN_REQUEST = 15
    run = schedule_run_start(workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT, time_limit=600)
    assert run.time_limit == 15


@pytest.mark.django_db(transaction=True)
def test_run_heartbeat_advances_while_the_solver_is_quiet(workshop, settings, monkeypatch):
    """A solver that finds nothing new for a while (no progress callback) still beats."""
    settings.SOLVER_HEARTBEAT_SECONDS = 0.05
    seen = []

    def quiet_solver(schedule, *, weights, time_limit, on_progress):
        run_id = ScheduleRun.objects.get().pk
        for _ in range(3):
            seen.append(ScheduleRun.objects.filter(pk=run_id).values_list("heartbeat_at", flat=True).get())
            time.sleep(0.3)
        return SimpleNamespace(status="feasible", groups={}, progress=[], objective=0.0, bound=0.0, problems=[])

    monkeypatch.setattr("workshops.scheduling.placement.participants_place", quiet_solver)
    run = ScheduleRun.objects.create(workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT)
    before = timezone.now()
    run = schedule_run_execute(run_id=run.pk)
    assert run.status == ScheduleRun.Status.DONE
    assert seen[0] is not None and seen[0] >= before  # beaten when it started
    assert seen[0] < seen[1] < seen[2]  # and again while the solver was quiet
    assert not [t for t in threading.enumerate() if t.name.startswith("schedule-run-heartbeat")]


def test_run_heartbeat_is_beaten_by_progress(workshop, settings, monkeypatch):
    settings.SOLVER_HEARTBEAT_SECONDS = 3600  # only the progress callback beats
    monkeypatch.setattr("workshops.services.PROGRESS_WRITE_INTERVAL", 0)
    beats = []

    def solver(schedule, *, weights, time_limit, on_progress):
        run = ScheduleRun.objects.get()
        on_progress(0.5, 10.0)
        beats.append(ScheduleRun.objects.filter(pk=run.pk).values_list("heartbeat_at", flat=True).get())
        return SimpleNamespace(status="feasible", groups={}, progress=[], objective=0.0, bound=0.0, problems=[])

    monkeypatch.setattr("workshops.scheduling.placement.participants_place", solver)
    run = ScheduleRun.objects.create(workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT)
    started = timezone.now()
    schedule_run_execute(run_id=run.pk)
    assert beats[0] >= started


def test_run_failed_while_read_is_not_overwritten_by_a_late_reader(workshop, settings):
    """Two readers at once: the run is failed once, by whichever comes first."""
    settings.SOLVER_STALE_SECONDS = 60
    run = running(workshop, heartbeat_age=61)
    late = ScheduleRun.objects.get(pk=run.pk)
    schedule_runs_fail_stale(runs=[run])
    finished = ScheduleRun.objects.get(pk=run.pk).finished_at
    schedule_runs_fail_stale(runs=[late])
    assert late.status == ScheduleRun.Status.FAILED
    assert ScheduleRun.objects.get(pk=run.pk).finished_at == finished


def test_run_failed_for_want_of_a_worker_is_not_solved_when_a_worker_comes_late(workshop, settings):
    """The organiser was told it failed; a worker started later must not bring it back to life."""
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    run = ScheduleRun.objects.create(workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT)
    ScheduleRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(seconds=121))
    run.refresh_from_db()
    schedule_runs_fail_stale(runs=[run])
    assert schedule_run_execute(run_id=run.pk).status == ScheduleRun.Status.FAILED


def test_run_picked_up_while_read_is_not_failed(workshop, settings):
    """A worker that took the run just before the reader looked: the reader's stale copy fails nothing."""
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    run = ScheduleRun.objects.create(workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT)
    ScheduleRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(seconds=121))
    run.refresh_from_db()
    now = timezone.now()
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.RUNNING, started_at=now, heartbeat_at=now)
    schedule_runs_fail_stale(runs=[run])
    assert (run.status, run.error) == (ScheduleRun.Status.RUNNING, "")
