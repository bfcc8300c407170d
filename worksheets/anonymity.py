"""Anonymous answers that could be traced back to their author are withheld.

A participant who shares "without my name" must not be recognisable from where the answer is
shown: in a slice of the workshop (a group in a region, say) with one or two anonymous sharers,
the answer, or a count, mean or bar built from it, points at them. The threshold is the setting
`REPORT_MIN_ANONYMOUS_SHARERS` (3 by default). Named answers are never withheld: their authors
chose to be named.

There is one slicing for every place that shows shared answers (the feedback report and its
exports, the facilitators' pages, the erasure's confirmation): one session, one group, one
region. Each place shows whole slices (a report filter or a facilitator's group is a union of
them), so an organiser who reads several of them (the admin shows every facilitator's personal
link) never sees more than the slices that pass: no difference between two views isolates anyone.
"""

from collections import defaultdict

from django.conf import settings

from .enums import Sharing


def anonymous_slice(row: dict) -> tuple:
    """The smallest set of people any page can select: one session, one group, one region."""
    return (row["session_id"], row["group_id"], row["region"])


def anonymous_rows_withhold(*, rows: list[dict]) -> list[dict]:
    """The rows without the anonymous ones whose slice has fewer than `REPORT_MIN_ANONYMOUS_SHARERS` sharers.

    `rows` are non-empty answers with "sharing", "worksheet_id", "session_id", "group_id" and
    "region", and must hold every non-empty answer of each slice they touch (callers select whole
    slices: a workshop, or a group in a session). Sharers are counted by worksheet (one per person
    and session) within `anonymous_slice`, so a worksheet shared with every answer empty protects
    nobody. Named rows all stay.
    """
    sharers: dict[tuple, set[int]] = defaultdict(set)
    for row in rows:
        if row["sharing"] == Sharing.ANONYMOUS:
            sharers[anonymous_slice(row)].add(row["worksheet_id"])
    return [
        row
        for row in rows
        if row["sharing"] != Sharing.ANONYMOUS or anonymous_sharers_enough(len(sharers[anonymous_slice(row)]))
    ]


def anonymous_sharers_enough(sharers: int) -> bool:
    """Whether a slice with this many anonymous sharers (worksheets with an answer) may show their answers.

    The one rule, for `anonymous_rows_withhold` and for the report's files, which count a slice's
    sharers in the database (`worksheets.report_files`).
    """
    return sharers >= settings.REPORT_MIN_ANONYMOUS_SHARERS
