"""An organiser prints a set of badges in Chromium: print media, a PDF of the right pages, a QR code that opens
the right person's link; room signs on landscape sheets; accessibility of the screen view."""

import io
import re
import unicodedata

import pytest
import zxingcpp
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import factories as f
from tests.browser.conftest import ARTIFACTS
from workshops.access import personal_link_check
from workshops.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = [
    "Lucía García",
    "Amadou Diallo",
    "Zoë Ångström",
    "Nguyễn Văn An",
    "Olusegun Adeyemi",
    "Marie-Hélène Dubois",
    "João Pereira",
    "Fatima Zahra",
    "Kofi Mensah",
    "Ana Martínez",
]
A4 = (595, 842)  # points


@pytest.fixture
def world():
    organiser = f.user(username="printer")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    c = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C"))
    d = f.group(workshop, name="D", room_obj=f.room(workshop, name="Room D"))
    f.session(workshop, title="Migration and Labour", start_hour=11)
    f.session(workshop, title="Counter-Trafficking", start_hour=15, section=f.section("3.12"))
    for index, name in enumerate(NAMES):
        f.participant(workshop, name=name, group=c if index % 2 else d, country="SN")
    return {"organiser": organiser, "workshop": workshop}


def log_in(page, live_server, path):
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill("printer")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + path)
    page.wait_for_load_state("load")  # every stylesheet in, or the print layout would be the screen's


def text_of(pdf_page) -> str:
    """The page's text as a reader sees it (ligatures such as "ﬃ" unfolded)."""
    return " ".join(unicodedata.normalize("NFKC", pdf_page.extract_text()).split())


def pdf_pages(page, name: str) -> list:
    """Print the page as Chromium does, keep the PDF under test-artifacts/, and read it back."""
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    reader = PdfReader(io.BytesIO(page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), prefer_css_page_size=True)))
    page.emulate_media(media="screen")
    return reader.pages


def test_printing_a_set_of_badges(live_server, page, world, screenshot, axe_check):
    page.set_viewport_size({"width": 1280, "height": 900})
    badges = reverse("organise:badges", args=[world["workshop"].slug])
    log_in(page, live_server, badges)
    expect(page.locator(".badge-card")).to_have_count(10)
    screenshot("badges-1280")
    axe_check()

    # One click prints the whole set (the dialog itself is the browser's: stand in for it).
    page.evaluate("window.print = () => { window.printRequested = true; }")
    page.get_by_role("button", name="Print the whole set").click()
    assert page.evaluate("window.printRequested") is True

    # Printed: eight badges to an A4 sheet, so two sheets, with every name and nothing of the screen page.
    pages = pdf_pages(page, "badges")
    assert len(pages) == 2
    assert [tuple(round(v) for v in p.mediabox.upper_right) for p in pages] == [A4, A4]
    texts = [text_of(p) for p in pages]
    for name in NAMES:
        assert sum(name in text for text in texts) == 1, name
    assert "Print the whole set" not in "".join(texts)
    assert sum(text.count("Senegal") for text in texts) == 10

    # The QR code on a badge opens that participant's own personal link.
    card = page.locator(".badge-card").nth(3)
    participant = Participant.objects.get(pk=card.get_attribute("data-participant"))
    image = Image.open(io.BytesIO(card.screenshot()))
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text.startswith(live_server.url + "/link/")
    person, problem = personal_link_check(token=result.text.rstrip("/").rsplit("/", 1)[-1])
    assert (person, problem) == (participant, None)

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("badges-390")
    axe_check()


def test_room_signs_print_one_per_landscape_sheet(live_server, page, world, axe_check):
    signs = reverse("organise:room_signs", args=[world["workshop"].slug])
    log_in(page, live_server, signs)
    axe_check()
    pages = pdf_pages(page, "room-signs")
    assert len(pages) == 4  # two sessions in two rooms
    assert {tuple(round(v) for v in p.mediabox.upper_right) for p in pages} == {(A4[1], A4[0])}
    assert "Room C" in text_of(pages[0]) and "Counter-Trafficking" in text_of(pages[3])


def test_feedback_report_screen_and_print(live_server, page, world, screenshot, axe_check, settings):
    from worksheets.enums import QuestionKind, Sharing

    # The page and its printing are under test; the anonymity threshold is tested in test_report_anonymity.py.
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1

    workshop = world["workshop"]
    session = workshop.sessions.get(title="Counter-Trafficking")
    text = f.question(workshop, text="Your response in substance")
    scale = f.question(workshop, text="How useful?", kind=QuestionKind.SCALE)
    for index, person in enumerate(workshop.participants.order_by("pk")):
        sharing = [Sharing.PRIVATE, Sharing.ANONYMOUS, Sharing.NAMED][index % 3]
        worksheet = f.worksheet(person, session, sharing=sharing)
        f.answer(worksheet, text, text=f"Thought number {index}")
        f.answer(worksheet, scale, scale=1 + index % 5)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, reverse("organise:report", args=[workshop.slug]))
    expect(page.locator(".report-answer")).to_have_count(6)
    expect(page.get_by_text("Thought number 0")).to_have_count(0)  # private
    screenshot("report-phone")
    axe_check()
    page.get_by_label("Group").select_option(label="Group C")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".report-answer")).to_have_count(3)
    pages = pdf_pages(page, "report")
    assert len(pages) == 2  # one session per sheet
    assert "Thought number 1" in text_of(pages[1]) and "Print" not in text_of(pages[1])

    # The Excel file of that selection: a POST, then the job's page with its download (the job runs as the request commits).
    page.get_by_role("button", name="Make an Excel file").click()
    expect(page.get_by_role("heading", name="Feedback report (Excel)")).to_be_visible()
    download_link = page.get_by_role("link", name=re.compile("^Download"))
    expect(download_link).to_be_visible()
    axe_check()
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == f"{workshop.slug}-feedback.xlsx"
    with open(download.value.path(), "rb") as file:
        answers = load_workbook(io.BytesIO(file.read()))["Answers"]
    assert [row[6] for row in answers.iter_rows(min_row=2, values_only=True)].count("anonymous") >= 1
    assert {row[3] for row in answers.iter_rows(min_row=2, values_only=True)} == {"C"}
