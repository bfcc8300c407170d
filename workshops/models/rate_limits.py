"""The counters every rate limit shares across workers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimit(models.Model):
    """How often one thing (a client's address, an e-mail address, a participant) was done in the
    current window: the counters of every rate limit, kept in the database so that every worker
    and every app server shares them. Only a SHA-256 digest of what is counted is stored."""

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self):
        return f"{self.key[:12]} · {self.count}"
