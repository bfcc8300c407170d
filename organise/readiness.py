"""What a workshop still lacks before its invitations go out: the board's readiness checklist.

Each line says, in words, what is missing and links to the page where it is fixed. It reads what the
board already loaded (`workshops.selectors_board.board_load`) plus the worksheet questions and the
sessions' guide content (their own text, or their curriculum section's items), so the board keeps a fixed number of queries. It lives here because it reads
two apps (workshops and worksheets) and curriculum, and writes nothing.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from curriculum.models import SectionItem
from worksheets.models import Question
from workshops.languages import LANGUAGE_NAMES
from workshops.models import Workshop
from workshops.selectors_board import board_load

TRANSLATED = ("en", "es", "fr")  # the languages questions and guide content are written in


@dataclass(frozen=True)
class ReadinessItem:
    key: str
    ok: bool
    message: str
    url: str = ""
    link_text: str = ""
    blocking: bool = True  # False: worth knowing, but invitations may go out


def _admin(workshop: Workshop, anchor: str = "") -> str:
    return reverse("admin:workshops_workshop_change", args=[workshop.pk]) + anchor


def _needed_languages(rows) -> list[str]:
    needed = []
    for row in rows:
        if not row["group"]:
            continue
        for code in row["room"].language_mode.languages:
            if code in TRANSLATED and code not in needed:
                needed.append(code)
    return needed


def _missing_translations(rows, questions) -> str:
    """ "No Spanish text, which a room needs: 2 questions.", or ""."""
    parts = []
    for code in _needed_languages(rows):
        lacking = sum(1 for question in questions if not question[f"text_{code}"])
        if lacking:
            parts.append(
                _("No %(language)s text, which a room needs: %(what)s.")
                % {
                    "language": LANGUAGE_NAMES[code],
                    "what": ngettext("%(count)d question", "%(count)d questions", lacking) % {"count": lacking},
                }
            )
    return " ".join(parts)


GUIDE_FIELDS = {"guiding_question": "guide_questions", "key_message": "guide_messages", "exercise": "guide_exercises"}
GUIDE_SESSIONS_LISTED = 5  # sessions named one line each; the others summed up in one more line


def _guide_lacks(session, code, items) -> bool:
    """Whether what the session's guide shows (per kind: the session's own text when its organisers wrote
    one in any language, otherwise its section's items) has no text in `code`."""
    for kind, field in GUIDE_FIELDS.items():
        own = {language: getattr(session, f"{field}_{language}") or "" for language in TRANSLATED}
        if any(text.strip() for text in own.values()):
            if not own[code].strip():
                return True
        elif any(item["kind"] == kind and not item[f"text_{code}"] for item in items.get(session.section_id, ())):
            return True
    return False


def _languages_sentence(codes) -> str:
    names = [str(LANGUAGE_NAMES[code]) for code in codes]
    if len(names) == 1:
        return names[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _guide_items(workshop, rows, sessions) -> list[ReadinessItem]:
    """One line per session whose guide lacks a language a room needs (the first few; the others in one
    more line), each linking to the session's guide page; one query (the sections' items)."""
    needed = _needed_languages(rows)
    section_ids = {session.section_id for session in sessions if session.section_id}
    items = {}
    for item in SectionItem.objects.filter(section_id__in=section_ids).values(
        "section_id", "kind", *(f"text_{c}" for c in TRANSLATED)
    ):
        items.setdefault(item["section_id"], []).append(item)
    lacking = []
    for session in sessions:
        codes = [code for code in needed if _guide_lacks(session, code, items)]
        if codes:
            lacking.append((session, codes))

    def url(session):
        return reverse("organise:session_guide", kwargs={"slug": workshop.slug, "session_id": session.pk})

    if not lacking:
        return [ReadinessItem("guide", True, _("Every session’s guide is written in every language the rooms need."))]
    lines = [
        ReadinessItem(
            "guide",
            False,
            _("The guide of “%(session)s” has no %(languages)s text, which a room needs.")
            % {"session": session.title, "languages": _languages_sentence(codes)},
            url(session),
            _("Write the guide"),
        )
        for session, codes in lacking[:GUIDE_SESSIONS_LISTED]
    ]
    rest = lacking[GUIDE_SESSIONS_LISTED:]
    if rest:
        lines.append(
            ReadinessItem(
                "guide",
                False,
                ngettext(
                    "%(count)d more session’s guide has no text in a language a room needs: %(sessions)s.",
                    "%(count)d more sessions’ guides have no text in a language a room needs: %(sessions)s.",
                    len(rest),
                )
                % {"count": len(rest), "sessions": ", ".join(session.title for session, _codes in rest)},
                url(rest[0][0]),
                _("Write the guide"),
            )
        )
    return lines


def _sessions_outside(workshop, sessions) -> list:
    zone = ZoneInfo(workshop.timezone)
    return [
        session
        for session in sessions
        if not workshop.start_date <= session.start.astimezone(zone).date() <= workshop.end_date
        or not workshop.start_date <= session.end.astimezone(zone).date() <= workshop.end_date
    ]


def workshop_readiness(*, workshop: Workshop, board: dict | None = None) -> list[ReadinessItem]:
    """The checklist, in the order an organiser works through it; `board` is `board_load`'s result."""
    board = board if board is not None else board_load(workshop=workshop)
    sessions, rows, participants = board["sessions"], board["rows"], board["participants"]
    groups = [row["group"] for row in rows if row["group"]]
    questions = list(Question.objects.filter(workshop=workshop).values(*(f"text_{c}" for c in TRANSLATED)))
    settings_link = _("Open the settings")
    items = [
        ReadinessItem(
            "sessions",
            bool(sessions),
            ngettext("%(count)d break-out session.", "%(count)d break-out sessions.", len(sessions))
            % {"count": len(sessions)}
            if sessions
            else _("No break-out sessions yet."),
            _admin(workshop),
            settings_link,
        ),
        ReadinessItem(
            "groups",
            bool(groups),
            ngettext("%(count)d group, each in its room.", "%(count)d groups, each in its room.", len(groups))
            % {"count": len(groups)}
            if groups
            else _("No groups yet: each group needs a room, and each room a language mode."),
            _admin(workshop),
            settings_link,
        ),
        ReadinessItem(
            "questions",
            bool(questions),
            ngettext("%(count)d worksheet question.", "%(count)d worksheet questions.", len(questions))
            % {"count": len(questions)}
            if questions
            else _("No worksheet questions yet."),
            reverse("organise:questions", kwargs={"slug": workshop.slug}),
            _("Questions"),
        ),
    ]
    missing = _missing_translations(rows, questions)
    items.append(
        ReadinessItem(
            "translations",
            not missing,
            missing or _("Questions are written in every language the rooms need."),
            reverse("organise:questions", kwargs={"slug": workshop.slug}),
            _("Questions"),
        )
    )
    items += _guide_items(workshop, rows, sessions)
    unplaced = sum(1 for person in participants if person.group_id is None)
    items += [
        ReadinessItem(
            "participants",
            bool(participants),
            ngettext("%(count)d participant.", "%(count)d participants.", len(participants))
            % {"count": len(participants)}
            if participants
            else _("No participants yet."),
            reverse("organise:import", kwargs={"slug": workshop.slug}),
            _("Import people"),
        ),
        ReadinessItem(
            "placed",
            not unplaced,
            ngettext(
                "%(count)d participant is in no group yet.", "%(count)d participants are in no group yet.", unplaced
            )
            % {"count": unplaced}
            if unplaced
            else _("Every participant is in a group."),
            reverse("organise:board", kwargs={"slug": workshop.slug}) + "#automatic",
            _("Place participants"),
        ),
    ]
    short = 0
    for row in rows:
        if row["group"]:
            short += sum(1 for cell in row["cells"] if len(cell["assignments"]) < cell["session"].facilitators_required)
    items.append(
        ReadinessItem(
            "facilitators",
            not short,
            ngettext(
                "%(count)d group in a session has fewer facilitators than it needs.",
                "%(count)d groups in a session have fewer facilitators than they need.",
                short,
            )
            % {"count": short}
            if short
            else _("Every group has its facilitators in every session."),
            reverse("organise:board", kwargs={"slug": workshop.slug}) + "#automatic",
            _("Build rotation"),
        )
    )
    problems = board["problems"]
    if not (sessions and groups):
        rules_message = _("No schedule to check against the rules yet: it needs groups and sessions.")
    elif problems:
        rules_message = ngettext(
            "%(count)d rule is broken (see the board).", "%(count)d rules are broken (see the board).", len(problems)
        ) % {"count": len(problems)}
    else:
        rules_message = _("Every rule is met.")
    items.append(
        ReadinessItem(
            "rules",
            bool(sessions and groups) and not problems,
            rules_message,
            reverse("organise:board", kwargs={"slug": workshop.slug}) + "#schedule",
            _("See the board"),
        )
    )
    outside = _sessions_outside(workshop, sessions)
    items.append(
        ReadinessItem(
            "dates",
            not outside,
            _("Outside the workshop’s days (%(first)s to %(last)s): %(sessions)s.")
            % {
                "first": date_format(workshop.start_date, "DATE_FORMAT"),
                "last": date_format(workshop.end_date, "DATE_FORMAT"),
                "sessions": ", ".join(session.title for session in outside),
            }
            if outside
            else _("Every session is on one of the workshop’s days."),
            _admin(workshop),
            settings_link,
        )
    )
    items.append(
        ReadinessItem(
            "published",
            workshop.is_published,
            _("Published: listed on the home page.")
            if workshop.is_published
            else _("Unpublished: not listed on the home page. Personal links work all the same."),
            _admin(workshop),
            settings_link,
            blocking=False,
        )
    )
    return items
