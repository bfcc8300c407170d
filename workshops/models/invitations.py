"""The e-mails that carry personal links."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import InterfaceLanguage
from .people import Facilitator, Participant
from .workshop import Workshop


class Invitation(models.Model):
    """One e-mail carrying a person's personal link: who was sent what, in which language, and when.

    Rows of one batch share `batch`; a batch is sent by a background task that claims each row
    (queued → sending) before sending it, so a batch run twice never sends anyone two copies.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("workshop")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("participant"),
    )
    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("facilitator"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVITATION)
    language = models.CharField(_("language"), max_length=2, choices=InterfaceLanguage.choices)
    to_email = models.EmailField(_("sent to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    # This failure stopped its run: the rest of the batch waits for the organiser to resume it.
    stopped_run = models.BooleanField(_("stopped the sending"), default=False)
    batch = models.UUIDField(_("batch"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When it was last handed to the task queue (created, or queued again by a resume): a batch
    # still waiting long after, with nothing claimed since, was taken by no worker.
    queued_at = models.DateTimeField(_("put in the queue"), default=timezone.now)
    attempted_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["workshop", "created_at"], name="invitation_workshop_created")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(participant__isnull=False, facilitator__isnull=True)
                    | models.Q(participant__isnull=True, facilitator__isnull=False)
                ),
                name="invitation_for_exactly_one_person",
                violation_error_message=_("An invitation goes to one participant or one facilitator."),
            ),
            models.UniqueConstraint(fields=["batch", "participant"], name="invitation_once_per_batch_participant"),
            models.UniqueConstraint(fields=["batch", "facilitator"], name="invitation_once_per_batch_facilitator"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.to_email} · {self.get_status_display()}"

    @property
    def person(self):
        return self.participant if self.participant_id else self.facilitator
