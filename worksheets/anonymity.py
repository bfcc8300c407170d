"""Anonymous answers that could be traced back to their author are withheld.

A participant who shares "without my name" must not be recognisable from where the answer is
shown: in a slice of the workshop (a group in a region, say) with one or two anonymous sharers,
the answer, or a count, mean or bar built from it, points at them. The threshold is the setting
`REPORT_MIN_ANONYMOUS_SHARERS` (3 by default). Named answers are never withheld: their authors
chose to be named.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable

from django.conf import settings

from .enums import Sharing


def anonymous_rows_withhold(*, rows: list[dict], slice_of: Callable[[dict], Hashable]) -> list[dict]:
    """The rows without the anonymous ones whose slice has fewer than `REPORT_MIN_ANONYMOUS_SHARERS` sharers.

    `rows` are answers with "sharing" and "worksheet_id"; `slice_of(row)` names the smallest set
    of people a reader can select (a session, group and region for the report; a session and group
    for its facilitators). Sharers are counted by worksheet (one per person and session) among
    these rows, so a worksheet shared with every answer empty protects nobody. Named rows all stay.
    """
    sharers: dict[tuple, set[int]] = defaultdict(set)
    for row in rows:
        if row["sharing"] == Sharing.ANONYMOUS:
            sharers[slice_of(row)].add(row["worksheet_id"])
    least = settings.REPORT_MIN_ANONYMOUS_SHARERS
    return [row for row in rows if row["sharing"] != Sharing.ANONYMOUS or len(sharers[slice_of(row)]) >= least]
