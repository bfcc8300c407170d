"""An organiser's announcement appears on a participant's open page without a reload, and a dismissed one stays gone."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests import factories as f
from workshops.access import personal_link_path
from workshops.announcements import announcement_create, announcement_withdraw
from workshops.models import Announcement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    settings.ANNOUNCEMENTS_POLL_SECONDS = 0.3  # the pages ask often, so the test need not wait half a minute
    workshop = f.workshop()
    group = f.group(workshop, name="C")
    f.session(workshop)
    participant = f.participant(workshop, name="Ana Martínez", group=group, preferred_language="es")
    return {"workshop": workshop, "group": group, "participant": participant}


def test_announcement_appears_without_reload_and_is_dismissed(live_server, page, world, axe_check):
    with translation.override("es"):
        page.goto(live_server.url + personal_link_path(person=world["participant"]))
    banners = page.locator("#announcements .announcement")
    expect(page.locator("#announcements")).to_have_attribute("role", "status")
    expect(banners).to_have_count(0)
    page.evaluate("window.__notReloaded = true")

    announcement_create(
        workshop=world["workshop"],
        audience=Announcement.Audience.GROUP,
        group=world["group"],
        messages={"en": "Group C moves to Room D.", "es": "El grupo C pasa a la sala D."},
    )
    expect(banners).to_have_count(1)
    expect(banners.first).to_contain_text("El grupo C pasa a la sala D.")
    assert page.evaluate("window.__notReloaded") is True  # the same page, not a reload
    axe_check()

    banners.first.get_by_role("button", name="Cerrar").click()
    expect(banners).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True
    page.reload()
    expect(page.locator("#announcements")).to_be_attached()
    page.wait_for_timeout(800)  # two polls: it does not come back
    expect(banners).to_have_count(0)


def test_announcement_withdrawn_leaves_the_page_on_a_phone(live_server, page, world):
    page.set_viewport_size({"width": 360, "height": 740})
    announcement = announcement_create(
        workshop=world["workshop"], audience=Announcement.Audience.EVERYONE, messages={"en": "W" * 120}
    )
    with translation.override("es"):
        page.goto(live_server.url + personal_link_path(person=world["participant"]))
    banners = page.locator("#announcements .announcement")
    expect(banners).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # a long word wraps instead of widening the page
    announcement_withdraw(announcement=announcement)
    expect(banners).to_have_count(0)
