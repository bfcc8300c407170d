"""An organiser in Zurich types a Dakar workshop's session in the back office, in a real browser:
the page says the times are Dakar's, the session is stored at 11:00 Dakar and shown so."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests import factories as f
from workshops.models import BreakoutSession

pytestmark = pytest.mark.django_db(transaction=True)

DAKAR = ZoneInfo("Africa/Dakar")


@pytest.fixture
def browser_context_args(browser_context_args):
    # The organiser's laptop runs on the server's zone, not the workshop's.
    return {**browser_context_args, "timezone_id": "Europe/Zurich"}


def test_session_typed_in_the_browser_is_read_and_shown_in_the_workshops_zone(live_server, page, settings, screenshot):
    organiser = f.user(username="desk")
    workshop = f.workshop(organisers=[organiser], title="Dakar workshop", timezone="Africa/Dakar")
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    page.goto(f"{live_server.url}/admin/workshops/workshop/{workshop.pk}/change/")
    page.locator("#sessions-group .add-row a").click()
    page.locator('input[name="sessions-0-title_en"]').fill("Migration and Labour")
    page.locator('input[name="sessions-0-start_0"]').fill("2030-09-27")
    page.locator('input[name="sessions-0-start_1"]').fill("11:00")
    page.locator('input[name="sessions-0-end_0"]').fill("2030-09-27")
    page.locator('input[name="sessions-0-end_1"]').fill("13:00")
    # Django's own note, for a browser in another zone, names the workshop's zone; the page names
    # it in words above the sessions, not only in a tooltip, and nowhere the laptop's or server's.
    expect(page.locator("#sessions-group .timezonewarning").first).to_contain_text(
        "Enter times in the Africa/Dakar timezone"
    )
    expect(page.locator("#sessions-zone-note")).to_have_text("Times are in the workshop’s time zone, Africa/Dakar.")
    expect(page.get_by_text("Europe/Zurich")).to_have_count(0)
    page.get_by_role("button", name="Save and continue editing").click()

    session = BreakoutSession.objects.get(workshop=workshop)
    assert session.start == datetime(2030, 9, 27, 11, tzinfo=DAKAR)
    expect(page.locator('input[name="sessions-0-start_1"]')).to_have_value("11:00:00")
    expect(page.locator('input[name="sessions-0-end_1"]')).to_have_value("13:00:00")
    screenshot("admin-session-dakar")


def test_new_workshop_typed_from_another_zone_shows_no_note_naming_the_servers_zone(
    live_server, browser, settings, screenshot
):
    # The organiser's laptop runs on the venue's zone (Dakar), the server on Zurich's: the admin's
    # own note would say "Enter times in the Europe/Zurich timezone", though the times typed on
    # this page are read in the zone typed on it.
    organiser = f.user(username="desk")
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(timezone_id="Africa/Dakar")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"{live_server.url}/admin/workshops/workshop/add/")
    page.locator('input[name="timezone"]').fill("Africa/Dakar")
    page.locator("#sessions-group .add-row a").click()
    expect(page.locator('input[name="sessions-0-start_0"]')).to_be_visible()
    expect(page.locator(".timezonewarning")).to_have_count(0)
    expect(page.get_by_text("Europe/Zurich")).to_have_count(0)
    expect(page.locator("#sessions-zone-note")).to_have_text(
        "Times are in the workshop’s time zone, chosen under “Dates”."
    )
    page.goto(f"{live_server.url}/admin/workshops/breakoutsession/add/")
    expect(page.locator('input[name="start_0"]')).to_be_visible()
    expect(page.locator(".timezonewarning")).to_have_count(0)
    expect(page.get_by_text("Times are in the time zone of the workshop chosen above.").first).to_be_visible()
    context.close()
