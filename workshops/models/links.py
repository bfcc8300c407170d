"""Personal links: the one-time links already used."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpentLink(models.Model):
    """A one-time link that was used: only its SHA-256 digest is kept, never the token."""

    digest = models.CharField(max_length=64, unique=True)
    spent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("used one-time link")
        verbose_name_plural = _("used one-time links")

    def __str__(self):
        return self.digest[:12]
