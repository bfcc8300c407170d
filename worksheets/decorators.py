"""What every /me/ page shares: the answers to a visitor without a session, and the guard that gives them."""

from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .offline import offline_copy_drop


def session_ended_answer() -> JsonResponse:
    """What an autosave answers once the person's session has ended (link expired or revoked, or
    signed out elsewhere): JSON the page's script shows, rather than an HTML error page."""
    return JsonResponse(
        {
            "error": _("You are signed out, so this was not saved. Open your personal link again to go on."),
            "signed_out": True,
        },
        status=403,
    )


def not_signed_in_answer(request) -> HttpResponse:
    """What a /me/ page answers a visitor without a personal-link session: how to get one (403);
    this browser's offline copies of anyone's pages are dropped too (worksheets/offline.py)."""
    return offline_copy_drop(render(request, "worksheets/not_signed_in.html", status=403))


def personal_page(view):
    """A /me/ page: a visitor who is not signed in (signed out, Back or reload after it, a link
    never opened) gets the page saying how to open their link, before any object is looked up, so
    the answer tells nothing about what exists; a signed-in person asking for what is not theirs
    still gets 404 from the view."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return not_signed_in_answer(request)
        return view(request, *args, **kwargs)

    return wrapper
