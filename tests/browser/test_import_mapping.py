"""An organiser imports a form export whose languages column has an odd header: the preview says
it is missing, the organiser maps the column in the preview (on a phone, the columns scroll in their
own box), and imports; the next file with the same headers is mapped as before."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests import factories as f
from workshops.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)

FORM = (
    "Full name,Email address,Country,Which tongues do you work in?,Dietary needs\n"
    'Ana Martínez,ana@example.org,Colombia,"Spanish, English",\n'
    "Bo Svensson,bo@example.org,Sweden,English,vegetarian\n"
    "Chidi Okafor,chidi@example.org,Atlantis,English,\n"
)


@pytest.fixture
def organiser_page(live_server, page, settings):
    organiser = f.user(username="desk")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return workshop


def upload(page, path):
    page.get_by_label("Registration file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_map_the_odd_languages_header_in_the_preview_and_import(
    live_server, page, organiser_page, tmp_path, screenshot, axe_check
):
    workshop = organiser_page
    path = tmp_path / "form.csv"
    path.write_text(FORM, encoding="utf-8")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/organise/{workshop.slug}/import/")
    upload(page, path)

    expect(page.locator("#import-missing")).to_contain_text("No languages column: choose a default")
    select = page.get_by_label("Which tongues do you work in?")
    expect(select).to_have_value("")  # ignored
    expect(page.get_by_label("Email address")).to_have_value("email")
    # The columns' box scrolls by itself: the page is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("import-columns-phone")
    axe_check()

    select.select_option("languages")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.locator("#count-new")).to_have_text("2")
    expect(page.locator("#count-refused")).to_have_text("1")
    expect(page.get_by_label("Which tongues do you work in?")).to_have_value("languages")
    axe_check()
    assert Participant.objects.count() == 0

    page.get_by_role("button", name="Import the 2 valid rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.locator("#done-new")).to_have_text("2 created")
    expect(page.locator("#done-refused")).to_contain_text("1 refused, not imported")
    assert sorted(Participant.objects.values_list("email", "languages")) == [
        ("ana@example.org", ["es", "en"]),
        ("bo@example.org", ["en"]),
    ]

    # The corrected file, same headers: mapped as last time, and the page says so.
    path.write_text(FORM.replace("Atlantis", "Nigeria"), encoding="utf-8")
    page.get_by_role("link", name="Import another file").click()
    upload(page, path)
    expect(page.locator("#columns-remembered")).to_be_visible()
    expect(page.locator("#count-new")).to_have_text("1")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#done-new")).to_have_text("1 created")
    assert Participant.objects.count() == 3
