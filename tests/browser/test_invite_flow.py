"""From nothing to invitations sent, in a real browser: an organiser sets up a Santiago workshop with a
Spanish-only room through the guided set-up, imports three participants from a small CSV, places
them with the solver from the board and applies it, previews the invitation in Spanish with their own
message, sends the invitations, and finds everyone sent on the people page. Every page it passes
answers without an error status or a console error, and passes axe-core."""

import re

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from tests import factories as f
from workshops.models import Invitation, Participant, Workshop

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "name,email,country,languages,preferred_language\n"
    "Camila Rojas,camila.rojas@example.cl,Chile,Spanish,es\n"
    "Mateo Fuentes,mateo.fuentes@example.cl,Chile,Spanish,es\n"
    "Valentina Soto,valentina.soto@example.pe,Peru,Spanish,es\n"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "Europe/Zurich", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def watched(page, live_server):
    """Every console error and every answer of ours with a status of 400 or more, as they happen."""
    problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console on {page.url}: {message.text[:90]}"),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def answered(response):
        if response.url.startswith(live_server.url) and response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    page.on("response", answered)
    return problems


def test_from_nothing_to_invitations_sent(live_server, page, settings, tmp_path, watched, screenshot, axe_check):
    organiser = f.user(username="santiago-organiser", email="organiser@example.cl")
    client = Client()
    client.force_login(organiser)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    def check(heading=None):
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        axe_check()
        assert watched == []

    # The guided set-up: details, a Spanish-only language mode, one room with its group, one session.
    page.goto(f"{live_server.url}/organise/")
    page.get_by_role("link", name="New workshop").first.click()
    page.locator('input[name="title_en"]').fill("Santiago 2031")
    page.locator('input[name="slug"]').fill("santiago-2031")
    page.locator('input[name="start_date"]').fill("2031-05-20")
    page.locator('input[name="end_date"]').fill("2031-05-21")
    page.locator('select[name="timezone"]').select_option("America/Santiago")
    check()
    page.get_by_role("button", name="Create the workshop").click()
    workshop = Workshop.objects.get(slug="santiago-2031")

    expect(page.locator("h2")).to_contain_text("Language modes")
    page.get_by_label("Spanish only").check()
    check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("1 language mode(s) added.")).to_be_visible()

    page.get_by_role("link", name="Next: rooms and groups").click()
    page.locator('input[name="name_en"]').fill("Sala A")
    page.locator('input[name="capacity"]').fill("20")
    page.locator('select[name="language_mode"]').select_option(label="Spanish only (Spanish)")
    page.locator('input[name="group_name"]').fill("A")
    page.get_by_role("button", name="Add the room").click()
    expect(page.get_by_text("Sala A is added.")).to_be_visible()
    check()

    page.get_by_role("link", name="Next: sessions").click()
    page.locator('input[name="title"]').fill("Migración y trabajo")
    page.locator('select[name="day"]').select_option("2031-05-20")
    page.locator('input[name="start"]').fill("11:00")
    page.locator('input[name="end"]').fill("13:00")
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_text("“Migración y trabajo” is added.")).to_be_visible()
    check()
    page.get_by_role("link", name="Next: worksheet questions").click()
    check("Worksheet questions")

    # People: a small CSV, checked, then applied.
    page.get_by_role("link", name="Import people").first.click()
    check("Import and export")
    registration = tmp_path / "inscritos.csv"
    registration.write_text(CSV, encoding="utf-8")
    page.get_by_label("Registration file").set_input_files(str(registration))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#count-new")).to_have_text("3")
    expect(page.locator("#count-refused")).to_have_text("0")
    check("Check the import")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#done-new")).to_have_text("3 created")
    check("Imported")
    assert Participant.objects.filter(workshop=workshop, group__isnull=True).count() == 3

    # The schedule: the solver from the board, then applied.
    page.get_by_role("link", name="Board").first.click()
    check()
    page.get_by_role("button", name="Place participants").click()
    apply = page.get_by_role("button", name="Apply")
    expect(apply).to_be_enabled(timeout=30_000)
    check()
    apply.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check()
    assert Participant.objects.filter(workshop=workshop, group__name="A").count() == 3

    # The invitations: the organiser's own message, the preview in Spanish, then the real thing.
    page.get_by_role("link", name="Invitations").first.click()
    check("Invitations")
    page.get_by_label("In English").fill("Lunch is served in the garden.")
    page.get_by_label("In Spanish").fill("El almuerzo se sirve en el jardín.")
    page.get_by_role("button", name="Save the message").click()
    expect(page.get_by_text("Your message is saved")).to_be_visible()
    check("Invitations")
    page.get_by_role("link", name="Preview the invitation in each language, or send yourself a test").click()
    page.get_by_role("link", name="Spanish").click()
    expect(page.locator('[data-part="subject"]').first).to_have_text("Su enlace personal para Santiago 2031")
    expect(page.locator('[data-part="text"]').first).to_contain_text("Estimado/a Camila Rojas:")
    expect(page.locator('[data-part="text"]').first).to_contain_text("El almuerzo se sirve en el jardín.")
    frame = page.frame_locator('iframe[title="The participant’s invitation"]')
    expect(frame.get_by_text("El almuerzo se sirve en el jardín.")).to_be_visible()
    expect(frame.get_by_role("link", name="Abrir mi enlace personal")).to_have_attribute(
        "href", "https://personal-link.invalid/"
    )
    check("Preview the invitation")
    screenshot("invite-preview-spanish")

    page.get_by_label("Language of the test").select_option("es")
    page.get_by_role("button", name="Send me a test").click()
    expect(page.get_by_text("is on its way to organiser@example.cl")).to_be_visible()
    check("Preview the invitation")
    assert [message.to for message in mail.outbox] == [["organiser@example.cl"]]
    assert Invitation.objects.count() == 0

    page.get_by_role("link", name="Invitations").first.click()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Sending links")).to_be_visible()
    check()
    sent = sorted(message.to[0] for message in mail.outbox[1:])
    assert sent == ["camila.rojas@example.cl", "mateo.fuentes@example.cl", "valentina.soto@example.pe"]
    assert all("El almuerzo se sirve en el jardín." in message.body for message in mail.outbox[1:])

    page.goto(f"{live_server.url}/organise/{workshop.slug}/invitations/people/")
    check("Personal links")
    rows = page.locator("#participants-heading ~ div table tbody tr")
    expect(rows).to_have_count(3)
    for index in range(3):
        expect(rows.nth(index)).to_contain_text("Sent")
    screenshot("invite-people-sent")
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.Status.SENT}

    # One person's link, on a phone: shown once, in their language, copied with one click.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Show link Camila Rojas").click()
    check("Camila Rojas’s personal link")
    expect(page.get_by_label("Link", exact=True)).to_have_value(re.compile(rf"^{re.escape(live_server.url)}/es/link/"))
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("invite-person-link-phone")
    page.goto(f"{live_server.url}/organise/{workshop.slug}/invitations/preview/?language=es")
    check("Preview the invitation")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("invite-preview-phone")
