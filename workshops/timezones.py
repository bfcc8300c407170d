"""Times belong to the workshop's own time zone, wherever they are typed or shown.

The server has a zone of its own (settings.TIME_ZONE) that means nothing to a workshop in
Dakar or Manila. Django reads typed date-times and shows stored ones in the *current* zone:
pages about one workshop make its zone current (`workshop_timezone_activate`), and
`WorkshopTimezoneMiddleware` puts the server's zone back after every request, so that one
workshop's zone never reaches the next request served by the same thread.
"""

import zoneinfo
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from .models import Workshop


def workshop_zone(workshop) -> zoneinfo.ZoneInfo:
    """The workshop's zone (its `timezone` field is validated against the zone database)."""
    return zoneinfo.ZoneInfo(workshop.timezone)


def workshop_of(obj) -> Workshop | None:
    """The workshop an object belongs to (itself for a workshop), or None while none is chosen."""
    if isinstance(obj, Workshop):
        return obj
    try:
        workshop = getattr(obj, "workshop", None)
    except ObjectDoesNotExist:
        return None
    return workshop if isinstance(workshop, Workshop) else None


def zone_of(workshop) -> zoneinfo.ZoneInfo | None:
    """The workshop's zone, or None without a workshop (or with a zone name the database lacks)."""
    if workshop is None or not workshop.timezone:
        return None
    try:
        return workshop_zone(workshop)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None


def workshop_localtime(moment: datetime, workshop) -> datetime:
    """An aware date-time as the clock on the wall of the workshop's venue shows it."""
    return timezone.localtime(moment, workshop_zone(workshop))


def workshop_timezone_activate(*, workshop) -> None:
    """Make the workshop's zone current until the end of this request (see the middleware)."""
    timezone.activate(workshop_zone(workshop))


class WorkshopTimezoneMiddleware:
    """Every request starts and ends in the server's zone, whatever zone a page activated."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
