"""Offline at the venue: which answers the service worker (static/js/sw.js) may keep as a person's
offline copy, and under whose name.

A page the person may need when the venue's connection drops (my day, a worksheet, the
facilitator's rotation and session page) carries `X-Offline-Copy: <owner>`; the worker keeps the
last copy of it in a cache named after that owner, and drops every other owner's copies as soon as
another person's page arrives. The page for a visitor without a session says `none`: the worker
drops every copy. Anything else (script calls, files, form answers, the back office) carries no
header and is never kept.
"""

from functools import wraps

from django.utils.crypto import salted_hmac

OWNER_HEADER = "X-Offline-Copy"
NOBODY = "none"


def offline_owner(*, user) -> str:
    """A name for the person's offline copies: the same for every page of theirs, another for
    anyone else, and no id in clear (it is only a cache's name in their browser)."""
    return salted_hmac("worksheets.offline.owner", str(user.pk), algorithm="sha256").hexdigest()[:24]


def offline_copy(view):
    """A page the service worker may keep for the signed-in person (a 200 answer only)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and request.user.is_authenticated and OWNER_HEADER not in response:
            response[OWNER_HEADER] = offline_owner(user=request.user)
        return response

    return wrapper


def offline_copy_drop(response):
    """Tell the service worker to drop every offline copy (nobody is signed in here)."""
    response[OWNER_HEADER] = NOBODY
    return response
