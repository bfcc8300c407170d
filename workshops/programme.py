"""A workshop's whole programme: its plenary items and its break-out sessions, in time order.

Each page shows the same day from its reader's side: the public page shows every item and
session; a participant sees their group's room at each break-out; a facilitator sees the room
of the group they visit in each session (their assignments) and no session they are not in.
Everything here is read in a constant number of queries (one for the items); the merge itself
is plain Python over what the page already read.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from .models import Assignment, BreakoutSession, ProgrammeItem, Room, Workshop
from .timezones import workshop_zone


@dataclass(frozen=True)
class ProgrammeEntry:
    """One line of a day's programme: a plenary item, or a break-out session with where to go."""

    start: datetime
    end: datetime
    day: date  # on the workshop's clock
    item: ProgrammeItem | None = None
    session: BreakoutSession | None = None
    room: Room | None = None  # the reader's room for a break-out (none on the public page)
    assignment: Assignment | None = None  # a facilitator's, for their break-outs

    @property
    def is_breakout(self) -> bool:
        return self.session is not None

    @property
    def title(self) -> str:
        return self.session.title if self.session is not None else self.item.title


def programme_items(*, workshop: Workshop) -> QuerySet[ProgrammeItem]:
    """The workshop's plenary items in time order, each with its room (one query)."""
    return ProgrammeItem.objects.filter(workshop=workshop).select_related("room").order_by("start", "end", "pk")


def _order(entry: ProgrammeEntry) -> tuple:
    # Same start: the shorter first (a welcome before the morning it opens); then plenary items
    # before break-outs, then the order they were entered in, so that the order never changes.
    key = entry.item.pk if entry.item is not None else entry.session.pk
    return (entry.start, entry.end, entry.is_breakout, key)


def programme_merge(
    *,
    workshop: Workshop,
    items: Iterable[ProgrammeItem],
    sessions: Iterable[BreakoutSession] = (),
    assignments: Iterable[Assignment] = (),
    room: Room | None = None,
) -> list[ProgrammeEntry]:
    """Items, sessions (each with `room`) and assignments (each with its group's room), in time order.

    No query: every argument is already read (an assignment with its session and group's room).
    """
    zone = workshop_zone(workshop)

    def entry(start, end, **parts):
        return ProgrammeEntry(start=start, end=end, day=start.astimezone(zone).date(), **parts)

    entries = [entry(i.start, i.end, item=i) for i in items]
    entries += [entry(s.start, s.end, session=s, room=room) for s in sessions]
    entries += [
        entry(a.session.start, a.session.end, session=a.session, room=a.group.room, assignment=a) for a in assignments
    ]
    return sorted(entries, key=_order)


def programme_public(*, workshop: Workshop, sessions: Iterable[BreakoutSession]) -> list[ProgrammeEntry]:
    """The whole programme for anyone: every item and every break-out session (one query for the items)."""
    return programme_merge(workshop=workshop, items=programme_items(workshop=workshop), sessions=sessions)


def programme_of_participant(*, participant, sessions: Iterable[BreakoutSession]) -> list[ProgrammeEntry]:
    """A participant's day: every item, and every break-out in their group's room (participants stay in
    one room all day). `participant` comes with its group's room read (or no group yet)."""
    group = participant.group
    return programme_merge(
        workshop=participant.workshop,
        items=programme_items(workshop=participant.workshop),
        sessions=sessions,
        room=group.room if group is not None else None,
    )


def programme_of_facilitator(
    *, facilitator, assignments: Iterable[Assignment], items: Iterable[ProgrammeItem] | None = None
) -> list[ProgrammeEntry]:
    """A facilitator's day: every item, and each of their assignments with the room they go to.

    `items` may be given when many facilitators' days are made at once (the printed itineraries).
    """
    workshop = facilitator.workshop
    if items is None:
        items = programme_items(workshop=workshop)
    return programme_merge(workshop=workshop, items=items, assignments=assignments)
