"""Background jobs (workshops/jobs.py): queued → running → done with a file, failed in words, stale when silent,
and tasks started off the request (a thread with the immediate backend)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories as f
from workshops.jobs import (
    JobFailed,
    JobResult,
    job_create,
    job_execute,
    job_result,
    jobs_fail_stale,
    jobs_purge_expired,
    task_enqueue,
)
from workshops.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


def test_job_runs_from_queued_through_running_to_done_with_its_file(workshop, settings):
    settings.JOBS_KEEP_HOURS = 24
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES)
    assert (job.state, job.done, job.total) == (Job.State.QUEUED, 0, 0)
    seen = []

    def work(running, progress):
        seen.append(Job.objects.values_list("state", flat=True).get(pk=running.pk))
        progress(0, 3)
        progress.flush()
        seen.append(Job.objects.values_list("done", "total").get(pk=running.pk))
        progress(3)
        return JobResult(content=b"%PDF-1.7 badges", name="badges.pdf", content_type="application/pdf")

    done = job_execute(job_id=job.pk, work=work)
    assert seen == [Job.State.RUNNING, (0, 3)]
    assert (done.state, done.done, done.total, done.result_size) == (Job.State.DONE, 3, 3, 15)
    assert done.expires_at - done.finished_at == timedelta(hours=24)
    assert job_result(job=done) == b"%PDF-1.7 badges"


def test_job_runs_at_most_once(workshop):
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES)
    calls = []

    def work(running, progress):
        calls.append(running.pk)
        return JobResult(content=b"x", name="x.pdf", content_type="application/pdf")

    job_execute(job_id=job.pk, work=work)
    again = job_execute(job_id=job.pk, work=work)
    assert (calls, again.state) == ([job.pk], Job.State.DONE)


def test_job_failed_by_its_work_says_why_in_words(workshop):
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES)

    def work(running, progress):
        raise JobFailed("Nothing to print yet: this workshop has no participant.")

    failed = job_execute(job_id=job.pk, work=work)
    assert (failed.state, failed.message_display) == (
        Job.State.FAILED,
        "Nothing to print yet: this workshop has no participant.",
    )
    assert job_result(job=failed) is None


def test_job_works_in_the_language_of_whoever_started_it_not_the_servers(workshop):
    """The work runs in a worker or a thread, where no request's language is active: the job keeps the
    requester's, so its failure reason (and the file it makes) reads in it."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("es"):
        job = job_create(workshop=workshop, kind=Job.Kind.BADGES)
    seen = []

    def work(running, progress):
        seen.append(translation.get_language())
        raise JobFailed(gettext("This group no longer exists."))

    with translation.override("en"):  # the worker's own language
        failed = job_execute(job_id=job.pk, work=work)
    assert seen == ["es"]
    assert failed.message_display == "Este grupo ya no existe."


def test_job_failing_unexpectedly_says_so_without_the_traceback(workshop, caplog):
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES)

    def work(running, progress):
        raise ZeroDivisionError("secret internals")

    failed = job_execute(job_id=job.pk, work=work)
    assert failed.state == Job.State.FAILED
    assert failed.message == Job.FAILED_WHILE_RUNNING
    assert "secret" not in failed.message_display
    assert "secret internals" in caplog.text  # the details go to the log


def running(workshop, *, heartbeat_age: float) -> Job:
    now = timezone.now()
    job = Job.objects.create(workshop=workshop, kind=Job.Kind.BADGES, state=Job.State.RUNNING, total=10, done=4)
    Job.objects.filter(pk=job.pk).update(
        started_at=now - timedelta(seconds=heartbeat_age + 5), heartbeat_at=now - timedelta(seconds=heartbeat_age)
    )
    return Job.objects.get(pk=job.pk)


def test_job_whose_worker_went_silent_is_failed_when_read(workshop, settings):
    settings.JOBS_STALE_SECONDS = 60
    alive, silent = running(workshop, heartbeat_age=10), running(workshop, heartbeat_age=61)
    jobs_fail_stale(jobs=[alive, silent])
    assert (alive.state, silent.state) == (Job.State.RUNNING, Job.State.FAILED)
    assert silent.message == Job.STOPPED_REPORTING
    assert Job.objects.get(pk=silent.pk).state == Job.State.FAILED


def test_job_no_worker_took_is_failed_after_the_wait(workshop, settings):
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    waiting = job_create(workshop=workshop, kind=Job.Kind.BADGES)
    forgotten = job_create(workshop=workshop, kind=Job.Kind.BADGES)
    Job.objects.filter(pk=forgotten.pk).update(created_at=timezone.now() - timedelta(seconds=121))
    forgotten.refresh_from_db()
    jobs_fail_stale(jobs=[waiting, forgotten])
    assert (waiting.state, forgotten.state, forgotten.message) == (Job.State.QUEUED, Job.State.FAILED, Job.NO_WORKER)


def test_job_failed_as_stale_reads_in_the_readers_language(workshop):
    from django.utils import translation

    job = running(workshop, heartbeat_age=600)
    jobs_fail_stale(jobs=[job])
    with translation.override("fr"):
        assert job.message_display != Job.STOPPED_REPORTING
        assert job.message_display


def test_job_stale_costs_no_query_when_none_is_stale(workshop, django_assert_num_queries):
    job = running(workshop, heartbeat_age=1)
    with django_assert_num_queries(0):
        jobs_fail_stale(jobs=[job])


def test_expired_jobs_and_their_files_are_deleted(workshop):
    old = job_execute(
        job_id=job_create(workshop=workshop, kind=Job.Kind.BADGES).pk,
        work=lambda job, progress: JobResult(content=b"x", name="x.pdf", content_type="application/pdf"),
    )
    Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    old.refresh_from_db()
    assert job_result(job=old) is None
    fresh = job_create(workshop=workshop, kind=Job.Kind.BADGES)  # creating one purges the expired
    assert list(Job.objects.filter(workshop=workshop)) == [fresh]
    assert jobs_purge_expired() == 0


# --- Started off the request ------------------------------------------------------------------

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_task_with_the_immediate_backend_runs_in_a_thread_and_the_caller_goes_on(settings):
    """The caller (a web request) returns while the task still runs; the task then finishes on its own."""
    if connection.vendor != "postgresql":
        pytest.skip("a thread writing while the test reads needs PostgreSQL (SQLite's test database locks its tables)")
    from tests.workshops import job_tasks

    settings.TASKS = IMMEDIATE
    settings.TASKS_IMMEDIATE_IN_THREAD = True
    workshop = f.workshop()
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES)
    job_tasks.release.clear()
    started = time.monotonic()
    task_enqueue(task=job_tasks.slow_job_task, job_id=job.pk)  # outside a transaction: starts at once
    assert time.monotonic() - started < 1
    deadline = time.monotonic() + 10
    while Job.objects.get(pk=job.pk).state != Job.State.RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING  # the caller went on; the job runs
    job_tasks.release.set()
    while Job.objects.get(pk=job.pk).state == Job.State.RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE
    for thread in threading.enumerate():
        if thread.name.startswith("task-"):
            thread.join(5)
    connection.close()


def test_task_with_a_worker_backend_is_queued_not_run(workshop, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from tests.workshops import job_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES)
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(task=job_tasks.slow_job_task, job_id=job.pk)
    assert DBTaskResult.objects.filter(task_path="tests.workshops.job_tasks.slow_job_task").count() == 1
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED


def test_a_job_thought_silent_that_finishes_after_all_is_done_with_its_file(workshop, settings):
    """A reader may fail a running job whose heartbeat looked old (a long step, a busy machine): when
    its work then finishes, the job is done and keeps its file (only an erasure's stop drops it)."""
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES)

    def work(running, progress):
        Job.objects.filter(pk=running.pk).update(state=Job.State.FAILED, message=Job.STOPPED_REPORTING)
        return JobResult(content=b"%PDF late", name="badges.pdf", content_type="application/pdf")

    done = job_execute(job_id=job.pk, work=work)
    assert (done.state, done.message, job_result(job=done)) == (Job.State.DONE, "", b"%PDF late")
