"""The report-back in a real browser: a participant volunteers on a phone and writes the group's summary, which
autosaves; the organiser's projector page shows it, and a late edit appears there without a reload."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from organise.views import report_back
from tests import factories as f
from worksheets.models import GroupSummary
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    today = timezone.localdate()
    organiser = f.user(username="plenary-desk")
    workshop = f.workshop(organisers=[organiser], start_date=today, end_date=today + timedelta(days=1))
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    session = f.session(workshop, title="Labour migration")
    bo = f.participant(workshop, name="Bo Lindqvist", group=a)
    cy = f.participant(workshop, name="Cy Mendes", group=b)
    GroupSummary.objects.create(session=session, group=b, rapporteur=cy, text="Group B wants a pocket guide.")
    return {"organiser": organiser, "workshop": workshop, "session": session, "bo": bo, "a": a}


def test_rapporteur_writes_and_the_plenary_sees_it(live_server, page, browser, world, settings, monkeypatch, axe_check):
    monkeypatch.setattr(report_back, "REFRESH_SECONDS", 1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + personal_link_path(person=world["bo"]))
    page.get_by_role("button", name="Volunteer as rapporteur").click()
    expect(page.get_by_text("You are your group's rapporteur for this session. Thank you!")).to_be_visible()
    expect(page.locator("form[data-autosave-url]")).to_have_attribute("data-ready", "true")
    axe_check()
    page.locator("#summary-text").fill("Bilateral agreements first.")
    expect(page.locator("#summary-save-state")).to_have_attribute("data-state", "saved")
    assert GroupSummary.objects.get(group=world["a"]).text == "Bilateral agreements first."

    client = Client()
    client.force_login(world["organiser"])
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    desk.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    plenary = desk.new_page()
    plenary.goto(f"{live_server.url}/organise/{world['workshop'].slug}/report-back/")
    plenary.get_by_role("link", name="Labour migration").click()
    grid = plenary.locator("[data-grid]")
    expect(grid).to_contain_text("Bilateral agreements first.")
    expect(grid).to_contain_text("Group B wants a pocket guide.")
    expect(grid).to_contain_text("Rapporteur: Bo Lindqvist")

    page.locator("#summary-text").fill("Bilateral agreements first. Then a regional forum.")
    expect(page.locator("#summary-save-state")).to_have_attribute("data-state", "saved")
    expect(grid).to_contain_text("Then a regional forum.")  # the poll brought it, no reload
    columns = plenary.evaluate(
        "getComputedStyle(document.querySelector('[data-grid]')).gridTemplateColumns.split(' ').length"
    )
    assert columns >= 2  # the groups side by side on a laptop's screen
    with plenary.expect_download() as download:
        plenary.get_by_role("link", name="CSV file").click()
    assert "Then a regional forum." in download.value.path().read_text(encoding="utf-8-sig")
    desk.close()
