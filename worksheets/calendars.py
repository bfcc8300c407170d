"""The people's calendars (iCalendar): a facilitator's rotation, a participant's day, with the plenary items.

Times are written on the workshop's clock with its TZID (and the zone's VTIMEZONE), so calendars
show the venue's times and keep them if the person travels. Titles, names and places are put on
one line: a line break typed or imported into one would break the file.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from workshops.programme import ProgrammeEntry
from workshops.text import one_line
from workshops.timezones import workshop_localtime


def calendar_new(*, workshop) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Break-out sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", one_line(workshop.title))
    return calendar


def calendar_event(*, uid: str, start, end, workshop, summary: str, location: str, lines: list[str]) -> Event:
    """One event on the workshop's clock (TZID), its text on single lines."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", workshop_localtime(start, workshop))
    event.add("dtend", workshop_localtime(end, workshop))
    event.add("summary", one_line(summary))
    if location:
        event.add("location", one_line(location))
    if lines:
        event.add("description", "\n".join(one_line(line) for line in lines))
    return event


def calendar_add_item(calendar: Calendar, *, item, workshop, host: str) -> None:
    """A plenary item: its title, its place (or room), its kind and description."""
    lines = [str(item.get_kind_display())]
    if item.description:
        lines.append(item.description)
    calendar.add_component(
        calendar_event(
            uid=f"programme-item-{item.pk}@{host}",
            start=item.start,
            end=item.end,
            workshop=workshop,
            summary=item.title,
            location=item.where,
            lines=lines,
        )
    )


def _room_text(room) -> str:
    return room.name + (f" ({room.directions})" if room.directions else "")


def _section_line(session) -> str:
    return _("EMM section %(number)s: %(title)s") % {"number": session.section.number, "title": session.section.title}


def participant_day_calendar(*, participant, programme: list[ProgrammeEntry], host: str) -> Calendar:
    """A participant's day: each break-out in their own group's room, and every plenary item.

    Break-out sessions come from `programme` with `my_facilitators` (their group's assignments) read.
    """
    workshop = participant.workshop
    calendar = calendar_new(workshop=workshop)
    for entry in programme:
        if not entry.is_breakout:
            calendar_add_item(calendar, item=entry.item, workshop=workshop, host=host)
            continue
        session, room = entry.session, entry.room
        lines = [str(room.language_mode)] if room is not None else [_("Your group and room are not decided yet.")]
        if session.section:
            lines.append(_section_line(session))
        names = ", ".join(a.facilitator.name for a in getattr(session, "my_facilitators", ()))
        if names:
            lines.append(_("Facilitators: %(names)s") % {"names": names})
        calendar.add_component(
            calendar_event(
                uid=f"session-{session.pk}-participant-{participant.pk}@{host}",
                start=session.start,
                end=session.end,
                workshop=workshop,
                summary=session.title,
                location=_room_text(room) if room is not None else "",
                lines=lines,
            )
        )
    calendar.add_missing_timezones()  # the zone's VTIMEZONE, for calendars that lack its rules
    return calendar


def calendar_response(calendar: Calendar, *, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
