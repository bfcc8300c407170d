"""The schedule: who facilitates which group in which session."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Facilitator
from .sessions import BreakoutSession
from .workshop import Group


class Assignment(models.Model):
    """A facilitator facilitating one group in one session."""

    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("facilitator")
    )
    session = models.ForeignKey(
        BreakoutSession, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("session")
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("group"))
    locked = models.BooleanField(
        _("keep"), default=False, help_text=_("Building the rotation automatically keeps this assignment.")
    )

    class Meta:
        ordering = ["session__start", "group__name", "facilitator__name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # A facilitator is in one room per session (the double-booking rule, as far as one table can say it).
            models.UniqueConstraint(
                fields=["facilitator", "session"],
                name="assignment_one_room_per_session",
                violation_error_message=_("This facilitator already facilitates another group in this session."),
            ),
        ]

    def __str__(self):
        return _("%(facilitator)s: %(group)s, %(session)s") % {
            "facilitator": self.facilitator,
            "group": self.group,
            "session": self.session,
        }

    def clean(self):
        super().clean()
        workshops = {
            obj.workshop_id
            for obj in (
                self.facilitator if self.facilitator_id else None,
                self.session if self.session_id else None,
                self.group if self.group_id else None,
            )
            if obj is not None
        }
        if len(workshops) > 1:
            raise ValidationError(_("The facilitator, the session and the group must belong to the same workshop."))
