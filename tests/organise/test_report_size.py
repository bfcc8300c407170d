"""The feedback report at a Council session's size: exports written in one pass, the page by session and question.

Timing is measured by the benchmark; these tests pin what makes the time linear (no per-row scan
of the workbook) and what keeps the page's size bounded by what it shows (summaries of every
answer, the text of a few), without losing anonymity or any answer: every one is reachable.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet as OpenpyxlWorksheet

from tests import factories as f
from worksheets import report_page
from worksheets.enums import QuestionKind, Sharing
from worksheets.report import ReportFilters
from worksheets.report_files import ReportRows, report_xlsx
from worksheets.report_page import REPORT_ANSWERS_LISTED

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
    content = report_xlsx(rows=ReportRows(workshop=workshop, filters=ReportFilters()))
    assert max_row_reads == []
    answers = list(load_workbook(io.BytesIO(content))["Answers"].iter_rows(values_only=True))
    assert len(answers) == 1 + 60
    assert [row[7] for row in answers[1:31]] == [f"An answer {i:03}" for i in range(30)]
    assert [row[7] for row in answers[31:]] == [1 + i % 5 for i in range(30)]


def test_report_xlsx_keeps_its_formatting():
    """Bold frozen headers, wrapped multi-line answers, dates shown to the minute, columns sized to their text."""
    workshop = f.workshop()
    shared(workshop, people=2, text="First line\nsecond line of a longer answer")
    workbook = load_workbook(io.BytesIO(report_xlsx(rows=ReportRows(workshop=workshop, filters=ReportFilters()))))
    sheet = workbook["Answers"]
    assert sheet.freeze_panes == "A2"
    assert [cell.font.bold for cell in sheet[1]] == [True] * 8
    assert sheet["H2"].alignment.wrap_text is True
    assert sheet["H2"].data_type == "s"
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.column_dimensions["H"].width == len("First line\nsecond line of a longer answer 000") + 2
    assert sheet.column_dimensions["D"].width == 8  # a one-letter group: the narrowest column
    assert workbook["Scales"].freeze_panes == "A2"


def page_of(client, workshop, query=""):
    response = client.get(reverse("organise:report", args=[workshop.slug]) + query)
    assert response.status_code == 200
    return response


def test_report_page_lists_the_first_answers_and_counts_every_one(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    session, substance, useful = shared(workshop, people=30)
    client.force_login(organiser)
    page = page_of(client, workshop).content.decode()
    assert [i for i in range(30) if f"An answer {i:03}" in page] == list(range(REPORT_ANSWERS_LISTED))
    assert "30 answers" in page  # the summary counts all of them
    assert page.count('class="report-bar-fill" x="0" y="0" width="20"') == 5  # 6 of 30 for each value
    assert "30 answers, mean 3.0 out of 5" in page
    more = f"?session={session.pk}&amp;question={substance.pk}"
    assert more in page and "Show all 30 answers" in page


def test_report_question_page_reads_every_answer_page_by_page(client, organiser, monkeypatch):
    monkeypatch.setattr(report_page, "REPORT_ANSWERS_PER_PAGE", 25)
    workshop = f.workshop(organisers=[organiser])
    session, substance, useful = shared(workshop, people=30)
    client.force_login(organiser)
    query = f"?session={session.pk}&question={substance.pk}"
    first = page_of(client, workshop, query).content.decode()
    second = page_of(client, workshop, query + "&page=2").content.decode()
    assert [i for i in range(30) if f"An answer {i:03}" in first] == list(range(25))
    assert [i for i in range(30) if f"An answer {i:03}" in second] == list(range(25, 30))
    assert "How useful was it?" not in first  # only the question asked for
    assert "page=2" in first and "Page 1 of 2" in first
    beyond = page_of(client, workshop, query + "&page=99").content.decode()
    assert "An answer 029" in beyond  # the last page, not an error


def test_report_page_size_grows_with_what_it_lists_not_with_the_answers(client, organiser):
    client.force_login(organiser)
    sizes = []
    for people in (25, 75):
        workshop = f.workshop(organisers=[organiser], slug=f"size-{people}")
        shared(workshop, people=people)
        sizes.append(len(page_of(client, workshop).content))
    assert abs(sizes[1] - sizes[0]) < 100


def test_report_page_says_anonymous_answers_count_even_when_not_listed(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    session, substance, useful = shared(workshop, people=REPORT_ANSWERS_LISTED)  # named ones come first
    group = f.group(workshop, name="B")
    for index in range(3):
        worksheet = f.worksheet(f.participant(workshop, group=group), session, sharing=Sharing.ANONYMOUS)
        f.answer(worksheet, substance, text=f"Unlisted anonymous {index}")
    client.force_login(organiser)
    response = page_of(client, workshop)
    assert "Unlisted anonymous" not in response.content.decode()
    assert response.context["report"].sessions[0].anonymous_shown is True
    assert "data-anonymous-withheld" not in response.content.decode()


def test_report_question_page_queries_constant(client, organiser):
    client.force_login(organiser)
    counts = []
    for people in (3, 40):
        workshop = f.workshop(organisers=[organiser], slug=f"queries-{people}")
        session, substance, useful = shared(workshop, people=people)
        page_of(client, workshop)
        with CaptureQueriesContext(connection) as ctx:
            page_of(client, workshop, f"?session={session.pk}&question={substance.pk}&page=1")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_report_session_filter_selects_one_session_on_the_page_and_in_the_downloads(client, organiser, report_file):
    workshop = f.workshop(organisers=[organiser])
    first, substance, useful = shared(workshop, people=2, text="Morning")
    afternoon = f.session(workshop, title="Afternoon", start_hour=15)
    worksheet = f.worksheet(f.participant(workshop, name="Late"), afternoon, sharing=Sharing.NAMED)
    f.answer(worksheet, substance, text="Afternoon answer")
    client.force_login(organiser)
    response = page_of(client, workshop, f"?session={afternoon.pk}")
    assert [s.session for s in response.context["report"].sessions] == [afternoon]
    assert "Afternoon answer" in response.content.decode() and "Morning 000" not in response.content.decode()
    csv_text = report_file(reverse("organise:report_csv", args=[workshop.slug]) + f"?session={afternoon.pk}").content
    assert b"Afternoon answer" in csv_text and b"Morning" not in csv_text
    stranger = f.session(f.workshop(), title="Elsewhere")
    assert client.get(reverse("organise:report", args=[workshop.slug]) + f"?session={stranger.pk}").status_code == 400


def test_report_pages_in_spanish_and_french(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    shared(workshop, people=REPORT_ANSWERS_LISTED + 1)
    client.force_login(organiser)
    address = reverse("organise:report", args=[workshop.slug])
    spanish = client.get("/es" + address).content.decode()
    french = client.get("/fr" + address).content.decode()
    assert "Mostrar las 21 respuestas" in spanish and "Todas las sesiones" in spanish
    assert "Afficher les 21 réponses" in french and "Toutes les sessions" in french
