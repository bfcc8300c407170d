"""What organisers read and print: the feedback report and the printables (its files: `worksheets.report_files`).

Everything here returns plain data (dataclasses, lists, dicts) built with a fixed number of
queries whatever the size of the workshop, so pages and exports stay fast at a Council session.

The feedback report holds only what participants chose to share ("for your personal use"
unless they decide otherwise): private worksheets never reach it, and a participant's name
only when they chose to be named. The name is dropped inside the query itself, so an
anonymous author's name never leaves the database.

Anonymous answers are also kept from being traced back by filtering: the smallest slice the
filters can make is one group in one region (a language mode is a set of groups), and an
anonymous answer is shown only when at least `REPORT_MIN_ANONYMOUS_SHARERS` people of its
slice shared that session anonymously. Every selection is then a union of whole slices, so
neither one filter nor the difference between two ever isolates fewer people than that; the
counts, means, bars and exports are built from the shown answers only. The facilitators' pages
and the erasure's confirmation withhold by the very same slices (`worksheets.anonymity`).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django_countries import countries
from sesame.utils import get_token

from workshops.enums import Region
from workshops.languages import LANGUAGE_NAMES
from workshops.models import Assignment, BreakoutSession, Facilitator, Group, LanguageMode, Participant, Workshop
from workshops.programme import programme_items, programme_merge
from workshops.qr import qr_svg
from workshops.selectors import facilitators_by_cell

from .anonymity import anonymous_rows_withhold
from .enums import SCALE_MAX, SCALE_MIN, QuestionKind, Sharing
from .models import Answer, Question

BADGES_PER_PAGE = 8  # two columns of four on an A4 sheet
BADGE_QR_MASK = 4  # a fixed mask: hundreds of badges render 4x faster, and every code still scans


# --- The feedback report -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    """Which shared answers to include; None (or "") means every one."""

    group_id: int | None = None
    language_mode_id: int | None = None
    region: str = ""
    session_id: int | None = None  # a session is a union of whole slices, as the others


@dataclass
class Entry:
    """One shared answer: `author` is None unless its author chose to be named."""

    text: str
    scale: int | None
    author: str | None
    group: str
    language_mode: str
    region: str


@dataclass
class ScaleBar:
    value: int
    count: int
    percent: int  # of the question's answers, for the bar's length


@dataclass
class QuestionReport:
    """A question's shown answers: all of them in `entries`, or on the page only some (then `total` and `values`)."""

    question: Question
    entries: list[Entry] = field(default_factory=list)
    total: int | None = None  # every shown answer of the selection, listed or not (None: len(entries))
    values: list[int] | None = None  # every shown scale value (None: those of the entries)
    page: Page | None = None  # when the question's answers are read page by page

    @property
    def is_scale(self) -> bool:
        return self.question.kind == QuestionKind.SCALE

    @property
    def answer_count(self) -> int:
        return len(self.entries) if self.total is None else self.total

    @property
    def scale_values(self) -> list[int]:
        if self.values is not None:
            return self.values
        return [e.scale for e in self.entries if e.scale is not None]

    @property
    def bars(self) -> list[ScaleBar]:
        counts = Counter(self.scale_values)
        total = sum(counts.values())
        return [
            ScaleBar(value=v, count=counts[v], percent=round(100 * counts[v] / total) if total else 0)
            for v in range(SCALE_MIN, SCALE_MAX + 1)
        ]

    @property
    def mean(self) -> float | None:
        values = self.scale_values
        return round(sum(values) / len(values), 1) if values else None

    @property
    def texts(self) -> list[Entry]:
        return [e for e in self.entries if e.text]

    @property
    def unlisted(self) -> int:
        """Shown answers of the selection this page does not list (read them page by page)."""
        return 0 if self.is_scale else self.answer_count - len(self.texts)


@dataclass
class SessionReport:
    session: BreakoutSession
    questions: list[QuestionReport]
    shared_worksheets: int  # those whose answers are shown: named, or anonymous in a large enough slice
    anonymous: bool | None = None  # whether any anonymous answer counts, listed or not (None: from the entries)

    @property
    def anonymous_shown(self) -> bool:
        """Whether any anonymous answer is shown (False also when the selection's slices are too small)."""
        if self.anonymous is not None:
            return self.anonymous
        return any(entry.author is None for q in self.questions for entry in q.entries)


@dataclass
class FeedbackReport:
    workshop: Workshop
    filters: ReportFilters
    sessions: list[SessionReport]
    groups: list[Group]
    language_modes: list[LanguageMode]

    @property
    def answer_count(self) -> int:
        return sum(q.answer_count for s in self.sessions for q in s.questions)

    def filter_labels(self) -> list[str]:
        """The active filters in words, for the printed page."""
        return report_filter_labels(
            filters=self.filters,
            groups=self.groups,
            language_modes=self.language_modes,
            sessions=[s.session for s in self.sessions],
        )


def report_filter_labels(
    *, filters: ReportFilters, groups: list[Group], language_modes: list[LanguageMode], sessions: list[BreakoutSession]
) -> list[str]:
    """The active filters in words ("Group A · Europe"), from the lists the filter form offers."""
    labels = []
    if filters.group_id:
        labels += [str(g) for g in groups if g.pk == filters.group_id]
    if filters.language_mode_id:
        labels += [m.name for m in language_modes if m.pk == filters.language_mode_id]
    if filters.region:
        labels.append(str(Region(filters.region).label))
    if filters.session_id:
        labels += [s.title for s in sessions if s.pk == filters.session_id]
    return labels


def report_groups(*, workshop: Workshop) -> list[Group]:
    return list(Group.objects.filter(workshop=workshop).select_related("room").order_by("name"))


def report_language_modes(*, workshop: Workshop) -> list[LanguageMode]:
    return list(LanguageMode.objects.filter(workshop=workshop).order_by("pk"))


def report_sessions(*, workshop: Workshop, filters: ReportFilters = ReportFilters()) -> list[BreakoutSession]:
    """The workshop's sessions in time order, or the one the filters select."""
    sessions = BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk")
    return list(sessions.filter(pk=filters.session_id) if filters.session_id else sessions)


def report_questions(*, workshop: Workshop) -> list[Question]:
    """The questions whose answers can be shared: never the "never shared" ones (personal notes)."""
    return list(Question.objects.filter(workshop=workshop, never_shared=False).order_by("order", "pk"))


def author_of_named():
    """The participant's name when the worksheet is shared by name, else NULL: computed in the database."""
    return Case(When(worksheet__sharing=Sharing.NAMED, then=F("worksheet__participant__name")), default=Value(None))


def report_answers_shared(*, workshop: Workshop, filters: ReportFilters):
    """The selection's non-empty answers of worksheets shared anonymously or by name, anonymous ones included.

    Whole slices (`worksheets.anonymity`): what to withhold is decided over exactly these answers.
    """
    answers = (
        Answer.objects.filter(worksheet__session__workshop=workshop)
        .filter(worksheet__sharing__in=[Sharing.ANONYMOUS, Sharing.NAMED])
        .exclude(question__never_shared=True)
        .exclude(text="", scale__isnull=True)
    )
    if filters.session_id:
        answers = answers.filter(worksheet__session_id=filters.session_id)
    if filters.group_id:
        answers = answers.filter(worksheet__participant__group_id=filters.group_id)
    if filters.language_mode_id:
        answers = answers.filter(worksheet__participant__group__room__language_mode_id=filters.language_mode_id)
    if filters.region:
        answers = answers.filter(worksheet__participant__region=filters.region)
    return answers


def report_rows_shown(*, workshop: Workshop, filters: ReportFilters, texts: bool) -> list[dict]:
    """The selection's non-empty shared answers as plain rows, less the withheld anonymous ones (one query).

    In session, question, named-first, worksheet order. Without `texts`, the rows hold neither the
    answer's text nor its author (the page reads those only for the answers it lists).
    """
    answers = report_answers_shared(workshop=workshop, filters=filters)
    fields = ["pk", "question_id", "scale", "worksheet_id"]
    if texts:
        answers = answers.annotate(author=author_of_named())
        fields += ["text", "author"]
    rows = answers.order_by().values(  # no model ordering: it would join the questions and sort the texts
        *fields,
        sharing=F("worksheet__sharing"),
        session_id=F("worksheet__session_id"),
        group_id=F("worksheet__participant__group_id"),
        region=F("worksheet__participant__region"),
    )
    order = ("worksheet__session_id", "question_id", F("worksheet__sharing").desc(), "worksheet_id")
    if not texts:
        # Small rows are sorted by the database ("named" before "anonymous" is the values' descending
        # order); rows with their texts in Python, where they need no sort on disk.
        return anonymous_rows_withhold(rows=list(rows.order_by(*order)))
    rows = sorted(
        rows, key=lambda r: (r["session_id"], r["question_id"], r["sharing"] != Sharing.NAMED, r["worksheet_id"])
    )
    return anonymous_rows_withhold(rows=list(rows))


def report_entry(row: dict, *, text: str, author: str | None, group_of: dict, mode_of: dict) -> Entry:
    group = group_of.get(row["group_id"])
    mode = mode_of.get(group.room.language_mode_id) if group else None
    return Entry(
        text=text,
        scale=row["scale"],
        author=author,
        group=group.name if group else "",
        language_mode=mode.name if mode else "",
        region=str(dict(Region.choices).get(row["region"], row["region"])),
    )


def feedback_report(
    *,
    workshop: Workshop,
    filters: ReportFilters = ReportFilters(),
    groups: list[Group] | None = None,
    language_modes: list[LanguageMode] | None = None,
) -> FeedbackReport:
    """Every session with every question it asks, and the answers participants shared, filtered.

    Guarantees: only worksheets shared anonymously or by name; the author only when named;
    empty answers left out; an anonymous answer only when at least `REPORT_MIN_ANONYMOUS_SHARERS`
    worksheets of its session, group and region were shared anonymously with an answer (see the
    module's docstring). Five queries (three when `groups` and `language_modes` are given).
    """
    groups = report_groups(workshop=workshop) if groups is None else groups
    language_modes = report_language_modes(workshop=workshop) if language_modes is None else language_modes
    sessions = report_sessions(workshop=workshop, filters=filters)
    questions = report_questions(workshop=workshop)
    rows = report_rows_shown(workshop=workshop, filters=filters, texts=True)

    group_of = {g.pk: g for g in groups}
    mode_of = {m.pk: m for m in language_modes}
    entries: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    worksheets: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        entries[(row["session_id"], row["question_id"])].append(
            report_entry(row, text=row["text"], author=row["author"], group_of=group_of, mode_of=mode_of)
        )
        worksheets[row["session_id"]].add(row["worksheet_id"])

    session_reports = []
    for session in sessions:
        asked = [q for q in questions if q.session_id in (None, session.pk)]
        session_reports.append(
            SessionReport(
                session=session,
                questions=[QuestionReport(question=q, entries=entries[(session.pk, q.pk)]) for q in asked],
                shared_worksheets=len(worksheets[session.pk]),
            )
        )
    return FeedbackReport(
        workshop=workshop, filters=filters, sessions=session_reports, groups=groups, language_modes=language_modes
    )


# --- Printables -----------------------------------------------------------------------------


def language_autonyms(codes) -> str:
    """ "English / Español / Français": each language in its own name, as a door sign shows it."""
    names = []
    for code in codes:
        try:
            name = get_language_info(code)["name_local"]
        except KeyError:
            name = str(LANGUAGE_NAMES.get(code, code))
        names.append(name[:1].upper() + name[1:])
    return " / ".join(names)


def printable_room_signs(*, workshop: Workshop) -> list[dict]:
    """One sign per session and group, in time then room order (three queries)."""
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk"))
    groups = list(
        Group.objects.filter(workshop=workshop).select_related("room__language_mode").order_by("room__name", "name")
    )
    facilitators = facilitators_by_cell(assignments=Assignment.objects.filter(session__workshop=workshop))
    return [
        {
            "session": session,
            "group": group,
            "room": group.room,
            "language_mode": group.room.language_mode,
            "languages": language_autonyms(group.room.language_mode.languages),
            "facilitators": [a.facilitator.name for a in facilitators[(session.pk, group.pk)]],
        }
        for session in sessions
        for group in groups
    ]


def printable_rosters(*, workshop: Workshop) -> list[dict]:
    """Each group with its room and participants; those not yet in a group last (two queries)."""
    groups = list(Group.objects.filter(workshop=workshop).select_related("room__language_mode").order_by("name", "pk"))
    members = defaultdict(list)
    for participant in Participant.objects.filter(workshop=workshop).only(
        "name", "country", "organisation", "languages", "group_id"
    ):
        members[participant.group_id].append(participant)
    rosters = [{"group": group, "room": group.room, "participants": members[group.pk]} for group in groups]
    if members[None]:
        rosters.append({"group": None, "room": None, "participants": members[None]})
    return rosters


def printable_itineraries(*, workshop: Workshop) -> list[dict]:
    """Each facilitator with their assignments in time order and their co-facilitators, and their whole
    programme (the plenary items among their assignments): three queries."""
    facilitators = list(Facilitator.objects.filter(workshop=workshop).order_by("name", "pk"))
    assignments = list(
        Assignment.objects.filter(session__workshop=workshop)
        .select_related("session__section", "group__room__language_mode", "facilitator")
        .order_by("session__start", "group__name", "facilitator__name")
    )
    by_cell = facilitators_by_cell(assignments=assignments)  # in facilitator name order within a cell, as read
    mine = defaultdict(list)
    for a in assignments:
        names = [other.facilitator.name for other in by_cell[(a.session_id, a.group_id)]]
        a.co_facilitators = [name for name in names if name != a.facilitator.name]
        mine[a.facilitator_id].append(a)
    items = list(programme_items(workshop=workshop))  # everyone's plenary items, read once
    return [
        {
            "facilitator": f,
            "assignments": mine[f.pk],
            "programme": programme_merge(workshop=workshop, items=items, assignments=mine[f.pk]),
        }
        for f in facilitators
    ]


def printable_badges(*, workshop: Workshop, base_url: str, group_id: int | None = None) -> list[list[dict]]:
    """Badges in pages of eight: name, organisation, country, languages, group, room and the QR code
    of the personal link, each meant to print in the participant's preferred language.

    A read: it writes nothing. A link needs the participant's login, so the page makes the
    missing ones first (`workshops.access.participant_users_ensure`); someone without a login
    (added in between) gets no badge rather than a dead link, and appears on the next print. The
    link is the one `workshops.access.personal_link_url` gives, in the participant's own language.
    """
    participants = Participant.objects.filter(workshop=workshop, user__isnull=False).select_related(
        "group__room", "user"
    )
    if group_id:
        participants = participants.filter(group_id=group_id)
    badges = []
    base_url = base_url.rstrip("/")
    for participant in participants.order_by(F("group__name").asc(nulls_last=True), "name", "pk"):
        with translation.override(participant.preferred_language):
            url = base_url + reverse("workshops:personal_link", kwargs={"token": get_token(participant.user)})
            country = countries.name(participant.country.code) if participant.country else ""
        badges.append(
            {
                "participant": participant,
                "country": country,
                "group": participant.group,
                "room": participant.group.room if participant.group else None,
                "url": url,
                "qr": qr_svg(url, scale=3, mask=BADGE_QR_MASK),  # about 30 mm: room for a large name above it
            }
        )
    return [badges[i : i + BADGES_PER_PAGE] for i in range(0, len(badges), BADGES_PER_PAGE)]


def printables_counts(*, workshop: Workshop) -> dict:
    """How many sheets each set prints (four queries)."""
    sessions = BreakoutSession.objects.filter(workshop=workshop).count()
    groups = Group.objects.filter(workshop=workshop).count()
    participants = Participant.objects.filter(workshop=workshop).count()
    facilitators = Facilitator.objects.filter(workshop=workshop).count()
    return {
        "room_signs": sessions * groups,
        "rosters": groups,
        "itineraries": facilitators,
        "participants": participants,
        "badge_pages": -(-participants // BADGES_PER_PAGE),
    }
