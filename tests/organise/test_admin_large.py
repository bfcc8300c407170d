"""The admin at the 3,000 size: pages that can be saved (under Django's field limit) and a delete page that counts.

A workshop of 3,000 participants has about 100 groups and rooms; its change page inlined them
all (1,318 fields, over `DATA_UPLOAD_MAX_NUMBER_FIELDS`, so it could not be saved from about 75
groups on), and its delete page loaded all 245,723 rows to say "cannot delete".
"""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from worksheets.models import Answer, Worksheet
from workshops.models import BreakoutSession, Facilitator, Group, Participant, Room, Workshop
from workshops.services import workshop_check

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """What a browser sends for the admin's change form: every named input, chosen option and text area."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._select, self._textarea = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or (tag not in ("input", "select", "option", "textarea")):
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file", "reset"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.data.append((name, attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def big_workshop(organiser, *, groups: int, participants: int = 0) -> Workshop:
    """A workshop of many groups (each in its own room), six sessions and a few people."""
    workshop = f.workshop(organisers=[organiser])
    mode = f.language_mode(workshop)
    group_objs = [
        f.group(workshop, room_obj=f.room(workshop, mode=mode, capacity=30), name=f"G{i:03d}") for i in range(groups)
    ]
    sessions = [f.session(workshop, start_hour=9 + 2 * (i % 4), day=i // 4) for i in range(6)]
    question = f.question(workshop)
    for i in range(participants):
        person = f.participant(workshop, group=group_objs[i % groups])
        for session in sessions[:2]:
            f.answer(f.worksheet(person, session), question, text="Some thoughts")
    f.facilitator(workshop)
    return workshop


def test_workshop_change_page_with_many_groups_is_saved_under_djangos_field_limit(client, organiser):
    workshop = big_workshop(organiser, groups=80)
    client.force_login(organiser)
    path = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    page = client.get(path)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "workshop_form")
    fields = sum(len(values) for values in data.values())
    assert 0 < fields < 200 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    # Groups and rooms are linked to, as lists filtered to this workshop, not inlined row by row.
    html = page.content.decode()
    assert f'href="{reverse("admin:workshops_group_changelist")}?workshop__id__exact={workshop.pk}"' in html
    assert f'href="{reverse("admin:workshops_room_changelist")}?workshop__id__exact={workshop.pk}"' in html
    assert "80 groups" in html and "80 rooms" in html

    data["title_en"] = ["Renamed at scale"]
    data["_continue"] = ["Save and continue editing"]
    response = client.post(path, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    workshop.refresh_from_db()
    assert workshop.title_en == "Renamed at scale"
    assert Group.objects.filter(workshop=workshop).count() == 80  # nothing lost with the rows not shown


def test_small_workshop_keeps_its_rooms_and_groups_inline(client, organiser):
    workshop = big_workshop(organiser, groups=3)
    client.force_login(organiser)
    page = client.get(reverse("admin:workshops_workshop_change", args=[workshop.pk]))
    data = form_data(page.content.decode(), "workshop_form")
    assert data["groups-TOTAL_FORMS"] == ["3"] and data["rooms-TOTAL_FORMS"] == ["3"]
    assert data["sessions-TOTAL_FORMS"] == ["6"]


@pytest.mark.parametrize(
    "model", [Group, Room, BreakoutSession, Participant, Facilitator], ids=lambda model: model.__name__
)
def test_other_change_pages_of_a_large_workshop_stay_under_the_field_limit(client, organiser, model):
    workshop = big_workshop(organiser, groups=80, participants=3)
    client.force_login(organiser)
    obj = model.objects.filter(workshop=workshop).first()
    path = reverse(f"admin:workshops_{model._meta.model_name}_change", args=[obj.pk])
    page = client.get(path)
    data = form_data(page.content.decode(), f"{model._meta.model_name}_form")
    assert 0 < sum(len(values) for values in data.values()) < 200
    data["_continue"] = ["Save and continue editing"]
    response = client.post(path, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


def loaded_rows(client, path) -> tuple[int, int, str]:
    """How many model instances and queries the page takes, and its text."""
    loaded = []

    def count(sender, **kwargs):
        loaded.append(sender)

    post_init.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    finally:
        post_init.disconnect(count)
    assert response.status_code == 200
    return len(loaded), len(queries), response.content.decode()


def test_workshop_delete_page_counts_instead_of_loading_every_row(client, organiser):
    client.force_login(organiser)
    small = big_workshop(organiser, groups=12, participants=2)  # already more groups than the page names
    large = big_workshop(organiser, groups=30, participants=60)
    path = lambda w: reverse("admin:workshops_workshop_delete", args=[w.pk])  # noqa: E731
    loaded_rows(client, path(small))  # warms the content-type cache
    small_loaded, small_queries, _html = loaded_rows(client, path(small))
    large_loaded, large_queries, html = loaded_rows(client, path(large))
    assert Answer.objects.filter(worksheet__session__workshop=large).count() == 120
    # The rows loaded are the page's own (the workshop, the user, the protecting rows it names), not the data.
    assert (large_loaded, large_queries) == (small_loaded, small_queries)
    assert large_loaded < 100  # the named protecting rows come with what they point to
    # Its groups and rooms protect the workshop: said plainly, with the first of them and how many more.
    assert "would require deleting the following protected related objects" in html
    assert "and 20 more groups" in html and "and 20 more rooms" in html


def test_session_delete_page_says_how_many_of_each_kind_go_with_it(client, organiser):
    client.force_login(organiser)
    workshop = big_workshop(organiser, groups=4, participants=8)
    session = workshop.sessions.order_by("start").first()
    _loaded, _queries, html = loaded_rows(client, reverse("admin:workshops_breakoutsession_delete", args=[session.pk]))
    worksheets = Worksheet.objects.filter(session=session).count()
    assert worksheets == 8
    assert f"<li>{Worksheet._meta.verbose_name_plural.capitalize()}: {worksheets}</li>" in html
    assert f"<li>{Answer._meta.verbose_name_plural.capitalize()}: {worksheets}</li>" in html
    response = client.post(reverse("admin:workshops_breakoutsession_delete", args=[session.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Worksheet.objects.filter(session_id=session.pk).exists()


def test_workshop_page_lists_the_first_broken_rules_and_counts_the_rest(client, organiser):
    workshop = big_workshop(organiser, groups=2)
    for _ in range(30):
        f.participant(workshop)  # nobody placed them in a group: one broken rule each
    client.force_login(organiser)
    html = client.get(reverse("admin:workshops_workshop_change", args=[workshop.pk])).content.decode()
    assert html.count('class="schedule-problem"') == 21
    assert len(workshop_check(workshop=workshop)) == 30 + 12  # and 2 groups × 6 sessions without facilitators
    assert "and 22 more; the board shows every one." in html
