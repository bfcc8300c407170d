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


class ScheduleChange(models.Model):
    """One change of who is in which group or who facilitates where, as applied, so it can be undone.

    `before` holds every participant's group (and hand lock) and every assignment as they were just
    before the change; `after_fingerprint` the same state just after. Undo is offered while the
    workshop is still exactly as the change left it, so nothing made since is ever lost.
    """

    class Kind(models.TextChoices):
        PLACEMENT = "placement", _("Placement applied")
        ROTATION = "rotation", _("Rotation applied")
        MOVE = "move", _("Participant moved by hand")
        SWAP = "swap", _("Facilitators swapped by hand")
        ASSIGN = "assign", _("Facilitator assigned by hand")
        UNLOCK = "unlock", _("No longer kept by hand")
        REPAIR = "repair", _("Day repaired")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="schedule_changes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("what changed"), max_length=300, blank=True)  # never a participant's name
    # For a move: {"participant": id, "group": id or null}, named when shown (an erased name stays erased);
    # an assignment made or unlocked: {"facilitator", "session", "group"}; a participant unlocked: {"participant", "group"}.
    detail = models.JSONField(default=dict, blank=True)
    run = models.ForeignKey(ScheduleRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    before = models.JSONField(default=dict)
    after_fingerprint = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        indexes = [models.Index(fields=["workshop", "-created_at"], name="schedule_change_recent")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.workshop}"
