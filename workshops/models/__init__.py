"""Workshops, their rooms, groups, break-out sessions, participants and facilitators.

Each model holds its own invariants (`clean()` with messages a person understands, and
database constraints where the database can). Rules that span many rows (capacity, language
fit, rotation, double booking...) live in `workshops.scheduling.checker`.

One module per part of the domain, each importing only those before it; everything is
re-exported here, so `from workshops.models import X` is the way to import a model.
"""

# isort: off
# In dependency order, which is also the order the models always registered in (the app registry,
# and so dumpdata and the admin's lists, follow it).
from .workshop import Group, LanguageMode, Room, Workshop, WorkshopQuerySet, validate_timezone
from .sessions import BreakoutSession
from .people import Availability, Facilitator, Participant, Person
from .schedule import Assignment
from .links import SpentLink
from .rate_limits import RateLimit
from .runs import ScheduleChange, ScheduleRun
from .invitations import Invitation
from .jobs import Job, JobQuerySet
from .imports import ImportMapping, ImportUpload
from .attendance import Attendance, AttendanceChange
from .announcements import Announcement, AnnouncementDismissal
from .programme import ProgrammeItem
from .certificates import Certificate
from .repair import RotationRepair

# isort: on

__all__ = [
    "Announcement",
    "AnnouncementDismissal",
    "Assignment",
    "Attendance",
    "AttendanceChange",
    "Availability",
    "BreakoutSession",
    "Certificate",
    "Facilitator",
    "Group",
    "ImportMapping",
    "ImportUpload",
    "Invitation",
    "Job",
    "JobQuerySet",
    "LanguageMode",
    "Participant",
    "Person",
    "ProgrammeItem",
    "RateLimit",
    "RotationRepair",
    "Room",
    "ScheduleChange",
    "ScheduleRun",
    "SpentLink",
    "Workshop",
    "WorkshopQuerySet",
    "validate_timezone",
]
