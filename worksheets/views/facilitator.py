"""The facilitator's pages: rotation, iCal, and for each assignment the guide, roster, notes and shared answers."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from workshops.access import person_of
from workshops.attendance import session_marks
from workshops.enums import AttendanceStatus
from workshops.middleware import script_endpoint
from workshops.models import Facilitator
from workshops.programme import programme_items, programme_of_facilitator
from workshops.text import one_line
from workshops.timezones import workshop_localtime

from ..calendars import calendar_add_item
from ..decorators import personal_page, session_ended_answer
from ..offline import offline_copy
from ..selectors import (
    co_facilitators,
    facilitator_assignment,
    facilitator_itinerary,
    group_progress,
    group_roster,
    session_guide,
    shared_answers,
    team_note,
)
from ..services import team_note_autosave
from ..summaries import group_summary
from .autosave import autosave_answer, autosave_payload, autosave_unreadable


def _facilitator(request) -> Facilitator:
    person = person_of(request.user)
    if not isinstance(person, Facilitator):
        raise Http404
    return person


def rotation(request, facilitator: Facilitator):
    assignments = facilitator_itinerary(facilitator=facilitator)
    now = timezone.now()
    upcoming = next((a for a in assignments if a.session.end > now), None)
    return render(
        request,
        "worksheets/facilitator_day.html",
        {
            "facilitator": facilitator,
            "workshop": facilitator.workshop,
            "assignments": assignments,
            "next_assignment": upcoming,
            "programme": programme_of_facilitator(facilitator=facilitator, assignments=assignments),
        },
    )


@personal_page
def rotation_ical(request):
    """My rotation as an iCalendar file: one event per assignment, the room as location, and one per
    plenary item of the programme; in the facilitator's language."""
    facilitator = _facilitator(request)
    with translation.override(facilitator.preferred_language):
        return _rotation_ical(request, facilitator)


def _rotation_ical(request, facilitator: Facilitator) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Break-out sessions//EN")
    calendar.add("version", "2.0")
    # Titles and names on one line: a line break typed or imported into one would break the file.
    calendar.add("x-wr-calname", one_line(facilitator.workshop.title))
    host = request.get_host()
    for assignment in facilitator_itinerary(facilitator=facilitator):
        session, group = assignment.session, assignment.group
        event = Event()
        event.add("uid", f"assignment-{assignment.pk}@{host}")
        event.add("dtstamp", timezone.now())
        # On the workshop's clock (TZID), so calendars show the venue's times and keep them if moved.
        event.add("dtstart", workshop_localtime(session.start, facilitator.workshop))
        event.add("dtend", workshop_localtime(session.end, facilitator.workshop))
        event.add("summary", one_line(f"{session.title} · {group}"))
        room = group.room
        event.add("location", one_line(room.name + (f" ({room.directions})" if room.directions else "")))
        lines = [str(room.language_mode)]
        if session.section:
            lines.append(
                _("EMM section %(number)s: %(title)s")
                % {"number": session.section.number, "title": session.section.title}
            )
        if assignment.co_facilitators:
            names = ", ".join(partner.name for partner in assignment.co_facilitators)
            lines.append(_("With: %(names)s") % {"names": names})
        event.add("description", "\n".join(one_line(line) for line in lines))
        calendar.add_component(event)
    for item in programme_items(workshop=facilitator.workshop):
        calendar_add_item(calendar, item=item, workshop=facilitator.workshop, host=host)
    calendar.add_missing_timezones()  # the zone's VTIMEZONE, for calendars that lack its rules
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rotation.ics"'
    return response


@offline_copy
@personal_page
def assignment_page(request, session_id):
    facilitator = _facilitator(request)
    assignment = facilitator_assignment(facilitator=facilitator, session_id=session_id)
    session, group = assignment.session, assignment.group
    note = team_note(session=session, group=group)
    shared = shared_answers(session=session, group=group)
    roster = group_roster(group=group)
    marks = session_marks(session=session)
    return render(
        request,
        "worksheets/assignment.html",
        {
            "facilitator": facilitator,
            "workshop": session.workshop,
            "assignment": assignment,
            "session": session,
            "group": group,
            "co_facilitators": co_facilitators(assignment=assignment),
            **session_guide(assignment=assignment),
            "roster": roster,
            "attendance_roster": [{"participant": p, "mark": marks.get(p.pk)} for p in roster],
            "attendance_statuses": AttendanceStatus.choices,
            "progress": group_progress(session=session, group=group),
            "shared": shared,
            "min_anonymous_sharers": settings.REPORT_MIN_ANONYMOUS_SHARERS,
            "note": note,
            "summary": group_summary(session=session, group=group),
        },
    )


@script_endpoint
def assignment_progress(request, session_id):
    facilitator = _facilitator(request)
    assignment = facilitator_assignment(facilitator=facilitator, session_id=session_id)
    return JsonResponse(group_progress(session=assignment.session, group=assignment.group))


@require_POST
def notes_autosave(request, session_id):
    """Same contract as the worksheet autosave: {"text", "revision"} in; 200, 409 with the stored notes, or 400;
    403 {"signed_out": true} once the session has ended."""
    if not request.user.is_authenticated:
        return session_ended_answer()
    facilitator = _facilitator(request)
    assignment = facilitator_assignment(facilitator=facilitator, session_id=session_id)
    payload = autosave_payload(request)
    if payload is None:
        return autosave_unreadable()
    result = team_note_autosave(
        facilitator=facilitator,
        session=assignment.session,
        group=assignment.group,
        text=payload.get("text"),
        base_revision=payload.get("revision"),
    )
    return autosave_answer(result)  # a team note is never "closed": 400 for anything refused
