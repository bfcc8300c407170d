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


class AttendanceStatus(models.TextChoices):
    """How a participant attended one session (issue 16); no row at all: not recorded yet."""

    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    ABSENT = "absent", _("Absent")


# The statuses that count as having attended a session (certificates, the funders' summary).
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


class AttendanceSource(models.TextChoices):
    """Who recorded an attendance mark."""

    ROSTER = "roster", _("facilitator’s roster")
    CHECK_IN = "check_in", _("self check-in")
    ORGANISER = "organiser", _("organiser")


class CertificateRule(models.TextChoices):
    """Which participants qualify for a certificate of participation."""

    EVERY_SESSION = "every_session", _("Attended every session")
    AT_LEAST = "at_least", _("Attended at least a number of sessions")


class ProgrammeKind(models.TextChoices):
    """What a plenary item of a workshop's programme is (everything but the break-out sessions)."""

    OPENING = "opening", pgettext_lazy("programme", "Opening")
    PRESENTATION = "presentation", pgettext_lazy("programme", "Presentation")
    REPORT_BACK = "report_back", pgettext_lazy("programme", "Report-back")
    BREAK = "break", pgettext_lazy("programme", "Break")
    MEAL = "meal", pgettext_lazy("programme", "Meal")
    CLOSING = "closing", pgettext_lazy("programme", "Closing")
    OTHER = "other", pgettext_lazy("programme", "Other")
