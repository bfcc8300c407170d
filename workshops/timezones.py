"""Times belong to the workshop's own time zone, wherever they are typed or shown.

The server has a zone of its own (settings.TIME_ZONE) that means nothing to a workshop in
Dakar or Manila. Django reads typed date-times and shows stored ones in the *current* zone:
pages about one workshop make its zone current (`workshop_timezone_activate`), and
`WorkshopTimezoneMiddleware` puts the server's zone back after every request, so that one
workshop's zone never reaches the next request served by the same thread.
"""

import zoneinfo
from datetime import datetime

from django.utils import timezone


def workshop_zone(workshop) -> zoneinfo.ZoneInfo:
    """The workshop's zone (its `timezone` field is validated against the zone database)."""
    return zoneinfo.ZoneInfo(workshop.timezone)


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
