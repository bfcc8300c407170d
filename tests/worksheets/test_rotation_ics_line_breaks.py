"""rotation.ics when titles and names carry line breaks (typed in by hand or imported): still a valid calendar."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests import factories as f
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db


def test_rotation_ics_workshop_title_with_a_line_break_is_a_valid_calendar(client):
    today = timezone.localdate()
    workshop = f.workshop(title="EMM Workshop\r\nGeneva", start_date=today, end_date=today + timedelta(days=1))
    group = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room\nC", directions="Ground\r\nfloor"))
    session = f.session(workshop, title="Counter-\nTrafficking", start_hour=15)
    me = f.facilitator(workshop, name="Me Facilitator")
    f.assignment(me, session, group)
    f.assignment(f.facilitator(workshop, name="Partner\r\nName"), session, group)
    assert client.get(personal_link_path(person=me)).status_code == 302

    response = client.get(reverse("worksheets:rotation_ical"))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "EMM Workshop Geneva"
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Counter- Trafficking · Group C"
    assert str(event["location"]) == "Room C (Ground floor)"
    assert str(event["description"]).splitlines()[-1] == "With: Partner Name"
