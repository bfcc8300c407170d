"""Where an organiser fixes what a broken rule is about: for each rule of the checker, the pages to open.

An impossible run says which rule cannot be met, in words (`workshops.scheduling.prechecks`); each
line then links to the pages where what it is about is changed: rooms and their languages for the
placement's rules, sessions for overlaps, the facilitators (and the board's hand-kept assignments)
for the rotation's.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from workshops.models import Workshop
from workshops.scheduling.checker import Rule

_ROOMS, _PARTICIPANTS, _SESSIONS, _FACILITATORS, _BOARD = "rooms", "participants", "sessions", "facilitators", "board"

PAGES_BY_RULE = {
    Rule.ONE_GROUP: (_PARTICIPANTS,),
    Rule.CAPACITY: (_ROOMS, _PARTICIPANTS),
    Rule.LANGUAGE_FIT: (_ROOMS, _PARTICIPANTS),
    Rule.NO_OVERLAP: (_SESSIONS,),
    Rule.STAFFING: (_FACILITATORS, _SESSIONS),
    Rule.AVAILABILITY: (_FACILITATORS, _BOARD),
    Rule.FACILITATOR_LANGUAGE: (_FACILITATORS, _BOARD),
    Rule.DOUBLE_BOOKING: (_BOARD,),
    Rule.ROTATION: (_BOARD, _FACILITATORS),
    Rule.CO_FACILITATION: (_FACILITATORS, _BOARD),
}


def _page(workshop: Workshop, page: str) -> tuple[str, str]:
    slug = {"slug": workshop.slug}
    if page == _ROOMS:
        return reverse("organise:setup_rooms", kwargs=slug), _("Rooms and their languages")
    if page == _SESSIONS:
        return reverse("organise:setup_sessions", kwargs=slug), _("Sessions")
    if page == _BOARD:
        return reverse("organise:board", kwargs=slug) + "#schedule", _("Hand-kept assignments on the board")
    model = "participant" if page == _PARTICIPANTS else "facilitator"
    label = _("Participants") if page == _PARTICIPANTS else _("Facilitators")
    return reverse(f"admin:workshops_{model}_changelist") + f"?workshop__id__exact={workshop.pk}", label


def problem_fix_links(*, workshop: Workshop, rule: str) -> list[tuple[str, str]]:
    """[(url, label)] of the pages where what breaks `rule` is changed (none for an unknown rule)."""
    try:
        pages = PAGES_BY_RULE[Rule(rule)]
    except ValueError:
        return []
    return [_page(workshop, page) for page in pages]
