"""Hand edits of the board beside moves and swaps (`services`): assigning a facilitator to a place
short of one, and unlocking what was kept by hand. Each is recorded in the history (undoable)."""

from collections import Counter
from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Assignment, BreakoutSession, Facilitator, Group, Participant, ScheduleChange, Workshop
from .schedule_history import schedule_change_record, schedule_state
from .scheduling.checker import Rule, schedule_check
from .scheduling.data import AssignmentSpec
from .selectors import schedule_load


class AssignRefused(Exception):
    """The assignment would break a rule: `reasons` say which, in words."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def facilitator_assign_problems(*, session: BreakoutSession, group: Group, facilitator: Facilitator) -> list[str]:
    """Why `facilitator` may not join `group` in `session` by hand, in words (empty: they may).

    The group must still lack facilitators there (fewer than the session requires) and the
    facilitator be free in that session; then every rule the checker finds newly broken by the
    assignment is a reason (facilitator language, co-facilitation, availability, rotation, double
    booking with an overlapping session). Staffing is what the assignment improves: never a reason.
    """
    schedule = schedule_load(workshop=session.workshop)
    groups = {g.id: g.name for g in schedule.groups}
    staffed = Counter((a.session_id, a.group_id) for a in schedule.assignments)
    busy = next(
        (a for a in schedule.assignments if (a.facilitator_id, a.session_id) == (facilitator.pk, session.pk)), None
    )
    if busy is not None:
        return [
            _("%(name)s already facilitates Group %(group)s in %(session)s.")
            % {"name": facilitator.name, "group": groups.get(busy.group_id, "?"), "session": session.title}
        ]
    if staffed[(session.pk, group.pk)] >= session.facilitators_required:
        return [
            _("Group %(group)s already has the %(count)d facilitators %(session)s requires.")
            % {"group": group.name, "count": session.facilitators_required, "session": session.title}
        ]
    added = AssignmentSpec(facilitator_id=facilitator.pk, session_id=session.pk, group_id=group.pk, locked=True)
    before = set(schedule_check(schedule))
    after = schedule_check(replace(schedule, assignments=[*schedule.assignments, added]))
    return [p.message for p in after if p not in before and p.rule != Rule.STAFFING]


@transaction.atomic
def facilitator_assign(*, session: BreakoutSession, group: Group, facilitator: Facilitator, by=None) -> Assignment:
    """Give `facilitator` a place in `group` for `session`, kept by later automatic rotations.

    Raises AssignRefused (nothing written) with the reasons of `facilitator_assign_problems`;
    otherwise the assignment is recorded in the history, so it can be undone.
    """
    Workshop.objects.select_for_update().get(pk=session.workshop_id)  # one writer of this schedule at a time
    if {facilitator.workshop_id, group.workshop_id} != {session.workshop_id}:
        raise ValueError("facilitator or group of another workshop")
    reasons = facilitator_assign_problems(session=session, group=group, facilitator=facilitator)
    if reasons:
        raise AssignRefused(reasons)
    before = schedule_state(workshop=session.workshop)
    assignment = Assignment.objects.create(facilitator=facilitator, session=session, group=group, locked=True)
    schedule_change_record(
        workshop=session.workshop,
        kind=ScheduleChange.Kind.ASSIGN,
        before=before,
        by=by,
        detail={"facilitator": facilitator.pk, "session": session.pk, "group": group.pk},
    )
    return assignment


@transaction.atomic
def participant_unlock(*, participant: Participant, by=None) -> bool:
    """Let automatic placement move `participant` again (they stay in their group); False if not kept."""
    Workshop.objects.select_for_update().get(pk=participant.workshop_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not participant.group_locked:
        return False
    before = schedule_state(workshop=participant.workshop)
    participant.group_locked = False
    participant.save(update_fields=["group_locked"])
    schedule_change_record(
        workshop=participant.workshop,
        kind=ScheduleChange.Kind.UNLOCK,
        before=before,
        by=by,
        detail={"participant": participant.pk, "group": participant.group_id},
    )
    return True


@transaction.atomic
def assignment_unlock(*, assignment: Assignment, by=None) -> bool:
    """Let automatic rotations change `assignment` again (it stays as it is); False if it was not kept."""
    workshop = Workshop.objects.select_for_update().get(pk=assignment.session.workshop_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.locked:
        return False
    before = schedule_state(workshop=workshop)
    assignment.locked = False
    assignment.save(update_fields=["locked"])
    schedule_change_record(
        workshop=workshop,
        kind=ScheduleChange.Kind.UNLOCK,
        before=before,
        by=by,
        detail={
            "facilitator": assignment.facilitator_id,
            "session": assignment.session_id,
            "group": assignment.group_id,
        },
    )
    return True
