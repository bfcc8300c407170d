"""The people of a workshop: participants and facilitators, and when facilitators are available."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..enums import Gender, InterfaceLanguage, Region
from ..languages import LanguageListField
from .workshop import Group, Workshop


class Person(models.Model):
    """What participants and facilitators share."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    languages = LanguageListField(_("languages spoken"))
    link_opened_at = models.DateTimeField(
        _("first opened their link"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty: this person has never opened their personal link."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=InterfaceLanguage.choices,
        default=InterfaceLanguage.ENGLISH,
        help_text=_("The language of their pages and e-mails."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if isinstance(self.languages, list) and not self.languages:
            raise ValidationError({"languages": _("Give at least one language this person speaks.")})


class Participant(Person):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="participants", verbose_name=_("workshop")
    )
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants", verbose_name=_("group")
    )
    group_locked = models.BooleanField(
        _("keep in this group"), default=False, help_text=_("Automatic placement will not move this participant.")
    )
    # The login behind the personal link; created with the first link (`workshops.access`).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="participant",
    )

    class Meta:
        ordering = ["workshop", "name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "workshop",
                name="participant_unique_email_per_workshop",
                violation_error_message=_("Another participant of this workshop has this e-mail address."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.group_id and self.workshop_id and self.group.workshop_id != self.workshop_id:
            raise ValidationError({"group": _("Choose a group of this workshop.")})
        if self.group_locked and not self.group_id:
            raise ValidationError({"group_locked": _("Choose a group before keeping the participant in it.")})


class Facilitator(Person):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="facilitators", verbose_name=_("workshop")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="facilitator",
    )
    expertise = models.ManyToManyField(
        "curriculum.Section",
        blank=True,
        related_name="experts",
        verbose_name=_("expertise"),
        help_text=_("Curriculum sections this person knows well."),
    )

    class Meta:
        ordering = ["workshop", "name", "pk"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "workshop",
                name="facilitator_unique_email_per_workshop",
                violation_error_message=_("Another facilitator of this workshop has this e-mail address."),
            ),
        ]


class Availability(models.Model):
    """A window in which a facilitator can facilitate. None at all means: available throughout."""

    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.CASCADE, related_name="availability", verbose_name=_("facilitator")
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["facilitator", "start"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="availability_ends_after_start"),
        ]

    def __str__(self):
        # In the current zone: the pages that name a window make its workshop's zone current.
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The window must end after it starts.")})
