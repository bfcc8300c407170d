"""The workshop's admin page at any size: links to its lists, and inlines only while they are short.

At 3,000 participants a workshop has about 100 rooms and 100 groups: inlined, they made its
page 1.2 MB and 1,318 fields, over Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS` (1,000), so it could
not be saved. An inline is shown while it has at most `INLINE_MAX_ROWS` rows; every kind of row
is linked to, with its count, as the admin's list filtered to this workshop.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from worksheets.models import Question, Worksheet
from workshops.models import Assignment, BreakoutSession, Facilitator, Group, LanguageMode, Participant, Room

INLINE_MAX_ROWS = 20  # 20 rows of the four inlines stay far under Django's 1,000 fields

# (model, path from it to the workshop's id in the list's filter, "N rows" in words)
LISTS = [
    (
        LanguageMode,
        "workshop__id__exact",
        ngettext_lazy("%(count)d language mode", "%(count)d language modes", "count"),
    ),
    (Room, "workshop__id__exact", ngettext_lazy("%(count)d room", "%(count)d rooms", "count")),
    (Group, "workshop__id__exact", ngettext_lazy("%(count)d group", "%(count)d groups", "count")),
    (BreakoutSession, "workshop__id__exact", ngettext_lazy("%(count)d session", "%(count)d sessions", "count")),
    (Participant, "workshop__id__exact", ngettext_lazy("%(count)d participant", "%(count)d participants", "count")),
    (Facilitator, "workshop__id__exact", ngettext_lazy("%(count)d facilitator", "%(count)d facilitators", "count")),
    (
        Assignment,
        "session__workshop__id__exact",
        ngettext_lazy("%(count)d assignment", "%(count)d assignments", "count"),
    ),
    (Question, "workshop__id__exact", ngettext_lazy("%(count)d question", "%(count)d questions", "count")),
    (Worksheet, "session__workshop__id__exact", ngettext_lazy("%(count)d worksheet", "%(count)d worksheets", "count")),
]


def related_counts(workshop) -> dict[type, int]:
    """How many rows of each kind the workshop has: one query per kind, once per page (kept on the object)."""
    cache = workshop.__dict__.setdefault("_related_counts", {})
    if workshop.pk not in cache:
        cache[workshop.pk] = {
            model: model._default_manager.filter(**{path.removesuffix("__id__exact"): workshop}).count()
            for model, path, _words in LISTS
        }
    return cache[workshop.pk]


def inline_is_short(workshop, model) -> bool:
    """Whether the workshop's page may inline this kind of row (always while the workshop is new)."""
    return workshop is None or workshop.pk is None or related_counts(workshop)[model] <= INLINE_MAX_ROWS


def related_links(workshop):
    """ "100 groups →" and the like, each to the admin's list of them filtered to this workshop."""
    counts = related_counts(workshop)
    links = format_html_join(
        " · ",
        '<a href="{}?{}={}">{} →</a>',
        (
            (
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
                path,
                workshop.pk,
                words % {"count": counts[model]},
            )
            for model, path, words in LISTS
        ),
    )
    note = _("Rooms, groups, sessions and language modes are edited on this page while there are at most %(count)d.")
    return format_html(
        '<div class="related-lists">{}</div><div class="help">{}</div>', links, note % {"count": INLINE_MAX_ROWS}
    )
