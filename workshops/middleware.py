"""Sessions opened through a personal link: they end with the link, and nothing they see is cached.

People open their links on shared computers (a venue's kiosk, a ministry's desktop): a page, PDF
or calendar of theirs must not be kept by the browser's or a proxy's cache for the next person.
"""

from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.utils.cache import patch_cache_control

from .access import SESAME_BACKEND, link_session_bind, link_session_due, link_session_expired, person_of


class PersonalLinkSessionMiddleware:
    """After AuthenticationMiddleware: sets `request.personal_link` (the session was opened through
    a personal link), ends such a session once its link has expired, and sends
    `Cache-Control: private, no-store` with every answer to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        personal = session.get(BACKEND_SESSION_KEY) == SESAME_BACKEND
        if personal and link_session_due(session=session):
            # Read the link's expiry again (at most every few minutes: the workshop's date may have
            # changed); also binds a session opened before sessions were bound to their link.
            person = person_of(request.user)
            if person is not None:
                link_session_bind(session=session, person=person)
        if personal and link_session_expired(session=session):
            logout(request)
        request.personal_link = personal
        response = self.get_response(request)
        if personal:
            patch_cache_control(response, private=True, no_store=True)
        return response
