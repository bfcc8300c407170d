"""Re-solving the placement of some groups exactly, over participants aggregated into types (`_Neighbourhood`).

Used by `placement.py` for the whole-event model and for each step of the large-neighbourhood search.
"""

from __future__ import annotations  # `_Placement` is named only in annotations (it builds neighbourhoods)

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from .placement_state import _Placement


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
