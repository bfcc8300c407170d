"""Placing participants into groups with OR-Tools CP-SAT, over plain data.

`participants_place` returns a placement meeting every hard rule (every participant in exactly
one group, group size within the room's capacity, language fit, locked participants kept) and
minimising a weighted sum of soft goals the organiser can change:

- size balance: largest group minus smallest group;
- for each of country, region, organisation and gender, summed over groups: how far the most
  represented value in the group exceeds its fair share, `ceil(participants with that value /
  number of groups)` (0 when every value stays within its share; unknown values never count).

How, following what a prototype showed on this machine:

1. Prechecks (exact for placement) explain infeasible input in words, in milliseconds.
2. A placement meeting every hard rule in a fraction of a second: group sizes per "language
   type" (the set of groups one may join) from a tiny exact model, then people dealt greedily,
   locked ones first, in order of country, each where they raise the objective least.
3. The same with the few-valued attributes (region, gender) optimised exactly in a small model
   over types, which also yields the lower bound.
4. CP-SAT over participants aggregated into identical types (same allowed groups and same
   country, region, organisation, gender are interchangeable): one model of the whole event
   up to `FULL_MODEL_GROUPS` groups; beyond, a short swap descent and then large-neighbourhood
   search freeing `NEIGHBOURHOOD_GROUPS` groups at a time, re-solved exactly. (Measured here:
   at 600 participants and 20 groups the whole-event model needs 5-30 s to improve on the
   greedy start at all, the neighbourhoods reach the same optimum sooner; hinting the whole
   model with the greedy start made it worse, as the prototype found.)

Modules: `placement_data.py` (tuning, weights, result, progress, the CP-SAT solver),
`placement_state.py` (the instance, greedy start, swap descent, counting bound),
`placement_neighbourhood.py` (the exact re-solve of some groups); this one runs them. Every name
is importable from here as before.
"""

import math
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from .data import Schedule
from .placement_data import (
    ATTRIBUTES,
    COARSE_TYPES,
    COARSE_WORK,
    FULL_MODEL_GROUPS,
    LANES,
    NEIGHBOURHOOD_GROUPS,
    NEIGHBOURHOOD_WORK,
    POLISH_SECONDS,
    QUOTA_WORK,
    PlacementResult,
    PlacementWeights,
    ProgressLog,
    _Reporter,
    _solver,
)
from .placement_neighbourhood import _Neighbourhood
from .placement_state import _Placement
from .prechecks import placement_precheck

__all__ = [
    "ATTRIBUTES",
    "COARSE_TYPES",
    "COARSE_WORK",
    "FULL_MODEL_GROUPS",
    "LANES",
    "NEIGHBOURHOOD_GROUPS",
    "NEIGHBOURHOOD_WORK",
    "POLISH_SECONDS",
    "QUOTA_WORK",
    "PlacementResult",
    "PlacementWeights",
    "ProgressLog",
    "_Neighbourhood",
    "_Placement",
    "_Reporter",
    "_solver",
    "participants_place",
    "placement_objective",
]


def participants_place(
    schedule: Schedule,
    *,
    weights: PlacementWeights = PlacementWeights(),
    time_limit: float = 10.0,
    seed: int = 0,
    on_progress: Callable[[float, float], None] | None = None,
) -> PlacementResult:
    """Places every participant into a group, meeting every hard rule, minimising the weighted soft goals.

    Guarantees: status "infeasible" exactly when `placement_precheck` finds a problem, and then
    `problems` holds its words and `groups` is empty; otherwise `groups` maps every participant
    to a group, locked participants to their own, and `schedule_check` of the schedule with
    those groups finds no one-group, capacity or language-fit problem. "optimal" when the
    objective equals the bound. `bound` is proven: on the whole-event model, CP-SAT's own
    bound; beyond, the coarse model's bound: exact for size, region and gender, and for the
    other attributes the larger of `_Placement.counting_bound` and the pigeonhole bound of
    `placement_bounds.excess_floors` (CP-SAT cannot prove either on large instances). The bound
    says how good any placement could possibly be, not how good the best one is: at 3,000
    participants the search ends well above it (country spread, which neither bound sees).
    Stops at about `time_limit` seconds (the first placement is always made). The
    same input and seed give the same sequence of solutions; only where the clock cuts it varies.
    """
    progress = ProgressLog(time.perf_counter(), on_progress)
    problems = placement_precheck(schedule)
    if problems:
        return PlacementResult("infeasible", {}, None, None, problems, progress.elapsed(), [])
    state = _Placement(schedule, weights)
    if not state.participants:
        return PlacementResult("optimal", {}, 0, 0, [], progress.elapsed(), [(progress.elapsed(), 0)])
    every = range(len(state.attributes))
    deadline = progress.started + time_limit
    # First a placement meeting every hard rule, in a fraction of a second: sizes from a tiny exact
    # model (whose optimum also bounds the size term), people dealt greedily within them.
    sizes = state.quotas((), seed, QUOTA_WORK, max(1.0, deadline - time.perf_counter()))
    if sizes is None:  # the prechecks are exact, so this means the tiny model ran out of time
        return PlacementResult("unknown", {}, None, None, [], progress.elapsed(), [])
    state.place(state.greedy(sizes[0], ()))
    progress.offer(state.objective())
    bound = sizes[1] + state.counting_bound(every)
    # Then the same with the few-valued attributes (region, gender) optimised too, which the
    # greedy does poorly: the model stays small because people are counted by type.
    # The other attributes are bounded in that model too (by counting, and by pigeonhole against
    # the group sizes), so its proven bound is one for the whole objective.
    coarse = state.coarse_attributes()
    others = [k for k in every if k not in coarse]
    if (coarse or others) and state.objective() > bound and time.perf_counter() < deadline:
        found = state.quotas(coarse, seed, COARSE_WORK, deadline - time.perf_counter(), others)
        if found:
            bound = max(bound, found[1])
            candidate = state.greedy(found[0], coarse)
            current = state.assign
            state.place(candidate)
            if state.objective() > progress.best:
                state.place(current)
            progress.offer(state.objective())
    if state.objective() > bound and time.perf_counter() < deadline:
        if len(state.group_ids) <= FULL_MODEL_GROUPS:
            bound = max(bound, _whole(state, progress, deadline, seed, bound))
        else:
            state.polish(min(deadline, time.perf_counter() + POLISH_SECONDS), random.Random(seed))
            progress.offer(state.objective())
            _search(state, progress, deadline, seed, bound, sizes[1] // max(1, weights.size_balance))
    objective = state.objective()
    status = "optimal" if objective <= bound else "feasible"
    return PlacementResult(status, state.groups(), objective, bound, [], progress.elapsed(), progress.history)


def placement_objective(
    schedule: Schedule, groups: dict[int, int], *, weights: PlacementWeights = PlacementWeights()
) -> int:
    """The objective `participants_place` minimises, for any placement (a hand-made one, a baseline).

    `groups` maps participant id to group id; participants missing from it, or in a group of
    another workshop, are left out of every term.
    """
    state = _Placement(schedule, weights)
    index = {gid: i for i, gid in enumerate(state.group_ids)}
    state.place([index.get(groups.get(p.id), -1) for p in state.participants])
    return state.objective()


def _whole(state: _Placement, progress: ProgressLog, deadline: float, seed: int, bound: int) -> int:
    """One exact model of the whole event; keeps its best solution. Returns CP-SAT's proven bound.

    Without hint and on one worker: measured on 2005-sized events, that finds and proves the
    optimum fastest (0.1-0.2 s, against 0.3-0.9 s hinted with the start or on two interleaved
    workers), and one worker is deterministic.
    """
    whole = state.neighbourhood(range(len(state.group_ids)))
    whole.model.clear_hints()
    solver = _solver(seed)
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    if whole.solve(solver, _Reporter(progress, bound)) and solver.objective_value < state.objective():
        state.move(whole.changes())
    return math.ceil(solver.best_objective_bound - 1e-6)


def _search(
    state: _Placement, progress: ProgressLog, deadline: float, seed: int, bound: int, spread_floor: int
) -> None:
    """Large-neighbourhood search: free a few groups, re-solve them exactly, keep the result if not worse.

    Each round re-solves two disjoint neighbourhoods at once, one per core (CP-SAT releases the
    interpreter lock while it solves), then applies them in order, undoing the second if, with
    the first applied, it would make things worse. (Sweeping other groups for swaps meanwhile
    was tried: it slowed the rounds more than it helped.) Sideways moves are kept: they let the search
    drift across plateaus. Each solve has a fixed deterministic budget, so a seed always gives
    the same sequence of placements.
    """
    rng = random.Random(seed)
    step = 0
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        while time.perf_counter() < deadline and state.objective() > bound:
            taken: set[int] = set()
            parts = []
            for _lane in range(LANES):
                freed = _pick(state, step, taken, rng, spread_floor)
                taken.update(freed)
                parts.append((state.neighbourhood(freed), _solver(seed + step)))
                step += 1
            for _part, solver in parts:
                solver.parameters.max_deterministic_time = NEIGHBOURHOOD_WORK
            solved = list(pool.map(lambda item: item[0].solve(item[1]), parts))
            for (part, _solver_used), ok in zip(parts, solved, strict=True):
                if not ok:
                    continue
                before = state.objective()
                changes = part.changes()
                undo = {p: state.assign[p] for p in changes}
                state.move(changes)
                if state.objective() > before:
                    state.move(undo)
            progress.offer(state.objective())


def _pick(state: _Placement, step: int, taken: set[int], rng: random.Random, spread_floor: int) -> list[int]:
    """The groups to free next, none of them in `taken`.

    While the size spread is above the lowest reachable (`spread_floor`), every other
    neighbourhood holds the current largest and smallest group: the size term only moves when
    they do. The others start from a group with excess (chosen at random, so that every such
    group gets its turn) and add groups holding fewest of its most over-represented value, where
    those people could go, then random groups.
    """
    count = len(state.group_ids)
    free = [g for g in range(count) if g not in taken]
    size = min(NEIGHBOURHOOD_GROUPS, len(free))
    chosen: list[int] = []
    sizes = state.sizes()
    if step % 2 == 0 and state.weights.size_balance and max(sizes) - min(sizes) > spread_floor:
        chosen = [max(free, key=lambda g: (sizes[g], -g)), min(free, key=lambda g: (sizes[g], g))]
    else:
        crowded = [g for g in free if state.weighted_excess(g) > 0]
        if crowded:
            worst = rng.choice(crowded)
            k = max(
                range(len(state.attributes)), key=lambda k: (state.attribute_weight[k] * state.excess[k][worst], -k)
            )
            tally = state.tally[k][worst]
            value = max(tally, key=lambda v: (tally[v] - state.fair[k][v], -v))
            # Only groups those people may join (by language) can take them.
            reachable = {
                g
                for p in state.members[worst]
                if state.values[k][p] == value and state.fixed[p] is None
                for g in state.allowed[p]
            }
            partners = [g for g in free if g in reachable and g != worst] or free
            fewest = sorted(partners, key=lambda g: (state.tally[k][g][value], rng.random()))[: 3 * size]
            chosen = [worst, *rng.sample(fewest, min(len(fewest), size // 2))]
    chosen = list(dict.fromkeys(chosen))
    while len(chosen) < size:
        g = rng.choice(free)
        if g not in chosen:
            chosen.append(g)
    return sorted(chosen)
