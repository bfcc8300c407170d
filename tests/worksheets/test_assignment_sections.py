"""The facilitator's session page is long on a phone: a list of its parts leads to each one."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db


def test_assignment_page_links_to_each_of_its_parts(client):
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    group = f.group(workshop)
    session = f.session(workshop)
    facilitator = f.facilitator(workshop)
    f.assignment(facilitator, session, group)
    f.participant(workshop, group=group)
    client.get(personal_link_path(person=facilitator))
    page = client.get(reverse("worksheets:assignment", args=[session.pk])).content.decode()
    nav = re.search(r'<nav aria-label="On this page"[^>]*>(.*?)</nav>', page, re.S)
    assert nav is not None
    links = re.findall(r'<a[^>]*href="#([\w-]+)"[^>]*>(.*?)</a>', nav.group(1))
    assert [text for _target, text in links] == [
        "Attendance",
        "Session guide",
        "The group",
        "Our notes",
        "Shared answers",
        "The group's summary",
    ]
    for target, _text in links:
        assert len(re.findall(rf'\bid="{target}"', page)) == 1, target
