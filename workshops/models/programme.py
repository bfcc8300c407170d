"""A workshop's plenary programme: everything everyone attends together, around the break-out sessions."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ProgrammeKind
from .workshop import Room, Workshop, days_outside_message, days_outside_workshop


class ProgrammeItem(models.Model):
    """A plenary item (opening, presentation, report-back, break, meal, closing) at its place and time."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="programme_items", verbose_name=_("workshop")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices, default=ProgrammeKind.PRESENTATION)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Such as Main hall. Leave empty when you choose a room.")
    )
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_items",
        verbose_name=_("room"),
    )

    class Meta:
        ordering = ["workshop", "start", "end", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="programme_item_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("An item must end after it starts.")})
        if self.room_id and self.workshop_id and self.room.workshop_id != self.workshop_id:
            raise ValidationError({"room": _("Choose a room of this workshop.")})
        self._clean_within_workshop_days()

    @property
    def where(self) -> str:
        """Where it happens, as people read it: the place typed in, else the room's name."""
        if self.place:
            return self.place
        return self.room.name if self.room_id else ""

    def _clean_within_workshop_days(self):
        """An item falls on the workshop's days, counted on the clock of the workshop's zone."""
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
                            "The workshop runs from %(first)s to %(last)s: this item is on %(day)s. "
                            "Change its date, or the workshop’s days."
                        ),
                    )
                }
            )
