"""A task for tests/workshops/test_jobs.py: a job that waits for the test to let it finish."""

import threading

from django.tasks import task

from workshops.jobs import JobResult, job_execute

release = threading.Event()


def _wait(job, progress):
    progress(0, 1)
    progress.flush()
    release.wait(10)
    progress(1)
    return JobResult(content=b"done", name="done.txt", content_type="text/plain")


@task
def slow_job_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_wait).state
