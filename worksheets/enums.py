from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    LONG_TEXT = "long_text", _("Long text")
    SCALE = "scale", _("Scale from 1 to 5")


class WorksheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Sharing(models.TextChoices):
    """A worksheet is "for your personal use" unless its author chooses otherwise."""

    PRIVATE = "private", _("Private: only I can read it")
    ANONYMOUS = "anonymous", _("Shared with the organisers, without my name")
    NAMED = "named", _("Shared with the organisers, with my name")


SCALE_MIN = 1
SCALE_MAX = 5
ANSWER_MAX_LENGTH = 20_000
