"""A shared computer in a real browser: signing out clears the text this browser kept for the person
(and only theirs), and the autosave status stays in sight while typing on a long worksheet."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from worksheets.models import Worksheet
from workshops.access import lost_link_path, personal_link_path, personal_link_revoke

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    group = f.group(workshop, name="C")
    session = f.session(workshop, title_en="Counter-Trafficking")
    questions = [f.question(workshop, text_en=f"Question number {number}?") for number in range(1, 9)]
    participant = f.participant(workshop, name="Ana Martínez", group=group, preferred_language="en")
    return {"session": session, "questions": questions, "participant": participant}


def _open_worksheet(page, live_server, world):
    page.goto(live_server.url + personal_link_path(person=world["participant"]))
    page.get_by_role("link", name="Open my worksheet").click()
    expect(page.locator("form[data-autosave-url]")).to_have_attribute("data-ready", "true")


def test_sign_out_clears_only_this_persons_kept_text(live_server, page, world, screenshot, axe_check):
    page.set_viewport_size(PHONE)
    _open_worksheet(page, live_server, world)
    page.get_by_label("Question number 1?").fill("My private thoughts")
    expect(page.locator("#save-state")).to_have_text("All changes saved")
    mine = f"worksheet-{Worksheet.objects.get(participant=world['participant']).pk}"
    # Text this person typed offline earlier and never sent, and another person's kept text.
    page.evaluate(
        """([mine]) => {
            localStorage.setItem(mine, JSON.stringify({"1": {"value": "unsent", "revision": 0}}));
            localStorage.setItem("worksheet-999999", JSON.stringify({"2": {"value": "theirs", "revision": 0}}));
        }""",
        [mine],
    )
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")
    expect(page.locator("html")).to_have_attribute("data-kept-text-cleared", "true")
    assert any("has not reached the server yet" in message for message in dialogs), dialogs
    kept = page.evaluate("() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))")
    assert kept == {"worksheet-999999": '{"2":{"value":"theirs","revision":0}}'}
    screenshot("signed-out-phone")
    axe_check()
    # The next person at this computer finds nothing of Ana's: not "my day", not the worksheet.
    page.go_back()
    expect(page.get_by_text("My private thoughts")).to_have_count(0)
    page.goto(live_server.url + "/me/")
    expect(page.get_by_text("Ana Martínez")).to_have_count(0)


def test_sign_out_with_text_the_server_never_got_asks_only_once(live_server, page, world):
    _open_worksheet(page, live_server, world)
    # The connection drops: what is typed now stays in this browser, not yet sent.
    page.route("**/autosave/", lambda route: route.abort())
    page.get_by_label("Question number 1?").fill("Typed while the network was down")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "offline")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")
    # The app's own question, accepted; not the browser's "Leave site?" on top of it.
    assert dialogs == ["confirm"]


def test_sign_out_is_cancelled_when_the_person_keeps_unsent_text(live_server, page, world):
    page.set_viewport_size(PHONE)
    _open_worksheet(page, live_server, world)
    mine = f"worksheet-{Worksheet.objects.get(participant=world['participant']).pk}"
    page.evaluate("([k]) => localStorage.setItem(k, JSON.stringify({'1': {value: 'unsent', revision: 0}}))", [mine])
    page.goto(live_server.url + "/me/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Martínez")
    assert page.evaluate("([k]) => localStorage.getItem(k)", [mine]) == '{"1":{"value":"unsent","revision":0}}'


def test_save_state_stays_in_sight_while_typing_at_the_end_of_a_long_worksheet(live_server, page, world, screenshot):
    page.set_viewport_size(PHONE)
    _open_worksheet(page, live_server, world)
    last = page.get_by_label("Question number 8?")
    last.scroll_into_view_if_needed()
    last.press_sequentially("Typed at the bottom", delay=20)
    status = page.locator("#save-state")
    expect(status).to_have_text("All changes saved")
    box = status.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= PHONE["height"]
    field = last.bounding_box()
    assert box["y"] + box["height"] <= field["y"] or box["y"] >= field["y"] + field["height"]  # never covers it
    screenshot("worksheet-bottom-phone")


def test_one_time_link_opens_with_its_button(live_server, page, world, axe_check):
    path = lost_link_path(person=world["participant"])
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    page.goto(live_server.url + path)  # a mail scanner's GET before the person's spends nothing
    expect(page.get_by_role("heading", level=1)).to_have_text("Open your page")
    axe_check()
    page.get_by_role("button", name="Open my page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Martínez")
    assert "/link/" not in page.url


ENDED = "Not saved: you are signed out (your personal link expired or was replaced). Copy any text you want to keep."
STORAGE = "() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))"


def _end_and_go_on(page, live_server, world, end):
    """Ana types on her worksheet, her session ends (`end`), she types again, then opens a page."""
    participant = world["participant"]
    _open_worksheet(page, live_server, world)
    earlier = f.worksheet(participant, f.session(participant.workshop, start_hour=15))
    page.get_by_label("Question number 1?").fill("Saved before")
    expect(page.locator("#save-state")).to_have_text("All changes saved")
    mine = f"worksheet-{Worksheet.objects.get(participant=participant, session=world['session']).pk}"
    page.evaluate(
        """([earlier]) => {
            localStorage.setItem(earlier, "{}");
            localStorage.setItem("worksheet-999999", JSON.stringify({"2": {"value": "theirs", "revision": 0}}));
        }""",
        [f"worksheet-{earlier.pk}"],
    )
    end()
    page.get_by_label("Question number 2?").fill("Typed after the end")
    expect(page.locator("#save-state")).to_have_text(ENDED)  # said, and not retried
    page.wait_for_timeout(1500)
    expect(page.locator("#save-state")).to_have_text(ENDED)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" (text not saved)
    page.goto(live_server.url + "/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open your personal link")
    expect(page.locator("html")).to_have_attribute("data-kept-text-cleared", "true")
    return mine, page.evaluate(STORAGE)


def test_revoked_session_says_so_and_the_next_page_keeps_only_unsent_text(live_server, page, world, screenshot):
    page.set_viewport_size(PHONE)
    mine, kept = _end_and_go_on(page, live_server, world, lambda: personal_link_revoke(person=world["participant"]))
    # Ana's record with text that never reached the server stays for her new link; her other one
    # (nothing unsent) is cleared; another person's stays.
    assert set(kept) == {mine, "worksheet-999999"}
    assert "Typed after the end" in kept[mine]
    screenshot("revoked-next-page-phone")


def test_expired_session_next_page_clears_all_of_the_persons_kept_text(live_server, page, world, monkeypatch):
    workshop = world["participant"].workshop
    workshop.links_valid_until = timezone.localdate()
    workshop.save(update_fields=["links_valid_until"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1))
    page.set_viewport_size(PHONE)
    _mine, kept = _end_and_go_on(page, live_server, world, lambda: monkeypatch.setattr(timezone, "now", lambda: later))
    # The link no longer opens, so no page could send Ana's unsent text any more: all of hers goes.
    assert kept == {"worksheet-999999": '{"2":{"value":"theirs","revision":0}}'}
