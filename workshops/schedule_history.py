"""The schedule's history: each applied run and hand edit recorded with the state it replaced, and undo.

The state is who is in which group (with their hand locks), every facilitator assignment, and each
group's room (a repair of the day moves a group out of an unusable room). A change
is recorded with that state as it was before, and a fingerprint of the state after; the latest change
not yet undone can be undone while the workshop's state still has that fingerprint (the same check as
Apply: anything changed since, by hand, by a run, an import or in the settings, makes undo refuse
rather than lose it). Undoing restores the state before, which is the state after the change before
it, so changes undo one after another, newest first.
"""

import hashlib
import json
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Assignment, BreakoutSession, Facilitator, Group, Participant, Room, ScheduleChange, Workshop


class CannotUndo(Exception):
    """This change cannot be undone (in words)."""


def schedule_state(*, workshop: Workshop) -> dict:
    """Who is in which group, who facilitates where and each group's room, as plain lists (three queries)."""
    return {
        "rooms": sorted(
            [pk, room] for pk, room in Group.objects.filter(workshop=workshop).values_list("pk", "room_id")
        ),
        "participants": sorted(
            [pk, group, locked]
            for pk, group, locked in Participant.objects.filter(workshop=workshop).values_list(
                "pk", "group_id", "group_locked"
            )
        ),
        "assignments": sorted(
            [f, s, g, locked]
            for f, s, g, locked in Assignment.objects.filter(session__workshop=workshop).values_list(
                "facilitator_id", "session_id", "group_id", "locked"
            )
        ),
    }


def _fingerprint(state: dict) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def schedule_change_record(
    *, workshop: Workshop, kind: str, before: dict, by=None, run=None, summary: str = "", detail: dict | None = None
) -> ScheduleChange:
    """Record a change just made (inside its transaction): `before` is `schedule_state` taken before it."""
    return ScheduleChange.objects.create(
        workshop=workshop,
        kind=kind,
        summary=summary[:300],
        detail=detail or {},
        run=run,
        before=before,
        after_fingerprint=_fingerprint(schedule_state(workshop=workshop)),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _ids(details: list[dict], key: str) -> set[int]:
    return {detail[key] for detail in details if detail.get(key) is not None}


def schedule_history(*, workshop: Workshop, limit: int = 10) -> dict:
    """The latest changes, newest first, and which one (if any) can be undone now, or why not."""
    changes = list(
        ScheduleChange.objects.filter(workshop=workshop)
        .select_related("created_by", "undone_by")
        .defer("before")[:limit]
    )
    # Worded when shown, in the reader's language, naming people as they are now (an erased name
    # stays erased): one query for the participants moved or unlocked, one for the facilitators swapped,
    # assigned or unlocked, one for the sessions they name.
    details = [change.detail or {} for change in changes]
    moved = _ids(details, "participant")
    names = dict(Participant.objects.filter(pk__in=moved, workshop=workshop).values_list("pk", "name")) if moved else {}
    named = _ids(details, "first") | _ids(details, "second") | _ids(details, "facilitator")
    facilitators = (
        dict(Facilitator.objects.filter(pk__in=named, workshop=workshop).values_list("pk", "name")) if named else {}
    )
    named_sessions = _ids(details, "session")
    sessions = (
        {session.pk: session.title for session in BreakoutSession.objects.filter(workshop=workshop)}
        if named_sessions
        else {}
    )
    groups = dict(Group.objects.filter(workshop=workshop).values_list("pk", "name"))
    named_rooms = _ids(details, "room")
    rooms = (
        dict(Room.objects.filter(pk__in=named_rooms, workshop=workshop).values_list("pk", "name"))
        if named_rooms
        else {}
    )
    for change in changes:
        change.text = _change_text(
            change, names=names, groups=groups, facilitators=facilitators, sessions=sessions, rooms=rooms
        )
    latest = next((change for change in changes if change.undone_at is None), None)
    undoable, reason = None, ""
    if latest is not None:
        if latest.after_fingerprint == _fingerprint(schedule_state(workshop=workshop)):
            undoable = latest
        else:
            reason = _(
                "The last change can no longer be undone: the groups or the rotation changed after it "
                "(in the settings, by an import, or by a change not recorded here)."
            )
    return {"changes": changes, "undoable": undoable, "undo_refused": reason}


def _change_text(
    change: ScheduleChange, *, names: dict, groups: dict, facilitators: dict, sessions: dict, rooms: dict | None = None
) -> str:
    """What a change did, in words of the active language (older rows kept a stored `summary`)."""
    detail, gone = change.detail or {}, _("someone since removed")
    group = detail.get("group")
    group_text = _("Group %(name)s") % {"name": groups[group]} if group in groups else _("no group")
    if change.kind == ScheduleChange.Kind.MOVE:
        return _("%(name)s to %(group)s") % {"name": names.get(detail.get("participant"), gone), "group": group_text}
    if change.kind == ScheduleChange.Kind.UNLOCK and "participant" in detail:
        return _("%(name)s no longer kept in %(group)s") % {
            "name": names.get(detail["participant"], gone),
            "group": group_text,
        }
    if change.kind in (ScheduleChange.Kind.ASSIGN, ScheduleChange.Kind.UNLOCK) and "facilitator" in detail:
        template = (
            _("%(session)s: %(name)s to %(group)s")
            if change.kind == ScheduleChange.Kind.ASSIGN
            else _("%(session)s: %(name)s no longer kept in %(group)s")
        )
        return template % {
            "session": sessions.get(detail.get("session"), _("a session since removed")),
            "name": facilitators.get(detail["facilitator"], gone),
            "group": group_text,
        }
    if change.kind == ScheduleChange.Kind.SWAP and "first" in detail:
        return _("%(session)s: %(first)s and %(second)s") % {
            "session": sessions.get(detail.get("session"), _("a session since removed")),
            "first": facilitators.get(detail.get("first"), gone),
            "second": facilitators.get(detail.get("second"), gone),
        }
    if change.kind == ScheduleChange.Kind.REPAIR and detail.get("room") is not None:  # a room unusable
        count = detail.get("count", 0)
        return ngettext("%(room)s unusable: %(count)d change", "%(room)s unusable: %(count)d changes", count) % {
            "room": (rooms or {}).get(detail["room"], _("a room since removed")),
            "count": count,
        }
    if change.kind == ScheduleChange.Kind.REPAIR:  # the day repaired for a facilitator withdrawn
        count = detail.get("count", 0)
        return ngettext("%(name)s withdrawn: %(count)d change", "%(name)s withdrawn: %(count)d changes", count) % {
            "name": facilitators.get(detail.get("facilitator"), gone),
            "count": count,
        }
    if "count" in detail:
        count = detail["count"]
        return ngettext("%(count)d change", "%(count)d changes", count) % {"count": count}
    return change.summary


@transaction.atomic
def schedule_change_undo(*, change: ScheduleChange, by=None) -> int:
    """Put the workshop back as it was before `change`; returns how many rows changed. Raises CannotUndo."""
    Workshop.objects.select_for_update().get(pk=change.workshop_id)  # one writer of this schedule at a time
    change = ScheduleChange.objects.select_for_update().get(pk=change.pk)
    if change.undone_at is not None:
        raise CannotUndo(_("This change was already undone."))
    newer = ScheduleChange.objects.filter(
        workshop_id=change.workshop_id, undone_at__isnull=True, created_at__gt=change.created_at
    )
    if (
        newer.exists()
        or ScheduleChange.objects.filter(
            workshop_id=change.workshop_id, undone_at__isnull=True, created_at=change.created_at, pk__gt=change.pk
        ).exists()
    ):
        raise CannotUndo(_("Undo the later changes first: changes are undone newest first."))
    workshop = change.workshop
    if change.after_fingerprint != _fingerprint(schedule_state(workshop=workshop)):
        raise CannotUndo(
            _("The groups or the rotation changed after this change, so undoing it would lose what was done since.")
        )
    before = change.before
    groups = {pk: (group, locked) for pk, group, locked in before["participants"]}
    # One UPDATE per (group, lock) pair: linear in the people, whatever their number.
    targets = defaultdict(list)
    current = Participant.objects.filter(workshop=workshop).values_list("pk", "group_id", "group_locked")
    for pk, group, locked in current:
        wanted = groups.get(pk, (group, locked))
        if (group, locked) != wanted:
            targets[wanted].append(pk)
    changed = 0
    for (group, locked), pks in targets.items():
        changed += Participant.objects.filter(pk__in=pks).update(group_id=group, group_locked=locked)
    # Rooms back (states recorded before rooms were part of them have none): one group at a
    # time, each into the room it left, which nobody took since (anything changed since refuses above).
    for pk, room in before.get("rooms", []):
        changed += Group.objects.filter(pk=pk, workshop=workshop).exclude(room_id=room).update(room_id=room)
    old = {tuple(row) for row in before["assignments"]}
    now = {tuple(row) for row in schedule_state(workshop=workshop)["assignments"]}
    if old != now:
        changed += len(old ^ now)
        Assignment.objects.filter(session__workshop=workshop).delete()
        Assignment.objects.bulk_create(
            [Assignment(facilitator_id=f, session_id=s, group_id=g, locked=locked) for f, s, g, locked in sorted(old)],
            batch_size=500,
        )
    change.undone_at = timezone.now()
    change.undone_by = by if getattr(by, "is_authenticated", False) else None
    change.save(update_fields=["undone_at", "undone_by"])
    return changed
