"""The rows around and among the people in a registration file: what is skipped, and why, in words.

A row above the header (a title), a blank row, a footer ("Total", "Totals: 20", a lone count) and a
registration its tool marks withdrawn, cancelled or rejected are skipped and listed with their line
(`SkippedRow`); a row with more cells than the header is refused with the extra cells
(`RefusedRecord`): a cell is never dropped without a word.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .values import match_key


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: str
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class RefusedRecord:
    """A row refused before its values are read (its cells do not fit the header)."""

    line: int
    name: str
    email: str
    problems: list[str]


def reason_above_header() -> str:
    return _("above the header row")


def reason_blank() -> str:
    return _("blank row")


_TOTAL = re.compile(
    r"^(?:grand |sub )?(?:total|totals|totales|totaux|subtotal|sum|suma|somme|count|nombre total|numero total|"
    r"number of|numero de|nombre de participants|nombre d inscrits)\b"
)
_NUMBER = re.compile(r"^\d[\d\s.,]*$")


def footer_reason(cells: list[str]) -> str | None:
    """ "footer row (totals)" for a row of totals or a lone count; None for anything that may be a person."""
    filled = [cell for cell in cells if cell]
    if not filled or len(filled) > 3 or any("@" in cell for cell in filled):
        return None
    if _TOTAL.match(match_key(filled[0])) or all(_NUMBER.match(cell) for cell in filled):
        return _("footer row (totals)")
    return None


# Registration states that mean the person is not coming, in the words of Indico ("Withdrawn",
# "Rejected"), Eventbrite ("Refunded", "Cancelled", "Transferred", "Deleted", "Not Attending") and of
# forms in Spanish and French. "Pending" and "Awaiting payment" are still registrations.
_WITHDRAWN = frozenset(
    "withdrawn cancelled canceled rejected refunded transferred deleted declined "
    "retirado retirada cancelado cancelada anulado anulada rechazado rechazada reembolsado reembolsada "
    "transferido transferida eliminado eliminada "
    "annule annulee retire retiree rejete rejetee refuse refusee rembourse remboursee transfere transferee "
    "supprime supprimee desiste desistee".split()
)
_PARTLY = frozenset({"partially", "partial", "parcialmente", "parcial", "partiellement", "partiel"})


def withdrawn_reason(state: str) -> str | None:
    """ "registration withdrawn (“Refunded”)" when a registration's state says the person is not coming."""
    words = set(match_key(state).split())
    if words & _PARTLY or not (words & _WITHDRAWN or match_key(state) in {"not attending", "no asistira"}):
        return None
    return _("registration withdrawn (“%(state)s”)") % {"state": state}


def overflow_problem(cells: list[str], *, width: int, delimiter: str | None) -> str | None:
    """Why a row with filled cells beyond the header's last column is refused; None when it fits."""
    extra = [cell for cell in cells[width:] if cell]
    if not extra:
        return None
    count = max(position for position, cell in enumerate(cells) if cell) + 1
    problem = ngettext(
        "This row has %(cells)d cells but the header names %(columns)d columns: the extra cell %(extra)s belongs "
        "to no column.",
        "This row has %(cells)d cells but the header names %(columns)d columns: the extra cells %(extra)s belong "
        "to no column.",
        len(extra),
    ) % {"cells": count, "columns": width, "extra": ", ".join(f"“{cell}”" for cell in extra)}
    if delimiter is None:
        return problem + " " + _("Give those cells a header, or move them into the right column.")
    separator = _("tab") if delimiter == "\t" else delimiter
    return (
        problem
        + " "
        + _("A cell holding the separator “%(separator)s” must be quoted; correct the file.") % {"separator": separator}
    )
