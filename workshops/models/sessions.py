"""A workshop's break-out sessions."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workshop import Workshop, days_outside_message, days_outside_workshop


class BreakoutSession(models.Model):
    """A break-out session: every group meets in its own room at the same time, on one topic."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("workshop")
    )
    title = models.CharField(_("topic"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    section = models.ForeignKey(
        "curriculum.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("curriculum section"),
    )
    facilitators_required = models.PositiveSmallIntegerField(
        _("facilitators per group"), default=2, help_text=_("Usually two: sessions are co-facilitated.")
    )
    # The session's own guide, written by its organisers (one item per line, in each language): a
    # kind left empty shows the curriculum section's items of that kind instead.
    guide_questions = models.TextField(_("guiding questions"), blank=True, help_text=_("One per line."))
    guide_messages = models.TextField(_("key messages"), blank=True, help_text=_("One per line."))
    guide_exercises = models.TextField(_("practical exercises"), blank=True, help_text=_("One per line."))

    class Meta:
        ordering = ["workshop", "start", "pk"]
        verbose_name = _("break-out session")
        verbose_name_plural = _("break-out sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="session_ends_after_it_starts"),
            models.CheckConstraint(
                condition=models.Q(facilitators_required__gte=1), name="session_needs_a_facilitator"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})
        if self.facilitators_required is not None and self.facilitators_required < 1:
            raise ValidationError({"facilitators_required": _("A session needs at least one facilitator per group.")})
        self._clean_within_workshop_days()

    def _clean_within_workshop_days(self):
        """A session falls on the workshop's days, counted on the clock of the workshop's zone."""
        try:
            workshop = self.workshop  # on a new workshop's page: the unsaved workshop of the same form
        except ObjectDoesNotExist:
            return
        for field, day in days_outside_workshop(workshop, self.start, self.end).items():
            raise ValidationError(
                {
                    field: days_outside_message(
                        workshop,
                        day,
                        _(
                            "The workshop runs from %(first)s to %(last)s: this session is on %(day)s. "
                            "Change its date, or the workshop’s days."
                        ),
                    )
                }
            )
