"""The feedback report as a page: every count, share and mean, the text of a few answers per question.

At a Council session a workshop holds tens of thousands of shared answers: the page summarises
all of them (answers per question, the scale's bars and mean) and lists the text of the first
`REPORT_ANSWERS_LISTED` per question, the rest read page by page, one question at a time. Its
size grows with what it lists, not with the workshop, and the answers' text is read only for
those listed. Anonymity is the report's own (`worksheets.report`, `worksheets.anonymity`): the
same rows are withheld before anything is counted or listed.
"""

from collections import defaultdict

from django.core.paginator import Paginator

from workshops.models import Group, LanguageMode, Workshop

from .enums import Sharing
from .models import Answer, Question
from .report import (
    FeedbackReport,
    QuestionReport,
    ReportFilters,
    SessionReport,
    author_of_named,
    report_entry,
    report_questions,
    report_rows_shown,
    report_sessions,
)

REPORT_ANSWERS_LISTED = 20  # per question on the report's first page
REPORT_ANSWERS_PER_PAGE = 100  # when one question's answers are read page by page


def feedback_report_page(
    *,
    workshop: Workshop,
    filters: ReportFilters,
    groups: list[Group],
    language_modes: list[LanguageMode],
    questions: list[Question] | None = None,
    question_id: int | None = None,
    page: int | str | None = 1,
) -> FeedbackReport:
    """The report of `feedback_report`, every answer counted but only some listed.

    Guarantees: the same shown answers, counts, bars and means as `feedback_report`; the text
    and author of at most `REPORT_ANSWERS_LISTED` answers per text question, or, with
    `question_id`, only that question, its answers `REPORT_ANSWERS_PER_PAGE` at a time (page
    `page`, clamped to the pages there are). Three queries, four without `questions`.
    """
    sessions = report_sessions(workshop=workshop, filters=filters)
    questions = report_questions(workshop=workshop) if questions is None else questions
    if question_id:
        questions = [q for q in questions if q.pk == question_id]
    rows = report_rows_shown(workshop=workshop, filters=filters, texts=False)

    by_cell: dict[tuple[int, int], list[dict]] = defaultdict(list)
    worksheets: dict[int, set[int]] = defaultdict(set)
    anonymous: set[int] = set()
    for row in rows:
        by_cell[(row["session_id"], row["question_id"])].append(row)
        worksheets[row["session_id"]].add(row["worksheet_id"])
        if row["sharing"] == Sharing.ANONYMOUS:
            anonymous.add(row["session_id"])

    session_reports, listed = [], {}
    for session in sessions:
        question_reports = []
        for question in (q for q in questions if q.session_id in (None, session.pk)):
            cell = by_cell[(session.pk, question.pk)]
            report = QuestionReport(question=question, total=len(cell))
            if report.is_scale:
                report.values = [row["scale"] for row in cell if row["scale"] is not None]
            elif question_id:
                report.page = Paginator(cell, REPORT_ANSWERS_PER_PAGE).get_page(page)
                listed[(session.pk, question.pk)] = list(report.page.object_list)
            else:
                listed[(session.pk, question.pk)] = cell[:REPORT_ANSWERS_LISTED]
            question_reports.append(report)
        session_reports.append(
            SessionReport(
                session=session,
                questions=question_reports,
                shared_worksheets=len(worksheets[session.pk]),
                anonymous=session.pk in anonymous,
            )
        )

    # The texts and authors of the listed answers only; always one query, even for none (a constant count).
    pks = [row["pk"] for cell in listed.values() for row in cell]
    texts = {
        answer["pk"]: answer
        for answer in Answer.objects.filter(pk__in=pks or [0])
        .annotate(author=author_of_named())
        .values("pk", "text", "author")
    }
    group_of = {g.pk: g for g in groups}
    mode_of = {m.pk: m for m in language_modes}
    for session_report in session_reports:
        for report in session_report.questions:
            report.entries = [
                report_entry(
                    row,
                    text=texts[row["pk"]]["text"],
                    author=texts[row["pk"]]["author"],
                    group_of=group_of,
                    mode_of=mode_of,
                )
                for row in listed.get((session_report.session.pk, report.question.pk), [])
            ]
    return FeedbackReport(
        workshop=workshop, filters=filters, sessions=session_reports, groups=groups, language_modes=language_modes
    )
