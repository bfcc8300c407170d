"""The facilitator rotation with OR-Tools CP-SAT, over plain data.

`rotation_build` staffs every session x group with its required number of facilitators while
meeting every hard rule (no double booking, a facilitator visits a group at most once, the
facilitator speaks a language of the room, every two co-facilitators of a team share a
language, availability, locked assignments kept) and
minimising a weighted sum of soft goals an organiser can change:

- load balance: most sessions of one facilitator minus fewest (among facilitators who can work
  at least one slot: someone unavailable throughout cannot be balanced);
- expertise: the number of teams (session x group, for sessions tied to a section) without a
  facilitator whose expertise holds that section;
- pair variety: how often co-facilitators who already worked together are paired again
  (each repeat of a pair counts once).

How, following what a prototype showed on this machine: prechecks first; a greedy rotation
(session by session, a bipartite matching of slots to facilitators: one expert per team first,
then everyone else, least loaded first up to the "water level"; then members replaced or
exchanged until no team mixes people without a common language) that usually meets every hard
rule in well under a second; a swap pass that exchanges facilitators between teams of the same
session when that removes repeated co-facilitator pairs without changing anyone's load or
losing an expert. If that is not provably optimal by counting (`_Rotation.counting_bound`),
CP-SAT, hinted with it: one boolean per facilitator x session x group, with the expert counting
constraint that gives CP-SAT a useful bound, and no pair term in the model (it made the model
slow), then the swap pass again. On generated events the greedy start already reaches the
counting bound, from 2005 to 3,000 participants.

Modules: `rotation_data.py` (tuning, weights, result, slots, pair counting), `rotation_matching.py`
(the bipartite matching), `rotation_state.py` (the instance, greedy start, bound, model, swap
pass); this one runs them. Every name is importable from here as before.
"""

import math
import time
from collections.abc import Callable
from dataclasses import replace

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

from .checker import Problem, Rule
from .data import AssignmentSpec, Schedule
from .placement_data import ProgressLog
from .prechecks import rotation_precheck
from .rotation_data import (
    INTERLEAVE,
    MEMORY_MB,
    PROGRESS_EVERY,
    SWAP_SECONDS,
    WORKERS,
    RotationResult,
    RotationWeights,
    Slot,
    _repeated_pairs,
    _solver,
    _teams,
)
from .rotation_matching import _match, _match_most
from .rotation_state import _Rotation

__all__ = [
    "INTERLEAVE",
    "MEMORY_MB",
    "PROGRESS_EVERY",
    "SWAP_SECONDS",
    "WORKERS",
    "RotationResult",
    "RotationWeights",
    "Slot",
    "_Rotation",
    "_match",
    "_match_most",
    "_repeated_pairs",
    "_solver",
    "_teams",
    "rotation_build",
    "rotation_greedy",
    "rotation_objective",
]


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports the objective of the solver's solutions, pair term included, at most every PROGRESS_EVERY s."""

    def __init__(self, rotation: _Rotation, x: dict[Slot, cp_model.IntVar], progress: ProgressLog):
        super().__init__()
        self.rotation = rotation
        self.slots = list(x)
        self.indices = [var.index for var in x.values()]
        self.progress = progress
        self.last = -math.inf

    def on_solution_callback(self) -> None:
        now = time.perf_counter()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        values = self.response_proto.solution
        chosen = {slot for slot, i in zip(self.slots, self.indices, strict=True) if values[i]}
        repeats = _repeated_pairs(_teams(chosen))
        self.progress.offer(round(self.objective_value) + self.rotation.weights.pair_variety * repeats)


def rotation_objective(
    schedule: Schedule, assignments: list[AssignmentSpec], *, weights: RotationWeights = RotationWeights()
) -> int:
    """The objective `rotation_build` minimises, for any rotation (a hand-made one, a baseline).

    Assignments naming someone or something outside the workshop are left out.
    """
    rotation = _Rotation(replace(schedule, assignments=()), weights)
    facilitators = {f.id: i for i, f in enumerate(rotation.facilitators)}
    sessions = {s.id: i for i, s in enumerate(rotation.sessions)}
    groups = {g.id: i for i, g in enumerate(rotation.groups)}
    chosen = {
        (facilitators[a.facilitator_id], sessions[a.session_id], groups[a.group_id])
        for a in assignments
        if a.facilitator_id in facilitators and a.session_id in sessions and a.group_id in groups
    }
    return rotation.total(chosen)


def _greedy_start(rotation: _Rotation, deadline: float) -> set[Slot] | None:
    """The greedy start, its repeated pairs swapped away until `deadline`: often optimal already."""
    start = rotation.greedy()
    return None if start is None else rotation.swap_pass(start, deadline)


def rotation_greedy(schedule: Schedule, *, weights: RotationWeights = RotationWeights()) -> list[AssignmentSpec] | None:
    """The rotation `rotation_build` starts from, without the solver: quick, and the same on every machine.

    Guarantees: None when `rotation_precheck` finds a problem or the greedy construction gets
    stuck; otherwise the locked assignments plus, for every session x group, its required number
    of facilitators, meeting every hard rule as `rotation_build`'s greedy start does (no staffing,
    double booking, rotation, facilitator language, co-facilitation or availability problem).
    The swap pass runs to its end unless it takes more than `SWAP_SECONDS`.
    """
    if rotation_precheck(schedule):
        return None
    rotation = _Rotation(schedule, weights)
    start = _greedy_start(rotation, time.perf_counter() + SWAP_SECONDS)
    if start is None:
        return None
    locked = list({(a.facilitator_id, a.session_id, a.group_id): a for a in schedule.assignments if a.locked}.values())
    return locked + [
        AssignmentSpec(rotation.facilitators[f].id, rotation.sessions[s].id, rotation.groups[g].id)
        for f, s, g in sorted(start - rotation.locked, key=lambda slot: (slot[1], slot[2], slot[0]))
    ]


def rotation_build(
    schedule: Schedule,
    *,
    weights: RotationWeights = RotationWeights(),
    time_limit: float = 10.0,
    seed: int = 0,
    on_progress: Callable[[float, float], None] | None = None,
) -> RotationResult:
    """Builds the facilitator rotation for the groups as they are, meeting every hard rule.

    Guarantees: status "infeasible" when `rotation_precheck` finds a problem (its words in
    `problems`), or, rarely, when the solver proves that no rotation exists although the counts
    allow one (then one sentence saying so); otherwise, when status is "optimal" or "feasible",
    `assignments` staffs every session x group with exactly its required number of
    facilitators (more only where more were locked), keeps every locked assignment, and
    `schedule_check` of the schedule with these assignments finds no staffing, double booking,
    rotation, facilitator language, co-facilitation or availability problem. When the solver
    proves infeasibility and co-facilitation is what stands in the way (a model without it is
    feasible), the sentence says so (rule co-facilitation). "unknown" when the time ran out
    before any rotation was found (then only the locked assignments). `bound` is proven: the
    larger of `_Rotation.counting_bound` and CP-SAT's bound on the load and expertise terms,
    hence on the whole objective (repeated pairs count 0 or more); "optimal" when the objective
    reaches it, and then the solver is not even started if the greedy start got there.
    Deterministic for a seed when the search ends before the time limit (interleaved search);
    otherwise only where the clock cuts varies.
    """
    progress = ProgressLog(time.perf_counter(), on_progress)
    problems = rotation_precheck(schedule)
    if problems:
        return RotationResult("infeasible", [], None, None, problems, progress.elapsed(), [])
    rotation = _Rotation(schedule, weights)
    deadline = progress.started + time_limit
    locked = [a for a in schedule.assignments if a.locked]
    locked = list({(a.facilitator_id, a.session_id, a.group_id): a for a in locked}.values())
    reserve = min(SWAP_SECONDS, 0.1 * time_limit)

    bound = rotation.counting_bound()
    found: list[set[Slot]] = []
    start = _greedy_start(rotation, time.perf_counter() + reserve)
    if start is not None:
        progress.offer(rotation.total(start))
        found.append(start)
    if start is None or rotation.total(start) > bound:
        model, x = rotation.model()
        if start is not None:
            for slot, var in x.items():
                model.add_hint(var, slot in start)
        solver = _solver(seed, max(0.05, deadline - reserve - time.perf_counter()))
        status = solver.solve(model, _Reporter(rotation, x, progress))
        if status == cp_model.INFEASIBLE and rotation.feasible_without_co_facilitation(
            max(0.05, deadline - time.perf_counter()), seed
        ):
            problem = Problem(
                Rule.CO_FACILITATION,
                _(
                    "Each count of facilitators is enough, but no rotation can staff every group in every "
                    "session with co-facilitators who share a language (without that rule, one could). Add "
                    "facilitators who speak more than one of the languages, or require fewer facilitators "
                    "per group."
                ),
            )
            return RotationResult("infeasible", [], None, None, [problem], progress.elapsed(), progress.history)
        if status == cp_model.INFEASIBLE:
            problem = Problem(
                Rule.STAFFING,
                _(
                    "No rotation can staff every group in every session: each count of facilitators is "
                    "enough on its own, but availability, languages and the rule that a facilitator "
                    "visits each group once cannot all be met together. Add facilitators or widen "
                    "their availability."
                ),
            )
            return RotationResult("infeasible", [], None, None, [problem], progress.elapsed(), progress.history)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = solver.response_proto.solution
            solved = {slot for slot, var in x.items() if values[var.index]}
            # When the memory limit stopped the search early, the swap pass gets the time left.
            found.append(rotation.swap_pass(solved, max(time.perf_counter() + reserve, deadline)))
            bound = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
    if not found:
        return RotationResult("unknown", locked, None, bound, [], progress.elapsed(), progress.history)
    best = min(found, key=rotation.total)
    objective = rotation.total(best)
    progress.offer(objective)
    assignments = locked + [
        AssignmentSpec(rotation.facilitators[f].id, rotation.sessions[s].id, rotation.groups[g].id)
        for f, s, g in sorted(best - rotation.locked, key=lambda slot: (slot[1], slot[2], slot[0]))
    ]
    status_name = "optimal" if bound is not None and objective <= bound else "feasible"
    return RotationResult(status_name, assignments, objective, bound, [], progress.elapsed(), progress.history)
