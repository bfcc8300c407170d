"""Background tasks (Django's tasks framework): solving must not block a web request."""

from django.tasks import task


@task
def schedule_run_task(run_id: int) -> str:
    from .services import schedule_run_execute

    return schedule_run_execute(run_id=run_id).status
