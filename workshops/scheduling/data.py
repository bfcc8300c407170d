"""Plain data describing a workshop's schedule: what the checker reads and the solver writes."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RoomSpec:
    id: int
    name: str
    capacity: int
    languages: frozenset[str]


@dataclass(frozen=True)
class GroupSpec:
    id: int
    name: str
    room_id: int


@dataclass(frozen=True)
class ParticipantSpec:
    id: int
    name: str
    languages: frozenset[str]
    group_id: int | None = None
    country: str = ""
    region: str = ""
    organisation: str = ""
    gender: str = ""
    locked: bool = False


@dataclass(frozen=True)
class FacilitatorSpec:
    id: int
    name: str
    languages: frozenset[str]
    # Windows in which they can facilitate; empty means available throughout.
    availability: tuple[tuple[datetime, datetime], ...] = ()
    expertise: frozenset[str] = frozenset()

    def is_available(self, start: datetime, end: datetime) -> bool:
        return not self.availability or any(a <= start and end <= b for a, b in self.availability)


@dataclass(frozen=True)
class SessionSpec:
    id: int
    title: str
    start: datetime
    end: datetime
    required: int = 2
    section: str | None = None


@dataclass(frozen=True)
class AssignmentSpec:
    facilitator_id: int
    session_id: int
    group_id: int
    locked: bool = False


@dataclass(frozen=True)
class Schedule:
    rooms: Sequence[RoomSpec]
    groups: Sequence[GroupSpec]
    participants: Sequence[ParticipantSpec]
    facilitators: Sequence[FacilitatorSpec]
    sessions: Sequence[SessionSpec]
    assignments: Sequence[AssignmentSpec] = field(default_factory=tuple)
