"""An organiser uploads a registration file over the threshold (`IMPORT_IN_PAGE_MAX_ROWS`): the check
runs as a background job whose page shows the rows done of all, then the preview; importing the valid
rows runs as a job too, then the done page.

Each job is run by the test itself once its page is open (the task is held back when it is queued),
and halfway through its rows the test watches the page show the counter (on PostgreSQL, the one the
row loop wrote).
"""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests import factories as f
from workshops.imports.resources import ParticipantResource
from workshops.models import Job, Participant

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 350  # over the threshold of 300


@pytest.fixture
def organiser_page(live_server, page, settings):
    organiser = f.user(username="desk")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return workshop


@pytest.fixture
def held_tasks(monkeypatch):
    """The import jobs' tasks, queued by the pages but run by the test, one at a time."""
    held = []
    monkeypatch.setattr("workshops.imports.jobs.task_enqueue", lambda *, task, **kwargs: held.append((task, kwargs)))
    monkeypatch.setattr("workshops.jobs.PROGRESS_WRITE_INTERVAL", 0)  # every row's counter written
    return held


def run_watching(page, held, monkeypatch, *, halfway: int, screenshot=None):
    """Run the held task; at row `halfway`, the page (polling its status) shows "halfway of ROWS"."""
    task, kwargs = held.pop()
    original = ParticipantResource.import_row

    def import_row(self, row, instance_loader, **options):
        result = original(self, row, instance_loader, **options)
        if self.rows_done == halfway:
            # The row loop's counter: on PostgreSQL written from a connection of its own; on SQLite
            # (one writer at a time, held by the import's transaction) kept in memory for this
            # process's readers, the live server's threads (`workshops.jobs.job_progress_unwritten`).
            expect(page.locator("#job [role=status]")).to_contain_text(f"Running · {halfway} of {ROWS}")
            if screenshot:
                screenshot("import-job-progress")
        return result

    monkeypatch.setattr(ParticipantResource, "import_row", import_row)
    task.call(**kwargs)
    monkeypatch.setattr(ParticipantResource, "import_row", original)


def test_a_large_file_shows_progress_then_its_preview_then_imports(
    live_server, page, organiser_page, held_tasks, tmp_path, monkeypatch, screenshot, axe_check
):
    assert django_settings.IMPORT_IN_PAGE_MAX_ROWS < ROWS
    workshop = organiser_page
    lines = ["Name,E-mail,Country,Languages"]
    lines += [f"Person {i},p{i}@example.org,{'Atlantis' if i % 50 == 0 else 'Chile'},en" for i in range(1, ROWS + 1)]
    path = tmp_path / "registrations.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    page.goto(f"{live_server.url}/organise/{workshop.slug}/import/")
    page.get_by_label("Registration file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration file check")
    expect(page.locator("#job [role=status]")).to_contain_text("Waiting to start")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()  # without JavaScript: by hand (or every 5 s)
    axe_check()

    run_watching(page, held_tasks, monkeypatch, halfway=175, screenshot=screenshot)
    # Done: the page reloads by itself and lands on the preview, as a small file's.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#count-rows")).to_have_text(str(ROWS))
    expect(page.locator("#count-refused")).to_have_text("7")
    expect(page.locator("#import-blocked")).to_contain_text("Line 51")
    assert re.search(r"/import/preview/\?token=.+&job=\d+$", page.url)
    axe_check()
    assert Participant.objects.count() == 0

    page.get_by_role("button", name="Import the 343 valid rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration import")
    run_watching(page, held_tasks, monkeypatch, halfway=175)
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.locator("#done-new")).to_have_text("343 created")
    expect(page.locator("#done-refused")).to_contain_text("7 refused, not imported")
    assert Participant.objects.filter(workshop=workshop).count() == 343
    assert list(Job.objects.order_by("pk").values_list("kind", "state", "done", "total")) == [
        ("import_preview", "done", ROWS, ROWS),
        ("import_apply", "done", ROWS, ROWS),
    ]
