"""An organiser watches worksheets come in without reloading, then sends invitations and chases the unopened."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import factories as f
from worksheets.services import answer_autosave, worksheet_get_or_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    organiser = f.user(username="organiser-browser")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    group = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C"))
    session = f.session(workshop, title="Counter-Trafficking", start_hour=15)
    question = f.question(workshop, text="What is your response?")
    people = [
        f.participant(workshop, name="Lucía García", preferred_language="es", group=group),
        f.participant(workshop, name="Awa Diallo", preferred_language="fr", group=group),
    ]
    f.facilitator(workshop, name="Hélène Marchetti", preferred_language="fr")
    return {"organiser": organiser, "workshop": workshop, "session": session, "question": question, "people": people}


def log_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", "organiser-browser")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


def test_dashboard_counts_change_without_reloading(live_server, page, world, screenshot, axe_check):
    workshop, session = world["workshop"], world["session"]
    log_in(page, live_server, f"/organise/{workshop.slug}/dashboard/")
    row = page.locator("tr[data-cell]").first
    expect(row.locator('[data-count="not_started"]')).to_have_text("2")
    expect(row.locator('[data-count="in_progress"]')).to_have_text("0")
    expect(page.locator('[data-unopened="participants"]')).to_have_text("2")
    axe_check()
    page.evaluate("window.__sameDocument = true")  # disappears if the page reloads

    # Lucía starts her worksheet (saved as the worksheet page would); the dashboard follows by itself.
    worksheet = worksheet_get_or_create(participant=world["people"][0], session=session)
    result = answer_autosave(worksheet=worksheet, question=world["question"], text="Protection first", base_revision=0)
    assert result.status == "saved"
    expect(row.locator('[data-count="in_progress"]')).to_have_text("1", timeout=15_000)
    expect(row.locator('[data-count="not_started"]')).to_have_text("1")
    expect(page.locator('tr[data-total] [data-count="in_progress"]')).to_have_text("1")
    assert page.evaluate("window.__sameDocument") is True
    bar = page.locator('tr[data-cell] [data-part="in_progress"]').first
    assert bar.evaluate("el => el.style.width") == "50%"
    screenshot("dashboard-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("dashboard-phone")
    axe_check()


def test_invitations_go_out_and_the_pages_are_accessible(live_server, page, world, screenshot, axe_check):
    workshop = world["workshop"]
    log_in(page, live_server, f"/organise/{workshop.slug}/invitations/")
    expect(page.get_by_role("heading", name="Send personal links")).to_be_visible()
    screenshot("invitations-desktop")
    axe_check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Sending links")).to_be_visible()
    expect(page.locator('[data-count="sent"]')).to_have_text("3")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [p.email for p in world["people"]] + [workshop.facilitators.get().email]
    )
    screenshot("invitations-batch-desktop")
    axe_check()

    page.goto(f"{live_server.url}/organise/{workshop.slug}/invitations/people/?unopened=1")
    expect(page.get_by_role("heading", name="Who has never opened their link")).to_be_visible()
    page.get_by_role("button", name="Resend Awa Diallo").click()
    expect(page.get_by_text("Awa Diallo’s link is on its way")).to_be_visible()
    assert len(mail.outbox) == 4
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("invitations-people-phone")
    axe_check()
