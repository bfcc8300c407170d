"""Lower bounds on placement's spread terms that its coarse model does not track (issue 13).

The coarse model (`_Placement.quotas`) is exact for group sizes and the few-valued attributes
(region, gender); countries and organisations have too many values for it. Left out, they added
only their counting bound, which misses the excess that the group sizes themselves force. Here
each of them gets, inside that model, the larger of its counting bound and a pigeonhole bound,
so the model's proven bound holds for the whole objective.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class ExcessFloor:
    """One attribute the model does not track: its weight, each value's fair share per group,
    how many people have no value, and its counting bound (unweighted)."""

    weight: int
    fair: Sequence[int]
    unknown: int
    counting: int


def excess_floors(
    model: cp_model.CpModel, sizes: Sequence, capacity: Sequence[int], attributes: Sequence[ExcessFloor]
) -> list:
    """Objective terms bounding each attribute's weighted excess from below; `sizes[g]` is group
    g's size in `model`.

    A group whose excess is e holds at most (fair share + e) people of each value, so a group of
    n people with a known value, among V values whose shares sum to F, has excess at least
    (n - F) / V. At 3,000 participants the 16 organisations' shares sum to about the average
    group size, so only groups well above average pay; in a workshop whose rooms force some
    groups above the sum, every such group does. People with no value may be counted in any
    group (a relaxation: the bound stays valid). An attribute whose shares sum to at least every
    room's capacity cannot bind, and keeps only its counting bound.
    """
    terms = []
    top = max(capacity, default=0)
    for attribute in attributes:
        total = model.new_int_var(attribute.counting, max(attribute.counting, top * len(sizes)), "")
        shares = sum(attribute.fair)
        if attribute.fair and shares < top:
            spares, excesses = [], []
            for g, size in enumerate(sizes):
                spare = model.new_int_var(0, min(attribute.unknown, capacity[g]), "")
                excess = model.new_int_var(0, top, "")
                model.add(len(attribute.fair) * excess >= size - spare - shares)
                spares.append(spare)
                excesses.append(excess)
            model.add(sum(spares) == attribute.unknown)
            model.add(total >= sum(excesses))
        terms.append(attribute.weight * total)
    return terms
