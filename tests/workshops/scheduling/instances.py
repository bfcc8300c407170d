"""Small hand-made schedules for the solver tests, and the naive baseline they are compared with."""

from collections import Counter
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from workshops.scheduling.checker import Problem, Rule, schedule_check
from workshops.scheduling.data import (
    AssignmentSpec,
    FacilitatorSpec,
    GroupSpec,
    ParticipantSpec,
    RoomSpec,
    Schedule,
    SessionSpec,
)

TZ = ZoneInfo("Europe/Zurich")
TRI = frozenset({"en", "es", "fr"})
EN = frozenset({"en"})
ES = frozenset({"es"})
FR = frozenset({"fr"})
PLACEMENT_RULES = {Rule.ONE_GROUP, Rule.CAPACITY, Rule.LANGUAGE_FIT}


def at(hour: int, day: int = 27) -> datetime:
    return datetime(2005, 9, day, hour, tzinfo=TZ)


def session(id: int, title: str, hour: int, required: int = 2, section: str | None = None) -> SessionSpec:
    return SessionSpec(id, title, at(hour), at(hour + 2), required, section)


def rooms_and_groups(*specs: tuple[str, int, frozenset[str]]) -> dict:
    """("A", 3, TRI), ("D", 2, EN) -> rooms "Room A"... and groups "A"... (group id = 10 x room id)."""
    rooms = [
        RoomSpec(i + 1, f"Room {name}", capacity, languages) for i, (name, capacity, languages) in enumerate(specs)
    ]
    groups = [GroupSpec(10 * (i + 1), name, i + 1) for i, (name, _c, _l) in enumerate(specs)]
    return {"rooms": rooms, "groups": groups}


def people(count: int, languages: frozenset[str] = EN, start: int = 100, **fields) -> list[ParticipantSpec]:
    return [ParticipantSpec(start + i, f"P{start + i}", languages, **fields) for i in range(count)]


def staff(count: int, languages: frozenset[str] = EN, start: int = 1, **fields) -> list[FacilitatorSpec]:
    return [FacilitatorSpec(start + i, f"F{start + i}", languages, **fields) for i in range(count)]


def schedule(**fields) -> Schedule:
    fields.setdefault("participants", [])
    fields.setdefault("facilitators", [])
    fields.setdefault("sessions", [])
    return Schedule(**fields)


def placed(schedule: Schedule, groups: dict[int, int]) -> Schedule:
    """The schedule with every participant in the group the solver chose."""
    return replace(
        schedule, participants=[replace(p, group_id=groups.get(p.id, p.group_id)) for p in schedule.participants]
    )


def staffed(schedule: Schedule, assignments: list[AssignmentSpec]) -> Schedule:
    return replace(schedule, assignments=assignments)


def placement_problems(schedule: Schedule) -> list[Problem]:
    return [p for p in schedule_check(schedule) if p.rule in PLACEMENT_RULES]


def rotation_problems(schedule: Schedule) -> list[Problem]:
    return [p for p in schedule_check(schedule) if p.rule not in PLACEMENT_RULES]


def round_robin(schedule: Schedule) -> dict[int, int]:
    """The naive placement: participants in list order, dealt to the groups in turn."""
    groups = [g.id for g in schedule.groups]
    return {p.id: groups[i % len(groups)] for i, p in enumerate(schedule.participants)}


def most_of_one(schedule: Schedule, groups: dict[int, int], attribute: str = "country") -> int:
    """Most participants sharing one value of `attribute` in one group."""
    counts = Counter((groups[p.id], getattr(p, attribute)) for p in schedule.participants)
    return max(counts.values(), default=0)


def size_spread(schedule: Schedule, groups: dict[int, int]) -> int:
    sizes = Counter(groups[p.id] for p in schedule.participants)
    every = [sizes[g.id] for g in schedule.groups]
    return max(every) - min(every)


def cyclic(schedule: Schedule) -> list[AssignmentSpec]:
    """The naive rotation: facilitators in list order, shifted by one team each session."""
    facilitators = [f.id for f in schedule.facilitators]
    result = []
    for k, s in enumerate(sorted(schedule.sessions, key=lambda s: s.start)):
        for j, g in enumerate(schedule.groups):
            for r in range(s.required):
                f = facilitators[(j * s.required + r + k * s.required) % len(facilitators)]
                result.append(AssignmentSpec(f, s.id, g.id))
    return result


def load_spread(schedule: Schedule, assignments: list[AssignmentSpec]) -> int:
    load = Counter(a.facilitator_id for a in assignments)
    every = [load[f.id] for f in schedule.facilitators]
    return max(every) - min(every)


def repeated_pairs(assignments: list[AssignmentSpec]) -> int:
    teams: dict[tuple[int, int], list[int]] = {}
    for a in assignments:
        teams.setdefault((a.session_id, a.group_id), []).append(a.facilitator_id)
    pairs = Counter(
        (x, y) for team in teams.values() for i, x in enumerate(sorted(team)) for y in sorted(team)[i + 1 :]
    )
    return sum(n - 1 for n in pairs.values() if n > 1)
