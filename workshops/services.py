"""Domain operations that touch several models."""

import hashlib
import json
import threading
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Assignment,
    Availability,
    BreakoutSession,
    Facilitator,
    Group,
    Participant,
    ProgrammeItem,
    ScheduleChange,
    ScheduleRun,
    Workshop,
)
from .schedule_history import schedule_change_record, schedule_state
from .scheduling.checker import Problem, Rule, schedule_check
from .scheduling.data import AssignmentSpec, Schedule
from .selectors import schedule_load
from .timezones import workshop_zone

PROGRESS_WRITE_INTERVAL = 0.5  # seconds between progress writes while a solver runs


def workshop_check(*, workshop: Workshop) -> list[Problem]:
    """Every rule of DESIGN.md the workshop's current groups and rotation break, in plain words."""
    return schedule_check(schedule_load(workshop=workshop))


@transaction.atomic
def workshop_rezone(*, workshop: Workshop, previous_timezone: str) -> int:
    """After a workshop's zone is corrected: every session, programme item and availability window keeps its time of day.

    The times were typed (or imported) as clock times of the workshop; they stay the same clock
    times in the new zone (11:00 in Zurich becomes 11:00 in Dakar). Returns how many rows moved.
    """
    old, new = workshop_zone(Workshop(timezone=previous_timezone)), workshop_zone(workshop)
    if old == new:
        return 0

    def moved(moment):
        return moment.astimezone(old).replace(tzinfo=new)

    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_for_update())
    windows = list(Availability.objects.filter(facilitator__workshop=workshop).select_for_update())
    items = list(ProgrammeItem.objects.filter(workshop=workshop).select_for_update())
    for row in (*sessions, *windows, *items):
        row.start, row.end = moved(row.start), moved(row.end)
    BreakoutSession.objects.bulk_update(sessions, ["start", "end"])
    Availability.objects.bulk_update(windows, ["start", "end"])
    ProgrammeItem.objects.bulk_update(items, ["start", "end"])
    return len(sessions) + len(windows) + len(items)


def _fingerprint(schedule: Schedule, kind: str) -> str:
    """What a run's proposal depends on: applying it later is refused if this has changed meanwhile."""
    if kind == ScheduleRun.Kind.PLACEMENT:
        state = sorted((p.id, p.group_id, p.locked) for p in schedule.participants)
    else:
        state = [
            sorted((p.id, p.group_id) for p in schedule.participants),
            sorted((a.facilitator_id, a.session_id, a.group_id, a.locked) for a in schedule.assignments),
        ]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


SOLVER_MAX_SECONDS = 600  # with a worker process


def schedule_run_in_request() -> bool:
    """Whether a run solves inside the web request (the immediate task backend) rather than in a worker."""
    return settings.TASKS["default"]["BACKEND"] == "django.tasks.backends.immediate.ImmediateBackend"


def schedule_run_max_seconds() -> int:
    """The longest time budget the task backend can serve: below the web worker's timeout when solving in the request.

    A run cut off by the web server's timeout would die with its request; the cap keeps it inside.
    """
    if schedule_run_in_request():
        return max(1, min(settings.SOLVER_MAX_SECONDS_IN_REQUEST, SOLVER_MAX_SECONDS))
    return SOLVER_MAX_SECONDS


def schedule_run_create(
    *, workshop: Workshop, kind: str, user=None, time_limit: int = 10, weights=None, solved_here: bool = False
) -> ScheduleRun:
    """Record a queued automatic placement or rotation (nothing is solved yet): the one way a run is made.

    Its budget is at least a second and, unless the caller solves it at once in its own process
    (`solved_here`, a command), capped at what the task backend can serve (`schedule_run_max_seconds`).
    Queuing it for a worker is `workshops.tasks.schedule_run_start`.
    """
    budget = int(time_limit) if solved_here else min(int(time_limit), schedule_run_max_seconds())
    return ScheduleRun.objects.create(
        workshop=workshop,
        kind=kind,
        created_by=user,
        time_limit=max(1, budget),
        weights=weights or {},
    )


def schedule_run_execute(*, run_id: int) -> ScheduleRun:
    """Solve, writing progress as it goes, and store the proposal (nothing in the workshop changes)."""
    run = ScheduleRun.objects.select_related("workshop").get(pk=run_id)
    if run.status != ScheduleRun.Status.QUEUED:
        return run
    now = timezone.now()
    taken = ScheduleRun.objects.filter(pk=run.pk, status=ScheduleRun.Status.QUEUED).update(
        status=ScheduleRun.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not taken:  # failed meanwhile by a reader (it waited too long for a worker): it stays failed
        run.refresh_from_db()
        return run
    with _Heartbeat(run_id=run.pk, interval=settings.SOLVER_HEARTBEAT_SECONDS):
        return _schedule_run_solve(run)


class _Heartbeat:
    """Beat a running run's `heartbeat_at` every `interval` seconds from a thread, while the solver works.

    The solver reports only when it finds a better solution, which may take minutes; the beat
    says the worker is alive in between. When the worker dies (killed, timed out), so does the
    beat, and `schedule_runs_fail_stale` fails the run when someone reads it.
    """

    def __init__(self, *, run_id: int, interval: float):
        self.run_id, self.interval = run_id, interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"schedule-run-heartbeat-{run_id}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()

    def _beat(self):
        while not self.stopped.wait(self.interval):
            try:
                ScheduleRun.objects.filter(pk=self.run_id, status=ScheduleRun.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
            except DatabaseError:
                pass  # a missed beat: the next one, well inside SOLVER_STALE_SECONDS, makes up for it
            finally:
                connections.close_all()  # this thread's own connection


def _schedule_run_solve(run: ScheduleRun) -> ScheduleRun:
    schedule = schedule_load(workshop=run.workshop)
    progress: list[list[float]] = []
    last_write = [0.0]

    caller = threading.get_ident()

    def on_progress(seconds: float, objective: float) -> None:
        # Called by the solver, possibly from its own thread (with its own database connection).
        progress.append([round(seconds, 3), objective])
        if time.monotonic() - last_write[0] < PROGRESS_WRITE_INTERVAL:
            return
        last_write[0] = time.monotonic()
        try:
            ScheduleRun.objects.filter(pk=run.pk).update(progress=list(progress), heartbeat_at=timezone.now())
        except DatabaseError:
            pass  # the live display is best-effort; the final result is written below in any case
        finally:
            if threading.get_ident() != caller:
                connections.close_all()  # the solver thread's own connection, not the caller's

    try:
        if run.kind == ScheduleRun.Kind.PLACEMENT:
            from .scheduling.placement import PlacementWeights, participants_place  # slow: OR-Tools loads in ~0.5 s

            result = participants_place(
                schedule, weights=PlacementWeights(**run.weights), time_limit=run.time_limit, on_progress=on_progress
            )
            proposal = {"groups": {str(pid): gid for pid, gid in result.groups.items()}}
        else:
            from .scheduling.rotation import RotationWeights, rotation_build  # slow: OR-Tools, only where runs solve

            result = rotation_build(
                schedule, weights=RotationWeights(**run.weights), time_limit=run.time_limit, on_progress=on_progress
            )
            proposal = {
                "assignments": [[a.facilitator_id, a.session_id, a.group_id, a.locked] for a in result.assignments]
            }
    except Exception as error:  # the organiser sees that it failed; the log has the details
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=ScheduleRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    feasible = result.status in ("optimal", "feasible")
    ScheduleRun.objects.filter(pk=run.pk).update(
        status=ScheduleRun.Status.DONE if feasible else ScheduleRun.Status.INFEASIBLE,
        solver_status=result.status,
        progress=result.progress and [[round(t, 3), o] for t, o in result.progress] or progress,
        proposal=proposal | {"fingerprint": _fingerprint(schedule, run.kind)} if feasible else {},
        objective=result.objective,
        bound=result.bound,
        problems=[[p.rule.value, p.message] for p in result.problems],
        error="",  # a reader may have thought it stopped reporting: it finished after all
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def schedule_runs_fail_stale(*, runs: list[ScheduleRun]) -> None:
    """Fail each run that no live worker serves, saying why; update `runs`.

    A running run whose heartbeat is older than `SOLVER_STALE_SECONDS`: its worker was killed or
    timed out (a run in the web request past the server's timeout). A queued run older than
    `TASKS_QUEUE_WAIT_SECONDS`: no worker took it (with `TASKS_BACKEND=database`, no
    `manage.py db_worker` is running). Nothing else would ever end either, and "Running" or
    "Waiting" forever would be a lie. Costs no query when no run is stale; a run that a worker took
    or another reader failed meanwhile is only reloaded.
    """
    now = timezone.now()
    stale_beat = now - timedelta(seconds=settings.SOLVER_STALE_SECONDS)
    queued_since = now - timedelta(seconds=settings.TASKS_QUEUE_WAIT_SECONDS)
    for run in runs:
        if run.status == ScheduleRun.Status.RUNNING:
            beat = run.heartbeat_at or run.started_at or run.created_at
            if beat >= stale_beat:
                continue
            unchanged, reason = {"status": run.status, "heartbeat_at": run.heartbeat_at}, ScheduleRun.STOPPED_REPORTING
        elif run.status == ScheduleRun.Status.QUEUED:
            if run.created_at >= queued_since:
                continue
            unchanged, reason = {"status": run.status}, ScheduleRun.NO_WORKER
        else:
            continue
        failed_at = timezone.now()
        failed = ScheduleRun.objects.filter(pk=run.pk, **unchanged).update(
            status=ScheduleRun.Status.FAILED, error=reason, finished_at=failed_at
        )
        if failed:
            run.status, run.error, run.finished_at = ScheduleRun.Status.FAILED, reason, failed_at
        else:
            run.refresh_from_db(fields=["status", "error", "started_at", "finished_at", "heartbeat_at"])


def schedule_run_proposed(*, run: ScheduleRun, schedule: Schedule) -> Schedule:
    """The workshop as it would be with the run's proposal applied."""
    if run.kind == ScheduleRun.Kind.PLACEMENT:
        groups = {int(pid): gid for pid, gid in run.proposal.get("groups", {}).items()}
        participants = [replace(p, group_id=groups.get(p.id, p.group_id)) for p in schedule.participants]
        return replace(schedule, participants=participants)
    assignments = [AssignmentSpec(f, s, g, locked) for f, s, g, locked in run.proposal.get("assignments", [])]
    return replace(schedule, assignments=assignments)


def _group_changes(current: Schedule, proposed: Schedule, names: dict[int, str]) -> list[dict]:
    """Per group (by name), the participants who would join it and leave it, by name."""
    joins, leaves = defaultdict(list), defaultdict(list)
    for before, after in zip(current.participants, proposed.participants, strict=True):
        if before.group_id != after.group_id:
            if after.group_id:
                joins[after.group_id].append(after.name)
            if before.group_id:
                leaves[before.group_id].append(before.name)
    return [
        {"group": names[g], "joins": sorted(joins[g]), "leaves": sorted(leaves[g])}
        for g in sorted(names, key=names.get)
        if joins[g] or leaves[g]
    ]


def _facilitator_changes(current: Schedule, old_slots: set, new_slots: set, names: dict[int, str]) -> list[dict]:
    """Per session and group, the facilitators the run would add and remove, by name."""
    people = {f.id: f.name for f in current.facilitators}
    sessions = {s.id: s for s in current.sessions}
    added, removed = defaultdict(list), defaultdict(list)
    for facilitator, session, group in new_slots - old_slots:
        added[(session, group)].append(people.get(facilitator, ""))
    for facilitator, session, group in old_slots - new_slots:
        removed[(session, group)].append(people.get(facilitator, ""))
    cells = sorted(
        (key for key in set(added) | set(removed) if key[0] in sessions),
        key=lambda key: (sessions[key[0]].start, names.get(key[1], "")),
    )
    return [
        {
            "session": sessions[session].title,
            "group": names.get(group, ""),
            "added": sorted(added[(session, group)]),
            "removed": sorted(removed[(session, group)]),
        }
        for session, group in cells
    ]


def schedule_run_preview(*, run: ScheduleRun) -> dict:
    """What applying the run would change, its figures, and every rule still broken afterwards."""
    current = schedule_load(workshop=run.workshop)
    proposed = schedule_run_proposed(run=run, schedule=current)
    names = {g.id: g.name for g in current.groups}
    before_sizes = Counter(p.group_id for p in current.participants)
    after_sizes = Counter(p.group_id for p in proposed.participants)
    moved = sum(1 for a, b in zip(current.participants, proposed.participants, strict=True) if a.group_id != b.group_id)
    before_load = Counter(a.facilitator_id for a in current.assignments)
    after_load = Counter(a.facilitator_id for a in proposed.assignments)
    old_slots = {(a.facilitator_id, a.session_id, a.group_id) for a in current.assignments}
    new_slots = {(a.facilitator_id, a.session_id, a.group_id) for a in proposed.assignments}

    def spread(counter, keys):
        values = [counter.get(k, 0) for k in keys]
        return (max(values) - min(values)) if values else 0

    def most_of_one_country(schedule):
        per_group = Counter((p.group_id, p.country) for p in schedule.participants if p.group_id)
        return max(per_group.values(), default=0)

    group_ids = [g.id for g in current.groups]
    facilitator_ids = [f.id for f in current.facilitators]
    return {
        "group_changes": _group_changes(current, proposed, names),
        "facilitator_changes": _facilitator_changes(current, old_slots, new_slots, names),
        "moved": moved,
        "sizes": [(names[g], before_sizes.get(g, 0), after_sizes.get(g, 0)) for g in sorted(names, key=names.get)],
        "size_spread": (spread(before_sizes, group_ids), spread(after_sizes, group_ids)),
        "country_max": (most_of_one_country(current), most_of_one_country(proposed)),
        "load_spread": (spread(before_load, facilitator_ids), spread(after_load, facilitator_ids)),
        "assignments_added": len(new_slots - old_slots),
        "assignments_removed": len(old_slots - new_slots),
        "problems_before": schedule_check(current),
        "problems_after": schedule_check(proposed),
        "stale": run.proposal.get("fingerprint") != _fingerprint(current, run.kind),
    }


class StaleProposal(Exception):
    """The workshop changed after the proposal was computed: applying it would undo those changes."""


@transaction.atomic
def schedule_run_apply(*, run: ScheduleRun, by=None) -> int:
    """Apply a reviewed proposal in one transaction; returns how many rows changed.

    Refused (StaleProposal) when the workshop's groups or rotation changed since the run
    started, so a hand-made move made meanwhile is never silently undone.
    """
    Workshop.objects.select_for_update().get(pk=run.workshop_id)  # one writer of this schedule at a time
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ScheduleRun.Status.DONE:
        raise StaleProposal(_("This proposal is not ready to apply."))
    current = schedule_load(workshop=run.workshop)
    if run.proposal.get("fingerprint") != _fingerprint(current, run.kind):
        raise StaleProposal(
            _("The workshop changed after this proposal was made (someone moved people or facilitators). Run it again.")
        )
    before = schedule_state(workshop=run.workshop)
    changed = 0
    if run.kind == ScheduleRun.Kind.PLACEMENT:
        groups = {int(pid): gid for pid, gid in run.proposal["groups"].items()}
        participants = list(Participant.objects.filter(workshop=run.workshop_id, group_locked=False))
        for participant in participants:
            target = groups.get(participant.pk)
            if target is not None and participant.group_id != target:
                participant.group_id = target
                changed += 1
        valid_groups = set(Group.objects.filter(workshop=run.workshop_id).values_list("pk", flat=True))
        if not set(groups.values()) <= valid_groups:
            raise StaleProposal(_("A group of this proposal no longer exists. Run it again."))
        Participant.objects.bulk_update(participants, ["group"], batch_size=500)
    else:
        existing = Assignment.objects.filter(session__workshop=run.workshop_id, locked=False)
        changed = existing.count()
        existing.delete()
        sessions = set(BreakoutSession.objects.filter(workshop=run.workshop_id).values_list("pk", flat=True))
        Assignment.objects.bulk_create(
            [
                Assignment(facilitator_id=f, session_id=s, group_id=g, locked=False)
                for f, s, g, locked in run.proposal["assignments"]
                if not locked and s in sessions
            ],
            batch_size=500,
        )
        changed += sum(1 for *_rest, locked in run.proposal["assignments"] if not locked)
    run.status = ScheduleRun.Status.APPLIED
    run.applied_at = timezone.now()
    run.save(update_fields=["status", "applied_at"])
    schedule_change_record(
        workshop=run.workshop,
        kind=ScheduleChange.Kind.PLACEMENT if run.kind == ScheduleRun.Kind.PLACEMENT else ScheduleChange.Kind.ROTATION,
        before=before,
        by=by,
        run=run,
        detail={"count": changed},  # worded when shown, in the reader's language
    )
    return changed


def _problems_about(problems: list[Problem], **refs) -> list[Problem]:
    return [p for p in problems if any(getattr(p, key) == value for key, value in refs.items() if value is not None)]


@transaction.atomic
def participant_move(*, participant: Participant, group: Group | None, by=None) -> list[Problem]:
    """Move a participant by hand (kept by later automatic placements); the rules it breaks, if any."""
    Workshop.objects.select_for_update().get(pk=participant.workshop_id)
    if group is not None and group.workshop_id != participant.workshop_id:
        raise ValueError("group of another workshop")
    before = schedule_state(workshop=participant.workshop)
    participant.group = group
    participant.group_locked = group is not None
    participant.save(update_fields=["group", "group_locked"])
    schedule_change_record(
        workshop=participant.workshop,
        kind=ScheduleChange.Kind.MOVE,
        before=before,
        by=by,
        detail={"participant": participant.pk, "group": getattr(group, "pk", None)},
    )
    return _problems_about(
        workshop_check(workshop=participant.workshop),
        participant_id=participant.pk,
        group_id=getattr(group, "pk", None),
    )


@transaction.atomic
def facilitator_swap(*, session: BreakoutSession, first: Facilitator, second: Facilitator, by=None) -> list[Problem]:
    """Exchange two facilitators' groups in a session (or give the first's place to a free second).

    Both resulting assignments are kept by later automatic rotations. Returns the rules broken.
    """
    Workshop.objects.select_for_update().get(pk=session.workshop_id)
    if first.workshop_id != session.workshop_id or second.workshop_id != session.workshop_id:
        raise ValueError("facilitator of another workshop")
    mine = Assignment.objects.filter(session=session, facilitator=first).first()
    theirs = Assignment.objects.filter(session=session, facilitator=second).first()
    if mine is None and theirs is None:
        return []
    before = schedule_state(workshop=session.workshop)
    if mine is not None and theirs is not None:
        mine.group_id, theirs.group_id = theirs.group_id, mine.group_id
        # Swap in two steps: the (facilitator, session) uniqueness holds at every moment.
        Assignment.objects.bulk_update([mine, theirs], ["group"])
        Assignment.objects.filter(pk__in=[mine.pk, theirs.pk]).update(locked=True)
    else:
        moving = mine or theirs
        moving.facilitator = second if moving is mine else first
        moving.locked = True
        moving.save(update_fields=["facilitator", "locked"])
    schedule_change_record(
        workshop=session.workshop,
        kind=ScheduleChange.Kind.SWAP,
        before=before,
        by=by,
        # Named when shown, as they are then (an erased name stays erased), in the reader's language.
        detail={"session": session.pk, "first": first.pk, "second": second.pk},
    )
    problems = workshop_check(workshop=session.workshop)
    # A co-facilitation problem names one of the pair: the one the swap brought may be the other.
    touched = {a.group_id for a in (mine, theirs) if a is not None}
    return [
        p
        for p in problems
        if p.facilitator_id in (first.pk, second.pk)
        or (p.rule == Rule.CO_FACILITATION and p.session_id == session.pk and p.group_id in touched)
    ]
