"""The whole day, as the people of the 2005 demo see it: the public programme, my day and the rotation
show the plenary items among the break-out sessions, with no serious accessibility violation."""

from io import StringIO

import pytest
from django.core.management import call_command

from workshops.access import personal_link_path
from workshops.models import Assignment, Participant, Workshop

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_whole_day_reads_in_order_and_passes_axe(live_server, page, axe_check):
    call_command("load_demo", stdout=StringIO())
    workshop = Workshop.objects.get(slug="idm-2005-capacity")
    participant = Participant.objects.filter(workshop=workshop, group__isnull=False).order_by("email").first()
    facilitator = Assignment.objects.filter(session__workshop=workshop).order_by("pk").first().facilitator
    for person in (participant, facilitator):  # read in English here (the demo's people speak all three)
        person.preferred_language = "en"
        person.save()

    def texts(selector):
        return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]

    page.goto(live_server.url + workshop.get_absolute_url())
    rows = texts("#programme ~ ol li")
    assert rows[0].startswith("09:30–10:00") and "Opening of the workshop" in rows[0]
    assert [row[:11] for row in rows[3:6]] == ["11:00–13:00", "13:00–15:00", "15:00–17:00"]
    axe_check()

    page.goto(live_server.url + personal_link_path(person=participant))
    day = texts("ol.list-unstyled > li")
    room = participant.group.room.name
    assert f"11:00–13:00 · {room}" in day[4] and "Lunch" in day[5] and f"15:00–17:00 · {room}" in day[6]
    axe_check()

    page.goto(live_server.url + personal_link_path(person=facilitator))
    rotation = " ".join(texts("ol.rotation > li"))
    assert rotation.index("Opening of the workshop") < rotation.index("Lunch") < rotation.index("Closing")
    axe_check()
