"""The import preview's rows in pages (issue 13): at 3,000 rows the whole table was 2.4 MB of HTML
and 7 s to show. It shows `ROWS_PER_PAGE` rows at a time; the refused rows listed above it link to
their row on its page; the counts and the choice of what to import still cover the whole file."""

import re

import pytest

from organise.views import imports
from tests import factories as f
from tests.organise.test_import_jobs import people, upload_token, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


def lines_shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="line-(\d+)"', page)]


def test_a_long_preview_shows_its_rows_a_page_at_a_time(client, organiser, workshop, settings, monkeypatch):
    settings.IMPORT_IN_PAGE_MAX_ROWS = 1000  # checked in the page: this test is about the table
    monkeypatch.setattr(imports, "ROWS_PER_PAGE", 10)
    client.force_login(organiser)
    token = upload_token(client, workshop, people(25, refused_every=12))  # people 12 and 24 refused
    first = client.get(url(workshop, "import_preview"), {"token": token})
    page = first.content.decode()
    assert lines_shown(page) == list(range(2, 12))  # the file's lines 2-11: people 1-10
    assert "Rows 1 to 10 of the file's 25, as they would be imported" in page
    assert first.context["counts"]["refused"] == 2 and 'id="count-rows">25<' in page
    # The refused rows are named above the table, each linking to its row on its own page.
    assert re.search(r'href="[^"]*rows_page=2#line-13"', page) and re.search(r'href="[^"]*rows_page=3#line-25"', page)
    third = client.get(url(workshop, "import_preview"), {"token": token, "rows_page": 3}).content.decode()
    assert lines_shown(third) == list(range(22, 27))
    assert 'class="page-item active"><a class="page-link" href=' in third
    assert lines_shown(
        client.get(url(workshop, "import_preview"), {"token": token, "rows_page": "x"}).content.decode()
    ) == list(range(2, 12))
    assert lines_shown(
        client.get(url(workshop, "import_preview"), {"token": token, "rows_page": 99}).content.decode()
    ) == list(range(22, 27))
    assert "Import the 23 valid rows" in page  # the choice covers the whole file


def test_past_fifty_refused_rows_the_rest_are_in_the_file(client, organiser, workshop, settings, monkeypatch):
    settings.IMPORT_IN_PAGE_MAX_ROWS = 1000
    monkeypatch.setattr(imports, "REFUSED_LISTED", 3)
    client.force_login(organiser)
    token = upload_token(client, workshop, people(10, refused_every=2))  # 5 refused
    page = client.get(url(workshop, "import_preview"), {"token": token}).content.decode()
    assert len(re.findall(r'class="alert-link" href="[^"]*#line-', page)) == 3
    assert "And 2 more refused rows" in page and 'id="refused-download"' in page


def test_a_short_preview_shows_every_row_without_pages(client, organiser, workshop):
    client.force_login(organiser)
    token = upload_token(client, workshop, people(5))
    page = client.get(url(workshop, "import_preview"), {"token": token}).content.decode()
    assert lines_shown(page) == [2, 3, 4, 5, 6] and "rows_page" not in page
