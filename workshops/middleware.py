"""Sessions opened through a personal link: they end with the link, and nothing they see is cached.

People open their links on shared computers (a venue's kiosk, a ministry's desktop): a page, PDF
or calendar of theirs must not be kept by the browser's or a proxy's cache for the next person.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.utils.cache import patch_cache_control

from .access import (
    SESAME_BACKEND,
    link_session_bind,
    link_session_due,
    link_session_end,
    link_session_expired,
    link_session_user_id,
    person_of,
)


def script_endpoint(view):
    """Marks a view that a page's script calls (polled JSON): a personal-link session's expiry is
    not read again on it, only on the pages that call it. POST requests never read it either."""
    view.script_endpoint = True
    return view


def _recheck(request, user_id) -> None:
    """Read the link's expiry again from the workshop; end the session if it passed or the person is gone."""
    person = person_of(request.user)
    if person is not None:
        link_session_bind(session=request.session, person=person)
    if person is None or link_session_expired(session=request.session):
        link_session_end(request=request, user_id=user_id, expired=person is not None)


class PersonalLinkSessionMiddleware:
    """After AuthenticationMiddleware: sets `request.personal_link` (the session was opened through
    a personal link), ends such a session once its link has expired, was revoked or its person is
    gone, and sends `Cache-Control: private, no-store` with every answer to it.

    Costs no query on most requests: the expiry is kept in the session. It is read again (two
    queries, the person and their workshop's dates, and a session write) on a page GET every
    LINK_SESSION_RECHECK, and when the kept moment passes; never on autosave and other calls of a
    page's script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        personal = session.get(BACKEND_SESSION_KEY) == SESAME_BACKEND
        request.personal_link = personal
        if personal:
            user_id = link_session_user_id(session=session)  # before Django checks (and may flush) it
            if not request.user.is_authenticated:
                # Django refused the session: the link was revoked (the password hash changed), or
                # the login is gone (erased) or disabled.
                link_session_end(request=request, user_id=user_id, expired=False)
            elif link_session_expired(session=session):
                _recheck(request, user_id)  # a later date may have been set since it was read
        response = self.get_response(request)
        if personal:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.personal_link
            and request.method in ("GET", "HEAD")
            and not getattr(view_func, "script_endpoint", False)
            and request.user.is_authenticated
            and link_session_due(session=request.session)
        ):
            _recheck(request, link_session_user_id(session=request.session))
        return None
