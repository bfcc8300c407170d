"""The language switcher in a real browser: every language reached from every kind of page, and back."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from workshops.access import personal_link_path
from workshops.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)

# Each walk visits every language from every other one.
WALKS = [("es", "fr", "en"), ("fr", "es", "en")]
HEADINGS = {"en": "Rooms and groups", "es": "Salas y grupos", "fr": "Salles et groupes"}
ROOMS = {"en": "Blue room", "es": "Sala azul", "fr": "Salle bleue"}


@pytest.fixture
def world():
    today = timezone.localdate()
    organiser = f.user(username="switcher")
    workshop = f.workshop(organisers=[organiser], start_date=today, end_date=today + timedelta(days=1))
    room = f.room(workshop, name="Blue room", name_es="Sala azul", name_fr="Salle bleue")
    group = f.group(workshop, name="A", room_obj=room)
    f.session(workshop)
    participant = f.participant(workshop, name="Lucía García", group=group, preferred_language="es")
    return {"workshop": workshop, "participant": participant}


def prefixed(language, path):
    return path if language == "en" else f"/{language}{path}"


def switch(page, live_server, language, path):
    page.locator(f".language-switcher button[value='{language}']").click()
    expect(page).to_have_url(live_server.url + prefixed(language, path))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(f".language-switcher button[value='{language}']")).to_have_attribute("aria-current", "true")


def walk(page, live_server, path, *, check=None):
    for languages in WALKS:
        for language in languages:
            switch(page, live_server, language, path)
            if check:
                check(language)


def test_switcher_walks_every_language_from_public_my_day_organiser_admin_and_error_pages(
    live_server, page, world, screenshot
):
    detail = world["workshop"].get_absolute_url()
    page.goto(live_server.url + detail)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    def public(language):
        expect(page.get_by_role("heading", name=HEADINGS[language])).to_be_visible()
        # The programme lists rooms twice (a table, and a list on phones): one of them shows.
        expect(page.get_by_text(ROOMS[language]).filter(visible=True).first).to_be_visible()

    walk(page, live_server, detail, check=public)

    # A 404 page switches too.
    page.goto(live_server.url + "/workshops/no-such-workshop/")
    walk(page, live_server, "/workshops/no-such-workshop/")

    # Lucía opens her link (Spanish), walks the languages on "my day" and ends in English: remembered.
    page.goto(live_server.url + personal_link_path(person=world["participant"]))
    expect(page).to_have_url(live_server.url + "/es/me/")
    walk(
        page,
        live_server,
        "/me/",
        check=lambda language: expect(page.locator("#where")).to_contain_text(ROOMS[language]),
    )
    assert Participant.objects.get(pk=world["participant"].pk).preferred_language == "en"
    screenshot("my-day-after-switching")

    # The badge's link without a prefix follows the language chosen last.
    page.locator(".language-switcher button[value='fr']").click()
    page.goto(live_server.url + "/link/lost/")
    expect(page).to_have_url(live_server.url + "/fr/link/lost/")

    # The organiser: the board, then the admin.
    page.context.clear_cookies()
    board = f"/organise/{world['workshop'].slug}/"
    page.goto(live_server.url + board)
    page.get_by_label("Username").fill("switcher")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + board)
    walk(page, live_server, board)
    page.goto(live_server.url + "/admin/")
    walk(page, live_server, "/admin/")
    screenshot("admin-after-switching")
