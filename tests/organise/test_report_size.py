"""The feedback report at a Council session's size: exports written in one pass, the page by session and question.

Timing is measured by the benchmark; these tests pin what makes the time linear (no per-row scan
of the workbook) and what keeps the page's size bounded by what it shows (summaries of every
answer, the text of a few), without losing anonymity or any answer: every one is reachable.
"""

import io

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet as OpenpyxlWorksheet

from tests import factories as f
from worksheets.enums import QuestionKind, Sharing
from worksheets.report import feedback_report, report_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_anonymous_sharer_is_shown(settings):
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1


def shared(workshop, *, people, session=None, text="An answer"):
    """`people` participants who each share a worksheet, named, answering the text and the scale questions."""
    session = session or f.session(workshop)
    substance = f.question(workshop, text="Response in substance", order=1)
    useful = f.question(workshop, text="How useful was it?", order=2, kind=QuestionKind.SCALE)
    group = f.group(workshop, name="A")
    for index in range(people):
        participant = f.participant(workshop, name=f"Person {index:03}", group=group)
        worksheet = f.worksheet(participant, session, sharing=Sharing.NAMED)
        f.answer(worksheet, substance, text=f"{text} {index:03}")
        f.answer(worksheet, useful, scale=1 + index % 5)
    return session, substance, useful


@pytest.fixture
def max_row_reads(monkeypatch):
    """How often the workbook's last row is looked up: openpyxl scans every cell to find it."""
    reads = []
    original = OpenpyxlWorksheet.max_row

    def counted(sheet):
        reads.append(1)
        return original.fget(sheet)

    monkeypatch.setattr(OpenpyxlWorksheet, "max_row", property(counted))
    return reads


def test_report_xlsx_never_scans_for_the_last_row(max_row_reads):
    """One lookup per row added made the Excel report quadratic (minutes at 3,000 participants)."""
    workshop = f.workshop()
    shared(workshop, people=30)
    content = report_xlsx(report=feedback_report(workshop=workshop))
    assert max_row_reads == []
    answers = list(load_workbook(io.BytesIO(content))["Answers"].iter_rows(values_only=True))
    assert len(answers) == 1 + 60
    assert [row[7] for row in answers[1:31]] == [f"An answer {i:03}" for i in range(30)]
    assert [row[7] for row in answers[31:]] == [1 + i % 5 for i in range(30)]


def test_report_xlsx_keeps_its_formatting():
    """Bold frozen headers, wrapped multi-line answers, dates shown to the minute, columns sized to their text."""
    workshop = f.workshop()
    shared(workshop, people=2, text="First line\nsecond line of a longer answer")
    workbook = load_workbook(io.BytesIO(report_xlsx(report=feedback_report(workshop=workshop))))
    sheet = workbook["Answers"]
    assert sheet.freeze_panes == "A2"
    assert [cell.font.bold for cell in sheet[1]] == [True] * 8
    assert sheet["H2"].alignment.wrap_text is True
    assert sheet["H2"].data_type == "s"
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.column_dimensions["H"].width == len("First line\nsecond line of a longer answer 000") + 2
    assert sheet.column_dimensions["D"].width == 8  # a one-letter group: the narrowest column
    assert workbook["Scales"].freeze_panes == "A2"
