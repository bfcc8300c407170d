"""The report-back plenary: every group's summary of a session side by side, for the organisers only; files."""

import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override
from pypdf import PdfReader

from organise.erasure import participant_erase
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import GroupSummary

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    organiser = f.user(username="organiser")
    workshop = f.workshop(organisers=[organiser], timezone="Asia/Tokyo")
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    c = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C"))
    session = f.session(workshop, title="Labour", start_hour=11)
    other_session = f.session(workshop, title="Counter-Trafficking", start_hour=15)
    ana = f.participant(workshop, name="Ana", group=a)
    bo = f.participant(workshop, name="Bo", group=b)
    GroupSummary.objects.create(
        session=session, group=a, rapporteur=ana, text="=SUM(A1)\nLabour mobility needs bilateral agreements."
    )
    GroupSummary.objects.create(session=session, group=b, rapporteur=bo, text="Résumé: recruitment agencies.")
    GroupSummary.objects.create(session=other_session, group=a, text="Afternoon only")
    question = f.question(workshop, text="Response in substance")
    f.answer(f.worksheet(ana, session, sharing=Sharing.NAMED), question, text="Ana's personal worksheet answer")
    return {"organiser": organiser, "workshop": workshop, "session": session, "a": a, "b": b, "c": c, "bo": bo}


def _url(name, world, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": world["workshop"].slug, **kwargs})


def test_projector_page_shows_every_group_side_by_side_and_no_worksheet(client, world):
    client.force_login(world["organiser"])
    page = client.get(_url("report_back", world, session_id=world["session"].pk)).content.decode()
    for text in ("Group A", "Room A", "Rapporteur: Ana", "Labour mobility needs bilateral agreements.", "Group C"):
        assert text in page
    assert "No summary yet." in page and "No rapporteur yet" in page  # group C
    assert "Afternoon only" not in page  # another session's
    assert "personal worksheet answer" not in page
    assert page.index("Group A") < page.index("Group B") < page.index("Group C")
    assert "data-fullscreen" in page and "report_back.css" in page and 'data-refresh="20"' in page
    assert "18:00" in page and "–20:00" in page and "11:00" not in page  # 11:00–13:00 in Zurich, on Tokyo's clock


def test_index_links_each_session_with_its_count(client, world):
    client.force_login(world["organiser"])
    page = client.get(_url("report_back_index", world)).content.decode()
    assert _url("report_back", world, session_id=world["session"].pk) in page
    assert "2 summaries written" in page and "1 summary written" in page
    board = client.get(_url("board", world)).content.decode()
    assert _url("report_back_index", world) in board  # in the organisers' navigation


def test_csv_export_reads_back(client, world):
    client.force_login(world["organiser"])
    response = client.get(_url("report_back_export", world, session_id=world["session"].pk, fmt="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Group", "Room", "Rapporteur", "Summary"],
        ["A", "Room A", "Ana", "'=SUM(A1)\nLabour mobility needs bilateral agreements."],
        ["B", "Room B", "Bo", "Résumé: recruitment agencies."],
        ["C", "Room C", "", ""],
    ]


def test_xlsx_export_reads_back(client, world):
    openpyxl = pytest.importorskip("openpyxl")
    client.force_login(world["organiser"])
    response = client.get(_url("report_back_export", world, session_id=world["session"].pk, fmt="xlsx"))
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Labour"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Group", "Room", "Rapporteur", "Summary"],
        ["A", "Room A", "Ana", "=SUM(A1)\nLabour mobility needs bilateral agreements."],
        ["B", "Room B", "Bo", "Résumé: recruitment agencies."],
        ["C", "Room C", None, None],
    ]


def test_pdf_export_reads_back_on_the_workshops_clock(client, world):
    client.force_login(world["organiser"])
    with override("fr"):
        url = _url("report_back_export", world, session_id=world["session"].pk, fmt="pdf")
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = "\n".join(page.extract_text() for page in pages).replace("\u00a0", " ")  # as extracted, or not
    for expected in ("Restitution", "Labour", "Groupe A · Room A", "Rapporteur : Ana", "bilateral agreements"):
        assert expected in text, expected
    assert "Résumé: recruitment agencies." in text and "Pas encore de synthèse." in text
    assert "18:00–20:00" in text  # 11:00–13:00 in Zurich, on Tokyo's clock
    assert "personal worksheet answer" not in text


def test_export_in_spanish_and_unknown_format(client, world):
    client.force_login(world["organiser"])
    with override("es"):
        url = _url("report_back_export", world, session_id=world["session"].pk, fmt="csv")
    header = client.get(url).content.decode("utf-8-sig").splitlines()[0]
    assert header == "Grupo,Sala,Relator,Resumen"
    assert client.get(_url("report_back_export", world, session_id=world["session"].pk, fmt="doc")).status_code == 404


def test_another_workshops_session_is_404(client, world):
    client.force_login(world["organiser"])
    elsewhere = f.session(f.workshop(organisers=[world["organiser"]]))
    assert client.get(_url("report_back", world, session_id=elsewhere.pk)).status_code == 404
    stranger = f.user(username="stranger")
    client.force_login(stranger)
    assert client.get(_url("report_back", world, session_id=world["session"].pk)).status_code == 404


def test_projector_page_queries_constant(client, world):
    client.force_login(world["organiser"])
    url = _url("report_back", world, session_id=world["session"].pk)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    workshop = world["workshop"]
    for index in range(6):
        group = f.group(workshop, name=f"Z{index}", room_obj=f.room(workshop))
        person = f.participant(workshop, group=group)
        GroupSummary.objects.create(session=world["session"], group=group, rapporteur=person, text=f"Summary {index}")
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "Summary 5" in page
    assert len(large) == len(small)


def test_erasing_a_participant_scrubs_their_name_from_the_summaries(world):
    bruno = f.participant(world["workshop"], name="Bruno Okafor", group=world["b"])
    summary = GroupSummary.objects.get(group=world["b"], session=world["session"])
    summary.text, summary.rapporteur = "Bruno Okafor presented the recruitment case.", bruno
    summary.save()
    participant_erase(participant=bruno)
    summary.refresh_from_db()
    assert (summary.text, summary.revision) == ("[erased] presented the recruitment case.", 1)
    assert summary.rapporteur == bruno  # the row is kept, its name erased
    bruno.refresh_from_db()
    assert "Bruno" not in bruno.name
