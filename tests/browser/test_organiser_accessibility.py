"""The pages organisers use most, the Django admin's change pages included, report no serious or
critical axe-core violation (WCAG 2.0/2.1 A and AA), on a small workshop with everything in it."""

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests import factories as f
from worksheets.models import Question
from worksheets.services import questions_create_defaults
from workshops.access import personal_link_path
from workshops.models import Availability

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registration"


@pytest.fixture
def world(live_server, page, settings):
    organiser = f.user(username="desk")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    mode = f.language_mode(workshop)
    room = f.room(workshop, name="Room A", mode=mode)
    group = f.group(workshop, name="A", room_obj=room)
    session = f.session(workshop, title="Counter-Trafficking", section=f.section("2.6"))
    question = f.question(workshop, text="What is your response?")
    questions_create_defaults(workshop=workshop)  # has questions already: adds none
    Question.objects.create(workshop=workshop, order=2, text="Personal notes", never_shared=True)
    session.guide_questions_en = "Who decides?"  # only in English: a readiness line on the board
    session.save()
    participant = f.participant(workshop, name="Lucía García", group=group, preferred_language="es")
    f.participant(workshop, name="Awa Diallo", group=group, preferred_language="fr")
    facilitator = f.facilitator(workshop, name="Hélène Marchetti")
    Availability.objects.create(facilitator=facilitator, start=session.start, end=session.end)
    f.assignment(facilitator, session, group)
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return {
        "facilitator": facilitator,
        "participant": participant,
        "workshop": workshop,
        "mode": mode,
        "room": room,
        "group": group,
        "session": session,
        "question": question,
    }


def test_organiser_pages_have_no_serious_accessibility_violation(live_server, page, world, axe_check):
    workshop = world["workshop"]
    base = f"/organise/{workshop.slug}"
    pages = {
        "home": "/organise/",
        "setup-details": f"{base}/setup/details/",
        "setup-languages": f"{base}/setup/languages/",
        "setup-rooms": f"{base}/setup/rooms/",
        "setup-sessions": f"{base}/setup/sessions/",
        "board": f"{base}/",
        "questions": f"{base}/questions/",
        "programme": f"{base}/programme/",
        "guide": f"{base}/sessions/{world['session'].pk}/guide/",
        "import": f"{base}/import/",
        "invitations": f"{base}/invitations/",
        "people": f"{base}/invitations/people/",
        "printables": f"{base}/printables/",
        "report": f"{base}/report/",
        "dashboard": f"{base}/dashboard/",
        "admin-workshop": f"/admin/workshops/workshop/{workshop.pk}/change/",
        "admin-room": f"/admin/workshops/room/{world['room'].pk}/change/",
        "admin-group": f"/admin/workshops/group/{world['group'].pk}/change/",
        "admin-session": f"/admin/workshops/breakoutsession/{world['session'].pk}/change/",
        "admin-question": f"/admin/worksheets/question/{world['question'].pk}/change/",
        "admin-participant": f"/admin/workshops/participant/{world['participant'].pk}/change/",
        "admin-facilitator": f"/admin/workshops/facilitator/{world['facilitator'].pk}/change/",
    }
    failures = {}

    def check(name):
        try:
            axe_check()
        except AssertionError as error:
            failures[name] = str(error)

    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, response.status)
        check(name)

    # The language tabs still switch, from the mouse and from the keyboard, without leaving the page.
    page.goto(f"{live_server.url}/admin/workshops/breakoutsession/{world['session'].pk}/change/")
    expect(page.locator("#id_title_es")).to_be_hidden()
    page.locator('li[aria-controls="tab_id_title_es"]').click()
    expect(page.locator("#id_title_es")).to_be_visible()
    expect(page.locator("#id_title_en")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#id_title_fr")).to_be_visible()
    # The workshop page's inline fields are named by their column and row, rows added on the page too.
    page.goto(f"{live_server.url}/admin/workshops/workshop/{workshop.pk}/change/")
    expect(page.locator("#id_rooms-0-capacity")).to_have_attribute("aria-label", "Capacity: Room A")
    page.locator("#rooms-group .add-row a").click()
    expect(page.locator("#id_rooms-1-capacity")).to_have_attribute("aria-label", "Capacity")
    check("admin-workshop-row-added")

    page.goto(f"{live_server.url}{base}/import/")
    page.get_by_label("Registration file").set_input_files(str(FIXTURES / "registration_errors.csv"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    check("import-preview")

    # The participant's worksheet, with its "never shared" note beside the personal notes.
    page.goto(live_server.url + personal_link_path(person=world["participant"]))
    page.goto(f"{live_server.url}/me/worksheets/{world['session'].pk}/")
    expect(page.locator(".never-shared")).to_have_count(1)
    check("participant-worksheet")

    assert failures == {}, "\n".join(f"{name}: {error}" for name, error in failures.items())
