"""The one checker every schedule passes through, hand-made or solved.

`schedule_check` returns every broken rule of DESIGN.md as a `Problem` in plain words, in
the active language. An empty list means the schedule satisfies every rule.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..languages import language_names
from .data import Schedule


class Rule(models.TextChoices):
    ONE_GROUP = "one_group", gettext_lazy("One group")
    CAPACITY = "capacity", gettext_lazy("Capacity")
    LANGUAGE_FIT = "language_fit", gettext_lazy("Language fit")
    STAFFING = "staffing", gettext_lazy("Staffing")
    DOUBLE_BOOKING = "double_booking", gettext_lazy("No double booking")
    ROTATION = "rotation", gettext_lazy("Rotation")
    FACILITATOR_LANGUAGE = "facilitator_language", gettext_lazy("Facilitator language")
    CO_FACILITATION = "co_facilitation", gettext_lazy("Co-facilitation")
    AVAILABILITY = "availability", gettext_lazy("Availability")
    NO_OVERLAP = "no_overlap", gettext_lazy("No overlap")


@dataclass(frozen=True)
class Problem:
    """A broken rule in words, with what it is about (for pages that place it on a grid)."""

    rule: Rule
    message: str
    group_id: int | None = None
    session_id: int | None = None
    participant_id: int | None = None
    facilitator_id: int | None = None

    def __str__(self):
        return self.message


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def schedule_check(schedule: Schedule) -> list[Problem]:
    """Every rule the schedule breaks, in a stable order (rule by rule, then by name)."""
    problems: list[Problem] = []
    rooms = {room.id: room for room in schedule.rooms}
    groups = {group.id: group for group in schedule.groups}
    facilitators = {f.id: f for f in schedule.facilitators}
    sessions = {s.id: s for s in schedule.sessions}

    def room_of(group_id):
        group = groups.get(group_id)
        return rooms.get(group.room_id) if group else None

    # one group: every participant is in exactly one group of the workshop.
    for p in schedule.participants:
        if p.group_id is None:
            problems.append(
                Problem(Rule.ONE_GROUP, _("%(name)s is not in any group.") % {"name": p.name}, participant_id=p.id)
            )
        elif p.group_id not in groups:
            problems.append(
                Problem(
                    Rule.ONE_GROUP,
                    _("%(name)s is in a group of another workshop.") % {"name": p.name},
                    participant_id=p.id,
                )
            )

    # capacity: a group's size never exceeds its room's capacity.
    sizes = Counter(p.group_id for p in schedule.participants if p.group_id in groups)
    for group in sorted(schedule.groups, key=lambda g: g.name):
        room = rooms.get(group.room_id)
        if room and sizes[group.id] > room.capacity:
            problems.append(
                Problem(
                    Rule.CAPACITY,
                    _("Group %(group)s has %(size)d participants but %(room)s seats %(capacity)d.")
                    % {"group": group.name, "size": sizes[group.id], "room": room.name, "capacity": room.capacity},
                    group_id=group.id,
                )
            )

    # language fit: a participant speaks at least one language of their room's mode.
    for p in schedule.participants:
        room = room_of(p.group_id)
        if room and not (p.languages & room.languages):
            problems.append(
                Problem(
                    Rule.LANGUAGE_FIT,
                    _("%(name)s speaks %(spoken)s, but Group %(group)s meets in %(room)s (%(room_languages)s).")
                    % {
                        "name": p.name,
                        "spoken": language_names(sorted(p.languages)),
                        "group": groups[p.group_id].name,
                        "room": room.name,
                        "room_languages": language_names(sorted(room.languages)),
                    },
                    group_id=p.group_id,
                    participant_id=p.id,
                )
            )

    # staffing: every (session, group) has its required number of facilitators.
    staffed = Counter((a.session_id, a.group_id) for a in schedule.assignments)
    for session in sorted(schedule.sessions, key=lambda s: s.start):
        for group in sorted(schedule.groups, key=lambda g: g.name):
            count = staffed[(session.id, group.id)]
            if count < session.required:
                problems.append(
                    Problem(
                        Rule.STAFFING,
                        ngettext(
                            "%(session)s: Group %(group)s has %(count)d facilitator; %(required)d are required.",
                            "%(session)s: Group %(group)s has %(count)d facilitators; %(required)d are required.",
                            count,
                        )
                        % {"session": session.title, "group": group.name, "count": count, "required": session.required},
                        group_id=group.id,
                        session_id=session.id,
                    )
                )

    # no double booking: a facilitator is in at most one room at any moment.
    by_facilitator = defaultdict(list)
    for a in schedule.assignments:
        if a.session_id in sessions and a.facilitator_id in facilitators:
            by_facilitator[a.facilitator_id].append(a)
    for fid, assignments in sorted(by_facilitator.items(), key=lambda item: facilitators[item[0]].name):
        name = facilitators[fid].name
        ordered = sorted(assignments, key=lambda a: (sessions[a.session_id].start, a.group_id))
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                s1, s2 = sessions[first.session_id], sessions[second.session_id]
                if _overlap(s1.start, s1.end, s2.start, s2.end):
                    problems.append(
                        Problem(
                            Rule.DOUBLE_BOOKING,
                            _(
                                "%(name)s is due in two rooms at once: Group %(first)s (%(s1)s) and Group %(second)s (%(s2)s)."
                            )
                            % {
                                "name": name,
                                "first": groups[first.group_id].name if first.group_id in groups else "?",
                                "second": groups[second.group_id].name if second.group_id in groups else "?",
                                "s1": s1.title,
                                "s2": s2.title,
                            },
                            group_id=second.group_id,
                            session_id=second.session_id,
                            facilitator_id=fid,
                        )
                    )

    # rotation: a facilitator visits a group at most once in a workshop.
    visits = Counter((a.facilitator_id, a.group_id) for a in schedule.assignments)
    for (fid, gid), count in sorted(visits.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        if count > 1 and fid in facilitators and gid in groups:
            problems.append(
                Problem(
                    Rule.ROTATION,
                    _("%(name)s visits Group %(group)s %(count)d times; each group should get new facilitators.")
                    % {"name": facilitators[fid].name, "group": groups[gid].name, "count": count},
                    group_id=gid,
                    facilitator_id=fid,
                )
            )

    # facilitator language: a facilitator speaks at least one language of the room's mode.
    for a in schedule.assignments:
        facilitator, room = facilitators.get(a.facilitator_id), room_of(a.group_id)
        if facilitator and room and not (facilitator.languages & room.languages):
            problems.append(
                Problem(
                    Rule.FACILITATOR_LANGUAGE,
                    _("%(name)s speaks %(spoken)s, but %(room)s works in %(room_languages)s.")
                    % {
                        "name": facilitator.name,
                        "spoken": language_names(sorted(facilitator.languages)),
                        "room": room.name,
                        "room_languages": language_names(sorted(room.languages)),
                    },
                    group_id=a.group_id,
                    session_id=a.session_id,
                    facilitator_id=a.facilitator_id,
                )
            )

    # co-facilitation: the facilitators of a group in a session share at least one language.
    # With three or more, every pair must share one: each co-facilitator can talk to each other.
    teams = defaultdict(set)
    for a in schedule.assignments:
        if a.facilitator_id in facilitators and a.session_id in sessions and a.group_id in groups:
            teams[(a.session_id, a.group_id)].add(a.facilitator_id)
    for (sid, gid), members in sorted(
        teams.items(), key=lambda item: (sessions[item[0][0]].start, str(item[0][0]), groups[item[0][1]].name)
    ):
        ordered = sorted((facilitators[fid] for fid in members), key=lambda f: (f.name, str(f.id)))
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                if not first.languages & second.languages:
                    problems.append(
                        Problem(
                            Rule.CO_FACILITATION,
                            _(
                                "%(session)s: %(first)s (%(first_languages)s) and %(second)s (%(second_languages)s) "
                                "co-facilitate Group %(group)s but share no language."
                            )
                            % {
                                "session": sessions[sid].title,
                                "first": first.name,
                                "first_languages": language_names(sorted(first.languages)),
                                "second": second.name,
                                "second_languages": language_names(sorted(second.languages)),
                                "group": groups[gid].name,
                            },
                            group_id=gid,
                            session_id=sid,
                            facilitator_id=second.id,
                        )
                    )

    # availability: a facilitator is only scheduled inside their availability.
    for a in schedule.assignments:
        facilitator, session = facilitators.get(a.facilitator_id), sessions.get(a.session_id)
        if facilitator and session and not facilitator.is_available(session.start, session.end):
            problems.append(
                Problem(
                    Rule.AVAILABILITY,
                    _("%(name)s is not available for %(session)s.")
                    % {"name": facilitator.name, "session": session.title},
                    group_id=a.group_id,
                    session_id=a.session_id,
                    facilitator_id=a.facilitator_id,
                )
            )

    # no overlap: the sessions a group attends (all of them) do not overlap in time.
    ordered_sessions = sorted(schedule.sessions, key=lambda s: s.start)
    for i, first in enumerate(ordered_sessions):
        for second in ordered_sessions[i + 1 :]:
            if _overlap(first.start, first.end, second.start, second.end):
                problems.append(
                    Problem(
                        Rule.NO_OVERLAP,
                        _("%(first)s and %(second)s overlap in time, and every group attends both.")
                        % {"first": first.title, "second": second.title},
                        session_id=second.id,
                    )
                )
    return problems
