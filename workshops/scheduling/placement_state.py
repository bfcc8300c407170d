"""The placement instance in index form: its tallies and objective, the swap descent, the greedy start
and the counting bound (`_Placement`), for `placement.py`.
"""

import math
import random
import time
from collections import Counter
from collections.abc import Sequence

from ortools.sat.python import cp_model

from .data import Schedule
from .placement_bounds import ExcessFloor, excess_floors
from .placement_data import ATTRIBUTES, COARSE_TYPES, PlacementWeights, _solver
from .placement_neighbourhood import _Neighbourhood
from .prechecks import Modes


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
