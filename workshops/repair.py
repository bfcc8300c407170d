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
from django.utils.translation import gettext_lazy, ngettext

from .jobs import task_enqueue
from .mail import MailNotSent, mail_message, mail_send
from .models import Assignment, BreakoutSession, Facilitator, Group, RotationRepair, ScheduleChange, Workshop
from .schedule_history import _fingerprint, schedule_change_record, schedule_state
from .scheduling.data import AssignmentSpec
from .scheduling.repair import RepairResult, Withdrawal, rotation_repair
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


def _withdrawals(*, workshop: Workshop, extra: list[Withdrawal] = ()) -> list[Withdrawal]:
    """Every applied repair's withdrawal (they hold for later repairs), plus `extra` (two queries)."""
    applied = list(
        RotationRepair.objects.filter(workshop=workshop, status=RotationRepair.Status.APPLIED).prefetch_related(
            "sessions"
        )
    )
    return [
        Withdrawal(r.facilitator_id, r.unavailable_from, frozenset(s.pk for s in r.sessions.all())) for r in applied
    ] + list(extra)


def repair_solve(
    *, workshop: Workshop, facilitator: Facilitator, start: datetime | None, sessions=(), now: datetime
) -> RepairResult:
    """The solver's repair for `facilitator` withdrawn from `start` (or from `sessions`), nothing stored."""
    withdrawal = Withdrawal(facilitator.pk, start, frozenset(s.pk for s in sessions))
    return rotation_repair(
        schedule_load(workshop=workshop),
        now=now,
        withdrawals=_withdrawals(workshop=workshop, extra=[withdrawal]),
        time_limit=REPAIR_SECONDS,
    )


@transaction.atomic
def repair_propose(
    *, workshop: Workshop, facilitator: Facilitator, start: datetime | None, sessions=(), by=None, now=None
) -> RotationRepair:
    """Store the repair proposed for `facilitator` withdrawn from `start` (or `sessions`); nothing else changes.

    Guarantees what `rotation_repair` does: sessions started by `now` (default `repair_now()`) are
    frozen, every rule is kept or the least bad option is stored with the rules it breaks in words.
    """
    if facilitator.workshop_id != workshop.pk or any(s.workshop_id != workshop.pk for s in sessions):
        raise ValueError("facilitator or session of another workshop")
    now = now or repair_now()
    fingerprint = _fingerprint(schedule_state(workshop=workshop))
    result = repair_solve(workshop=workshop, facilitator=facilitator, start=start, sessions=sessions, now=now)
    repair = RotationRepair.objects.create(
        workshop=workshop,
        facilitator=facilitator,
        unavailable_from=start,
        frozen_at=now,
        proposal={"assignments": [[a.facilitator_id, a.session_id, a.group_id, a.locked] for a in result.assignments]},
        changes=[[c.facilitator_id, c.session_id, c.before_group_id, c.after_group_id] for c in result.changes],
        problems=[[p.rule, p.message] for p in result.problems]
        + (
            [["unknown", _("No repair was found in the time allowed: nothing would change.")]]
            if result.status == "unknown"
            else []
        ),
        proven=result.proven,
        seconds=round(result.elapsed, 3),
        state_fingerprint=fingerprint,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    repair.sessions.set(sessions)
    return repair


def repair_preview(*, repair: RotationRepair) -> dict:
    """The repair's changes by name, and the frozen sessions, for its page (a fixed number of queries)."""
    workshop = repair.workshop
    people = dict(Facilitator.objects.filter(workshop=workshop).values_list("pk", "name"))
    groups = {g.pk: g for g in Group.objects.filter(workshop=workshop).select_related("room")}
    sessions = {s.pk: s for s in BreakoutSession.objects.filter(workshop=workshop)}
    gone = _("someone since removed")
    rows = []
    for f, s, before, after in repair.changes:
        rows.append(
            {
                "name": people.get(f, gone),
                "session": sessions.get(s),
                "before": groups.get(before),
                "after": groups.get(after),
            }
        )
    rows.sort(key=lambda row: (row["session"].start if row["session"] else timezone.now(), row["name"]))
    frozen = [s for s in sessions.values() if s.start <= repair.frozen_at]
    return {
        "rows": rows,
        "frozen": sorted(frozen, key=lambda s: s.start),
        "open": sorted((s for s in sessions.values() if s.start > repair.frozen_at), key=lambda s: s.start),
        "affected": len({f for f, _s, _b, _a in repair.changes}),
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
        detail={"facilitator": repair.facilitator_id, "count": len(repair.changes)},
    )
    repair.status = RotationRepair.Status.APPLIED
    repair.applied_at = timezone.now()
    repair.change = change
    repair.notified = sorted({f for f, _s, _b, _a in repair.changes})
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
        group = next((g for (f, s), g in cells["place"].items() if f == facilitator.pk and s == session.pk), None)
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


def repair_assignments(repair: RotationRepair) -> list[AssignmentSpec]:
    """The proposed rotation as plain data (for checks and tests)."""
    return [AssignmentSpec(f, s, g, locked) for f, s, g, locked in repair.proposal.get("assignments", [])]


def repair_summary(repair: RotationRepair) -> str:
    count = len(repair.changes)
    return ngettext("%(count)d change", "%(count)d changes", count) % {"count": count}


__all__ = [
    "REPAIR_SECONDS",
    "RepairRefused",
    "repair_apply",
    "repair_assignments",
    "repair_discard",
    "repair_notify",
    "repair_now",
    "repair_preview",
    "repair_propose",
    "repair_solve",
]
