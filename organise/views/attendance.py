"""The organiser's attendance page: one session's marks by group, corrections, their history, the check-in margin."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from workshops.attendance import session_marks
from workshops.attendance_marks import attendance_mark
from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import AttendanceChange, BreakoutSession, Group, Participant

from ..decorators import organiser_required
from ..forms import CheckinMarginForm

HISTORY_SHOWN = 100  # the latest changes of the session; older ones stay in the admin's reach


def _correct(request, session) -> None:
    """Apply one correction from the page's form, saying what happened (a stale form is refused)."""
    try:
        participant_id, version = int(request.POST.get("participant")), int(request.POST.get("version"))
    except (TypeError, ValueError):
        messages.error(request, _("The request could not be read."))
        return
    status = request.POST.get("status")
    participant = Participant.objects.filter(pk=participant_id, workshop=session.workshop).first()
    if participant is None or status not in AttendanceStatus.values:
        messages.error(request, _("The request could not be read."))
        return
    result = attendance_mark(
        session=session,
        participant=participant,
        status=status,
        source=AttendanceSource.ORGANISER,
        by_user=request.user,
        expected_version=version,
    )
    if result.status == "conflict":
        messages.warning(
            request,
            _("%(name)s: not changed, someone else marked “%(status)s” meanwhile. Look again, then correct it.")
            % {"name": participant.name, "status": result.attendance.get_status_display()},
        )
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s, saved.")
            % {"name": participant.name, "status": result.attendance.get_status_display()},
        )


def _who(user) -> str:
    """The name of whoever made a change: the participant or facilitator behind a personal link, else the account's."""
    if user is None:
        return "—"
    for attribute in ("participant", "facilitator"):
        person = getattr(user, attribute, None)  # selected with the change: no query
        if person is not None:
            return person.name
    return user.get_full_name() or user.get_username()


@organiser_required
def attendance(request, slug, session_id):
    """GET: every participant's mark for the session, by group, and who changed what; POST: a correction or the margin."""
    workshop = request.workshop
    session = get_object_or_404(BreakoutSession, pk=session_id, workshop=workshop)
    margin_form = CheckinMarginForm(instance=workshop)
    if request.method == "POST":
        if "checkin_margin_minutes" in request.POST:
            margin_form = CheckinMarginForm(request.POST, instance=workshop)
            if margin_form.is_valid():
                margin_form.save()
                messages.success(request, _("Check-in margin saved."))
                return redirect("organise:attendance", slug=slug, session_id=session.pk)
        else:
            _correct(request, session)
            return redirect("organise:attendance", slug=slug, session_id=session.pk)
    marks = session_marks(session=session)
    members = {}
    for participant in Participant.objects.filter(workshop=workshop).only("name", "group_id").order_by("name", "pk"):
        members.setdefault(participant.group_id, []).append(
            {"participant": participant, "mark": marks.get(participant.pk)}
        )
    groups = [
        {"group": group, "rows": members.get(group.pk, [])}
        for group in Group.objects.filter(workshop=workshop).select_related("room").order_by("name", "pk")
    ]
    if members.get(None):
        groups.append({"group": None, "rows": members[None]})
    history = list(
        AttendanceChange.objects.filter(attendance__session=session)
        .select_related("attendance__participant", "changed_by__participant", "changed_by__facilitator")
        .order_by("-changed_at", "-pk")[:HISTORY_SHOWN]
    )
    for change in history:
        change.who = _who(change.changed_by)
    return render(
        request,
        "organise/attendance/session.html",
        {
            "workshop": workshop,
            "session": session,
            "sessions": list(BreakoutSession.objects.filter(workshop=workshop).order_by("start", "pk")),
            "groups": groups,
            "statuses": AttendanceStatus.choices,
            "history": history,
            "history_shown": HISTORY_SHOWN,
            "margin_form": margin_form,
        },
    )
