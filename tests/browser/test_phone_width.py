"""Every page a participant, a facilitator or the public sees fits a 390 px phone, in the longest
languages: nothing is cut off, nothing needs a sideways scroll (the 2005 demo's own texts). The
organisers' pages fit a 375 px phone with their wide tables scrolling inside their own box."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from workshops.access import personal_link_path
from workshops.models import Assignment, Participant, Workshop
from workshops.repair import repair_propose

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# The page's width against the window's; the boxes whose content is wider than they are (a
# `.table-responsive` whose table is wider than the phone hides its last columns just as surely as
# a wide page, and a date spilling out of its card is cut on screen); and, for the failure message,
# the innermost elements whose right edge passes the window's.
MEASURE = """() => {
    const limit = window.innerWidth + 0.5;
    const name = el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
    const text = el => (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    const out = [], clipped = [];
    for (const el of document.body.querySelectorAll("*")) {
        const right = el.getBoundingClientRect().right;
        if (right > limit && ![...el.children].some(c => c.getBoundingClientRect().right > limit)) {
            out.push(`${name(el)} ${Math.round(right)}px: ${text(el)}`);
        }
        if (el.clientWidth > 1 && !el.matches("input, textarea, select") && el.scrollWidth > el.clientWidth + 1) {
            clipped.push(`${name(el)} ${el.scrollWidth}px in ${el.clientWidth}px: ${text(el)}`);
        }
    }
    return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
            out: out.slice(0, 5), clipped: clipped.slice(0, 5)};
}"""


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())
    workshop = Workshop.objects.get(slug="idm-2005-capacity")
    participant = Participant.objects.filter(workshop=workshop, group__isnull=False).order_by("email").first()
    assignment = Assignment.objects.filter(session__workshop=workshop).order_by("facilitator__email", "pk").first()
    return {"workshop": workshop, "participant": participant, "assignment": assignment}


def prefixed(language, path):
    return path if language == "en" else f"/{language}{path}"


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_pages_fit_a_phone_without_sideways_scroll(live_server, page, demo, language, screenshot):
    page.set_viewport_size(PHONE)
    too_wide = {}

    def measure(name, path=None):
        if path is not None:
            page.goto(live_server.url + prefixed(language, path))
        expect(page.locator("html")).to_have_attribute("lang", language)
        found = page.evaluate(MEASURE)
        if found["scroll"] > found["inner"] or found["clipped"]:
            too_wide[name] = found
            screenshot(f"too-wide-{name}-{language}")

    workshop, session = demo["workshop"], demo["assignment"].session
    for person in (demo["participant"], demo["assignment"].facilitator):
        person.preferred_language = language  # their link opens their pages in it
        person.save(update_fields=["preferred_language"])
    measure("home", "/")
    measure("programme", workshop.get_absolute_url())
    measure("curriculum", "/curriculum/")
    measure("section", "/curriculum/emm/2.6/")
    measure("iamm", "/curriculum/iamm/")
    measure("lost-link", "/link/lost/")
    page.locator("#id_email").fill("nobody@example.org")
    page.locator("#id_email").press("Enter")
    expect(page.locator("[role=status]")).to_be_visible()
    measure("lost-link-sent")
    measure("bad-link", "/link/not-a-token/")
    measure("404", "/no-such-page/")

    page.goto(live_server.url + personal_link_path(person=demo["participant"]))
    measure("my-day", "/me/")
    measure("worksheet", f"/me/worksheets/{session.pk}/")
    measure("group-summary", f"/me/summaries/{session.pk}/")
    measure("evaluation", f"/me/evaluation/{session.pk}/")
    measure("evaluation-workshop", "/me/evaluation/workshop/")
    measure("knowledge-check", f"/me/knowledge/{session.pk}/after/")
    page.goto(live_server.url + prefixed(language, "/me/"))
    page.locator("#sign-out button").click()
    expect(page.locator("html")).to_have_attribute("data-kept-text-cleared", "true")
    measure("signed-out")

    page.goto(live_server.url + personal_link_path(person=demo["assignment"].facilitator))
    measure("rotation", "/me/")
    measure("facilitator-session", f"/me/sessions/{session.pk}/")

    assert too_wide == {}, json.dumps(too_wide, indent=1, ensure_ascii=False)


# The back office on a 375 px phone: the page itself never scrolls sideways; a table wider than the
# phone scrolls inside its own box (an ancestor that scrolls sideways), so nothing else is pushed out.
BACK_OFFICE_MEASURE = """() => {
    const limit = window.innerWidth + 0.5;
    const name = el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
    const text = el => (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    const scrolls = el => {
        // An absolutely positioned element is clipped by a scrolling box only when its containing block is in it.
        const from = getComputedStyle(el).position === "absolute" ? el.offsetParent : el.parentElement;
        for (let up = from; up && up !== document.body; up = up.parentElement) {
            const overflow = getComputedStyle(up).overflowX;
            if ((overflow === "auto" || overflow === "scroll") && up.getBoundingClientRect().right <= limit) return true;
        }
        return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > limit && !scrolls(el)
            && ![...el.children].some(c => c.getBoundingClientRect().right > limit)) {
            out.push(`${name(el)} ${Math.round(box.right)}px: ${text(el)}`);
        }
    }
    return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, out: out.slice(0, 5)};
}"""


def _repair(workshop, assignment):
    """A repair of the day proposed for the demo: its preview lists each change by name."""
    session = workshop.sessions.order_by("start").first()
    return repair_propose(workshop=workshop, facilitator=assignment.facilitator, start=session.start, now=session.start)


def test_back_office_tables_scroll_in_their_own_box_on_a_phone(live_server, page, demo, settings, screenshot):
    workshop = demo["workshop"]
    client = Client()
    client.force_login(workshop.organisers.first())
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.set_viewport_size({"width": 375, "height": 812})
    base = f"/organise/{workshop.slug}"
    too_wide = {}

    def measure(name, path=None):
        if path is not None:
            assert page.goto(live_server.url + path).status == 200, name
        found = page.evaluate(BACK_OFFICE_MEASURE)
        if found["scroll"] > found["inner"] or found["out"]:
            too_wide[name] = found
            screenshot(f"too-wide-back-office-{name}")

    for name, path in {
        "home": "/organise/",
        "board": f"{base}/",
        "setup-rooms": f"{base}/setup/rooms/",
        "setup-sessions": f"{base}/setup/sessions/",
        "questions": f"{base}/questions/",
        "guide": f"{base}/sessions/{demo['assignment'].session.pk}/guide/",
        "import": f"{base}/import/",
        "invitations": f"{base}/invitations/",
        "people": f"{base}/invitations/people/",
        "printables": f"{base}/printables/",
        "report": f"{base}/report/",
        "dashboard": f"{base}/dashboard/",
        "report-back": f"{base}/report-back/",
        "report-back-session": f"{base}/report-back/{workshop.sessions.order_by('start').first().pk}/",
        "evaluation": f"{base}/evaluation/",
        "knowledge-check": f"{base}/evaluation/knowledge/{demo['assignment'].session.pk}/",
        "evaluation-report": f"{base}/evaluation/report/",
        "certificates": f"{base}/certificates/",
        "summary": f"{base}/summary/",
        "repair": f"{base}/repair/",
        "repair-preview": f"{base}/repair/{_repair(workshop, demo['assignment']).pk}/",
    }.items():
        measure(name, path)
    page.goto(f"{live_server.url}{base}/import/")
    registration = Path(__file__).resolve().parents[1] / "fixtures" / "registration" / "registration_errors.csv"
    page.get_by_label("Registration file").set_input_files(str(registration))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    measure("import-preview")

    assert too_wide == {}, json.dumps(too_wide, indent=1, ensure_ascii=False)
