"""The board's pickers: people found by what is typed, each labelled with where they are now.

A participant reads "Amina · Group A, Room A" (with "(kept)" when kept there by hand), a
facilitator "Fatou · Labour: Group A; Trafficking: Group D". Up to `PICKER_SHOW_ALL` people a
picker lists everyone (a plain select is enough, with or without a script); beyond that it lists the
first `PICKER_LIMIT` matches by name, so a 3,000-participant board never ships 3,000 options.
Matching ignores case and accents ("jose" finds "José"): every word typed is in the name, or what
is typed is part of the e-mail address.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Assignment, Facilitator, Group, Participant, Workshop

PICKER_SHOW_ALL = 100
PICKER_LIMIT = 20


@dataclass(frozen=True)
class Picker:
    options: list[tuple[int, str]]  # (id, label), by name
    query: str
    more: bool  # some matches are not listed
    message: str  # what the list is, when it is not simply everyone


def folded(text: str) -> str:
    """`text` without case or accents, for matching what an organiser types."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def participant_label(*, name: str, group: str | None, room: str | None, locked: bool) -> str:
    if group is None:
        return _("%(name)s · not in a group") % {"name": name}
    if locked:
        return _("%(name)s · Group %(group)s, %(room)s (kept)") % {"name": name, "group": group, "room": room}
    return _("%(name)s · Group %(group)s, %(room)s") % {"name": name, "group": group, "room": room}


def facilitator_label(*, name: str, assignments: list[tuple[str, str, bool]]) -> str:
    """`assignments`: (session title, group name, kept by hand), in session order."""
    if not assignments:
        return _("%(name)s · no assignment") % {"name": name}
    places = [
        (_("%(session)s: Group %(group)s (kept)") if locked else _("%(session)s: Group %(group)s"))
        % {"session": session, "group": group}
        for session, group, locked in assignments
    ]
    return _("%(name)s · %(assignments)s") % {"name": name, "assignments": "; ".join(places)}


def _pick(
    people: list[tuple[int, str, str]], query: str, selected: int | None, show_all: int | None = None
) -> tuple[list[int], bool, str]:
    """The ids to list of (id, name, e-mail), whether some matches are left out, and what the list is.

    Everyone when nothing is typed and they are at most `show_all` (default `PICKER_SHOW_ALL`), else
    the first `PICKER_LIMIT` matches; the `selected` person is listed in any case.
    """
    show_all = PICKER_SHOW_ALL if show_all is None else show_all
    words = folded(query).split()
    ordered = sorted(people, key=lambda person: (folded(person[1]), person[0]))
    if words:
        whole = " ".join(words)
        matches = [pk for pk, name, email in ordered if all(w in folded(name) for w in words) or whole in folded(email)]
    else:
        matches = [pk for pk, _name, _email in ordered]
    shown = matches if not words and len(matches) <= show_all else matches[:PICKER_LIMIT]
    more = len(shown) < len(matches)
    if selected is not None and selected not in shown and any(pk == selected for pk, *_rest in people):
        shown = [selected, *shown]
    if words and not matches:
        message = _("No one found.")
    elif more:
        message = (
            _("The first %(count)d by name: type more to narrow.")
            if words
            else _("The first %(count)d by name: search to find the others.")
        ) % {"count": PICKER_LIMIT}
    elif words:
        message = ngettext("%(count)d found.", "%(count)d found.", len(matches)) % {"count": len(matches)}
    else:
        message = ""
    return shown, more, message


def participants_picker(
    *, participants, groups: dict[int, tuple[str, str]], query: str = "", selected: int | None = None
) -> Picker:
    """A picker of participants already read, `groups` giving each group id's (name, room name): no query."""
    by_id = {p.pk: p for p in participants}
    ids, more, message = _pick([(p.pk, p.name, p.email) for p in participants], query, selected)

    def label(p):
        group, room = groups.get(p.group_id, (None, None))
        return participant_label(name=p.name, group=group, room=room, locked=p.group_locked)

    return Picker([(pk, label(by_id[pk])) for pk in ids], query, more, message)


def facilitators_picker(
    *,
    facilitators,
    assignments_of: dict[int, list[tuple[str, str, bool]]],
    query: str = "",
    selected: int | None = None,
) -> Picker:
    """A picker of facilitators already read, with `assignments_of` each (as `facilitator_label` takes them)."""
    by_id = {f.pk: f for f in facilitators}
    ids, more, message = _pick([(f.pk, f.name, f.email) for f in facilitators], query, selected)
    return Picker(
        [(pk, facilitator_label(name=by_id[pk].name, assignments=assignments_of.get(pk, []))) for pk in ids],
        query,
        more,
        message,
    )


def people_search(*, workshop: Workshop, kind: str, query: str) -> Picker:
    """The workshop's participants (or facilitators) matching `query`, at most `PICKER_LIMIT`: two queries."""
    if kind == "facilitator":
        people = list(Facilitator.objects.filter(workshop=workshop).values_list("pk", "name", "email"))
        ids, more, message = _pick(people, query, None, show_all=PICKER_LIMIT)
        names = {pk: name for pk, name, _email in people}
        assignments_of = defaultdict(list)
        for a in (
            Assignment.objects.filter(facilitator_id__in=ids, session__workshop=workshop)
            .select_related("session", "group")
            .order_by("session__start", "pk")
        ):
            assignments_of[a.facilitator_id].append((a.session.title, a.group.name, a.locked))
        options = [(pk, facilitator_label(name=names[pk], assignments=assignments_of[pk])) for pk in ids]
        return Picker(options, query, more, message)
    rows = list(
        Participant.objects.filter(workshop=workshop).values_list("pk", "name", "email", "group_id", "group_locked")
    )
    ids, more, message = _pick(
        [(pk, name, email) for pk, name, email, *_rest in rows], query, None, show_all=PICKER_LIMIT
    )
    groups = {
        pk: (name, room)
        for pk, name, room in Group.objects.filter(workshop=workshop).values_list("pk", "name", "room__name")
    }
    by_id = {row[0]: row for row in rows}
    options = []
    for pk in ids:
        _pk, name, _email, group_id, locked = by_id[pk]
        group, room = groups.get(group_id, (None, None))
        options.append((pk, participant_label(name=name, group=group, room=room, locked=locked)))
    return Picker(options, query, more, message)
