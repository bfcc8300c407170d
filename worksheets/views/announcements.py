"""The announcements on a participant's or facilitator's pages: the poll their pages call, and dismissing one."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from workshops.announcements import announcement_dismiss, announcements_for_user
from workshops.middleware import script_endpoint

from ..decorators import not_signed_in_answer, session_ended_answer


def announcements_payload(*, user) -> list[dict]:
    """The current announcements of the person logged in as `user`, in the active language (English where
    a message has no text in it): what the banner shows. One query."""
    return [
        {"id": announcement.pk, "message": announcement.message, "sent": announcement.created_at.isoformat()}
        for announcement in announcements_for_user(user=user)
    ]


@require_GET
@script_endpoint
def announcements_poll(request):
    """JSON {"announcements": [{"id", "message", "sent"}], "poll_seconds"}: polled by static/js/announcements.js.

    The session's queries and one more, whatever the size of the workshop: 3,000 pages ask every
    `ANNOUNCEMENTS_POLL_SECONDS`. 403 {"signed_out": true} once the session has ended; 403 for a login
    that is no personal link's (organisers).
    """
    if not request.user.is_authenticated:
        return session_ended_answer()
    if not request.personal_link:
        return JsonResponse({"announcements": []}, status=403)
    return JsonResponse(
        {"announcements": announcements_payload(user=request.user), "poll_seconds": settings.ANNOUNCEMENTS_POLL_SECONDS}
    )


@require_POST
def announcement_dismiss_view(request, announcement_id):
    """Hide one announcement for good for this person. From the page's script (Accept: application/json):
    {"dismissed": id}; from the form without script: back to the page it was on."""
    if not request.user.is_authenticated:
        return not_signed_in_answer(request)
    if not request.personal_link or not announcement_dismiss(user=request.user, announcement_id=announcement_id):
        raise Http404
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"dismissed": announcement_id})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return redirect(back or "worksheets:my_day")
