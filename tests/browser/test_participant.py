"""A participant's whole journey in a real browser: link, language, worksheet, autosave under a
dropped connection and a reload, a conflict from a second tab, submit, PDF; accessibility."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from curriculum.models import SectionItem
from tests import factories as f
from worksheets.enums import QuestionKind, Sharing
from worksheets.models import Answer, Worksheet
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(
        title_en="Developing Capacity to Manage Migration",
        title_es="Desarrollo de la capacidad para gestionar la migración",
        start_date=today,
        end_date=today + timedelta(days=1),
    )
    section = f.section("3.12", title_en="Irregular Migration", title_es="Migración irregular")
    SectionItem.objects.create(
        section=section,
        kind="guiding_question",
        text_en="Who is trafficked, and how?",
        text_es="¿Quién es víctima de la trata y cómo?",
    )
    group = f.group(workshop, name="C")
    session = f.session(
        workshop, title_en="Counter-Trafficking", title_es="Lucha contra la trata de personas", section=section
    )
    question = f.question(
        workshop, text_en="What is your response to the substance?", text_es="¿Qué opina del contenido?"
    )
    f.question(workshop, text_en="How useful?", text_es="¿Qué utilidad tiene?", kind=QuestionKind.SCALE)
    participant = f.participant(workshop, name="Ana Martínez", group=group, preferred_language="en")
    return {"session": session, "question": question, "participant": participant}


def state(page):
    return page.locator("#save-state")


def ready(page):
    """The autosave script has started on this page."""
    expect(page.locator("form[data-autosave-url]")).to_have_attribute("data-ready", "true")


def answer_text(world) -> str:
    return Answer.objects.get(question=world["question"], worksheet__participant=world["participant"]).text


def test_participant_journey(live_server, page, world, screenshot, axe_check):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + personal_link_path(person=world["participant"]))
    assert "/link/" not in page.url  # the token does not stay in the address bar
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Martínez")

    # Switch to Spanish: the choice is remembered.
    page.get_by_role("button", name=re.compile("ES")).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Lucha contra la trata de personas")).to_be_visible()
    screenshot("my-day-phone-es")
    axe_check()

    page.get_by_role("link", name="Abrir mi hoja de trabajo").click()
    expect(page.get_by_text("¿Quién es víctima de la trata y cómo?")).to_be_visible()
    ready(page)
    textarea = page.get_by_label("¿Qué opina del contenido?").first
    textarea.fill("Primera idea")
    expect(state(page)).to_have_attribute("data-state", "saved")
    assert answer_text(world) == "Primera idea"
    page.get_by_text("4", exact=True).click()  # the 1–5 scale
    expect(state(page)).to_have_attribute("data-state", "saved")
    screenshot("worksheet-phone-es")
    axe_check()

    # Reload: the text is there.
    page.reload()
    ready(page)
    expect(textarea).to_have_value("Primera idea")

    # The connection drops: typing goes on, the page says so, and retries when it is back.
    page.context.set_offline(True)
    textarea.fill("Primera idea, escrita sin conexión")
    expect(state(page)).to_have_attribute("data-state", "offline")
    page.context.set_offline(False)
    expect(state(page)).to_have_attribute("data-state", "saved", timeout=15_000)
    assert answer_text(world) == "Primera idea, escrita sin conexión"

    # Unsent text survives a reload: saves are failing (the server is unreachable) when she reloads.
    page.route("**/autosave/", lambda route: route.abort())
    textarea.fill("Texto que aún no ha llegado")
    expect(state(page)).to_have_attribute("data-state", "offline")
    page.reload()
    ready(page)
    expect(textarea).to_have_value("Texto que aún no ha llegado")  # restored from the browser
    page.unroute("**/autosave/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(state(page)).to_have_attribute("data-state", "saved", timeout=15_000)
    assert answer_text(world) == "Texto que aún no ha llegado"

    # A second tab changes the same answer; the first tab, still on the old revision, is refused.
    other = page.context.new_page()
    other.goto(page.url)
    ready(other)
    other.get_by_label("¿Qué opina del contenido?").first.fill("Desde la otra pestaña")
    expect(other.locator("#save-state")).to_have_attribute("data-state", "saved")
    textarea.fill("Desde la primera pestaña")
    conflict = page.locator("fieldset.question").first.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Desde la otra pestaña")
    assert answer_text(world) == "Desde la otra pestaña"  # nothing overwritten silently
    conflict.get_by_role("button", name="Conservar la mía").click()
    expect(state(page)).to_have_attribute("data-state", "saved")
    assert answer_text(world) == "Desde la primera pestaña"
    other.close()

    # Submit, shared anonymously.
    page.get_by_label("Compartida con los organizadores, sin mi nombre").check()
    page.get_by_role("button", name="Enviar").click()
    expect(page.locator(".badge", has_text="Enviada")).to_be_visible()
    worksheet = Worksheet.objects.get(participant=world["participant"])
    assert (worksheet.status, worksheet.sharing) == ("submitted", Sharing.ANONYMOUS)

    # Take it home: the PDF has the answers.
    page.goto(live_server.url + "/es/me/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar mis hojas de trabajo (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Desde la primera pestaña" in text
    assert "Ana Martínez" in text


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_screens_at_phone_and_desktop_width(live_server, page, world, screenshot, axe_check, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + personal_link_path(person=world["participant"]))
    screenshot(f"my-day-{width}")
    axe_check()
    page.get_by_role("link", name="Open my worksheet").click()
    expect(page.locator("#save-state")).to_be_visible()
    screenshot(f"worksheet-{width}")
    axe_check()


def test_public_pages_are_accessible(live_server, page, world, axe_check):
    for path in ("/", "/fr/curriculum/", f"/es/workshops/{world['session'].workshop.slug}/"):
        page.goto(live_server.url + path)
        axe_check()
