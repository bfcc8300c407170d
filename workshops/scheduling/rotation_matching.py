"""Matching slots to distinct facilitators by augmenting paths (Kuhn), in the order of preference given."""


def _match(candidates: list[list[int]]) -> dict[int, int] | None:
    """A matching of every slot to a distinct candidate (facilitator -> slot index), or None.

    Kuhn's augmenting paths: candidates are tried in the order given, so preferences hold
    where they can, and a slot only takes someone else's facilitator if that one can move on.
    """
    holder = _match_most(candidates)
    # A slot that finds no augmenting path stays unmatched for good, so a full matching exists
    # exactly when the largest one covers every slot.
    return holder if len(holder) == len(candidates) else None


def _match_most(candidates: list[list[int]]) -> dict[int, int]:
    """A largest matching of slots to distinct candidates (facilitator -> slot index); some slots may stay open."""
    holder: dict[int, int] = {}

    def augment(slot: int, seen: set[int]) -> bool:
        for f in candidates[slot]:
            if f in seen:
                continue
            seen.add(f)
            if f not in holder or augment(holder[f], seen):
                holder[f] = slot
                return True
        return False

    for slot in range(len(candidates)):
        augment(slot, set())
    return holder
