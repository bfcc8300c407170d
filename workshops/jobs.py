"""Background jobs with progress, and starting a task so that no web request waits for it.

A job is a `Job` row: queued, then running with done/total counters and a heartbeat, then done
with its result (a file kept in the database, so any app server hands it out) or failed with a
reason in words. The work itself is a function given to `job_execute` by the task that runs it
(`worksheets.tasks` for badges); this module knows nothing of what a job makes.

The liveness rules are the solver runs' (`workshops.services.schedule_runs_fail_stale`): a queued
job no worker took within `TASKS_QUEUE_WAIT_SECONDS`, or a running one whose heartbeat is older
than `JOBS_STALE_SECONDS`, is failed when read, saying why.

`task_enqueue` starts any task off the request: with a worker (TASKS_BACKEND=database) it is
queued; with the immediate backend (the development default) it runs in a thread started once the
caller's transaction commits, so the response goes out at once (`TASKS_IMMEDIATE_IN_THREAD`).
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone, translation

from .models import Job, Workshop

logger = logging.getLogger(__name__)

IMMEDIATE_BACKEND = "django.tasks.backends.immediate.ImmediateBackend"
PROGRESS_WRITE_INTERVAL = 0.5  # seconds between progress writes (each is also a heartbeat)
PROGRESS_WRITE_TIMEOUT = 2.0  # seconds the work waits for a progress write made apart from its transaction


@dataclass(frozen=True)
class JobResult:
    content: bytes
    name: str  # the download's file name
    content_type: str


class JobFailed(Exception):
    """Raised by a job's work to fail it with this message (in the reader's words), not a generic one."""


def task_runs_in_thread() -> bool:
    """Whether `task_enqueue` runs tasks in a thread of this process (the immediate backend) or queues them."""
    immediate = settings.TASKS["default"]["BACKEND"] == IMMEDIATE_BACKEND
    return immediate and settings.TASKS_IMMEDIATE_IN_THREAD


def task_enqueue(*, task, **kwargs) -> None:
    """Start `task(**kwargs)` once the caller's transaction commits, without holding the web request.

    With a worker backend the task is queued for it. With the immediate backend, which would run it
    inside the request, it runs in a daemon thread of this process instead (unless
    `TASKS_IMMEDIATE_IN_THREAD` is off, as in the tests, where it then runs at once). A thread dies
    with its process: the job's heartbeat stops and the job is failed when read, saying so.
    """

    def start():
        if not task_runs_in_thread():
            task.enqueue(**kwargs)
            return
        thread = threading.Thread(target=_run_in_thread, args=(task, kwargs), name=f"task-{task.name}", daemon=True)
        thread.start()

    transaction.on_commit(start)


def _run_in_thread(task, kwargs) -> None:
    try:
        task.call(**kwargs)
    except Exception:  # the job or batch records its own failure; the log has the details
        logger.exception("Background task %s failed", task.name)
    finally:
        connections.close_all()  # this thread's own connections


def job_create(*, workshop: Workshop, kind: str, user=None, params: dict | None = None) -> Job:
    """Record a queued job (nothing runs yet), first deleting the workshop's expired ones (and their files).

    The job keeps the language active now (the requester's page's): its work runs in it (`job_execute`).
    """
    jobs_purge_expired(workshop=workshop)
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    return Job.objects.create(workshop=workshop, kind=kind, created_by=user, params=params)


def jobs_purge_expired(*, workshop: Workshop | None = None) -> int:
    """Delete the jobs whose result has expired (`JOBS_KEEP_HOURS` after they finished). Returns how many."""
    expired = Job.objects.filter(expires_at__lt=timezone.now())
    if workshop is not None:
        expired = expired.filter(workshop=workshop)
    return expired.delete()[0]


# Progress a job's work could not write yet (SQLite: the work's transaction holds the only write
# lock), for readers in the process that runs it: {job id: (done, total, when)}.
_UNWRITTEN: dict[int, tuple[int, int, object]] = {}
_UNWRITTEN_LOCK = threading.Lock()


def job_progress_unwritten(*, job: Job) -> None:
    """A running job as read from the database, with the progress its work could not write yet.

    On SQLite an import's counters wait for its transaction to end; when this process runs the job
    (the immediate backend's thread, as under `dev.py run`), its page still sees them advance, and its
    heartbeat. In memory only; a reader in another process sees the database's figures.
    """
    if job.state != Job.State.RUNNING:
        return
    with _UNWRITTEN_LOCK:
        entry = _UNWRITTEN.get(job.pk)
    if entry is not None and entry[0] >= job.done:
        job.done, job.total, job.heartbeat_at = entry


class JobProgress:
    """What a job's work calls as it goes: `progress(done, total)`; writes at most every half second.

    Each write also beats the heartbeat. The last call is always written (`flush`). Work that runs
    in a transaction of its own (an import: all rows or none) would hide its counters until it
    commits, or roll them back with a dry run: on PostgreSQL they are then written from a
    connection of their own, so the progress page sees them advance. SQLite takes one writer at a
    time, and the work's transaction holds it: there they wait until the transaction ends (the
    page shows the count the work gave before it, then the end).
    """

    def __init__(self, job: Job):
        self.job = job
        self.last_write = 0.0
        self.pending: tuple[int, int] | None = None
        self.depth = len(connection.atomic_blocks)  # the transactions open when the work starts

    def __call__(self, done: int, total: int | None = None) -> None:
        total = self.job.total if total is None else total
        self.job.done, self.job.total = min(done, total), total
        self.pending = (self.job.done, total)
        now = timezone.now().timestamp()
        if now - self.last_write >= PROGRESS_WRITE_INTERVAL:
            self.flush()

    def flush(self) -> None:
        if self.pending is None:
            return
        done, total = self.pending
        in_work_transaction = len(connection.atomic_blocks) > self.depth
        if in_work_transaction and connection.vendor == "sqlite":
            # Kept pending, written once the transaction is over; meanwhile readers in this process
            # (the development server, which runs the job in one of its threads) see it.
            with _UNWRITTEN_LOCK:
                _UNWRITTEN[self.job.pk] = (done, total, timezone.now())
            return
        if in_work_transaction:
            written = []
            writer = threading.Thread(target=self._write_apart, args=(done, total, written), name="job-progress")
            writer.start()
            writer.join(PROGRESS_WRITE_TIMEOUT)  # the write waits for no lock (`_write_apart`): seldom this long
        else:
            written = [True] if self._write(done, total) else []
        # A failed write is tried again at the next interval, not at every row.
        self.last_write = timezone.now().timestamp()
        if written:
            self.pending = None

    def _write(self, done: int, total: int) -> bool:
        try:
            Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(
                done=done, total=total, heartbeat_at=timezone.now()
            )
        except DatabaseError:
            return False  # the live display is best-effort; the final state is written in any case
        return True

    def _write_apart(self, done: int, total: int, written: list) -> None:
        """In a thread: with its own connection, outside the work's transaction (closed after); waits for no lock."""
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '500ms'")
                Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(
                    done=done, total=total, heartbeat_at=timezone.now()
                )
            written.append(True)
        except DatabaseError:
            pass  # best-effort, as `_write`
        finally:
            connections.close_all()


def job_execute(*, job_id: int, work: Callable[[Job, JobProgress], JobResult]) -> Job:
    """Run a queued job's `work`, reporting progress, and keep its result; at most once per job.

    The job is claimed (queued → running) with a conditional UPDATE: a second run of the same task,
    or a job a reader failed meanwhile (no worker took it in time), does nothing. The result is kept
    in the database until `JOBS_KEEP_HOURS` after it finished. The work runs in the language of whoever
    started the job. `JobFailed` fails the job with its message (in that language); any other error
    with a generic one, stored untranslated and shown in the reader's (the details go to the log).
    """
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now
    )
    job = Job.objects.without_result().select_related("workshop").get(pk=job_id)
    if not taken:
        return job
    progress = JobProgress(job)
    try:
        return _job_run(job, work, progress)
    finally:
        with _UNWRITTEN_LOCK:
            _UNWRITTEN.pop(job.pk, None)


def _job_run(job: Job, work, progress: JobProgress) -> Job:
    try:
        # A worker or thread has no request's language: work in the requester's (its reasons, its file).
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            result = work(job, progress)
    except Exception as error:
        if isinstance(error, JobFailed):
            message = str(error)
        else:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            message = Job.FAILED_WHILE_RUNNING
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, message=message[:2000], finished_at=timezone.now())
        job.refresh_from_db(fields=["state", "message", "finished_at"])
        return job
    finished = timezone.now()
    progress.flush()
    # A job an erasure stopped meanwhile keeps no file (it may name the erased person). One a reader
    # thought had stopped reporting finished after all: it is done.
    Job.objects.filter(pk=job.pk).exclude(state=Job.State.FAILED, message=Job.STOPPED_BY_ERASURE).update(
        state=Job.State.DONE,
        done=progress.job.total,
        total=progress.job.total,
        message="",  # a reader may have thought it stopped reporting: it finished after all
        result=result.content,
        result_name=result.name,
        result_type=result.content_type,
        result_size=len(result.content),
        finished_at=finished,
        expires_at=finished + timedelta(hours=settings.JOBS_KEEP_HOURS),
    )
    return Job.objects.without_result().select_related("workshop").get(pk=job.pk)


def jobs_stop_unfinished(*, workshop_id: int, message: str) -> int:
    """Fail the workshop's queued and running jobs with `message` (stored untranslated); returns how many.

    A stopped job's work may go on, but what it makes is never kept when `message` is
    `Job.STOPPED_BY_ERASURE` (`job_execute`), and a queued one is never started.
    """
    return Job.objects.filter(workshop_id=workshop_id, state__in=(Job.State.QUEUED, Job.State.RUNNING)).update(
        state=Job.State.FAILED, message=message, finished_at=timezone.now()
    )


def jobs_fail_stale(*, jobs: list[Job]) -> None:
    """Fail each job that no live worker serves, saying why; update `jobs` (the solver runs' rule).

    Running with a heartbeat older than `JOBS_STALE_SECONDS`: its worker or thread died. Queued
    for longer than `TASKS_QUEUE_WAIT_SECONDS`: no worker took it. Costs no query when none is stale;
    one that a worker took or finished meanwhile is only reloaded.
    """
    now = timezone.now()
    stale_beat = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    queued_since = now - timedelta(seconds=settings.TASKS_QUEUE_WAIT_SECONDS)
    for job in jobs:
        if job.state == Job.State.RUNNING:
            if (job.heartbeat_at or job.started_at or job.created_at) >= stale_beat:
                continue
            unchanged, reason = {"state": job.state, "heartbeat_at": job.heartbeat_at}, Job.STOPPED_REPORTING
        elif job.state == Job.State.QUEUED:
            if job.created_at >= queued_since:
                continue
            unchanged, reason = {"state": job.state}, Job.NO_WORKER
        else:
            continue
        failed_at = timezone.now()
        if Job.objects.filter(pk=job.pk, **unchanged).update(
            state=Job.State.FAILED, message=reason, finished_at=failed_at
        ):
            job.state, job.message, job.finished_at = Job.State.FAILED, reason, failed_at
        else:
            job.refresh_from_db(fields=["state", "message", "done", "total", "heartbeat_at", "finished_at"])


def job_result(*, job: Job) -> bytes | None:
    """The job's file, or None when it has none (not done, or expired)."""
    if job.state != Job.State.DONE or (job.expires_at and job.expires_at < timezone.now()):
        return None
    content = Job.objects.filter(pk=job.pk).values_list("result", flat=True).first()
    return bytes(content) if content is not None else None
