"""The solver's runs: a placement or rotation's progress, then the proposal an organiser applies or discards."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .workshop import Workshop


class ScheduleRun(models.Model):
    """One automatic placement or rotation: its progress while it runs, then a proposal to review.

    Nothing changes in the workshop until an organiser applies the proposal.
    """

    class Kind(models.TextChoices):
        PLACEMENT = "placement", _("Place participants")
        ROTATION = "rotation", _("Build rotation")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready to review")
        INFEASIBLE = "infeasible", _("Impossible as it stands")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="schedule_runs")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    time_limit = models.PositiveSmallIntegerField(_("time budget (seconds)"), default=10)
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    # [[seconds, objective], ...] as better solutions are found
    progress = models.JSONField(default=list, blank=True)
    # placement: {"groups": {participant id: group id}}; rotation: {"assignments": [[f, s, g, locked], ...]}
    proposal = models.JSONField(default=dict, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    problems = models.JSONField(default=list, blank=True)  # [[rule, message], ...] when infeasible
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Beaten every few seconds while the worker solves: a run whose beat stops is failed when read.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    # Stored in `error` untranslated, shown in the reader's language (`error_display`).
    STOPPED_REPORTING = gettext_noop(
        "The worker running this solver stopped reporting (it was stopped, or ran out of time), so the run failed. "
        "Nothing was changed: start it again, with a shorter time budget if the server cut it off."
    )

    NO_WORKER = gettext_noop("No task worker picked this run up: is `manage.py db_worker` running?")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        constraints = [
            models.CheckConstraint(condition=models.Q(time_limit__gte=1), name="schedule_run_time_limit_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.workshop} · {self.get_status_display()}"

    @property
    def stopped_reporting(self) -> bool:
        """Failed because its worker went silent (killed, timed out), not because the solver raised."""
        return self.status == self.Status.FAILED and self.error == self.STOPPED_REPORTING

    @property
    def never_picked_up(self) -> bool:
        """Failed because it waited in the queue longer than `TASKS_QUEUE_WAIT_SECONDS`: no worker took it."""
        return self.status == self.Status.FAILED and self.error == self.NO_WORKER

    @property
    def error_display(self) -> str:
        return gettext(self.error) if self.stopped_reporting or self.never_picked_up else self.error
