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
"""

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .checker import Problem
from .data import Schedule
from .placement_bounds import ExcessFloor, excess_floors
from .prechecks import Modes, placement_precheck

# One model for the whole event up to this many groups (2005: 5 groups, proved optimal in under
# a second); beyond, large-neighbourhood search.
FULL_MODEL_GROUPS = 8
# Groups freed per neighbourhood: small enough to re-solve exactly in a few tens of milliseconds.
NEIGHBOURHOOD_GROUPS = 4
# Deterministic work units per neighbourhood (a few tenths of a second of CP-SAT at most): a
# fixed budget rather than wall time keeps the sequence of neighbourhoods the same for a seed.
NEIGHBOURHOOD_WORK = 0.5
# Neighbourhoods solved at once: one per core of the 2-core machine this was tuned on.
LANES = 2
# Longest swap descent before the exact neighbourhoods take over.
POLISH_SECONDS = 1.5
# Deterministic work for the tiny size model and for the coarse model (types x groups integers,
# at most COARSE_TYPES types): about 0.1 s and 1 s of CP-SAT here.
QUOTA_WORK = 1.0
COARSE_WORK = 1.0
COARSE_TYPES = 64
ATTRIBUTES = ("country", "region", "organisation", "gender")


@dataclass(frozen=True)
class PlacementWeights:
    """How much each soft goal counts; defaults an organiser can change (0 switches a goal off)."""

    size_balance: int = 10
    country: int = 5
    region: int = 2
    organisation: int = 2
    gender: int = 1


@dataclass
class PlacementResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    groups: dict[int, int]  # participant id -> group id: every participant, locked ones unchanged
    objective: float | None
    bound: float | None  # a proven lower bound on the objective (see `participants_place`)
    problems: list[Problem]  # when infeasible: the prechecks' words
    elapsed: float
    progress: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective) per improvement


class ProgressLog:
    """Best objective so far, with the time it was reached, reported to the caller as it improves."""

    def __init__(self, started: float, on_progress: Callable[[float, float], None] | None):
        self.started = started
        self.on_progress = on_progress
        self.best: float | None = None
        self.history: list[tuple[float, float]] = []

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def offer(self, objective: float) -> None:
        if self.best is None or objective < self.best - 1e-9:
            self.best = objective
            moment = self.elapsed()
            self.history.append((moment, objective))
            if self.on_progress:
                self.on_progress(moment, objective)


class _Placement:
    """The instance in index form, and the current placement with its per-group tallies.

    Groups and participants are numbered in the schedule's order; `values[a][p]` is the
    participant's value of attribute `a` as a small integer (-1 when unknown, which never counts
    towards a share). Tallies are kept up to date so the objective of a neighbourhood is exact.
    """

    def __init__(self, schedule: Schedule, weights: PlacementWeights):
        self.schedule = schedule
        self.weights = weights
        self.group_ids = [g.id for g in schedule.groups]
        index = {gid: i for i, gid in enumerate(self.group_ids)}
        modes = Modes.of(schedule.rooms, schedule.groups)
        self.capacity = [modes.capacity[gid] for gid in self.group_ids]
        group_mode = [modes.mode_of[gid] for gid in self.group_ids]
        self.participants = list(schedule.participants)
        allowed_of_fit: dict[int, tuple[int, ...]] = {}
        self.allowed: list[tuple[int, ...]] = []
        self.fixed: list[int | None] = []
        for p in self.participants:
            fit = modes.fit(p.languages)
            if fit not in allowed_of_fit:
                allowed_of_fit[fit] = tuple(g for g, mode in enumerate(group_mode) if fit >> mode & 1)
            self.allowed.append(allowed_of_fit[fit])
            self.fixed.append(index[p.group_id] if p.locked and p.group_id in index else None)
        self.attributes = [a for a in ATTRIBUTES if getattr(weights, a) > 0]
        self.attribute_weight = [getattr(weights, a) for a in self.attributes]
        self.values: list[list[int]] = []
        self.fair: list[list[int]] = []
        groups = max(1, len(self.group_ids))
        for a in self.attributes:
            codes: dict[str, int] = {}
            column = [codes.setdefault(getattr(p, a), len(codes)) if getattr(p, a) else -1 for p in self.participants]
            totals = Counter(v for v in column if v >= 0)
            self.values.append(column)
            self.fair.append([math.ceil(totals[v] / groups) for v in range(len(codes))])
        self.assign: list[int] = []
        self.members: list[list[int]] = []
        self.tally: list[list[Counter[int]]] = []
        self.excess: list[list[int]] = []

    # -- the current placement and its objective -------------------------------------------------

    def place(self, assign: list[int]) -> None:
        """Takes this placement (-1: nowhere, only for `placement_objective`) and tallies it."""
        self.assign = list(assign)
        self.members = [[] for _ in self.group_ids]
        for p, g in enumerate(assign):
            if g >= 0:
                self.members[g].append(p)
        self.tally = [[Counter() for _ in self.group_ids] for _ in self.attributes]
        self.excess = [[0] * len(self.group_ids) for _ in self.attributes]
        for g in range(len(self.group_ids)):
            self._retally(g)

    def _retally(self, g: int) -> None:
        for k, column in enumerate(self.values):
            counts = Counter(column[p] for p in self.members[g] if column[p] >= 0)
            self.tally[k][g] = counts
            fair = self.fair[k]
            self.excess[k][g] = max([0, *(n - fair[v] for v, n in counts.items())])

    def move(self, changes: dict[int, int]) -> None:
        """Moves participants (index -> group index) and updates the tallies of the groups touched."""
        touched = set()
        for p, g in changes.items():
            if self.assign[p] != g:
                touched.update((self.assign[p], g))
                self.assign[p] = g
        for g in touched:
            self.members[g] = []
        for p, g in enumerate(self.assign):
            if g in touched:
                self.members[g].append(p)
        for g in touched:
            self._retally(g)

    def polish(self, deadline: float, rng: random.Random) -> None:
        """Swap descent: exchanges two participants between groups while that lowers the objective.

        Swaps keep every group's size and every hard rule (both people must speak a language of
        the other's room), so only the spread terms move. A quick way to remove the greedy
        start's gross imbalances before the exact neighbourhoods, which are slower per step but
        see moves a swap cannot.
        """
        while time.perf_counter() < deadline and self.sweep(rng, deadline=deadline):
            pass

    def sweep(self, rng: random.Random, *, deadline: float) -> bool:
        """One pass of swaps from the groups with most excess: looks only at people whose value is
        the most over-represented one in their group, and at 8 other groups for a partner. True if
        any swap was made."""
        allowed_sets = {kind: frozenset(kind) for kind in set(self.allowed)}
        crowded = [g for g in range(len(self.group_ids)) if self.weighted_excess(g)]
        crowded.sort(key=lambda g: (-self.weighted_excess(g), g))
        improved = False
        for g in crowded:
            if time.perf_counter() >= deadline:
                break
            for p in list(self.members[g]):
                if self.assign[p] != g or self.fixed[p] is not None or not self._on_top(p, g):
                    continue
                others = [h for h in self.allowed[p] if h != g]
                for h in rng.sample(others, min(len(others), 8)):
                    partner = next(
                        (
                            q
                            for q in self.members[h]
                            if self.fixed[q] is None
                            and g in allowed_sets[self.allowed[q]]
                            and self._swap_gain(p, g, q, h) < 0
                        ),
                        None,
                    )
                    if partner is not None:
                        self._swap(p, g, partner, h)
                        improved = True
                        break
        return improved

    def weighted_excess(self, g: int) -> int:
        return sum(w * e[g] for w, e in zip(self.attribute_weight, self.excess, strict=True))

    def _on_top(self, p: int, g: int) -> bool:
        for k, column in enumerate(self.values):
            v = column[p]
            if v >= 0 and self.excess[k][g] > 0 and self.tally[k][g][v] - self.fair[k][v] == self.excess[k][g]:
                return True
        return False

    def _excess_after(self, k: int, g: int, out: int, into: int) -> int:
        fair = self.fair[k]
        tally = self.tally[k][g]
        worst = 0
        for v, n in tally.items():
            worst = max(worst, n - (v == out) + (v == into) - fair[v])
        if into >= 0 and into not in tally:
            worst = max(worst, 1 - fair[into])
        return worst

    def _swap_gain(self, p: int, g: int, q: int, h: int) -> int:
        """How the objective changes if p (in g) and q (in h) trade places; negative is better."""
        gain = 0
        for k, column in enumerate(self.values):
            vp, vq = column[p], column[q]
            if vp == vq:
                continue
            gain += self.attribute_weight[k] * (
                self._excess_after(k, g, vp, vq)
                - self.excess[k][g]
                + self._excess_after(k, h, vq, vp)
                - self.excess[k][h]
            )
        return gain

    def _swap(self, p: int, g: int, q: int, h: int) -> None:
        self.assign[p], self.assign[q] = h, g
        self.members[g].remove(p)
        self.members[h].remove(q)
        self.members[g].append(q)
        self.members[h].append(p)
        self._retally(g)
        self._retally(h)

    def sizes(self) -> list[int]:
        return [len(m) for m in self.members]

    def objective(self) -> int:
        sizes = self.sizes()
        spread = max(sizes) - min(sizes) if sizes else 0
        return self.weights.size_balance * spread + sum(
            w * sum(excess) for w, excess in zip(self.attribute_weight, self.excess, strict=True)
        )

    def groups(self) -> dict[int, int]:
        return {p.id: self.group_ids[g] for p, g in zip(self.participants, self.assign, strict=True)}

    # -- the greedy start ------------------------------------------------------------------------

    def coarse_attributes(self) -> list[int]:
        """Attributes with few values (region, gender), as many as keep the coarse model small."""
        kinds = len(set(self.allowed))
        chosen: list[int] = []
        for k in sorted(range(len(self.attributes)), key=lambda k: (len(self.fair[k]), k)):
            if kinds * math.prod(len(self.fair[j]) + 1 for j in [*chosen, k]) > COARSE_TYPES:
                break
            chosen.append(k)
        return sorted(chosen)

    def quota_key(self, p: int, coarse: Sequence[int]) -> tuple:
        return (self.allowed[p], *(self.values[k][p] for k in coarse))

    def quotas(
        self, coarse: Sequence[int], seed: int, work: float, seconds: float, others: Sequence[int] = ()
    ) -> tuple[dict[tuple, list[int]], int] | None:
        """How many people of each type go to each group: sizes and the `coarse` attributes optimised.

        A type is a language type (the groups one may join) with values of the `coarse`
        attributes; the model is exact for the size term and those attributes. The `others`
        attributes count only through lower bounds (`placement_bounds.excess_floors`), so the proven bound is
        a lower bound for the whole objective (for the size term and the coarse attributes alone
        when `others` is empty). With no attribute at all it is tiny and its optimum is the
        lowest size spread any placement can reach. Returns None if no solution was found within
        `work`.
        """
        count = len(self.group_ids)
        locked_size = Counter(g for g in self.fixed if g is not None)
        locked_tally = [[Counter() for _ in range(count)] for _ in coarse]
        waiting: Counter[tuple] = Counter()
        for p, g in enumerate(self.fixed):
            if g is None:
                waiting[self.quota_key(p, coarse)] += 1
            else:
                for j, k in enumerate(coarse):
                    if self.values[k][p] >= 0:
                        locked_tally[j][g][self.values[k][p]] += 1
        model = cp_model.CpModel()
        take: dict[tuple[tuple, int], cp_model.IntVar] = {}
        into: list[list[tuple[tuple, cp_model.IntVar]]] = [[] for _ in range(count)]
        for key, n in waiting.items():
            for g in key[0]:
                var = take[(key, g)] = model.new_int_var(0, min(n, self.capacity[g]), "")
                into[g].append((key, var))
            model.add(sum(take[(key, g)] for g in key[0]) == n)
        top = max(self.capacity, default=0)
        biggest, smallest = model.new_int_var(0, top, ""), model.new_int_var(0, top, "")
        model.add(smallest <= biggest)  # obvious to us, not to CP-SAT's bound
        terms = [self.weights.size_balance * (biggest - smallest)]
        for g in range(count):
            size = locked_size[g] + sum(var for _key, var in into[g])
            model.add(size <= self.capacity[g])
            model.add(biggest >= size)
            model.add(smallest <= size)
        for j, k in enumerate(coarse):
            fair = self.fair[k]
            for g in range(count):
                excess = model.new_int_var(0, top, "")
                for v in range(len(fair)):
                    held = locked_tally[j][g][v] + sum(var for key, var in into[g] if key[1 + j] == v)
                    model.add(excess >= held - fair[v])
                terms.append(self.attribute_weight[k] * excess)
        sizes = [locked_size[g] + sum(var for _key, var in into[g]) for g in range(count)]
        terms += excess_floors(
            model,
            sizes,
            self.capacity,
            [
                ExcessFloor(
                    self.attribute_weight[k],
                    self.fair[k],
                    sum(1 for v in self.values[k] if v < 0),
                    self.counting_bound([k]) // self.attribute_weight[k],
                )
                for k in others
            ],
        )
        model.minimize(sum(terms))
        solver = _solver(seed)
        solver.parameters.max_deterministic_time = work
        solver.parameters.max_time_in_seconds = seconds
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        quotas = {key: [0] * count for key in waiting}
        for (key, g), var in take.items():
            quotas[key][g] = solver.value(var)
        return quotas, math.ceil(solver.best_objective_bound - 1e-6)

    def greedy(self, quotas: dict[tuple, list[int]], coarse: Sequence[int]) -> list[int]:
        """A placement meeting every hard rule, already well spread.

        Locked people stay; the others, in order of country, region, organisation and gender,
        each go to the group (among those with quota left for their type) where they raise the
        objective least, then where their values are rarest, then the one with most quota left.
        The quotas meet capacity and language fit, so every hard rule holds whatever the choices.
        """
        count = len(self.group_ids)
        assign = [g if g is not None else -1 for g in self.fixed]
        left = {key: list(q) for key, q in quotas.items()}
        tallies = [[[0] * count for _ in fair] for fair in self.fair]  # [attribute][value][group]
        for p, g in enumerate(self.fixed):
            if g is not None:
                for k, column in enumerate(self.values):
                    if column[p] >= 0:
                        tallies[k][column[p]][g] += 1
        excess = [[0] * count for _ in self.fair]
        for k, tally in enumerate(tallies):
            for v, row in enumerate(tally):
                for g, n in enumerate(row):
                    excess[k][g] = max(excess[k][g], n - self.fair[k][v])
        waiting = sorted((p for p, g in enumerate(self.fixed) if g is None), key=self._sort_key)
        weighted = list(zip(self.attribute_weight, self.values, self.fair, tallies, excess, strict=True))
        for p in waiting:
            quota = left[self.quota_key(p, coarse)]
            rows = [
                (w, tally[column[p]], fair[column[p]], worst)
                for w, column, fair, tally, worst in weighted
                if column[p] >= 0
            ]
            best, best_cost = -1, None
            for g in self.allowed[p]:
                if quota[g] == 0:
                    continue
                # What the objective would gain, then how common their values already are there.
                rise = share = 0
                for w, row, fair, worst in rows:
                    rise += w * max(0, row[g] + 1 - fair - worst[g])
                    share += w * row[g] / fair
                cost = (rise, share, -quota[g])
                if best_cost is None or cost < best_cost:
                    best, best_cost = g, cost
            assign[p] = best
            quota[best] -= 1
            for _w, row, fair, worst in rows:
                row[best] += 1
                worst[best] = max(worst[best], row[best] - fair)
        return assign

    def _sort_key(self, p: int) -> tuple:
        person = self.participants[p]
        return (person.country, person.region, person.organisation, person.gender, person.id)

    # -- the bound -------------------------------------------------------------------------------

    def counting_bound(self, attributes: Sequence[int]) -> int:
        """A lower bound on the weighted excess of `attributes`, from counting alone, valid for every placement.

        Per attribute, the larger of (a) the excess locked people already cause in their groups
        and (b) for any value and any set of groups that some of its holders are confined to by
        language (or by a lock), those holders minus the set's fair shares: some group in the set
        must hold the overflow. Loose when excess comes from several values at once.
        """
        bound = 0
        confined_sets = sorted(set(self.allowed) | {(g,) for g in self.fixed if g is not None})
        for k in attributes:
            column, fair = self.values[k], self.fair[k]
            locked = [Counter() for _ in self.group_ids]
            for p, g in enumerate(self.fixed):
                if g is not None and column[p] >= 0:
                    locked[g][column[p]] += 1
            from_locked = sum(max([0, *(n - fair[v] for v, n in c.items())]) for c in locked)
            from_language = 0
            for groups in confined_sets:
                inside = set(groups)
                count = Counter(
                    column[p]
                    for p in range(len(self.participants))
                    if column[p] >= 0
                    and (self.fixed[p] in inside if self.fixed[p] is not None else set(self.allowed[p]) <= inside)
                )
                for v, n in count.items():
                    from_language = max(from_language, n - fair[v] * len(inside))
            bound += self.attribute_weight[k] * max(from_locked, from_language)
        return bound

    # -- exact re-solve of some groups ------------------------------------------------------------

    def neighbourhood(self, freed: Sequence[int]) -> "_Neighbourhood":
        return _Neighbourhood(self, freed)


class _Neighbourhood:
    """The placement of the participants of some groups, re-solved exactly over aggregated types.

    Everyone outside `freed` stays put; the objective includes their fixed part, so the
    model's optimum is the best objective reachable by moving people among the freed groups.
    """

    def __init__(self, state: _Placement, freed: Sequence[int]):
        self.state = state
        self.freed = list(freed)
        inside = set(freed)
        everyone = len(freed) == len(state.group_ids)
        model = self.model = cp_model.CpModel()
        locked = {g: 0 for g in freed}
        locked_tally = [{g: Counter() for g in freed} for _ in state.attributes]
        people: dict[tuple, list[int]] = defaultdict(list)
        for g in freed:
            for p in state.members[g]:
                if state.fixed[p] is not None:
                    locked[g] += 1
                    for k, column in enumerate(state.values):
                        if column[p] >= 0:
                            locked_tally[k][g][column[p]] += 1
                else:
                    kind = tuple(h for h in state.allowed[p] if h in inside)
                    people[(kind, *(column[p] for column in state.values))].append(p)
        self.people = people
        self.take: dict[tuple[tuple, int], cp_model.IntVar] = {}
        for key, who in people.items():
            for g in key[0]:
                var = model.new_int_var(0, min(len(who), state.capacity[g]), "")
                self.take[(key, g)] = var
                model.add_hint(var, sum(1 for p in who if state.assign[p] == g))
            model.add(sum(self.take[(key, g)] for g in key[0]) == len(who))
        terms: list = []
        outside = [len(state.members[g]) for g in range(len(state.group_ids)) if g not in inside]
        top = max(state.capacity, default=0)
        biggest = model.new_int_var(max(outside, default=0), top, "")
        smallest = model.new_int_var(0, min(outside, default=top), "")
        model.add(smallest <= biggest)  # obvious to us, not to CP-SAT's bound
        for g in freed:
            size = locked[g] + sum(var for (key, h), var in self.take.items() if h == g)
            model.add(size <= state.capacity[g])
            model.add(biggest >= size)
            model.add(smallest <= size)
        terms.append(state.weights.size_balance * (biggest - smallest))
        self.constant = 0
        for k in range(len(state.values)):
            weight, fair = state.attribute_weight[k], state.fair[k]
            self.constant += weight * sum(e for g, e in enumerate(state.excess[k]) if g not in inside)
            in_freed: Counter[int] = Counter()
            for g in freed:
                in_freed.update(locked_tally[k][g])
            for key, who in people.items():
                if key[1 + k] >= 0:
                    in_freed[key[1 + k]] += len(who)
            # Only values that could exceed their share somewhere need a constraint.
            crowded = {v for v, n in in_freed.items() if n > fair[v]}
            if not crowded:
                continue
            for g in freed:
                excess = model.new_int_var(0, top, "")
                model.add_hint(excess, state.excess[k][g])
                for v in crowded:
                    count = locked_tally[k][g][v] + sum(
                        self.take[(key, g)] for key in people if key[1 + k] == v and (key, g) in self.take
                    )
                    model.add(excess >= count - fair[v])
                terms.append(weight * excess)
        model.minimize(sum(terms) + self.constant)
        self.everyone = everyone

    def solve(self, solver: cp_model.CpSolver, callback: cp_model.CpSolverSolutionCallback | None = None) -> bool:
        """Solves; True when a solution was found (then `changes()` reads it)."""
        self.solver = solver
        status = solver.solve(self.model, callback)
        self.status = status
        return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def changes(self) -> dict[int, int]:
        """Participant index -> new group index, keeping people where they are when the counts allow."""
        result = {}
        for key, who in self.people.items():
            left = {g: self.solver.value(self.take[(key, g)]) for g in key[0]}
            homeless = []
            for p in who:
                g = self.state.assign[p]
                if left.get(g, 0) > 0:
                    left[g] -= 1
                    result[p] = g
                else:
                    homeless.append(p)
            for p in homeless:
                g = next(h for h in key[0] if left[h] > 0)
                left[g] -= 1
                result[p] = g
        return result


def _solver(seed: int) -> cp_model.CpSolver:
    """A single-worker CP-SAT: deterministic for a seed. Both cores are used by solving two
    neighbourhoods at once (`LANES`), which beats two workers on one model here."""
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    return solver


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each solution's objective; stops the search once it reaches a bound known from counting."""

    def __init__(self, progress: ProgressLog, bound: int):
        super().__init__()
        self.progress = progress
        self.bound = bound

    def on_solution_callback(self) -> None:
        self.progress.offer(round(self.objective_value))
        if self.objective_value <= self.bound + 1e-6:
            self.stop_search()


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
    participants the search ends well above it (country spread, which neither bound sees). Stops at about `time_limit` seconds (the first placement is always made). The
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
