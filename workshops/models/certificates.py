"""Certificates of participation (issue 16): one per participant who qualifies, verifiable by its code."""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import InterfaceLanguage
from .people import Participant

# 20 random bytes: 160 bits, written as 32 base-32 characters (A-Z, 2-7: no 0/O or 1/I to confuse).
CODE_BYTES = 20
CODE_GROUP = 4  # shown in groups of four, to read aloud or type


def certificate_code_new() -> str:
    """A fresh verification code: 160 bits from `secrets`, so it can be neither guessed nor enumerated."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=")


def certificate_code_normalise(text: str) -> str:
    """The code as stored, from what a person typed or read: case, spaces and dashes do not matter."""
    return "".join(char for char in (text or "").upper() if char.isalnum())


class Certificate(models.Model):
    """A participant's certificate of participation. Never deleted by a revocation: marked revoked, with why."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="certificate", verbose_name=_("participant")
    )
    code = models.CharField(_("verification code"), max_length=40, unique=True, default=certificate_code_new)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=InterfaceLanguage.choices,
        default=InterfaceLanguage.ENGLISH,
        help_text=_("The participant's language when it was issued."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["participant__name", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.participant} · {self.code_display}"

    def get_absolute_url(self):
        return reverse("workshops:certificate_verify", kwargs={"code": self.code})

    @property
    def code_display(self) -> str:
        """The code in groups of four, to read aloud: ABCD-EFGH-…"""
        return "-".join(self.code[i : i + CODE_GROUP] for i in range(0, len(self.code), CODE_GROUP))

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
