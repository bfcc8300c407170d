"""Self check-in: the page a room sign's QR code opens (`workshops.checkin` decides who may, and when)."""

from django.http import Http404
from django.shortcuts import render

from workshops.access import person_of
from workshops.attendance_marks import attendance_check_in
from workshops.checkin import checkin_decide, checkin_target
from workshops.models import Attendance
from workshops.timezones import workshop_timezone_activate


def checkin(request, token):
    """GET: whether this person may check in here now, with a button if so; POST: check in.

    Refusals (not signed in, a facilitator, another workshop, another group's room, outside the
    window) answer 403 with the words; a second check-in answers as the first did.
    """
    if not request.user.is_authenticated:
        return render(request, "worksheets/checkin.html", {"signed_out": True}, status=403)
    target = checkin_target(token)
    if target is None:
        raise Http404
    room, session = target
    workshop = session.workshop
    workshop_timezone_activate(workshop=workshop)
    person = person_of(request.user)
    decision = checkin_decide(person=person, room=room, session=session)
    context = {"workshop": workshop, "session": session, "room": room, "refusal": decision.refusal}
    if decision.refusal:
        return render(request, "worksheets/checkin.html", context, status=403)
    if request.method == "POST":
        result = attendance_check_in(session=session, participant=person, by_user=request.user, late=decision.late)
        context.update(done=True, attendance=result.attendance)
    else:
        context["attendance"] = Attendance.objects.filter(session=session, participant=person).first()
    return render(request, "worksheets/checkin.html", context)
