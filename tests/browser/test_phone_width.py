"""Every page a participant, a facilitator or the public sees fits a 390 px phone, in the longest
languages: nothing is cut off, nothing needs a sideways scroll (the 2005 demo's own texts)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from workshops.access import personal_link_path
from workshops.models import Assignment, Participant, Workshop

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
    page.goto(live_server.url + prefixed(language, "/me/"))
    page.locator("#sign-out button").click()
    expect(page.locator("html")).to_have_attribute("data-kept-text-cleared", "true")
    measure("signed-out")

    page.goto(live_server.url + personal_link_path(person=demo["assignment"].facilitator))
    measure("rotation", "/me/")
    measure("facilitator-session", f"/me/sessions/{session.pk}/")

    assert too_wide == {}, json.dumps(too_wide, indent=1, ensure_ascii=False)
