"""Repairing the rotation on the day (a service over `workshops.scheduling.repair`): propose, apply, notify.

`repair_propose` withdraws a facilitator from a time or from some sessions and stores the repair the
solver proposes (nothing changes yet); `repair_apply` writes it, records it in the schedule's history
(undoable like any board change) and, once committed, e-mails exactly the facilitators whose
itinerary changed, each in their own language. "Now", which decides the sessions frozen, is
`repair_now()`, the one clock the pages and the command read (tests set it).
"""

from datetime import datetime

from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .jobs import task_enqueue
from .mail import MailNotSent, mail_message, mail_send
from .models import Assignment, BreakoutSession, Facilitator, Group, Room, RotationRepair, ScheduleChange, Workshop
from .schedule_history import _fingerprint, schedule_change_record, schedule_state
from .scheduling.checker import Problem
from .scheduling.repair import RepairResult, Withdrawal, room_replacement, rotation_repair
from .selectors import schedule_load
from .timezones import workshop_localtime

# The repair's time budget (seconds): it must answer while the organiser waits, on the day.
REPAIR_SECONDS = 5.0


class RepairRefused(Exception):
    """The repair cannot be applied (in words)."""

    CONFIRM = gettext_lazy("Tick the box to confirm, then apply.")


def repair_now() -> datetime:
    """The moment that decides which sessions have started (and are frozen): now."""
    return timezone.now()


def _applied(*, workshop: Workshop) -> tuple[list[Withdrawal], set[int]]:
    """What applied repairs hold for later ones: their withdrawals, and the rooms found unusable (two queries)."""
    applied = list(
        RotationRepair.objects.filter(workshop=workshop, status=RotationRepair.Status.APPLIED).prefetch_related(
            "sessions"
        )
    )
    withdrawals = [
        Withdrawal(r.facilitator_id, r.unavailable_from, frozenset(s.pk for s in r.sessions.all()))
        for r in applied
        if r.facilitator_id is not None
    ]
    return withdrawals, {r.room_id for r in applied if r.room_id is not None}


def repair_solve(
    *,
    workshop: Workshop,
    now: datetime,
    facilitator: Facilitator | None = None,
    start: datetime | None = None,
    sessions=(),
    room: Room | None = None,
) -> tuple[RepairResult, list | None, list[Problem]]:
    """The solver's repair for `facilitator` withdrawn from `start` (or from `sessions`), or for `room`
    unusable from now on; nothing stored. Returns the result, the room move ([group, old room, new
    room] or None) and the reasons no room could be found."""
    schedule = schedule_load(workshop=workshop)
    withdrawals, unusable = _applied(workshop=workshop)
    if facilitator is not None:
        withdrawals.append(Withdrawal(facilitator.pk, start, frozenset(s.pk for s in sessions)))
    move, no_room = None, []
    if room is not None:
        group = next((g for g in schedule.groups if g.room_id == room.pk), None)
        if group is not None:
            new_room, problem = room_replacement(schedule, group_id=group.id, unusable=frozenset(unusable | {room.pk}))
            if new_room is None:
                no_room.append(problem)
            else:
                move = [group.id, room.pk, new_room]
    result = rotation_repair(
        schedule,
        now=now,
        withdrawals=withdrawals,
        room_moves={move[0]: move[2]} if move else None,
        time_limit=REPAIR_SECONDS,
    )
    return result, move, no_room


@transaction.atomic
def repair_propose(
    *,
    workshop: Workshop,
    facilitator: Facilitator | None = None,
    start: datetime | None = None,
    sessions=(),
    room: Room | None = None,
    by=None,
    now=None,
) -> RotationRepair:
    """Store the repair proposed for `facilitator` withdrawn from `start` (or `sessions`), or for `room`
    unusable (its group moves to a free room that fits it, for the sessions not yet started); nothing
    else changes.

    Guarantees what `rotation_repair` does: sessions started by `now` (default `repair_now()`) are
    frozen, every rule is kept or the least bad option is stored with the rules it breaks in words.
    When no room fits the group, the reason is stored and the repair cannot be applied.
    """
    if (facilitator is None) == (room is None):
        raise ValueError("a facilitator or a room")
    owners = [obj.workshop_id for obj in (facilitator, room, *sessions) if obj is not None]
    if any(owner != workshop.pk for owner in owners):
        raise ValueError("facilitator, room or session of another workshop")
    now = now or repair_now()
    fingerprint = _fingerprint(schedule_state(workshop=workshop))
    result, move, no_room = repair_solve(
        workshop=workshop, now=now, facilitator=facilitator, start=start, sessions=sessions, room=room
    )
    problems = [[p.rule, p.message] for p in no_room + result.problems]
    if result.status == "unknown":
        problems.append(["unknown", _("No repair was found in the time allowed: nothing would change.")])
    repair = RotationRepair.objects.create(
        workshop=workshop,
        facilitator=facilitator,
        room=room,
        new_room_id=move[2] if move else None,
        unavailable_from=start if facilitator is not None else now,
        frozen_at=now,
        proposal={
            "assignments": [[a.facilitator_id, a.session_id, a.group_id, a.locked] for a in result.assignments],
            "room_move": move,
        },
        changes=[[c.facilitator_id, c.session_id, c.before_group_id, c.after_group_id] for c in result.changes],
        problems=problems,
        proven=result.proven and not no_room,
        seconds=round(result.elapsed, 3),
        state_fingerprint=fingerprint,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    repair.sessions.set(sessions)
    return repair


def repair_is_stale(*, repair: RotationRepair) -> bool:
    """A proposal made before the groups or the rotation last changed (Apply would refuse it)."""
    return (
        repair.status == RotationRepair.Status.PROPOSED
        and _fingerprint(schedule_state(workshop=repair.workshop)) != repair.state_fingerprint
    )


def repair_told(*, repair: RotationRepair, later: set[int]) -> set[int]:
    """The facilitators whose itinerary the repair changes (`later`: the sessions not yet started).

    An itinerary says where, when, in which group and with whom: those whose place changes, those
    whose co-facilitators change (the teams a change leaves or joins), and, when a group moves,
    everyone facilitating it in the sessions still to come (its room changes).
    """
    teams = {(s, g) for _f, s, before, after in repair.changes for g in (before, after) if g is not None}
    move = repair.proposal.get("room_move")
    told = {f for f, _s, _b, _a in repair.changes}
    for f, s, g, _locked in repair.proposal.get("assignments", []):
        if (s, g) in teams or (move and g == move[0] and s in later):
            told.add(f)
    return told


def repair_preview(*, repair: RotationRepair) -> dict:
    """The repair's changes by name, and the frozen sessions, for its page (a fixed number of queries)."""
    workshop = repair.workshop
    people = dict(Facilitator.objects.filter(workshop=workshop).values_list("pk", "name"))
    groups = {g.pk: g for g in Group.objects.filter(workshop=workshop).select_related("room")}
    sessions = {s.pk: s for s in BreakoutSession.objects.filter(workshop=workshop)}
    gone = _("someone since removed")
    move = repair.proposal.get("room_move")
    rooms = {r.pk: r for r in Room.objects.filter(workshop=workshop)} if move or repair.room_id else {}

    def room_after(group):
        # Before it is applied, the moved group's places are already shown in its new room.
        if group is not None and move and group.pk == move[0] and repair.status == RotationRepair.Status.PROPOSED:
            return rooms.get(move[2])
        return group.room if group is not None else None

    rows = []
    for f, s, before, after in repair.changes:
        rows.append(
            {
                "name": people.get(f, gone),
                "session": sessions.get(s),
                "before": groups.get(before),
                "after": groups.get(after),
                "before_room": rooms.get(move[1])
                if move and before == move[0]
                else getattr(groups.get(before), "room", None),
                "after_room": room_after(groups.get(after)),
            }
        )
    rows.sort(key=lambda row: (row["session"].start if row["session"] else timezone.now(), row["name"]))
    frozen = [s for s in sessions.values() if s.start <= repair.frozen_at]
    told = repair_told(repair=repair, later={s.pk for s in sessions.values() if s.start > repair.frozen_at})
    return {
        "rows": rows,
        "frozen": sorted(frozen, key=lambda s: s.start),
        "open": sorted((s for s in sessions.values() if s.start > repair.frozen_at), key=lambda s: s.start),
        "affected": len(told),
        "room_move": {"group": groups.get(move[0]), "old": rooms.get(move[1]), "new": rooms.get(move[2])}
        if move
        else None,
        "room": rooms.get(repair.room_id),
    }


@transaction.atomic
def repair_apply(*, repair: RotationRepair, by=None, accept_broken: bool = False, notify_in_background=True) -> int:
    """Write the proposed repair; returns the places changed. Raises RepairRefused (nothing written).

    Refused when the repair is no longer a proposal, when the groups or the rotation changed since
    it was proposed, or when it breaks a rule and the organiser did not accept that. Recorded in
    the schedule's history (undoable); once committed, each facilitator whose itinerary changed is
    e-mailed in their language (`repair_notify`), in a background task unless `notify_in_background`
    is False (then at once after the commit, as a command needs).
    """
    workshop = Workshop.objects.select_for_update().get(pk=repair.workshop_id)
    repair = RotationRepair.objects.select_for_update().get(pk=repair.pk)
    if repair.status != RotationRepair.Status.PROPOSED:
        raise RepairRefused(_("This repair was already applied or discarded."))
    before = schedule_state(workshop=workshop)
    if _fingerprint(before) != repair.state_fingerprint:
        raise RepairRefused(
            _(
                "The groups or the rotation changed since this repair was proposed: propose it again to repair them as they are."
            )
        )
    if repair.problems and not accept_broken:
        raise RepairRefused(_("This repair breaks a rule: accept it as the least bad option, or discard it."))
    move = repair.proposal.get("room_move")
    if repair.room_id is not None and not move:
        raise RepairRefused(_("No room can take this group: nothing can be applied. Free a room, or add one."))
    if move:  # the group leaves the unusable room for the sessions still to come
        Group.objects.filter(pk=move[0], workshop=workshop, room_id=move[1]).update(room_id=move[2])
    wanted = {(f, s): (g, locked) for f, s, g, locked in repair.proposal.get("assignments", [])}
    touched = {(f, s) for f, s, _b, _a in repair.changes}
    if touched:
        rows = Assignment.objects.filter(session__workshop=workshop).values_list("pk", "facilitator_id", "session_id")
        Assignment.objects.filter(pk__in=[pk for pk, f, s in rows if (f, s) in touched]).delete()
        Assignment.objects.bulk_create(
            Assignment(facilitator_id=f, session_id=s, group_id=wanted[(f, s)][0], locked=wanted[(f, s)][1])
            for f, s in sorted(touched)
            if (f, s) in wanted
        )
    change = schedule_change_record(
        workshop=workshop,
        kind=ScheduleChange.Kind.REPAIR,
        before=before,
        by=by,
        detail={"facilitator": repair.facilitator_id, "room": repair.room_id, "count": len(repair.changes)},
    )
    repair.status = RotationRepair.Status.APPLIED
    repair.applied_at = timezone.now()
    repair.change = change
    later = set(
        BreakoutSession.objects.filter(workshop=workshop, start__gt=repair.frozen_at).values_list("pk", flat=True)
    )
    repair.notified = sorted(repair_told(repair=repair, later=later))
    repair.save(update_fields=["status", "applied_at", "change", "notified"])
    if repair.notified and notify_in_background:
        task_enqueue(task=repair_notify_task, repair_id=repair.pk)
    elif repair.notified:  # a command: its process must not end before the e-mails leave
        transaction.on_commit(lambda: repair_notify(repair_id=repair.pk))
    return len(repair.changes)


def repair_itinerary(*, facilitator: Facilitator, sessions: list[BreakoutSession], cells: dict) -> list[dict]:
    """A facilitator's places in these sessions: [{"session", "group" or None, "with": [names]}]."""
    rows = []
    for session in sessions:
        group = cells["place"].get((facilitator.pk, session.pk))
        others = sorted(cells["team"].get((session.pk, group.pk), [])) if group else []
        rows.append({"session": session, "group": group, "with": [n for n in others if n != facilitator.name]})
    return rows


def repair_notify(*, repair_id: int) -> list[int]:
    """E-mail each facilitator whose itinerary the applied repair changed, in their language; returns who was told.

    Each message lists their sessions not yet started as they are now (their pages read the same
    rows, so they show the new place at once). A message that cannot leave is logged
    (`mail_send`); the others still go.
    """
    repair = RotationRepair.objects.select_related("workshop").get(pk=repair_id)
    workshop = repair.workshop
    people = list(Facilitator.objects.filter(workshop=workshop, pk__in=repair.notified).order_by("pk"))
    sessions = list(BreakoutSession.objects.filter(workshop=workshop, start__gt=repair.frozen_at).order_by("start"))
    assignments = Assignment.objects.filter(session__in=sessions).select_related("group__room", "facilitator")
    cells = {"place": {}, "team": {}}
    for a in assignments:
        cells["place"][(a.facilitator_id, a.session_id)] = a.group
        cells["team"].setdefault((a.session_id, a.group_id), []).append(a.facilitator.name)
    told = []
    for person in people:
        language = person.preferred_language or "en"
        with translation.override(language):
            rows = [
                {
                    **row,
                    "when": date_format(workshop_localtime(row["session"].start, workshop), "DATETIME_FORMAT"),
                }
                for row in repair_itinerary(facilitator=person, sessions=sessions, cells=cells)
            ]
            subject = _("Your rotation for %(workshop)s has changed") % {"workshop": workshop.title}
            body = render_to_string(
                "workshops/email/rotation_repaired.txt",
                {"person": person, "workshop": workshop, "rows": rows, "zone": workshop.timezone},
            )
        try:
            mail_send(messages=[mail_message(subject=subject, body=body, to=[person.email], language=language)])
        except MailNotSent:
            continue
        told.append(person.pk)
    return told


@task
def repair_notify_task(repair_id: int) -> list[int]:
    return repair_notify(repair_id=repair_id)


def repair_discard(*, repair: RotationRepair) -> bool:
    """Drop a proposed repair (nothing was changed by it); False when it was not a proposal."""
    return bool(
        RotationRepair.objects.filter(pk=repair.pk, status=RotationRepair.Status.PROPOSED).update(
            status=RotationRepair.Status.DISCARDED
        )
    )
