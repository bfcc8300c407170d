"""Marking attendance (issue 16): the one write path of the roster, self check-in and the organiser.

Every change raises the mark's version and leaves an `AttendanceChange` (who, from what to what,
how); a write based on a version that is no longer the stored one (a stale page, a mark queued on
a phone while offline) is refused and the stored mark returned, never overwritten.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .enums import AttendanceSource, AttendanceStatus
from .models import Attendance, AttendanceChange


@dataclass(frozen=True)
class MarkResult:
    """ "saved" (changed, or already so), or "conflict" (stale: `attendance` is the stored mark, unchanged)."""

    status: str
    attendance: Attendance | None

    @property
    def version(self) -> int:
        """The stored mark's version; 0 while the participant has none."""
        return self.attendance.version if self.attendance else 0


def attendance_mark(
    *, session, participant, status: str, source: str, by_user, expected_version: int | None
) -> MarkResult:
    """Set one participant's attendance of one session, atomically, if `expected_version` is the stored one.

    `expected_version` is the version the writer saw (0: no mark yet). None skips the check: only
    for self check-in, which decides from the stored mark itself (`attendance_check_in`). Writing
    the status already stored changes nothing and writes no history. The group stored is the
    participant's group at this moment.
    """
    if status not in AttendanceStatus.values:
        raise ValueError(f"not an attendance status: {status!r}")
    try:
        with transaction.atomic():
            current = Attendance.objects.select_for_update().filter(session=session, participant=participant).first()
            if expected_version is not None and (current.version if current else 0) != expected_version:
                return MarkResult("conflict", current)
            if current is not None and current.status == status:
                return MarkResult("saved", current)
            now = timezone.now()
            before = current.status if current else ""
            if current is None:
                current = Attendance.objects.create(
                    session=session,
                    participant=participant,
                    group_id=participant.group_id,
                    status=status,
                    source=source,
                    updated_at=now,
                    updated_by=by_user,
                )
            else:
                current.status, current.source = status, source
                current.group_id = participant.group_id
                current.version += 1
                current.updated_at, current.updated_by = now, by_user
                current.save(update_fields=["status", "source", "group", "version", "updated_at", "updated_by"])
            AttendanceChange.objects.create(
                attendance=current, before=before, after=status, source=source, changed_by=by_user, changed_at=now
            )
            return MarkResult("saved", current)
    except IntegrityError:
        # Someone else created the first mark between our read and our write: theirs stands.
        stored = Attendance.objects.filter(session=session, participant=participant).first()
        return MarkResult("conflict", stored)


def attendance_check_in(*, session, participant, by_user, late: bool) -> MarkResult:
    """A participant's own check-in: present (late when `late`), source CHECK_IN. Idempotent.

    It never overrides a mark a facilitator or organiser made, except "absent" (they marked it
    before the participant arrived); a second check-in changes nothing.
    """
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    for _attempt in range(3):  # a concurrent mark: read it again, then decide again
        current = Attendance.objects.filter(session=session, participant=participant).first()
        if current is not None and current.status != AttendanceStatus.ABSENT:
            return MarkResult("saved", current)
        result = attendance_mark(
            session=session,
            participant=participant,
            status=status,
            source=AttendanceSource.CHECK_IN,
            by_user=by_user,
            expected_version=current.version if current else 0,
        )
        if result.status == "saved":
            return result
    return result
