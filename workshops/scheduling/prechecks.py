"""Counting checks that explain an impossible schedule in an organiser's words, before any solving.

A constraint solver can take minutes to prove that a large instance has no solution, and even
then it only says "infeasible". These checks count seats, speakers and available people
instead, in milliseconds, and name the rule that cannot be met.

`placement_precheck` is exact: it returns no problem if and only if some placement meets every
placement rule (one group, capacity, language fit) while keeping the locked participants. It
compares, for every union of room language modes, the participants who can only go there with
the seats left there (Hall's theorem; groups with the same room languages are interchangeable
for the hard rules, so unions of language modes are the only sets worth checking).

`rotation_precheck` checks necessary conditions (sessions that overlap, locked assignments that
already break a rule, facilitators available and speaking the rooms' languages per session,
enough of them able to team up with someone they share a language with, enough different
facilitators per group over the workshop). When it finds nothing the rotation
is very likely possible, and `rotation.rotation_build` falls back to a general sentence on the
rare input where it is not.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..languages import language_names
from .checker import Problem, Rule
from .data import FacilitatorSpec, GroupSpec, RoomSpec, Schedule, SessionSpec

# Unions of room language modes are enumerated; beyond this many distinct modes only single
# modes and the whole workshop are checked (real events have two or three modes).
MAX_EXACT_MODES = 12
# Subsets of sessions are enumerated for the rotation check up to this many sessions.
MAX_EXACT_SESSIONS = 10
# Group lists longer than this are shortened in messages ("Groups A, B, C, D, E and 35 more").
LISTED_GROUPS = 6


def group_list(names: Iterable[str]) -> str:
    """ "Group D", "Groups D and E", "Groups A, B, C, D, E and 35 more": groups named in a sentence."""
    ordered = sorted(names, key=lambda name: (len(name), name))
    if len(ordered) == 1:
        return _("Group %(name)s") % {"name": ordered[0]}
    if len(ordered) > LISTED_GROUPS:
        shown = ordered[: LISTED_GROUPS - 1]
        return _("Groups %(names)s and %(count)d more") % {
            "names": ", ".join(shown),
            "count": len(ordered) - len(shown),
        }
    return _("Groups %(names)s and %(last)s") % {"names": ", ".join(ordered[:-1]), "last": ordered[-1]}


def _overlap(first: SessionSpec, second: SessionSpec) -> bool:
    return first.start < second.end and second.start < first.end


@dataclass(frozen=True)
class Modes:
    """The workshop's rooms grouped by language mode: what every check and solver needs first.

    `mode_of[group_id]` is the index of the group's mode in `modes` (a group whose room is
    missing gets an empty mode and no seats); `fit(languages)` is the bit mask of the modes
    someone speaking those languages can work in.
    """

    modes: tuple[frozenset[str], ...]
    mode_of: dict[int, int]
    capacity: dict[int, int]

    @classmethod
    def of(cls, rooms: Sequence[RoomSpec], groups: Sequence[GroupSpec]) -> "Modes":
        by_id = {room.id: room for room in rooms}
        modes: dict[frozenset[str], int] = {}
        mode_of, capacity = {}, {}
        for group in groups:
            room = by_id.get(group.room_id)
            languages = room.languages if room else frozenset()
            mode_of[group.id] = modes.setdefault(languages, len(modes))
            capacity[group.id] = room.capacity if room else 0
        return cls(tuple(modes), mode_of, capacity)

    def fit(self, languages: frozenset[str]) -> int:
        return sum(1 << i for i, mode in enumerate(self.modes) if mode & languages)

    def unions(self) -> list[int]:
        """Every non-empty union of modes as a bit mask, smallest unions first."""
        count = len(self.modes)
        if count <= MAX_EXACT_MODES:
            masks = range(1, 1 << count)
        else:
            masks = [1 << i for i in range(count)] + [(1 << count) - 1]
        return sorted(masks, key=lambda mask: (mask.bit_count(), mask))

    def languages(self, mask: int) -> frozenset[str]:
        return frozenset().union(*(mode for i, mode in enumerate(self.modes) if mask >> i & 1))


def _minimal(violated: list[int]) -> list[int]:
    """The violated unions that contain no smaller violated union: the root causes, without echoes."""
    kept: list[int] = []
    for mask in violated:  # already smallest first
        if not any(smaller & mask == smaller for smaller in kept):
            kept.append(mask)
    return kept


def placement_precheck(schedule: Schedule) -> list[Problem]:
    """Why no placement of participants into groups can meet the rules, in plain words; [] if one can.

    Checks, in this order: locked participants in a group of another workshop (one group), in a
    room whose languages they do not speak (language fit), or more of them locked in a group
    than its room seats (capacity); participants who speak no language of any room (language
    fit); then, for every union of room language modes, whether the participants who can only
    go there fit into the seats left there (capacity for the whole workshop, language fit for a
    part of it). Exact: [] means a placement exists (with more than `MAX_EXACT_MODES` distinct
    room language modes, only single modes and the whole workshop are compared).
    """
    problems: list[Problem] = []
    modes = Modes.of(schedule.rooms, schedule.groups)
    rooms = {room.id: room for room in schedule.rooms}
    groups = {group.id: group for group in schedule.groups}

    locked: Counter[int] = Counter()
    unlocked_by_fit: Counter[int] = Counter()
    for p in schedule.participants:
        if p.locked and p.group_id is not None:
            group = groups.get(p.group_id)
            if group is None:
                problems.append(
                    Problem(Rule.ONE_GROUP, _("%(name)s is locked in a group of another workshop.") % {"name": p.name})
                )
                continue
            locked[group.id] += 1
            room = rooms.get(group.room_id)
            if room is None or not p.languages & room.languages:
                problems.append(
                    Problem(
                        Rule.LANGUAGE_FIT,
                        _(
                            "%(name)s is locked in Group %(group)s, but speaks %(spoken)s and %(room)s works in %(room_languages)s."
                        )
                        % {
                            "name": p.name,
                            "group": group.name,
                            "spoken": language_names(sorted(p.languages)),
                            "room": room.name if room else "?",
                            "room_languages": language_names(sorted(room.languages)) if room else "",
                        },
                    )
                )
            continue
        fit = modes.fit(p.languages)
        if not fit:
            problems.append(
                Problem(
                    Rule.LANGUAGE_FIT,
                    _("%(name)s speaks %(spoken)s, which no room of the workshop works in.")
                    % {"name": p.name, "spoken": language_names(sorted(p.languages))},
                )
            )
            continue
        unlocked_by_fit[fit] += 1

    seats_left: Counter[int] = Counter()  # per mode
    groups_of_mode: dict[int, list[str]] = defaultdict(list)
    for group in sorted(schedule.groups, key=lambda g: g.name):
        mode = modes.mode_of[group.id]
        groups_of_mode[mode].append(group.name)
        capacity = modes.capacity[group.id]
        if locked[group.id] > capacity:
            problems.append(
                Problem(
                    Rule.CAPACITY,
                    _("%(count)d participants are locked in Group %(group)s, but %(room)s seats %(capacity)d.")
                    % {
                        "count": locked[group.id],
                        "group": group.name,
                        "room": rooms[group.room_id].name if group.room_id in rooms else "?",
                        "capacity": capacity,
                    },
                )
            )
        seats_left[mode] += max(0, capacity - locked[group.id])

    everything = (1 << len(modes.modes)) - 1
    waiting = sum(unlocked_by_fit.values())
    seats = sum(seats_left.values())
    if waiting > seats:
        if locked:
            message = ngettext(
                "%(count)d participants still need a group, but the rooms have only %(seats)d seat left.",
                "%(count)d participants still need a group, but the rooms have only %(seats)d seats left.",
                seats,
            )
        else:
            message = _("There are %(count)d participants, but the rooms seat only %(seats)d.")
        problems.append(Problem(Rule.CAPACITY, message % {"count": waiting, "seats": seats}))

    # Hall's condition on unions of modes: those who can only work in the union must fit there.
    violated = []
    for union in modes.unions():
        if union == everything:
            continue
        confined = sum(count for fit, count in unlocked_by_fit.items() if fit & ~union == 0)
        room_for = sum(seats_left[i] for i in range(len(modes.modes)) if union >> i & 1)
        if confined > room_for:
            violated.append((union, confined, room_for))
    for union in _minimal([v[0] for v in violated]):
        _union, confined, room_for = next(v for v in violated if v[0] == union)
        closed = everything & ~union
        closed_groups = [name for i in range(len(modes.modes)) if closed >> i & 1 for name in groups_of_mode[i]]
        open_groups = [name for i in range(len(modes.modes)) if union >> i & 1 for name in groups_of_mode[i]]
        if not closed_groups or not open_groups:
            continue  # a mode without groups: nothing to say beyond the total
        problems.append(
            Problem(
                Rule.LANGUAGE_FIT,
                ngettext(
                    "%(count)d participant speaks none of the languages of %(closed)s (%(languages)s); "
                    "the rooms open to them (%(open)s) have room for only %(seats)d.",
                    "%(count)d participants speak none of the languages of %(closed)s (%(languages)s); "
                    "the rooms open to them (%(open)s) have room for only %(seats)d.",
                    confined,
                )
                % {
                    "closed": group_list(closed_groups),
                    "languages": language_names(sorted(modes.languages(closed))),
                    "count": confined,
                    "open": group_list(open_groups),
                    "seats": room_for,
                },
            )
        )
    return problems


def _speaking(languages: frozenset[str]) -> str:
    if len(languages) == 1:
        return _("speaking %(language)s") % {"language": language_names(sorted(languages))}
    return _("speaking any of %(languages)s") % {"languages": language_names(sorted(languages))}


def _pairable(people: Sequence[FacilitatorSpec], *, exactly_two: bool) -> int:
    """How many of these people, at most, can work in teams of two or more whose members share a
    language: nobody who shares a language with no one else here, and, when every team is a pair,
    an even number of those who speak only a language nobody else here speaks."""
    only: dict[str, int] = Counter(next(iter(p.languages)) for p in people if len(p.languages) == 1)
    also = Counter(code for p in people if len(p.languages) > 1 for code in p.languages)
    count = 0
    for p in people:
        if len(p.languages) > 1:
            # Someone speaking several languages needs one other person speaking one of them.
            count += any(only.get(code, 0) + also[code] > 1 for code in p.languages)
    for code, n in only.items():
        if also[code]:
            count += n
        elif n > 1:
            count += n - n % 2 if exactly_two else n
    return count


def rotation_precheck(schedule: Schedule) -> list[Problem]:
    """Why no facilitator rotation can meet the rules, in plain words; [] if none of these counts fails.

    Checks: sessions that overlap in time (no overlap: every group attends every session);
    locked assignments naming someone or something outside the workshop, outside a
    facilitator's availability, in a room whose languages they do not speak, in two rooms at
    once, or twice in the same group; per session, enough facilitators in the workshop
    (staffing), available then (availability), and speaking the languages of each union of room
    modes (facilitator language), and enough who can be teamed up with people they share a
    language with (co-facilitation; locked co-facilitators who share none are named); per
    group, enough different facilitators over every set of
    sessions, since nobody visits a group twice (rotation). Necessary conditions: [] does not
    prove a rotation exists, though on realistic input it almost always does.
    """
    problems: list[Problem] = []
    modes = Modes.of(schedule.rooms, schedule.groups)
    groups = {group.id: group for group in schedule.groups}
    rooms = {room.id: room for room in schedule.rooms}
    facilitators = {f.id: f for f in schedule.facilitators}
    sessions = sorted(schedule.sessions, key=lambda s: (s.start, s.id))
    session_by_id = {s.id: s for s in sessions}

    for i, first in enumerate(sessions):
        for second in sessions[i + 1 :]:
            if _overlap(first, second):
                problems.append(
                    Problem(
                        Rule.NO_OVERLAP,
                        _("%(first)s and %(second)s overlap in time, and every group attends both.")
                        % {"first": first.title, "second": second.title},
                    )
                )

    # Locked assignments that already break a rule.
    locked: list[tuple[FacilitatorSpec, SessionSpec, GroupSpec]] = []
    seen = set()
    for a in schedule.assignments:
        if not a.locked or (a.facilitator_id, a.session_id, a.group_id) in seen:
            continue
        seen.add((a.facilitator_id, a.session_id, a.group_id))
        f, s, g = facilitators.get(a.facilitator_id), session_by_id.get(a.session_id), groups.get(a.group_id)
        if f is None or s is None or g is None:
            problems.append(
                Problem(
                    Rule.STAFFING,
                    _("A locked assignment names a facilitator, session or group that is not part of this workshop."),
                )
            )
            continue
        locked.append((f, s, g))
        if not f.is_available(s.start, s.end):
            problems.append(
                Problem(
                    Rule.AVAILABILITY,
                    _("%(name)s is locked into %(session)s but is not available then.")
                    % {"name": f.name, "session": s.title},
                )
            )
        room = rooms.get(g.room_id)
        if room is None or not f.languages & room.languages:
            problems.append(
                Problem(
                    Rule.FACILITATOR_LANGUAGE,
                    _(
                        "%(name)s is locked into Group %(group)s, but speaks %(spoken)s and %(room)s works in %(room_languages)s."
                    )
                    % {
                        "name": f.name,
                        "group": g.name,
                        "spoken": language_names(sorted(f.languages)),
                        "room": room.name if room else "?",
                        "room_languages": language_names(sorted(room.languages)) if room else "",
                    },
                )
            )
    by_facilitator: dict[int, list[tuple[SessionSpec, GroupSpec]]] = defaultdict(list)
    for f, s, g in locked:
        by_facilitator[f.id].append((s, g))
    for fid, items in sorted(by_facilitator.items(), key=lambda item: facilitators[item[0]].name):
        items.sort(key=lambda item: (item[0].start, item[0].id, item[1].name))
        name = facilitators[fid].name
        for i, (s1, g1) in enumerate(items):
            for s2, g2 in items[i + 1 :]:
                if s1.id == s2.id or _overlap(s1, s2):
                    problems.append(
                        Problem(
                            Rule.DOUBLE_BOOKING,
                            _(
                                "%(name)s is locked into two rooms at once: Group %(first)s (%(s1)s) and Group %(second)s (%(s2)s)."
                            )
                            % {"name": name, "first": g1.name, "second": g2.name, "s1": s1.title, "s2": s2.title},
                        )
                    )
        for gid, count in sorted(Counter(g.id for _s, g in items).items(), key=lambda item: groups[item[0]].name):
            if count > 1:
                problems.append(
                    Problem(
                        Rule.ROTATION,
                        _(
                            "%(name)s is locked into Group %(group)s %(count)d times; each group should get new facilitators."
                        )
                        % {"name": name, "group": groups[gid].name, "count": count},
                    )
                )

    locked_teams: dict[tuple[int, int], list[FacilitatorSpec]] = defaultdict(list)
    for f, s, g in locked:
        locked_teams[(s.id, g.id)].append(f)
    for (sid, gid), team in sorted(
        locked_teams.items(), key=lambda item: (session_by_id[item[0][0]].start, item[0][0], groups[item[0][1]].name)
    ):
        team.sort(key=lambda f: (f.name, f.id))
        for i, first in enumerate(team):
            for second in team[i + 1 :]:
                if not first.languages & second.languages:
                    problems.append(
                        Problem(
                            Rule.CO_FACILITATION,
                            _(
                                "%(first)s (%(first_languages)s) and %(second)s (%(second_languages)s) are locked "
                                "into Group %(group)s in %(session)s together, but share no language."
                            )
                            % {
                                "first": first.name,
                                "first_languages": language_names(sorted(first.languages)),
                                "second": second.name,
                                "second_languages": language_names(sorted(second.languages)),
                                "group": groups[gid].name,
                                "session": session_by_id[sid].title,
                            },
                        )
                    )

    locked_in = Counter((s.id, g.id) for _f, s, g in locked)
    locked_people = {(f.id, s.id) for f, s, _g in locked}
    fits = {f.id: modes.fit(f.languages) for f in schedule.facilitators}
    group_names_of_mode: dict[int, list[str]] = defaultdict(list)
    for group in schedule.groups:
        group_names_of_mode[modes.mode_of[group.id]].append(group.name)
    everything = (1 << len(modes.modes)) - 1

    def target(session: SessionSpec, group: GroupSpec) -> int:
        # More locked people than required is the organiser's choice: they all stay.
        return max(session.required, locked_in[(session.id, group.id)])

    # Per session: people in the workshop, available then, and speaking the rooms' languages.
    available_in = {s.id: [f for f in schedule.facilitators if f.is_available(s.start, s.end)] for s in sessions}
    for s in sessions:
        needed_by_mode: Counter[int] = Counter()
        locked_by_mode: Counter[int] = Counter()
        for group in schedule.groups:
            needed_by_mode[modes.mode_of[group.id]] += target(s, group)
            locked_by_mode[modes.mode_of[group.id]] += locked_in[(s.id, group.id)]
        needed = sum(needed_by_mode.values())
        if not needed:
            continue
        available = available_in[s.id]
        free_fits = Counter(fits[f.id] for f in available if (f.id, s.id) not in locked_people)
        speaking = sum(locked_by_mode.values()) + sum(n for fit, n in free_fits.items() if fit)
        values = {"session": s.title, "needed": needed, "groups": len(schedule.groups)}
        reported = len(problems)
        if len(schedule.facilitators) < needed:
            problems.append(
                Problem(
                    Rule.STAFFING,
                    _(
                        "%(session)s needs %(needed)d facilitators for %(groups)d groups, but the workshop has only %(count)d."
                    )
                    % {**values, "count": len(schedule.facilitators)},
                )
            )
        elif len(available) < needed:
            problems.append(
                Problem(
                    Rule.AVAILABILITY,
                    _(
                        "%(session)s needs %(needed)d facilitators for %(groups)d groups, but only %(count)d are available then."
                    )
                    % {**values, "count": len(available)},
                )
            )
        elif speaking < needed:
            problems.append(
                Problem(
                    Rule.FACILITATOR_LANGUAGE,
                    _(
                        "%(session)s needs %(needed)d facilitators for %(groups)d groups, but only %(count)d of those "
                        "available then speak a language of the rooms."
                    )
                    % {**values, "count": speaking},
                )
            )
        violated = []
        for union in modes.unions():
            if union == everything:
                continue
            wanted = sum(needed_by_mode[i] for i in range(len(modes.modes)) if union >> i & 1)
            have = sum(locked_by_mode[i] for i in range(len(modes.modes)) if union >> i & 1)
            have += sum(n for fit, n in free_fits.items() if fit & union)
            if wanted > have:
                violated.append((union, wanted, have))
        for union in _minimal([v[0] for v in violated]):
            _union, wanted, have = next(v for v in violated if v[0] == union)
            names = [name for i in range(len(modes.modes)) if union >> i & 1 for name in group_names_of_mode[i]]
            if not names:
                continue
            languages = modes.languages(union)
            values = {
                "session": s.title,
                "groups": group_list(names),
                "languages": language_names(sorted(languages)),
                "needed": wanted,
                "count": have,
            }
            if len(languages) == 1:
                message = ngettext(
                    "%(session)s: %(needed)d facilitators are needed for %(groups)s (%(languages)s), "
                    "but only %(count)d of those available then speaks %(languages)s.",
                    "%(session)s: %(needed)d facilitators are needed for %(groups)s (%(languages)s), "
                    "but only %(count)d of those available then speak %(languages)s.",
                    have,
                )
            else:
                message = ngettext(
                    "%(session)s: %(needed)d facilitators are needed for %(groups)s (%(languages)s), "
                    "but only %(count)d of those available then speaks any of these languages.",
                    "%(session)s: %(needed)d facilitators are needed for %(groups)s (%(languages)s), "
                    "but only %(count)d of those available then speak any of these languages.",
                    have,
                )
            problems.append(Problem(Rule.FACILITATOR_LANGUAGE, message % values))
        teams = [target(s, group) for group in schedule.groups]
        if len(problems) == reported and min(teams, default=0) >= 2:
            pairable = _pairable([f for f in available if fits[f.id]], exactly_two=max(teams) == 2)
            if pairable < needed:
                problems.append(
                    Problem(
                        Rule.CO_FACILITATION,
                        ngettext(
                            "%(session)s needs %(needed)d facilitators for %(groups)d groups, but co-facilitators "
                            "must share a language, and only %(count)d of those available then can be teamed up "
                            "that way.",
                            "%(session)s needs %(needed)d facilitators for %(groups)d groups, but co-facilitators "
                            "must share a language, and only %(count)d of those available then can be teamed up "
                            "that way.",
                            pairable,
                        )
                        % {"session": s.title, "needed": needed, "groups": len(schedule.groups), "count": pairable},
                    )
                )

    if any(
        p.rule in (Rule.STAFFING, Rule.AVAILABILITY, Rule.FACILITATOR_LANGUAGE, Rule.CO_FACILITATION) for p in problems
    ):
        return problems  # the per-group counts below would mostly echo these root causes

    # Per group: nobody visits a group twice, so every set of sessions needs that many different
    # people who speak the room's languages and are available in at least one of those sessions.
    # A single session is covered by the per-session counts above (they would only echo).
    if len(sessions) <= MAX_EXACT_SESSIONS:
        subsets = sorted(
            (mask for mask in range(1, 1 << len(sessions)) if mask.bit_count() > 1),
            key=lambda mask: (mask.bit_count(), mask),
        )
    else:
        subsets = [(1 << len(sessions)) - 1] if len(sessions) > 1 else []
    all_sessions = (1 << len(sessions)) - 1
    availability_mask = {
        f.id: sum(1 << i for i, s in enumerate(sessions) if f.is_available(s.start, s.end))
        for f in schedule.facilitators
    }
    failing: dict[tuple[int, int, int, int], list[str]] = defaultdict(list)  # (mode, subset, needed, able) -> groups
    cache: dict[tuple, tuple[int, int, int] | None] = {}
    for group in sorted(schedule.groups, key=lambda g: g.name):
        mode = modes.mode_of[group.id]
        targets = tuple(target(s, group) for s in sessions)
        if (mode, targets) not in cache:
            masks = Counter(availability_mask[f.id] for f in schedule.facilitators if fits[f.id] >> mode & 1)
            cache[(mode, targets)] = None
            for subset in subsets:
                wanted = sum(targets[i] for i in range(len(sessions)) if subset >> i & 1)
                able = sum(n for mask, n in masks.items() if mask & subset)
                if wanted > able:
                    cache[(mode, targets)] = (subset, wanted, able)
                    break  # the smallest failing set of sessions says it best
        found = cache[(mode, targets)]
        if found:
            failing[(mode, *found)].append(group.name)
    for (mode, subset, wanted, able), names in failing.items():
        values = {
            "groups": group_list(names),
            "needed": wanted,
            "count": able,
            "speaking": _speaking(modes.modes[mode]),
        }
        if subset == all_sessions:
            message = ngettext(
                "%(groups)s: %(needed)d different facilitators are needed per group over the workshop (nobody "
                "visits a group twice), but only %(count)d facilitator %(speaking)s is available then.",
                "%(groups)s: %(needed)d different facilitators are needed per group over the workshop (nobody "
                "visits a group twice), but only %(count)d facilitators %(speaking)s are available then.",
                able,
            )
        else:
            values["sessions"] = ", ".join(sessions[i].title for i in range(len(sessions)) if subset >> i & 1)
            message = ngettext(
                "%(groups)s: %(needed)d different facilitators are needed per group for %(sessions)s (nobody "
                "visits a group twice), but only %(count)d facilitator %(speaking)s is available then.",
                "%(groups)s: %(needed)d different facilitators are needed per group for %(sessions)s (nobody "
                "visits a group twice), but only %(count)d facilitators %(speaking)s are available then.",
                able,
            )
        problems.append(Problem(Rule.ROTATION, message % values))
    return problems
