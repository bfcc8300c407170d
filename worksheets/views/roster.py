"""The facilitator's attendance roster: one tap per participant, saved at once, queued while offline."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workshops.attendance_marks import attendance_mark
from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import Participant

from ..decorators import not_signed_in_answer, session_ended_answer
from ..selectors import facilitator_assignment
from .autosave import autosave_payload, autosave_unreadable
from .facilitator import _facilitator


def _mark_json(participant_id: int, result) -> dict:
    attendance = result.attendance
    return {
        "participant": participant_id,
        "status": attendance.status if attendance else "",
        "status_label": attendance.get_status_display() if attendance else "",
        "version": result.version,
    }


@require_POST
def attendance_autosave(request, session_id):
    """One participant's mark on the roster of the facilitator's own group and session.

    JSON {"participant", "status", "version"} in (the version the page showed; 0: not recorded):
    200 with the stored mark, 409 {"error", and the stored mark} when someone changed it meanwhile,
    400 when unreadable; 404 for a session or participant not the facilitator's. A form post (no
    script) does the same and goes back to the page, saying what happened.
    """
    is_json = request.content_type == "application/json"
    if not request.user.is_authenticated:
        return session_ended_answer() if is_json else not_signed_in_answer(request)
    facilitator = _facilitator(request)
    assignment = facilitator_assignment(facilitator=facilitator, session_id=session_id)
    data = autosave_payload(request) if is_json else request.POST
    if data is None:
        return autosave_unreadable()
    try:
        participant_id, version = int(data.get("participant")), int(data.get("version"))
    except (TypeError, ValueError):
        participant_id = version = None
    status = data.get("status")
    if participant_id is None or version is None or status not in AttendanceStatus.values:
        return autosave_unreadable()
    participant = Participant.objects.filter(pk=participant_id, group_id=assignment.group_id).first()
    if participant is None:
        raise Http404
    result = attendance_mark(
        session=assignment.session,
        participant=participant,
        status=status,
        source=AttendanceSource.ROSTER,
        by_user=request.user,
        expected_version=version,
    )
    conflict = _("Someone else changed this mark meanwhile: it is now “%(status)s”. Tap again to change it.") % {
        "status": result.attendance.get_status_display() if result.attendance else "—"
    }
    if is_json:
        if result.status == "conflict":
            return JsonResponse({"error": conflict, **_mark_json(participant_id, result)}, status=409)
        return JsonResponse(_mark_json(participant_id, result))
    if result.status == "conflict":
        messages.warning(request, f"{participant.name}: {conflict}")
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s, saved.")
            % {"name": participant.name, "status": result.attendance.get_status_display()},
        )
    return redirect(reverse("worksheets:assignment", args=[session_id]) + "#attendance-heading")
