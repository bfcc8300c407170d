"""The feedback report: only shared answers, names only when named, filters, CSV and Excel, access, queries."""

import csv
import io
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from worksheets.enums import QuestionKind, Sharing
from worksheets.models import Worksheet
from worksheets.report import Entry, feedback_report
from workshops.enums import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_anonymous_sharer_is_shown(settings):
    """These tests are about what is shared and by whom; the anonymity threshold is tested in test_report_anonymity.py."""
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    tri = f.language_mode(workshop, name="Tri-lingual")
    english = f.language_mode(workshop, languages=("en",), name="English only")
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", mode=tri))
    d = f.group(workshop, name="D", room_obj=f.room(workshop, name="Room D", mode=english))
    labour = f.session(workshop, title="Migration and Labour", start_hour=11)
    trafficking = f.session(workshop, title="Counter-Trafficking", start_hour=15, section=f.section("3.12"))
    substance = f.question(workshop, text="Response in substance", order=1)
    useful = f.question(workshop, text="How useful was it?", order=2, kind=QuestionKind.SCALE)
    victims = f.question(workshop, text="Who protects victims?", order=3, session=trafficking)

    # First what must never show: a private worksheet, and an anonymous author's name.
    pat = f.participant(workshop, name="Pat Private", group=a, region=Region.AMERICAS)
    private = f.worksheet(pat, trafficking, sharing=Sharing.PRIVATE)
    f.answer(private, substance, text="Private secret")
    f.answer(private, useful, scale=1)
    f.answer(private, victims, text="Private about victims")

    alex = f.participant(workshop, name="Alex Anonymous", group=d, region=Region.EUROPE, country="FR")
    anonymous = f.worksheet(alex, trafficking, sharing=Sharing.ANONYMOUS)
    f.answer(anonymous, substance, text="Anonymous insight")
    f.answer(anonymous, useful, scale=3)
    f.answer(anonymous, victims, text="")  # empty: left out

    nadia = f.participant(workshop, name="Nadia Named", group=a, region=Region.AMERICAS)
    named = f.worksheet(nadia, trafficking, sharing=Sharing.NAMED)
    f.answer(named, substance, text="Named insight\nsecond line")
    f.answer(named, useful, scale=5)
    f.answer(named, victims, text="Named about victims")
    f.answer(f.worksheet(nadia, labour, sharing=Sharing.PRIVATE), substance, text="Private on labour")
    return {
        "workshop": workshop,
        "tri": tri,
        "english": english,
        "a": a,
        "d": d,
        "labour": labour,
        "trafficking": trafficking,
        "substance": substance,
        "useful": useful,
        "victims": victims,
    }


def url(world, name="report", query=""):
    return reverse(f"organise:{name}", args=[world["workshop"].slug]) + (f"?{query}" if query else "")


def entries(report, session, question):
    session_report = next(s for s in report.sessions if s.session == session)
    return next(q for q in session_report.questions if q.question == question).entries


NAMED_TEXT = Entry(
    text="Named insight\nsecond line",
    scale=None,
    author="Nadia Named",
    group="A",
    language_mode="Tri-lingual",
    region="Americas",
)
ANONYMOUS_TEXT = Entry(
    text="Anonymous insight", scale=None, author=None, group="D", language_mode="English only", region="Europe"
)


def test_report_holds_only_shared_answers_and_names_only_when_named(world):
    report = feedback_report(workshop=world["workshop"])
    assert [s.session for s in report.sessions] == [world["labour"], world["trafficking"]]
    assert entries(report, world["trafficking"], world["substance"]) == [NAMED_TEXT, ANONYMOUS_TEXT]
    assert entries(report, world["trafficking"], world["victims"]) == [
        Entry(
            text="Named about victims",
            scale=None,
            author="Nadia Named",
            group="A",
            language_mode="Tri-lingual",
            region="Americas",
        )
    ]
    assert entries(report, world["labour"], world["substance"]) == []
    assert [s.shared_worksheets for s in report.sessions] == [0, 2]
    assert report.answer_count == 5


def test_report_asks_session_questions_only_in_their_session(world):
    report = feedback_report(workshop=world["workshop"])
    labour, trafficking = report.sessions
    assert [q.question for q in labour.questions] == [world["substance"], world["useful"]]
    assert [q.question for q in trafficking.questions] == [world["substance"], world["useful"], world["victims"]]


def test_report_counts_shared_scale_answers(world):
    report = feedback_report(workshop=world["workshop"])
    useful = next(q for q in report.sessions[1].questions if q.question == world["useful"])
    assert [(bar.value, bar.count, bar.percent) for bar in useful.bars] == [
        (1, 0, 0),
        (2, 0, 0),
        (3, 1, 50),
        (4, 0, 0),
        (5, 1, 50),
    ]
    assert useful.mean == 4.0


def test_report_page_shows_shared_answers_and_hides_the_rest(client, organiser, world):
    client.force_login(organiser)
    response = client.get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Named insight<br>second line", "Anonymous insight", "Named about victims", "Nadia Named"):
        assert text in page
    for text in ("Private secret", "Private about victims", "Private on labour", "Pat Private", "Alex Anonymous"):
        assert text not in page
    assert page.count('class="report-bar-fill" x="0" y="0" width="50"') == 2  # the values 3 and 5
    assert "2 answers, mean 4.0 out of 5" in page
    assert "style=" not in page  # the CSP forbids inline styles


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("group={a}", [NAMED_TEXT]),
        ("group={d}", [ANONYMOUS_TEXT]),
        ("language_mode={tri}", [NAMED_TEXT]),
        ("language_mode={english}", [ANONYMOUS_TEXT]),
        ("region=europe", [ANONYMOUS_TEXT]),
        ("region=americas&group={d}", []),
        ("group=&language_mode=&region=", [NAMED_TEXT, ANONYMOUS_TEXT]),
    ],
)
def test_report_filters(client, organiser, world, query, expected):
    query = query.format(**{key: world[key].pk for key in ("a", "d", "tri", "english")})
    client.force_login(organiser)
    response = client.get(url(world, query=query))
    assert response.status_code == 200
    assert entries(response.context["report"], world["trafficking"], world["substance"]) == expected


def test_report_filters_refuse_another_workshops_group(client, organiser, world):
    stranger = f.group(f.workshop(), name="Z")
    client.force_login(organiser)
    response = client.get(url(world, query=f"group={stranger.pk}"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Named insight" not in response.content.decode()
    assert client.get(url(world, "report_csv", query=f"group={stranger.pk}")).status_code == 400
    assert client.get(url(world, "report_xlsx", query="region=mars")).status_code == 400


@pytest.mark.parametrize("name", ["report_csv", "report_xlsx"])
@pytest.mark.parametrize("field", ["group", "region", "language_mode"])
def test_report_download_with_markup_in_a_filter_is_plain_text(client, organiser, world, name, field):
    client.force_login(organiser)
    response = client.get(url(world, name, query=f"{field}=%3Cscript%3Ealert(1)%3C/script%3E"))
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "Select a valid choice. <script>alert(1)</script> is not one of the available choices."
    )


def test_report_filter_form_lists_this_workshops_choices(client, organiser, world):
    f.group(f.workshop(), name="Stranger group")
    client.force_login(organiser)
    form = client.get(url(world)).context["form"]
    assert [label for _value, label in form.fields["group"].choices] == ["All groups", "Group A", "Group D"]
    assert [label for _value, label in form.fields["language_mode"].choices] == [
        "All language modes",
        "Tri-lingual",
        "English only",
    ]


EXPECTED_ROWS = [
    ["Counter-Trafficking", "2030-09-27 15:00", "Response in substance", "A", "Tri-lingual", "Americas", "Nadia Named"],
    ["Counter-Trafficking", "2030-09-27 15:00", "Response in substance", "D", "English only", "Europe", "anonymous"],
    ["Counter-Trafficking", "2030-09-27 15:00", "How useful was it?", "A", "Tri-lingual", "Americas", "Nadia Named"],
    ["Counter-Trafficking", "2030-09-27 15:00", "How useful was it?", "D", "English only", "Europe", "anonymous"],
    ["Counter-Trafficking", "2030-09-27 15:00", "Who protects victims?", "A", "Tri-lingual", "Americas", "Nadia Named"],
]
EXPECTED_ANSWERS = ["Named insight\nsecond line", "Anonymous insight", "5", "3", "Named about victims"]
HEADERS = ["Session", "Start", "Question", "Group", "Language mode", "Region", "Participant", "Answer"]


def test_report_csv_parses_back(client, organiser, world, report_file):
    client.force_login(organiser)
    response = report_file(url(world, "report_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{world["workshop"].slug}-feedback.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [HEADERS] + [row + [answer] for row, answer in zip(EXPECTED_ROWS, EXPECTED_ANSWERS, strict=True)]
    assert b"Private" not in response.content and b"Alex Anonymous" not in response.content


def test_report_csv_follows_the_filters(client, organiser, world, report_file):
    client.force_login(organiser)
    response = report_file(url(world, "report_csv", query=f"group={world['d'].pk}"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[6] for row in rows[1:]] == ["anonymous", "anonymous"]


def test_report_xlsx_parses_back(client, organiser, world, report_file):
    client.force_login(organiser)
    response = report_file(url(world, "report_xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Answers", "Scales"]
    answers = [list(row) for row in workbook["Answers"].iter_rows(values_only=True)]
    start = datetime(2030, 9, 27, 15, 0)
    expected = [
        [row[0], start, *row[2:], answer]
        for row, answer in zip(
            EXPECTED_ROWS, ["Named insight\nsecond line", "Anonymous insight", 5, 3, "Named about victims"], strict=True
        )
    ]
    assert answers == [HEADERS] + expected
    scales = [list(row) for row in workbook["Scales"].iter_rows(values_only=True)]
    assert scales == [
        ["Session", "Question", "1", "2", "3", "4", "5", "Answers", "Mean"],
        ["Migration and Labour", "How useful was it?", 0, 0, 0, 0, 0, 0, None],
        ["Counter-Trafficking", "How useful was it?", 0, 0, 1, 0, 1, 2, 4],
    ]


def test_report_exports_never_turn_answers_into_formulas(client, organiser, world, report_file):
    sam = f.participant(world["workshop"], name="Sam", group=world["a"])
    shared = f.worksheet(sam, world["labour"], sharing=Sharing.ANONYMOUS)
    f.answer(shared, world["substance"], text='=HYPERLINK("http://evil.example","click")')
    client.force_login(organiser)
    rows = list(csv.reader(io.StringIO(report_file(url(world, "report_csv")).content.decode("utf-8-sig"))))
    assert rows[1][7] == '\'=HYPERLINK("http://evil.example","click")'
    sheet = load_workbook(io.BytesIO(report_file(url(world, "report_xlsx")).content))["Answers"]
    assert sheet["H2"].value == '=HYPERLINK("http://evil.example","click")'
    assert sheet["H2"].data_type == "s"


def test_report_in_spanish_uses_translated_questions_and_sessions(client, organiser, world):
    world["substance"].text_es = "Respuesta en cuanto al fondo"
    world["substance"].save()
    world["trafficking"].title_es = "Lucha contra la trata"
    world["trafficking"].save()
    client.force_login(organiser)
    page = client.get("/es" + url(world)).content.decode()
    assert "Respuesta en cuanto al fondo" in page and "Lucha contra la trata" in page


@pytest.mark.parametrize("name", ["report", "report_csv", "report_xlsx"])
def test_report_is_404_for_another_workshops_organiser(client, other_organiser, world, name):
    client.force_login(other_organiser)
    response = client.get(url(world, name))
    assert response.status_code == 404
    assert b"Named insight" not in response.content


@pytest.mark.parametrize("name", ["report", "report_csv", "report_xlsx"])
def test_report_requires_staff_login(client, world, name):
    response = client.get(url(world, name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def shared_workshop(organiser, *, participants, groups, sessions):
    """A populated workshop where every other worksheet is shared (half named), with a scale question."""
    workshop = f.populated_workshop(
        participants=participants, groups=groups, sessions=sessions, facilitators=2, organisers=[organiser]
    )
    scale = f.question(workshop, kind=QuestionKind.SCALE)
    for index, worksheet in enumerate(Worksheet.objects.filter(session__workshop=workshop).order_by("pk")):
        worksheet.sharing = [Sharing.PRIVATE, Sharing.ANONYMOUS, Sharing.NAMED][index % 3]
        worksheet.save()
        f.answer(worksheet, scale, scale=1 + index % 5)
    return workshop


@pytest.mark.parametrize("name", ["report", "report_csv", "report_xlsx"])
def test_report_queries_constant(client, organiser, name):
    client.force_login(organiser)
    small = shared_workshop(organiser, participants=3, groups=1, sessions=1)
    large = shared_workshop(organiser, participants=40, groups=5, sessions=3)
    group = large.groups.first()

    def count(workshop, query=""):
        address = reverse(f"organise:{name}", args=[workshop.slug]) + query
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(address)
            assert response.status_code == 200
        return len(ctx.captured_queries), response

    count(small)
    small_count, _response = count(small)
    large_count, response = count(large)
    assert large_count == small_count
    filtered_count, _response = count(large, f"?group={group.pk}&region=americas")
    assert filtered_count == small_count
    if name == "report":
        assert response.context["report"].answer_count == 2 * (40 * 3 * 2) // 3
