"""Offline at the venue in a real browser: pages opened once keep working when the connection drops
(the service worker serves their last copy, and says so), text typed offline survives a reload and
reaches the server when the connection returns; a shared computer's next person sees nothing of
the previous one's, offline either."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests import factories as f
from worksheets.models import Answer, TeamNote
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    today = timezone.localdate()
    # Outside the server's zone (Europe/Zurich): the copy's time is on the venue's clock.
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1), timezone="Asia/Bangkok")
    group = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C"))
    session = f.session(workshop, title_en="Counter-Trafficking")
    questions = [f.question(workshop, text_en=f"Question number {number}?") for number in (1, 2)]
    ana = f.participant(workshop, name="Ana Martínez", group=group, preferred_language="en")
    bo = f.participant(workshop, name="Bo Lindqvist", group=group, preferred_language="en")
    facilitator = f.facilitator(workshop, name="Hélène Marchetti", preferred_language="en")
    f.assignment(facilitator, session, group)
    return {
        "workshop": workshop,
        "session": session,
        "questions": questions,
        "ana": ana,
        "bo": bo,
        "facilitator": facilitator,
    }


def kept(page):
    """The service worker holds this page's copy (static/js/offline.js sets the mark when it says so)."""
    expect(page.locator("html")).to_have_attribute("data-offline-copy-kept", "true")


def ready(page):
    for form in page.locator(
        "form[data-autosave-url][data-editable='true']"
    ).all():  # notes and summary on a facilitator's page
        expect(form).to_have_attribute("data-ready", "true")


def notice(page):
    return page.locator("#offline-copy")


def answers(person) -> dict[str, str]:
    return {
        a.question.text: a.text for a in Answer.objects.filter(worksheet__participant=person).select_related("question")
    }


def test_participant_types_offline_across_reloads_and_every_text_is_saved(live_server, page, world, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + personal_link_path(person=world["ana"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Martínez")
    kept(page)
    my_day = page.url
    page.get_by_role("link", name="Open my worksheet").click()
    ready(page)
    kept(page)
    worksheet = page.url
    expect(notice(page)).to_be_hidden()

    # The venue's connection drops; she reloads: the last copy shows, and says from when.
    page.context.set_offline(True)
    page.reload()
    ready(page)
    expect(notice(page)).to_be_visible()
    expect(notice(page)).to_contain_text("Offline: showing the copy from ")
    page.get_by_label("Question number 1?").fill("First thought, typed offline")
    page.get_by_label("Question number 2?").fill("Second thought, typed offline")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "offline")
    screenshot("offline-worksheet-phone")

    # Reloaded again, still offline: what she typed is in its fields (the copy's older text loses).
    page.reload()
    ready(page)
    expect(notice(page)).to_be_visible()
    expect(page.get_by_label("Question number 1?")).to_have_value("First thought, typed offline")
    expect(page.get_by_label("Question number 2?")).to_have_value("Second thought, typed offline")
    # My day opens offline too.
    page.goto(my_day)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Martínez")
    expect(notice(page)).to_be_visible()
    page.goto(worksheet)
    ready(page)

    # The connection returns: every text reaches the server.
    page.context.set_offline(False)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved", timeout=15_000)
    assert answers(world["ana"]) == {
        "Question number 1?": "First thought, typed offline",
        "Question number 2?": "Second thought, typed offline",
    }


def test_offline_copy_shows_what_was_saved_after_it_was_made(live_server, page, world):
    page.goto(live_server.url + personal_link_path(person=world["ana"]))
    page.get_by_role("link", name="Open my worksheet").click()
    ready(page)
    kept(page)
    page.get_by_label("Question number 1?").fill("Saved online before the drop")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    # The page asks the worker for a fresh copy once its saves have paused (a few seconds later).
    page.evaluate("delete document.documentElement.dataset.offlineCopyKept")
    expect(page.locator("html")).to_have_attribute("data-offline-copy-kept", "true", timeout=15_000)
    page.context.set_offline(True)
    page.reload()
    ready(page)
    expect(notice(page)).to_be_visible()
    expect(page.get_by_label("Question number 1?")).to_have_value("Saved online before the drop")
    # Typed on that copy: based on the saved revision, so it is no stale write.
    page.get_by_label("Question number 1?").fill("Saved online before the drop, and more")
    page.context.set_offline(False)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved", timeout=15_000)
    assert answers(world["ana"]) == {"Question number 1?": "Saved online before the drop, and more"}


def test_facilitator_notes_typed_offline_survive_a_reload_and_are_saved(live_server, page, world, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + personal_link_path(person=world["facilitator"]))
    expect(page.get_by_text("Room C")).to_be_visible()
    kept(page)
    rotation = page.url
    page.locator("a[href*='/me/sessions/']").click()
    ready(page)
    kept(page)

    page.context.set_offline(True)
    page.reload()
    ready(page)
    expect(notice(page)).to_be_visible()
    page.locator("#notes").fill("Start with the referral map")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "offline")
    page.reload()
    ready(page)
    expect(page.locator("#notes")).to_have_value("Start with the referral map")
    screenshot("offline-session-page-phone")
    page.goto(rotation)  # the rotation too
    expect(page.get_by_text("Room C")).to_be_visible()
    expect(notice(page)).to_be_visible()
    page.go_back()
    ready(page)

    page.context.set_offline(False)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved", timeout=15_000)
    assert TeamNote.objects.get().text == "Start with the referral map"


def test_save_whose_answer_was_lost_on_the_way_back_is_no_conflict(live_server, page, world):
    page.goto(live_server.url + personal_link_path(person=world["ana"]))
    page.get_by_role("link", name="Open my worksheet").click()
    ready(page)

    def reaches_the_server_but_the_answer_is_lost(route):
        route.fetch()
        route.abort("internetdisconnected")

    page.route("**/autosave/", reaches_the_server_but_the_answer_is_lost)
    page.get_by_label("Question number 1?").fill("Saved, though the page never heard")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "offline")
    assert answers(world["ana"]) == {"Question number 1?": "Saved, though the page never heard"}
    page.unroute("**/autosave/")
    # The retry is refused as stale (the server moved on), but the stored text is the page's own:
    # nothing to choose between, so it counts as saved.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    expect(page.locator(".conflict").first).to_be_hidden()
    page.get_by_label("Question number 1?").fill("Saved, and then some more")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    assert answers(world["ana"]) == {"Question number 1?": "Saved, and then some more"}


def _page_caches(page) -> list[str]:
    return page.evaluate("async () => (await caches.keys()).filter(name => name.startsWith('pages-'))")


def _offline_goto(page, url) -> str:
    """The page's text at `url` (its fields' too) with the connection down; '' when the browser has no copy."""
    try:
        page.goto(url)
    except PlaywrightError:  # no copy of it: the browser's own "no connection" error
        return ""
    return page.evaluate(
        "() => [document.body.innerText, ...[...document.querySelectorAll('textarea')].map(t => t.value)].join(' ')"
    )


def test_sign_out_drops_the_offline_copies_so_the_next_person_sees_none(live_server, page, world):
    page.goto(live_server.url + personal_link_path(person=world["ana"]))
    page.get_by_role("link", name="Open my worksheet").click()
    ready(page)
    page.get_by_label("Question number 1?").fill("Ana's private thought")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    kept(page)
    worksheet = page.url
    assert len(_page_caches(page)) == 1

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")
    expect(page.locator("html")).to_have_attribute("data-offline-copies-cleared", "true")
    assert _page_caches(page) == []

    # Bo signs in at the same browser, opens his day, and the connection drops.
    page.goto(live_server.url + personal_link_path(person=world["bo"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bo Lindqvist")
    kept(page)
    page.context.set_offline(True)
    text = _offline_goto(page, worksheet)
    assert "private thought" not in text
    assert "Question number 1?" not in text  # no copy of that page at all: he never opened his


def test_next_persons_link_drops_the_previous_persons_copies_even_without_a_sign_out(live_server, page, world):
    page.goto(live_server.url + personal_link_path(person=world["ana"]))
    page.get_by_role("link", name="Open my worksheet").click()
    ready(page)
    page.get_by_label("Question number 1?").fill("Ana's private thought")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    kept(page)
    worksheet = page.url

    page.goto(live_server.url + personal_link_path(person=world["bo"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bo Lindqvist")
    kept(page)
    his_day = page.url
    page.context.set_offline(True)
    text = _offline_goto(page, worksheet)
    assert "private thought" not in text
    assert "Question number 1?" not in text  # no copy of that page at all: he never opened his
    other = page.context.new_page()  # a new tab: this one is on the browser's error page
    other.goto(his_day)
    expect(other.get_by_role("heading", level=1)).to_contain_text("Bo Lindqvist")  # his own copy, offline
    expect(notice(other)).to_be_visible()
