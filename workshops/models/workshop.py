"""A workshop and its rooms: the workshop, its language modes, rooms and groups."""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..enums import CertificateRule
from ..languages import LanguageListField, language_names
from ..rules import workshops_organised_by

# Short names that are addresses of the back office (/organise/new/ is the guided set-up's first step).
RESERVED_SLUGS = frozenset({"new"})


def validate_slug_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” names a page of the back office: choose another short name."), params={"value": value}
        )


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as Europe/Zurich."), params={"value": value})


class WorkshopQuerySet(models.QuerySet):
    def organised_by(self, user):
        """The workshops this user may manage: all for a superuser, their team's otherwise (`rules`)."""
        return self.filter(workshops_organised_by(user))

    def published(self):
        return self.filter(is_published=True)


class Workshop(models.Model):
    slug = models.SlugField(
        _("short name"),
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("Used in addresses, such as idm-2005-capacity."),
    )
    title = models.CharField(_("title"), max_length=200)
    series = models.CharField(
        _("series"), max_length=200, blank=True, help_text=_("Such as International Dialogue on Migration.")
    )
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Zurich",
        validators=[validate_timezone],
        help_text=_("Session times are shown in this time zone."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_workshops", verbose_name=_("organising team")
    )
    is_published = models.BooleanField(_("published"), default=False, help_text=_("Listed on the home page."))
    worksheets_open = models.BooleanField(
        _("worksheets open"), default=True, help_text=_("Participants can edit and submit their worksheets.")
    )
    links_valid_until = models.DateField(
        _("personal links work until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the default: some days after the last day (see the README)."),
    )
    invitation_note = models.TextField(
        _("your message in the invitations"),
        blank=True,
        help_text=_("Venue, logistics: included in every invitation, after the greeting."),
    )

    # Evidence of capacity built (issue 16): self check-in's window, and who earns a certificate.
    checkin_margin_minutes = models.PositiveSmallIntegerField(
        _("check-in margin (minutes)"),
        default=15,
        help_text=_(
            "Participants can check themselves in from this long before a session starts until this long after it ends."
        ),
    )
    certificate_rule = models.CharField(
        _("certificates go to"),
        max_length=20,
        choices=CertificateRule.choices,
        default=CertificateRule.EVERY_SESSION,
    )
    certificate_min_sessions = models.PositiveSmallIntegerField(
        _("sessions needed"),
        null=True,
        blank=True,
        help_text=_("With “at least a number of sessions”: how many."),
    )
    certificate_needs_evaluation = models.BooleanField(
        _("only after the evaluation"),
        default=False,
        help_text=_("Participants must also have submitted the workshop’s evaluation."),
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="workshop_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})
        if self.certificate_rule == CertificateRule.AT_LEAST and not self.certificate_min_sessions:
            raise ValidationError({"certificate_min_sessions": _("Say how many sessions a certificate needs.")})


def days_outside_workshop(workshop, start, end) -> dict:
    """{"start"/"end": the day it falls on} for each end of a time span (a session, a programme item)
    that falls outside the workshop's days, counted on the clock of the workshop's zone; a span may
    end at midnight closing the last day. Empty when all is well, or when it cannot be said yet (an
    unsaved workshop without days, a zone its own form will refuse)."""
    if not (workshop.start_date and workshop.end_date and start and end):
        return {}
    try:
        zone = zoneinfo.ZoneInfo(workshop.timezone)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return {}
    days = {"start": start.astimezone(zone).date(), "end": (end.astimezone(zone) - timedelta(microseconds=1)).date()}
    return {field: day for field, day in days.items() if not workshop.start_date <= day <= workshop.end_date}


def days_outside_message(workshop, day, text) -> str:
    """`text` ("The workshop runs from %(first)s to %(last)s: this … is on %(day)s. …") with its dates."""
    return text % {
        "first": date_format(workshop.start_date, "DATE_FORMAT"),
        "last": date_format(workshop.end_date, "DATE_FORMAT"),
        "day": date_format(day, "DATE_FORMAT"),
    }


class LanguageMode(models.Model):
    """How a room works linguistically: English only, or tri-lingual with interpretation."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="language_modes", verbose_name=_("workshop")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Such as Tri-lingual or English only."))
    languages = LanguageListField(_("languages"), help_text=_("Every language spoken or interpreted in the room."))
    interpretation = models.BooleanField(_("interpretation"), default=False)

    class Meta:
        ordering = ["workshop", "pk"]
        verbose_name = _("language mode")
        verbose_name_plural = _("language modes")

    def __str__(self):
        return f"{self.name} ({language_names(self.languages)})"

    def clean(self):
        super().clean()
        if isinstance(self.languages, list) and not self.languages:
            raise ValidationError({"languages": _("A language mode needs at least one language.")})
        if self.interpretation and isinstance(self.languages, list) and len(self.languages) < 2:
            raise ValidationError({"interpretation": _("Interpretation needs at least two languages.")})


class Room(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("workshop"))
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats for participants."))
    language_mode = models.ForeignKey(
        LanguageMode, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("language mode")
    )
    directions = models.CharField(_("how to find it"), max_length=300, blank=True)

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"],
                name="room_unique_name_per_workshop",
                violation_error_message=_("This workshop already has a room with this name."),
            ),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.capacity is not None and self.capacity <= 0:
            raise ValidationError({"capacity": _("A room needs at least one seat.")})
        if self.language_mode_id and self.workshop_id and self.language_mode.workshop_id != self.workshop_id:
            raise ValidationError({"language_mode": _("Choose a language mode of this workshop.")})


class Group(models.Model):
    """A group of participants. It keeps one room for the whole workshop (2005: Group A in Room A)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="groups", verbose_name=_("workshop"))
    name = models.CharField(_("name"), max_length=50, help_text=_("Such as A."))
    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="group", verbose_name=_("room"))

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"],
                name="group_unique_name_per_workshop",
                violation_error_message=_("This workshop already has a group with this name."),
            ),
        ]

    def __str__(self):
        return _("Group %(name)s") % {"name": self.name}

    def clean(self):
        super().clean()
        if self.room_id and self.workshop_id and self.room.workshop_id != self.workshop_id:
            raise ValidationError({"room": _("Choose a room of this workshop.")})
