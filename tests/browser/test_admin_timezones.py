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
    # Django's own note, for a browser in another zone, names the workshop's zone.
    expect(page.locator("#sessions-group .timezonewarning").first).to_contain_text(
        "Enter times in the Africa/Dakar timezone"
    )
    page.get_by_role("button", name="Save and continue editing").click()

    session = BreakoutSession.objects.get(workshop=workshop)
    assert session.start == datetime(2030, 9, 27, 11, tzinfo=DAKAR)
    expect(page.locator('input[name="sessions-0-start_1"]')).to_have_value("11:00:00")
    expect(page.locator('input[name="sessions-0-end_1"]')).to_have_value("13:00:00")
    screenshot("admin-session-dakar")
