"""A facilitator on a phone: itinerary, the guide in French, notes, shared answers appearing live."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from curriculum.models import SectionItem
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import TeamNote
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    section = f.section("3.12", title_en="Irregular Migration", title_fr="Migration irrégulière")
    SectionItem.objects.create(
        section=section, kind="guiding_question", text_en="Who is trafficked?", text_fr="Qui est victime de la traite ?"
    )
    group = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C"))
    session = f.session(
        workshop, title_en="Counter-Trafficking", title_fr="Lutte contre la traite des personnes", section=section
    )
    facilitator = f.facilitator(workshop, name="Hélène Marchetti", preferred_language="fr")
    f.assignment(facilitator, session, group)
    question = f.question(workshop, text_en="What is your response?", text_fr="Que pensez-vous ?")
    ana = f.participant(workshop, name="Ana", group=group)
    bo = f.participant(workshop, name="Bo", group=group)
    return {"session": session, "facilitator": facilitator, "question": question, "ana": ana, "bo": bo}


def test_facilitator_journey(live_server, page, world, screenshot, axe_check, settings):
    # One anonymous sharer (Bo) is enough here; the threshold is tested in test_report_anonymity.py.
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + personal_link_path(person=world["facilitator"]))
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # her language, remembered
    expect(page.get_by_text("Room C")).to_be_visible()
    screenshot("rotation-phone-fr")
    axe_check()

    page.locator("a[href*='/me/sessions/']").click()
    expect(page.get_by_text("Qui est victime de la traite ?")).to_be_visible()
    # In the roster (the rapporteur's choice lists her too).
    expect(page.get_by_role("cell", name="Ana", exact=True)).to_be_visible()
    expect(page.locator("form[data-storage-key^='notes-']")).to_have_attribute("data-ready", "true")

    page.locator("#notes").fill("Commencer par la carte du système d'orientation")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    assert TeamNote.objects.get().text == "Commencer par la carte du système d'orientation"

    # Bo shares anonymously, Ana keeps hers private: only Bo's appears (after a reload).
    private = f.worksheet(world["ana"], world["session"])
    f.answer(private, world["question"], text="Réflexion privée")
    shared = f.worksheet(world["bo"], world["session"], sharing=Sharing.ANONYMOUS)
    f.answer(shared, world["question"], text="Idée partagée")
    page.reload()
    expect(page.get_by_text("Idée partagée")).to_be_visible()
    expect(page.get_by_text("Réflexion privée")).to_have_count(0)
    expect(page.locator("#notes")).to_have_value("Commencer par la carte du système d'orientation")
    screenshot("assignment-phone-fr")
    axe_check()
