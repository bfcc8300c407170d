"""With TASKS_BACKEND=database and no `db_worker` running, the organiser's pages say so by themselves."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import factories as f
from workshops.models import Invitation, ScheduleRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_QUEUE_WAIT_SECONDS = 2
    organiser = f.user(username="organiser-browser")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C"))
    f.session(workshop, title="Counter-Trafficking", start_hour=15)
    f.participant(workshop, name="Awa Diallo", preferred_language="fr")
    return workshop


def log_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", "organiser-browser")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


def test_run_no_worker_takes_fails_on_its_page_by_itself(live_server, page, world, screenshot):
    log_in(page, live_server, f"/organise/{world.slug}/")
    page.get_by_role("button", name="Place participants").click()
    expect(page.get_by_text("Waiting for a task worker to pick this run up.")).to_be_visible()
    expect(page.get_by_text("No task worker picked this run up: is `manage.py db_worker` running?")).to_be_visible(
        timeout=15_000
    )
    assert ScheduleRun.objects.get().status == ScheduleRun.Status.FAILED
    screenshot("run-no-worker-desktop")


def test_invitation_batch_no_worker_takes_says_so_by_itself(live_server, page, world, screenshot):
    log_in(page, live_server, f"/organise/{world.slug}/invitations/")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Sending links")).to_be_visible()
    expect(page.get_by_text("No task worker has picked this batch up yet: nothing has been sent.")).to_be_visible(
        timeout=15_000
    )
    assert list(Invitation.objects.values_list("status", flat=True)) == [Invitation.Status.QUEUED]
    assert mail.outbox == []
    screenshot("invitations-no-worker-desktop")
