"""Repairs of the rotation on the day: a facilitator who cannot come, or a room that cannot be used, and the
re-plan proposed for it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Facilitator
from .runs import ScheduleChange
from .sessions import BreakoutSession
from .workshop import Room, Workshop


class RotationRepair(models.Model):
    """A facilitator unavailable from a time (or for some sessions), or a room unusable, and the repair for it.

    A room unusable moves its group to `new_room` for every session not yet started (a group keeps
    one room: the sessions held are shown in the new room too).

    Proposed first (nothing changes), then applied by an organiser (recorded in the schedule's
    history, so it can be undone) or discarded. Once applied, the withdrawal holds for every later
    repair: the facilitator is not put back.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="rotation_repairs")
    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="repairs",
        verbose_name=_("facilitator"),
    )
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("room unusable")
    )
    new_room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("room instead")
    )
    unavailable_from = models.DateTimeField(_("unavailable from"), null=True, blank=True)
    sessions = models.ManyToManyField(
        BreakoutSession, blank=True, related_name="+", verbose_name=_("unavailable for these sessions")
    )
    # Sessions that started by this moment were frozen: the repair changes none of them.
    frozen_at = models.DateTimeField(_("sessions frozen up to"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    # {"assignments": [[facilitator, session, group, locked], ...]}: the whole rotation after the repair.
    proposal = models.JSONField(default=dict, blank=True)
    # [[facilitator, session, group before or null, group after or null], ...]
    changes = models.JSONField(default=list, blank=True)
    # [[rule, message], ...]: rules the proposal still breaks (then it is the least bad option).
    problems = models.JSONField(default=list, blank=True)
    proven = models.BooleanField(default=False)  # the solver proved no repair changes fewer places
    seconds = models.FloatField(default=0)
    # The schedule's fingerprint when proposed: applying refuses if anything changed since.
    state_fingerprint = models.CharField(max_length=64)
    notified = models.JSONField(default=list, blank=True)  # ids of the facilitators e-mailed
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    change = models.ForeignKey(ScheduleChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rotation repair")
        verbose_name_plural = _("rotation repairs")
        constraints = [
            models.CheckConstraint(  # a facilitator who cannot come, or a room that cannot be used
                condition=models.Q(facilitator__isnull=False, room__isnull=True)
                | models.Q(facilitator__isnull=True, room__isnull=False),
                name="rotation_repair_facilitator_or_room",
            ),
        ]

    def __str__(self):
        return f"{self.facilitator or self.room} · {self.get_status_display()}"

    @property
    def breaks_rules(self) -> bool:
        return bool(self.problems)
