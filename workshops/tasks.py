"""Background tasks (Django's tasks framework): solving must not block a web request.

Tasks come after services: they run services and queue themselves, and no service imports them.
`schedule_run_task`'s import path is stored in queued rows (django-tasks-db): keep it.
"""

from django.db import transaction
from django.tasks import task

from .models import ScheduleRun, Workshop
from .services import schedule_run_create, schedule_run_execute


@task
def schedule_run_task(run_id: int) -> str:
    return schedule_run_execute(run_id=run_id).status


def schedule_run_start(*, workshop: Workshop, kind: str, user=None, time_limit: int = 10, weights=None) -> ScheduleRun:
    """Create an automatic placement or rotation and queue it; it runs as a background task (at once in development).

    It is queued once the caller's transaction commits, so the worker finds the run. Its budget is
    capped at what the task backend can serve (`schedule_run_create`).
    """
    run = schedule_run_create(workshop=workshop, kind=kind, user=user, time_limit=time_limit, weights=weights)
    transaction.on_commit(lambda: schedule_run_task.enqueue(run.pk))
    return run
