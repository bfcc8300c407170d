"""The summary for funders (issue 16): who took part, who attended what, and the certificates issued.

Every figure is counted here, once, for the page, its PDF and its Excel file, in the active language
(the organiser's), in a fixed number of queries whatever the workshop's size.

Registration counts are single breakdowns (by sex, by region, by country, by organisation), never
crossed with one another. An organisation, though, is often one or two people: a count of 1 for
"Ministry of X" names them. Organisations with fewer participants than the anonymity threshold
(`REPORT_MIN_ANONYMOUS_SHARERS`, the one the feedback report uses, `worksheets.anonymity`) are
therefore pooled into one line, "other organisations". Sex, region and country are kept whole:
funders ask for them, and an IOM event's participant list shows them anyway.

The evaluation's results and the knowledge check come from `worksheets.evaluation_report` (anonymous
by design, small selections withheld there), as `evaluation` = {"evaluation": ..., "knowledge": ...}.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext, pgettext
from django_countries import countries

from worksheets.anonymity import anonymous_sharers_enough
from worksheets.evaluation_report import evaluation_summary, knowledge_summary
from workshops.enums import AttendanceStatus, Gender, Region
from workshops.languages import language_names
from workshops.models import Attendance, BreakoutSession, Certificate, Group, LanguageMode, Participant, Workshop

STATUS_COLUMNS = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.ABSENT,
)
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass
class AttendanceLine:
    session: str
    group: str  # "" on a session's total line
    counts: dict[str, int]  # status (and NOT_RECORDED) → people
    total_line: bool = False

    @property
    def attended(self) -> int:
        return sum(
            self.counts[status]
            for status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
        )

    def values(self) -> list[int]:
        return [self.counts[status] for status in (*STATUS_COLUMNS, NOT_RECORDED)]


@dataclass
class FundersSummary:
    workshop: Workshop
    languages: str  # the workshop's languages, in words
    participants: int
    by_sex: list[Count]
    by_region: list[Count]
    by_country: list[Count]
    by_organisation: list[Count]
    organisations_pooled: int  # how many small organisations the "other organisations" line holds
    attendance: list[AttendanceLine]
    certificates_issued: int
    certificates_revoked: int
    evaluation: dict | None = None  # {"evaluation": evaluation_summary(...), "knowledge": knowledge_summary(...)}
    status_labels: list[str] = field(default_factory=list)


def status_labels() -> list[str]:
    return [*(str(AttendanceStatus(status).label) for status in STATUS_COLUMNS), gettext("Not recorded")]


def _counts(values, labels: dict, *, unknown: str) -> list[Count]:
    """Counts by label, in `labels`' order, then anything else, then "not stated"; only those above zero."""
    counter = Counter(values)
    found = [Count(str(label), counter.pop(key)) for key, label in labels.items() if counter.get(key)]
    missing = counter.pop("", 0) + counter.pop(None, 0)
    found += [Count(str(key), number) for key, number in sorted(counter.items())]
    if missing:
        found.append(Count(unknown, missing))
    return found


def _organisations(values) -> tuple[list[Count], int]:
    """Counts by organisation, most first; the ones too small to show pooled into one last line."""
    counter = Counter(value.strip() for value in values if value and value.strip())
    unstated = sum(1 for value in values if not (value and value.strip()))
    shown = sorted(
        ((name, number) for name, number in counter.items() if anonymous_sharers_enough(number)),
        key=lambda item: (-item[1], item[0].casefold()),
    )
    small = [number for number in counter.values() if not anonymous_sharers_enough(number)]
    lines = [Count(name, number) for name, number in shown]
    if small:
        lines.append(
            Count(
                gettext("Other organisations (%(count)s, each with fewer than %(threshold)s participants)")
                % {"count": len(small), "threshold": _threshold()},
                sum(small),
            )
        )
    if unstated:
        lines.append(Count(gettext("No organisation given"), unstated))
    return lines, len(small)


def _threshold() -> int:
    number = 1
    while not anonymous_sharers_enough(number):
        number += 1
    return number


def _attendance(workshop: Workshop, people: list[dict]) -> list[AttendanceLine]:
    """Per session, one line per group and a total: how many were present, late, left early, absent, not recorded.

    A mark counts in the group the participant was in when marked (`Attendance.group`); someone with
    no mark for a session counts as not recorded in their group of now.
    """
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).order_by("start", "pk"))
    groups = {group.pk: group.name for group in Group.objects.filter(workshop=workshop).order_by("name")}
    marks = list(
        Attendance.objects.filter(session__workshop=workshop).values_list(
            "session_id", "participant_id", "group_id", "status"
        )
    )
    no_group = pgettext("group", "Not placed")
    cells: dict[tuple[int, int | None], Counter] = defaultdict(Counter)
    marked = set()
    for session_id, participant_id, group_id, status in marks:
        cells[(session_id, group_id)][status] += 1
        marked.add((session_id, participant_id))
    for session in sessions:
        for person in people:
            if (session.pk, person["pk"]) not in marked:
                cells[(session.pk, person["group_id"])][NOT_RECORDED] += 1
    lines = []
    order = [*groups, None]
    for session in sessions:
        total = Counter()
        for group_id in order:
            counts = cells.get((session.pk, group_id))
            if not counts:
                continue
            total.update(counts)
            lines.append(
                AttendanceLine(
                    session.title,
                    groups.get(group_id, no_group),
                    {key: counts.get(key, 0) for key in (*STATUS_COLUMNS, NOT_RECORDED)},
                )
            )
        lines.append(
            AttendanceLine(
                session.title,
                "",
                {key: total.get(key, 0) for key in (*STATUS_COLUMNS, NOT_RECORDED)},
                total_line=True,
            )
        )
    return lines


def workshop_languages(workshop: Workshop) -> str:
    """Every language the workshop's rooms speak or interpret, in words ("English, French, Spanish")."""
    codes = []
    for languages in LanguageMode.objects.filter(workshop=workshop).values_list("languages", flat=True):
        codes += [code for code in languages or [] if code not in codes]
    return language_names(codes)


def funders_summary(*, workshop: Workshop) -> FundersSummary:
    """Every figure of the summary for funders, in the active language, in a fixed number of queries."""
    people = list(
        Participant.objects.filter(workshop=workshop).values(
            "pk", "group_id", "gender", "region", "country", "organisation"
        )
    )
    organisations, pooled = _organisations([person["organisation"] for person in people])
    country_names = {person["country"]: countries.name(person["country"]) for person in people if person["country"]}
    by_country = _counts([person["country"] or "" for person in people], country_names, unknown=gettext("Not stated"))
    stated = sorted((c for c in by_country if c.label != gettext("Not stated")), key=lambda c: (-c.count, c.label))
    certificates = Certificate.objects.filter(participant__workshop=workshop).aggregate(
        issued=models.Count("pk"), revoked=models.Count("pk", filter=models.Q(revoked_at__isnull=False))
    )
    return FundersSummary(
        workshop=workshop,
        languages=workshop_languages(workshop),
        participants=len(people),
        by_sex=_counts([person["gender"] for person in people], dict(Gender.choices), unknown=gettext("Not stated")),
        by_region=_counts([person["region"] for person in people], dict(Region.choices), unknown=gettext("Not stated")),
        by_country=stated + [c for c in by_country if c not in stated],
        by_organisation=organisations,
        organisations_pooled=pooled,
        attendance=_attendance(workshop, people),
        certificates_issued=certificates["issued"],
        certificates_revoked=certificates["revoked"],
        evaluation={
            "evaluation": evaluation_summary(workshop=workshop),
            "knowledge": knowledge_summary(workshop=workshop),
        },
        status_labels=status_labels(),
    )
