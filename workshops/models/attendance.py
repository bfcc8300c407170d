"""Attendance: who attended which break-out session, and every change to it (issue 16)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import AttendanceSource, AttendanceStatus
from .people import Participant
from .sessions import BreakoutSession
from .workshop import Group


class Attendance(models.Model):
    """One participant's attendance of one session, as last marked. No row: not recorded yet."""

    session = models.ForeignKey(
        BreakoutSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("participant")
    )
    # The group the participant was in when marked: the figures per group keep it if they move later.
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendance", verbose_name=_("group")
    )
    status = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus.choices)
    source = models.CharField(_("recorded by"), max_length=12, choices=AttendanceSource.choices)
    # Raised by each change: a mark sent from a stale page (or queued offline) is refused, not applied.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["session__start", "participant__name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once_per_session"),
        ]

    def __str__(self):
        return f"{self.participant}: {self.session} ({self.get_status_display()})"


class AttendanceChange(models.Model):
    """Who changed an attendance mark, from what to what, and when: the organiser's history."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="changes", verbose_name=_("attendance")
    )
    before = models.CharField(_("before"), max_length=12, choices=AttendanceStatus.choices, blank=True)
    after = models.CharField(_("after"), max_length=12, choices=AttendanceStatus.choices)
    source = models.CharField(_("recorded by"), max_length=12, choices=AttendanceSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")

    def __str__(self):
        return f"{self.attendance}: {self.before or '—'} → {self.after}"
