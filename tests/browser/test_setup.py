"""An organiser on a laptop in Zurich sets up a Santiago workshop through the guided set-up in a
real browser, on a phone-sized screen: details with the zone chosen from the list, a Spanish-only
room and a tri-lingual one, a session typed on Santiago's clock; every page passes axe-core."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests import factories as f
from workshops.models import BreakoutSession, Workshop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "Europe/Zurich", "viewport": {"width": 390, "height": 844}}


def test_guided_setup_of_a_santiago_workshop(live_server, page, settings, screenshot, axe_check):
    organiser = f.user(username="santiago-desk")
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

    page.goto(f"{live_server.url}/organise/")
    page.get_by_role("link", name="New workshop").first.click()
    page.locator('input[name="title_en"]').fill("Santiago 2031")
    page.locator('input[name="slug"]').fill("santiago-2031")
    page.locator('input[name="start_date"]').fill("2031-05-20")
    page.locator('input[name="end_date"]').fill("2031-05-21")
    page.locator('select[name="timezone"]').select_option("America/Santiago")
    axe_check()
    page.get_by_role("button", name="Create the workshop").click()

    workshop = Workshop.objects.get(slug="santiago-2031")
    expect(page.locator("h2")).to_contain_text("Language modes")
    page.get_by_label("Tri-lingual with interpretation: English, Spanish and French").check()
    page.get_by_label("Spanish only").check()
    axe_check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("2 language mode(s) added.")).to_be_visible()

    page.get_by_role("link", name="Next: rooms and groups").click()
    for room, mode, group in (("Sala A", "Spanish only", "A"), ("Room B", "Tri-lingual", "B")):
        page.locator('input[name="name_en"]').fill(room)
        page.locator('input[name="capacity"]').fill("20")
        page.locator('select[name="language_mode"]').select_option(
            label=mode + (" (Spanish)" if mode == "Spanish only" else " (English, Spanish, French)")
        )
        page.locator('input[name="group_name"]').fill(group)
        page.get_by_role("button", name="Add the room").click()
        expect(page.get_by_text(f"{room} is added.")).to_be_visible()
    axe_check()

    page.get_by_role("link", name="Next: sessions").click()
    page.locator('input[name="title"]').fill("Migración y trabajo")
    page.locator('select[name="day"]').select_option("2031-05-20")
    page.locator('input[name="start"]').fill("11:00")
    page.locator('input[name="end"]').fill("13:00")
    axe_check()
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_text("“Migración y trabajo” is added.")).to_be_visible()
    session = BreakoutSession.objects.get(workshop=workshop)
    assert session.start == datetime(2031, 5, 20, 15, tzinfo=UTC)  # 11:00 in Santiago (UTC-4 in May)

    page.get_by_role("link", name="Next: worksheet questions").click()
    expect(page.locator("h1")).to_contain_text("Worksheet questions")
    axe_check()
    page.goto(f"{live_server.url}/organise/{workshop.slug}/")
    checklist = page.locator("#readiness-heading")
    expect(checklist).to_contain_text("things to do before the invitations")
    expect(page.locator(".readiness-participants")).to_contain_text("No participants yet.")
    axe_check()
    screenshot("setup-santiago-board")
    workshop.refresh_from_db()
    assert not workshop.is_published and list(workshop.organisers.all()) == [organiser]
    assert {
        (g.name, g.room.language_mode.languages[0]) for g in workshop.groups.select_related("room__language_mode")
    } == {
        ("A", "es"),
        ("B", "en"),
    }
