from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """The three kinds of teaching material every EMM section carries."""

    GUIDING_QUESTION = "guiding_question", _("Guiding question")
    KEY_MESSAGE = "key_message", _("Key message")
    EXERCISE = "exercise", _("Practical application exercise")


class IammKind(models.TextChoices):
    """The two parts of the Berne Initiative's International Agenda for Migration Management."""

    COMMON_UNDERSTANDING = "common_understanding", _("Common understanding")
    EFFECTIVE_PRACTICE = "effective_practice", _("Effective practice")
