"""Self check-in (issue 16): the room sign's QR code, its window, and who may check in with it.

The code holds a signed token for (room, session), never anyone's login: it opens nothing by
itself. The participant must already be signed in through their personal link, be in the group
that meets in that room, and scan it from the session's start minus the workshop's margin until
its end plus the margin. Checked in by then start + margin: present; after: late.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import BreakoutSession, Facilitator, Participant, Room
from .timezones import workshop_localtime

_SALT = "workshops.checkin"


def checkin_token(*, room: Room, session: BreakoutSession) -> str:
    """The signed, unforgeable token of one room's sign for one session."""
    return signing.Signer(salt=_SALT).sign(f"{room.pk}-{session.pk}")


def checkin_url(*, room: Room, session: BreakoutSession, base_url: str = "") -> str:
    """The check-in address the room sign's QR code holds (absolute when `base_url` is given)."""
    return base_url + reverse("worksheets:checkin", kwargs={"token": checkin_token(room=room, session=session)})


def checkin_target(token: str) -> tuple[Room, BreakoutSession] | None:
    """The (room, session) of a token, in one workshop; None when forged, malformed or gone."""
    try:
        room_id, session_id = (int(part) for part in signing.Signer(salt=_SALT).unsign(token).split("-"))
    except (signing.BadSignature, ValueError):
        return None
    session = BreakoutSession.objects.filter(pk=session_id).select_related("workshop").first()
    room = Room.objects.filter(pk=room_id).first()
    if session is None or room is None or room.workshop_id != session.workshop_id:
        return None
    return room, session


@dataclass(frozen=True)
class CheckinDecision:
    """Whether this person may check in now (`refusal` None), and if so whether they count as late."""

    refusal: str | None
    late: bool = False


def _wall_clock(moment: datetime, workshop, now: datetime) -> str:
    local, today = workshop_localtime(moment, workshop), workshop_localtime(now, workshop)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return f"{date_format(local.date(), 'DATE_FORMAT')} {local.strftime('%H:%M')}"


def _where(group) -> str:
    room = group.room
    place = f"{room.name}, {room.directions}" if room.directions else room.name
    return _("Your group %(group)s meets in %(place)s.") % {"group": group.name, "place": place}


def checkin_decide(*, person, room: Room, session: BreakoutSession, now: datetime | None = None) -> CheckinDecision:
    """May `person` (a participant, a facilitator, or None for any other account) check in at this sign now?

    The refusal, in words the person can act on: who they are not, where their group meets, or
    when the window opens or closed (on the workshop's clock).
    """
    now = now or timezone.now()
    workshop = session.workshop
    if isinstance(person, Facilitator):
        return CheckinDecision(
            _("Facilitators do not check in: mark your group's attendance on your session's page instead.")
        )
    if not isinstance(person, Participant):
        return CheckinDecision(
            _(
                "Check-in is for participants, signed in through their personal link. Organisers correct attendance on the workshop's attendance page."
            )
        )
    if person.workshop_id != workshop.pk:
        return CheckinDecision(
            _("This sign belongs to another workshop (%(title)s). Your own sessions are on your page.")
            % {"title": workshop.title}
        )
    group = person.group
    if group is None:
        return CheckinDecision(_("You are not in a group yet: please ask the organisers where to go."))
    if group.room_id != room.pk:
        return CheckinDecision(_("This is not your group's room. %(where)s") % {"where": _where(group)})
    margin = timedelta(minutes=workshop.checkin_margin_minutes)
    opens, closes = session.start - margin, session.end + margin
    if now < opens:
        return CheckinDecision(
            _("Check-in for %(session)s opens at %(time)s.")
            % {"session": session.title, "time": _wall_clock(opens, workshop, now)}
        )
    if now > closes:
        return CheckinDecision(
            _("Check-in for %(session)s closed at %(time)s.")
            % {"session": session.title, "time": _wall_clock(closes, workshop, now)}
        )
    return CheckinDecision(None, late=now > session.start + margin)
