"""Background jobs: long work for an organiser (a PDF of every badge...) with its progress and its result."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .workshop import Workshop


class JobQuerySet(models.QuerySet):
    def without_result(self):
        """Everything but the result's bytes (megabytes): what every page but the download needs."""
        return self.defer("result")


class Job(models.Model):
    """One piece of long work run by a background task: queued, running (done of total), then done or failed.

    The result (a file) is kept in the database, not on one server's disk, so any app server
    behind the address can hand it out; it expires after `JOBS_KEEP_HOURS`. A running job beats
    `heartbeat_at` as it progresses; one that stops (its worker was killed) is failed when read,
    as solver runs are (`workshops.jobs.jobs_fail_stale`).
    """

    class Kind(models.TextChoices):
        BADGES = "badges", _("Participant badges (PDF)")
        REPORT_XLSX = "report_xlsx", _("Feedback report (Excel)")
        REPORT_CSV = "report_csv", _("Feedback report (CSV)")
        IMPORT_PREVIEW = "import_preview", _("Registration file check")
        IMPORT_APPLY = "import_apply", _("Registration import")
        CERTIFICATES = "certificates", _("Certificates of participation (PDF)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("workshop"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)  # e.g. {"group": 12}
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # Why it failed (a stored reason is in English, shown translated: `message_display`).
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    result = models.BinaryField(_("result"), null=True, blank=True, editable=False)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_type = models.CharField(_("file type"), max_length=100, blank=True)
    result_size = models.PositiveIntegerField(_("file size"), default=0)

    objects = JobQuerySet.as_manager()

    # Stored in `message` untranslated, shown in the reader's language (`message_display`).
    STOPPED_REPORTING = gettext_noop(
        "The worker doing this stopped reporting (it was stopped or restarted), so the job failed. Start it again."
    )
    NO_WORKER = gettext_noop("No task worker picked this job up: is `manage.py db_worker` running?")
    FAILED_WHILE_RUNNING = gettext_noop("Something went wrong while doing this; the error was logged. Start it again.")
    STOPPED_BY_ERASURE = gettext_noop(
        "Stopped: a participant's personal data was erased while this was being made, and it may have "
        "named them. Start it again."
    )
    KNOWN_MESSAGES = (STOPPED_REPORTING, NO_WORKER, FAILED_WHILE_RUNNING, STOPPED_BY_ERASURE)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["workshop", "kind", "created_at"], name="job_workshop_kind_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_at_most_total"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.workshop_id} · {self.get_state_display()}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def expired(self) -> bool:
        """Done, and its file no longer kept (`JOBS_KEEP_HOURS` after it finished)."""
        return self.state == self.State.DONE and self.expires_at is not None and self.expires_at < timezone.now()

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def message_display(self) -> str:
        return gettext(self.message) if self.message in self.KNOWN_MESSAGES else self.message
