"""Announcements: a message from the organisers to everyone, one room, one group or the facilitators (issue 17)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workshop import Group, Room, Workshop


class Announcement(models.Model):
    """A message shown as a banner on the pages of the people it is for, until each dismisses it.

    The message is translated (django-modeltranslation: `message_en`, `message_es`, `message_fr`);
    a reader whose language has no text reads the English. Who it reaches is decided when read
    (`workshops.announcements`), so someone placed in the group later sees it too. Withdrawn, it
    leaves every page but stays in the history.
    """

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone (participants and facilitators)")
        ROOM = "room", _("One room (its group and the facilitators who visit it)")
        GROUP = "group", _("One group (its participants and the facilitators who visit it)")
        FACILITATORS = "facilitators", _("The facilitators")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("workshop")
    )
    audience = models.CharField(_("to"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, null=True, blank=True, related_name="announcements", verbose_name=_("room")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="announcements", verbose_name=_("group")
    )
    message = models.TextField(_("message"), max_length=2000)
    by_email = models.BooleanField(_("also by e-mail"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    # The e-mail: claimed once (`emailed_at` set when sending starts), then the counts of the batch.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    emailed_count = models.PositiveIntegerField(_("e-mails sent"), default=0)
    email_failed_count = models.PositiveIntegerField(_("e-mails not sent"), default=0)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["workshop", "withdrawn_at"], name="announcement_workshop_current")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience="room", room__isnull=False) | ~models.Q(audience="room"),
                name="announcement_room_names_a_room",
            ),
            models.CheckConstraint(
                condition=models.Q(audience="group", group__isnull=False) | ~models.Q(audience="group"),
                name="announcement_group_names_a_group",
            ),
        ]

    def __str__(self):
        return f"{self.get_audience_display()}: {self.message[:60]}"

    def clean(self):
        super().clean()
        if self.audience == self.Audience.ROOM and not self.room_id:
            raise ValidationError({"room": _("Choose the room.")})
        if self.audience == self.Audience.GROUP and not self.group_id:
            raise ValidationError({"group": _("Choose the group.")})
        if self.room_id and self.workshop_id and self.room.workshop_id != self.workshop_id:
            raise ValidationError({"room": _("Choose a room of this workshop.")})
        if self.group_id and self.workshop_id and self.group.workshop_id != self.workshop_id:
            raise ValidationError({"group": _("Choose a group of this workshop.")})

    @property
    def audience_display(self) -> str:
        """To whom, in words: "Room B", "Group A", or the audience's name."""
        if self.audience == self.Audience.ROOM and self.room_id:
            return str(self.room)
        if self.audience == self.Audience.GROUP and self.group_id:
            return str(self.group)
        return str(self.get_audience_display())


class AnnouncementDismissal(models.Model):
    """One person (by their personal-link login) has dismissed one announcement: it never shows to them again."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="dismissals", verbose_name=_("announcement")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(_("dismissed"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed announcement")
        verbose_name_plural = _("dismissed announcements")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="announcement_dismissed_once"),
        ]

    def __str__(self):
        return f"{self.announcement_id} · {self.user_id}"
