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


# Evaluation (issue 16)
class EvaluationScope(models.TextChoices):
    SESSION = "session", _("Each session")
    WORKSHOP = "workshop", _("The whole workshop")


class EvaluationTopic(models.TextChoices):
    """The usual level-1 (reaction) training evaluation."""

    RELEVANCE = "relevance", _("Relevance of the content")
    FACILITATION = "facilitation", _("Quality of facilitation")
    CURRICULUM = "curriculum", _("Usefulness of the curriculum section")
    INTERPRETATION = "interpretation", _("Interpretation")
    ORGANISATION = "organisation", _("Organisation")
    COMMENTS = "comments", _("Open comments")


class EvaluationKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    TEXT = "text", _("Open text")


class KnowledgePhase(models.TextChoices):
    BEFORE = "before", _("Before the session")
    AFTER = "after", _("After the session")
