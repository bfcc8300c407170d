from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.TextChoices):
    """IOM's four regions (MC/INF/269)."""

    AFRICA_MIDDLE_EAST = "africa_middle_east", _("Africa and the Middle East")
    ASIA_OCEANIA = "asia_oceania", _("Asia and Oceania")
    AMERICAS = "americas", _("Americas")
    EUROPE = "europe", _("Europe")


class Gender(models.TextChoices):
    FEMALE = "female", pgettext_lazy("gender", "Female")
    MALE = "male", pgettext_lazy("gender", "Male")
    OTHER = "other", pgettext_lazy("gender", "Another gender")


class InterfaceLanguage(models.TextChoices):
    """The three languages the product speaks (and the 2005 interpretation covered)."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")
