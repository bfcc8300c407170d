"""An organiser imports a registration file in a real browser: the preview names each problem,
a refused file cannot be applied, a clean file applies with its counts; accessibility."""

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests import factories as f
from workshops.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registration"


@pytest.fixture
def organiser_page(live_server, page, settings):
    organiser = f.user(username="desk")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    f.participant(workshop, name="Lucía García", email="LUCIA.GARCIA@trabajo.gob.mx", organisation="Old name")
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return workshop


def upload(page, name):
    page.get_by_label("Registration file").set_input_files(str(FIXTURES / name))
    page.get_by_role("button", name="Check the file").click()


def test_import_preview_then_apply(live_server, page, organiser_page, screenshot, axe_check):
    workshop = organiser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/organise/{workshop.slug}/import/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import and export")
    screenshot("import-upload-phone")
    axe_check()

    # A file with problems: each is named with its line; nothing can be applied.
    upload(page, "registration_errors.csv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#count-refused")).to_have_text("5")
    expect(page.locator("#count-new")).to_have_text("1")
    expect(page.locator(".import-problems li")).to_have_text(
        [
            "Line 3 (Bo Svensson): The e-mail address is missing.",
            "Line 4 (Chidi Okafor): Unknown country “Atlantis”: write its name in English, Spanish or French, "
            "or its ISO code.",
            "Line 5 (Dana Cohen): Unknown language “Klingon”: write names in English, Spanish or French, or ISO "
            "codes such as en, es, fr.",
            "Line 6 (Ana M.): Same e-mail address as line 2: each person once.",
            "Line 7 (Eve Adams): “eve.adams@” is not a valid e-mail address.",
        ]
    )
    expect(page.get_by_role("button", name="Apply")).to_have_count(0)
    expect(page.locator("#line-4")).to_have_class("table-danger")
    screenshot("import-preview-refused-phone")
    axe_check()
    assert Participant.objects.count() == 1

    # The problem links lead to their rows.
    page.get_by_role("link", name="Line 4").click()
    assert page.url.endswith("#line-4")

    # A clean file (Spanish headers, semicolons, BOM): one update, five new, then applied.
    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, "registro_es.csv")
    expect(page.locator("#count-new")).to_have_text("5")
    expect(page.locator("#count-update")).to_have_text("1")
    expect(page.locator("#count-refused")).to_have_text("0")
    expect(page.get_by_text("Олег Петров")).to_be_visible()
    expect(page.get_by_text("محمد العلي")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("import-preview-clean-desktop")
    axe_check()
    assert Participant.objects.count() == 1  # still nothing written

    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.locator("#done-new")).to_have_text("5 created")
    expect(page.locator("#done-update")).to_have_text("1 updated")
    screenshot("import-done-desktop")
    axe_check()
    assert Participant.objects.filter(workshop=workshop).count() == 6
    assert Participant.objects.get(email__iexact="lucia.garcia@trabajo.gob.mx").organisation == "Secretaría del Trabajo"

    # Going back and applying the same preview again is refused, and creates nobody.
    page.go_back()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("alert")).to_contain_text("already applied")
    assert Participant.objects.count() == 6
