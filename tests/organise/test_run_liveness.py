"""A solver run never stays "Running" without a live worker, as the organiser's pages show it: the
board's budget fits what the task backend can serve, and a run that stopped reporting or that no
worker took is failed when its page or the board reads it (the services and the task themselves:
tests/workshops/test_run_liveness.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from tests.workshops.test_run_liveness import running
from workshops.models import ScheduleRun

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STOPPED = (
    "The worker running this solver stopped reporting (it was stopped, or ran out of time), so the run failed. "
    "Nothing was changed: start it again, with a shorter time budget if the server cut it off."
)


@pytest.fixture
def workshop(organiser):
    workshop = f.workshop(organisers=[organiser])
    f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", capacity=10))
    f.session(workshop, title="Labour", start_hour=11)
    f.participant(workshop, name="P0", languages=["en"])
    return workshop


# --- The budget fits the backend -----------------------------------------------------------


def test_run_budget_in_request_is_capped_and_the_board_form_says_so(client, organiser, workshop, settings):
    settings.TASKS = IMMEDIATE
    settings.SOLVER_MAX_SECONDS_IN_REQUEST = 20
    client.force_login(organiser)
    page = client.get(reverse("organise:board", args=[workshop.slug])).content.decode()
    assert 'max="20"' in page
    assert "At most 20 seconds here: this server solves inside the web request" in page
    response = client.post(reverse("organise:run_start", args=[workshop.slug]), {"kind": "placement", "time_limit": 21})
    assert response.status_code == 302
    assert ScheduleRun.objects.count() == 0
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Ensure this value is less than or equal to 20."]


def test_run_budget_in_request_at_the_cap_is_accepted(client, organiser, workshop, settings, monkeypatch):
    settings.TASKS = IMMEDIATE
    settings.SOLVER_MAX_SECONDS_IN_REQUEST = 20
    client.force_login(organiser)
    client.post(reverse("organise:run_start", args=[workshop.slug]), {"kind": "placement", "time_limit": 20})
    assert list(ScheduleRun.objects.values_list("time_limit", flat=True)) == [20]


def test_run_budget_with_a_worker_process_goes_to_ten_minutes(client, organiser, workshop, settings):
    settings.TASKS = DATABASE
    settings.SOLVER_MAX_SECONDS_IN_REQUEST = 20
    client.force_login(organiser)
    page = client.get(reverse("organise:board", args=[workshop.slug])).content.decode()
    assert 'max="600"' in page
    assert "At most 20 seconds here" not in page
    client.post(reverse("organise:run_start", args=[workshop.slug]), {"kind": "placement", "time_limit": 300})
    assert list(ScheduleRun.objects.values_list("time_limit", flat=True)) == [300]


# --- A run that stopped reporting ----------------------------------------------------------


def test_run_that_stopped_reporting_is_failed_on_its_page(client, organiser, workshop, settings):
    settings.SOLVER_STALE_SECONDS = 60
    run = running(workshop, heartbeat_age=61)
    client.force_login(organiser)
    page = client.get(reverse("organise:run", args=[workshop.slug, run.pk])).content.decode()
    run.refresh_from_db()
    assert (run.status, run.error, run.finished_at is not None) == (ScheduleRun.Status.FAILED, STOPPED, True)
    assert STOPPED in page
    assert 'data-finished="true"' in page


def test_run_that_stopped_reporting_is_failed_in_its_status_and_on_the_board(client, organiser, workshop, settings):
    settings.SOLVER_STALE_SECONDS = 60
    stale = running(workshop, heartbeat_age=61)
    client.force_login(organiser)
    status = client.get(reverse("organise:run_status", args=[workshop.slug, stale.pk])).json()
    assert (status["status"], status["finished"]) == ("failed", True)
    other = running(workshop, heartbeat_age=120)
    page = client.get(reverse("organise:board", args=[workshop.slug])).content.decode()
    assert page.count("Failed: the worker stopped reporting") == 2
    other.refresh_from_db()
    assert other.status == ScheduleRun.Status.FAILED


def test_run_that_stopped_reporting_reads_in_the_pages_language(client, organiser, workshop, settings):
    settings.SOLVER_STALE_SECONDS = 60
    run = running(workshop, heartbeat_age=61)
    client.force_login(organiser)
    with translation.override("fr"):
        url = reverse("organise:run", args=[workshop.slug, run.pk])
    page = client.get(url).content.decode()
    assert "Le processus qui exécutait ce calcul a cessé de donner des nouvelles" in page
    with translation.override("es"):
        url = reverse("organise:board", args=[workshop.slug])
    assert "Fallida: el proceso dejó de dar señales" in client.get(url).content.decode()


def test_run_still_reporting_stays_running(client, organiser, workshop, settings):
    settings.SOLVER_STALE_SECONDS = 60
    run = running(workshop, heartbeat_age=50)
    client.force_login(organiser)
    client.get(reverse("organise:run", args=[workshop.slug, run.pk]))
    client.get(reverse("organise:board", args=[workshop.slug]))
    status = client.get(reverse("organise:run_status", args=[workshop.slug, run.pk])).json()
    run.refresh_from_db()
    assert (run.status, run.error, status["finished"]) == (ScheduleRun.Status.RUNNING, "", False)


def test_run_running_without_any_heartbeat_is_judged_by_its_start(client, organiser, workshop, settings):
    settings.SOLVER_STALE_SECONDS = 60
    run = running(workshop, heartbeat_age=0, time_limit=10)
    ScheduleRun.objects.filter(pk=run.pk).update(heartbeat_at=None, started_at=timezone.now() - timedelta(seconds=61))
    client.force_login(organiser)
    status = client.get(reverse("organise:run_status", args=[workshop.slug, run.pk])).json()
    assert status["status"] == "failed"


# --- A run no worker picked up --------------------------------------------------------------

NO_WORKER = "No task worker picked this run up: is `manage.py db_worker` running?"


def queued_by_the_board(client, organiser, workshop, capture, *, age: float) -> ScheduleRun:
    """Start a run from the board with the database backend (its task queued, no worker running), `age` s ago."""
    from django_tasks_db.models import DBTaskResult

    client.force_login(organiser)
    with capture(execute=True):
        client.post(reverse("organise:run_start", args=[workshop.slug]), {"kind": "placement", "time_limit": 10})
    run = ScheduleRun.objects.get()
    assert (run.status, DBTaskResult.objects.filter(status="READY").count()) == (ScheduleRun.Status.QUEUED, 1)
    ScheduleRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(seconds=age))
    return run


def test_run_queued_without_a_worker_is_failed_on_its_page(
    client, organiser, workshop, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    run = queued_by_the_board(client, organiser, workshop, django_capture_on_commit_callbacks, age=121)
    page = client.get(reverse("organise:run", args=[workshop.slug, run.pk])).content.decode()
    run.refresh_from_db()
    assert (run.status, run.error, run.finished_at is not None) == (ScheduleRun.Status.FAILED, NO_WORKER, True)
    assert NO_WORKER in page
    assert 'data-finished="true"' in page


def test_run_queued_without_a_worker_is_failed_in_its_status_and_on_the_board(
    client, organiser, workshop, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    run = queued_by_the_board(client, organiser, workshop, django_capture_on_commit_callbacks, age=121)
    status = client.get(reverse("organise:run_status", args=[workshop.slug, run.pk])).json()
    assert (status["status"], status["status_label"], status["finished"]) == ("failed", "Failed", True)
    other = ScheduleRun.objects.create(workshop=workshop, kind=ScheduleRun.Kind.ROTATION)
    ScheduleRun.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(seconds=300))
    page = client.get(reverse("organise:board", args=[workshop.slug])).content.decode()
    assert page.count("Failed: no task worker picked it up") == 2
    assert "Waiting to start" not in page
    other.refresh_from_db()
    assert (other.status, other.error) == (ScheduleRun.Status.FAILED, NO_WORKER)


def test_run_queued_without_a_worker_reads_in_the_pages_language(
    client, organiser, workshop, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    run = queued_by_the_board(client, organiser, workshop, django_capture_on_commit_callbacks, age=121)
    with translation.override("fr"):
        url = reverse("organise:run", args=[workshop.slug, run.pk])
    page = client.get(url).content.decode()
    assert "Aucun processus de tâches n’a pris ce calcul en charge" in page
    with translation.override("es"):
        url = reverse("organise:board", args=[workshop.slug])
    assert "Fallida: ningún proceso de tareas la atendió" in client.get(url).content.decode()
    run.refresh_from_db()
    assert run.error == NO_WORKER  # stored untranslated


def test_run_waiting_in_the_queue_says_it_waits_for_a_worker(
    client, organiser, workshop, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    run = queued_by_the_board(client, organiser, workshop, django_capture_on_commit_callbacks, age=100)
    page = client.get(reverse("organise:run", args=[workshop.slug, run.pk])).content.decode()
    assert "Waiting for a task worker to pick this run up." in page
    assert 'data-finished="false"' in page
    with translation.override("es"):
        url = reverse("organise:run", args=[workshop.slug, run.pk])
    assert "Esperando a que un proceso de tareas atienda este cálculo." in client.get(url).content.decode()
    status = client.get(reverse("organise:run_status", args=[workshop.slug, run.pk])).json()
    client.get(reverse("organise:board", args=[workshop.slug]))
    run.refresh_from_db()
    assert (run.status, run.error, status["finished"]) == (ScheduleRun.Status.QUEUED, "", False)
