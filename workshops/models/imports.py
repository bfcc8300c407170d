"""Registration files between their preview and "Apply", and the column choices remembered per workshop.

Kept in the database, not on one app server's disk: a preview made on one server can be
applied on another behind the same address.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workshop import Workshop


class ImportUpload(models.Model):
    """An uploaded registration file waiting for "Apply", with the column choices made in its preview.

    `claimed_at` is set while an "Apply" runs (a second click finds it taken), `applied_at` once it
    is applied (it stays, for the refused rows' download, until it expires).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="import_uploads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("who is in the file"), max_length=20)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(max_length=64)
    header_hash = models.CharField(max_length=64, blank=True)
    # {"column position in the file": key of what it fills, or "" for ignored}: the organiser's choices only
    mapping = models.JSONField(default=dict, blank=True)
    mapping_remembered = models.BooleanField(default=False)
    # {key: one value for every row}, for columns the file does not have
    defaults = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uploaded registration file")
        verbose_name_plural = _("uploaded registration files")

    def __str__(self):
        return self.filename


class ImportMapping(models.Model):
    """The columns an organiser chose for files with one header row, reapplied to the next such upload."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="import_mappings")
    header_hash = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remembered column choice")
        verbose_name_plural = _("remembered column choices")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "header_hash"], name="import_mapping_unique_headers")
        ]

    def __str__(self):
        return self.header_hash[:12]
