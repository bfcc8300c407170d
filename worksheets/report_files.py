"""The feedback report's files, CSV and Excel, made by a background job with progress (`workshops.jobs`).

Same content as the report (`worksheets.report`): only worksheets shared anonymously or by name,
the author only when named, empty answers left out, an anonymous answer only from a slice with
enough anonymous sharers (`worksheets.anonymity`), in session, question, named-first, worksheet
order. Built in time linear in the answers, with a fixed number of queries: one aggregate counts
each slice's answers and anonymous sharers (what to withhold, and the progress's total), then one
query streams the answers as plain tuples, already in order, each turned into a row with no
lookup but in small dicts. The rule is checked again on what was read (the two statements may
see different data): a slice shown that has too few sharers by then makes the file again. At 3,000 participants (64,434 shown answers) the Excel took 47 s and
the CSV 6 s inside the request; see the README for today's figures.
`report_file_task`'s import path is stored in queued rows (django-tasks-db): keep it.
"""

import csv
import io
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime

from django.db.models import Count, F
from django.tasks import task
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from workshops.enums import Region
from workshops.jobs import JobFailed, JobProgress, JobResult, job_create, job_execute, task_enqueue
from workshops.models import BreakoutSession, Group, Job, LanguageMode, Workshop

from .anonymity import anonymous_sharers_enough
from .enums import SCALE_MAX, SCALE_MIN, QuestionKind, Sharing
from .report import (
    ReportFilters,
    author_of_named,
    report_answers_shared,
    report_groups,
    report_language_modes,
    report_questions,
    report_sessions,
)
from .xlsx import XlsxSheet, xlsx_workbook

REPORT_FILE_KINDS = (Job.Kind.REPORT_CSV, Job.Kind.REPORT_XLSX)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000  # answers read from the database at a time
PROGRESS_EVERY = 500  # rows between progress reports (each write is throttled by `JobProgress` anyway)
REPORT_FILE_ATTEMPTS = 3  # reads of the answers, when sharing changes under one (`ReportRowsChanged`)

# Spreadsheet programs run a cell that starts with one of these as a formula: participants' text
# must never become one on an organiser's laptop (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ReportRowsChanged(Exception):
    """Answers changed between the count of each slice and the read: a slice shown has too few sharers now."""


class ReportRows:
    """The report's rows for its files, read once: `answers()` streams, then `scales()` sums what it read.

    `total` (known before reading) is how many answers `answers()` reads, shown or withheld;
    `on_progress(done)` is called as they are read.
    """

    def __init__(self, *, workshop: Workshop, filters: ReportFilters, on_progress: Callable[[int], None] | None = None):
        self.workshop, self.filters, self.on_progress = workshop, filters, on_progress
        self.sessions = report_sessions(workshop=workshop, filters=filters)
        questions = report_questions(workshop=workshop)
        zone = zoneinfo.ZoneInfo(workshop.timezone)
        # Per (session, question) asked: what its rows repeat, in the active language.
        self.asked = {
            (s.pk, q.pk): (s.title, timezone.localtime(s.start, zone).replace(tzinfo=None), q.text, q.kind)
            for s in self.sessions
            for q in questions
            if q.session_id in (None, s.pk)
        }
        modes = {m.pk: m.name for m in report_language_modes(workshop=workshop)}
        self.group_of = {
            g.pk: (g.name, modes.get(g.room.language_mode_id, "")) for g in report_groups(workshop=workshop)
        }
        self.answers_query = report_answers_shared(workshop=workshop, filters=filters)
        self.withheld, self.total = self._slices()
        self.scale_counts: dict[tuple[int, int], Counter] = defaultdict(Counter)

    def _slices(self) -> tuple[set[tuple], int]:
        """The (session, group, region) slices whose anonymous answers are withheld, and how many answers to read."""
        counts = (
            self.answers_query.order_by()
            .values(
                session=F("worksheet__session_id"),
                group=F("worksheet__participant__group_id"),
                region=F("worksheet__participant__region"),
                sharing=F("worksheet__sharing"),
            )
            .annotate(answers=Count("pk"), sharers=Count("worksheet_id", distinct=True))
        )
        withheld, total = set(), 0
        for row in counts:
            total += row["answers"]
            if row["sharing"] == Sharing.ANONYMOUS and not anonymous_sharers_enough(row["sharers"]):
                withheld.add((row["session"], row["group"], row["region"]))
        return withheld, total

    @staticmethod
    def answer_headers() -> list[str]:
        return [
            gettext("Session"),
            gettext("Start"),
            gettext("Question"),
            gettext("Group"),
            gettext("Language mode"),
            gettext("Region"),
            gettext("Participant"),
            gettext("Answer"),
        ]

    def answers(self) -> Iterator[list]:
        """One row per shown answer, streamed from one query in the report's order."""
        rows = (
            self.answers_query.annotate(author=author_of_named())
            .order_by(
                "worksheet__session__start",
                "worksheet__session_id",
                "question__order",
                "question_id",
                F("worksheet__sharing").desc(),  # "named" before "anonymous"
                "worksheet_id",
            )
            .values_list(
                "worksheet__session_id",
                "question_id",
                "worksheet__sharing",
                "worksheet__participant__group_id",
                "worksheet__participant__region",
                "worksheet_id",
                "scale",
                "text",
                "author",
            )
        )
        regions = {code: str(label) for code, label in Region.choices}
        anonymous, nobody = gettext("anonymous"), ("", "")
        withheld, asked, group_of, counts = self.withheld, self.asked, self.group_of, self.scale_counts
        done = 0
        shown_sharers: dict[tuple, set[int]] = defaultdict(set)  # of each anonymous slice shown, as read
        for session_id, question_id, sharing, group_id, region, worksheet_id, scale, text, author in rows.iterator(
            CHUNK
        ):
            done += 1
            if self.on_progress and done % PROGRESS_EVERY == 0:
                self.on_progress(done)
            if sharing == Sharing.ANONYMOUS:
                if (session_id, group_id, region) in withheld:
                    continue
                shown_sharers[(session_id, group_id, region)].add(worksheet_id)
            key = (session_id, question_id)
            if key not in asked:
                continue  # a question this session does not ask
            title, start, question, kind = asked[key]
            group, mode = group_of.get(group_id, nobody)
            is_scale = kind == QuestionKind.SCALE
            if is_scale and scale is not None:
                counts[key][scale] += 1
            region_label = str(regions.get(region, region))
            yield [title, start, question, group, mode, region_label, author or anonymous, scale if is_scale else text]
        # The count and the read are two statements: someone who stopped sharing in between must not leave
        # a slice of fewer sharers shown. The rule again, on what was read (the caller starts again).
        if any(not anonymous_sharers_enough(len(sharers)) for sharers in shown_sharers.values()):
            raise ReportRowsChanged
        if self.on_progress:
            self.on_progress(done)

    def scale_headers(self) -> list[str]:
        values = [str(v) for v in range(SCALE_MIN, SCALE_MAX + 1)]
        return [gettext("Session"), gettext("Question"), *values, gettext("Answers"), gettext("Mean")]

    def scales(self) -> list[list]:
        """One row per scale question and session: the count of each value, the total and the mean (after `answers`)."""
        rows = []
        for (session_id, question_id), (title, _start, question, kind) in self.asked.items():
            if kind != QuestionKind.SCALE:
                continue
            counts = self.scale_counts[(session_id, question_id)]
            answers = sum(counts.values())
            mean = round(sum(v * n for v, n in counts.items()) / answers, 1) if answers else None
            rows.append([title, question, *[counts[v] for v in range(SCALE_MIN, SCALE_MAX + 1)], answers, mean])
        return rows


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_csv(*, rows: ReportRows) -> bytes:
    """The shown answers as CSV: UTF-8 with a byte-order mark, so spreadsheets read accents right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(rows.answer_headers())
    repeated: dict = {}  # each value rows repeat (session, start, question, group...) made safe once
    for row in rows.answers():
        cells = []
        for value in row[:7]:
            cell = repeated.get(value)
            if cell is None:
                cell = repeated[value] = _csv_cell(value)
            cells.append(cell)
        cells.append(_csv_cell(row[7]))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def report_xlsx(*, rows: ReportRows) -> bytes:
    """The shown answers and the scale counts as an Excel workbook (two sheets), written in one pass."""

    def scales():  # run once the answers are all written, and so counted
        yield from rows.scales()

    return xlsx_workbook(
        [
            XlsxSheet(title=gettext("Answers"), headers=rows.answer_headers(), rows=rows.answers()),
            XlsxSheet(title=gettext("Scales"), headers=rows.scale_headers(), rows=scales()),
        ]
    )


# --- The job ----------------------------------------------------------------------------------------


def _filters_params(filters: ReportFilters) -> dict:
    return {
        "group": filters.group_id,
        "language_mode": filters.language_mode_id,
        "region": filters.region,
        "session": filters.session_id,
    }


def report_file_job_start(*, workshop: Workshop, kind: str, filters: ReportFilters, user=None) -> Job:
    """Queue the report's CSV or Excel file (`Job.Kind.REPORT_CSV` / `REPORT_XLSX`) with these filters."""
    if kind not in REPORT_FILE_KINDS:
        raise ValueError(kind)
    job = job_create(workshop=workshop, kind=kind, user=user, params={"filters": _filters_params(filters)})
    task_enqueue(task=report_file_task, job_id=job.pk)
    return job


@task
def report_file_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=report_file_build).state


def _filters_of(job: Job) -> ReportFilters:
    """The job's filters, each still naming something of its workshop (else the job fails, saying so)."""
    params = job.params.get("filters") or {}
    filters = ReportFilters(
        group_id=params.get("group"),
        language_mode_id=params.get("language_mode"),
        region=params.get("region") or "",
        session_id=params.get("session"),
    )
    workshop = job.workshop
    gone = (
        (filters.group_id and not Group.objects.filter(workshop=workshop, pk=filters.group_id).exists())
        or (
            filters.language_mode_id
            and not LanguageMode.objects.filter(workshop=workshop, pk=filters.language_mode_id).exists()
        )
        or (
            filters.session_id and not BreakoutSession.objects.filter(workshop=workshop, pk=filters.session_id).exists()
        )
    )
    if gone:
        raise JobFailed(
            gettext(
                "A group, language mode or session this file was filtered by no longer exists: choose the filters again."
            )
        )
    return filters


def report_file_build(job: Job, progress: JobProgress) -> JobResult:
    """The job's work: the file, reporting answers read of answers to read (made again if answers changed meanwhile)."""
    filters, name = _filters_of(job), f"{slugify(job.workshop.slug)}-feedback"
    for _attempt in range(REPORT_FILE_ATTEMPTS):
        rows = ReportRows(workshop=job.workshop, filters=filters, on_progress=progress)
        progress(0, rows.total)
        try:
            if job.kind == Job.Kind.REPORT_CSV:
                content, extension, content_type = report_csv(rows=rows), "csv", "text/csv; charset=utf-8"
            else:
                content, extension, content_type = report_xlsx(rows=rows), "xlsx", XLSX
        except ReportRowsChanged:
            continue
        return JobResult(content=content, name=f"{name}.{extension}", content_type=content_type)
    raise JobFailed(gettext("Participants changed what they share while this file was being made: start it again."))
