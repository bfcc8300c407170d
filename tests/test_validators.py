"""Faults an HTML validator finds: duplicate ids, unlabelled fields, machine-readable times with
microseconds, a missing favicon, pages without a meta description."""

import re
from collections import Counter
from datetime import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests import factories as f

pytestmark = pytest.mark.django_db


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.label_for, self.fields, self.meta, self.times = Counter(), set(), [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag == "label" and "for" in attrs:
            self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.fields.append(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content", "")
        if tag == "time" and "datetime" in attrs:
            self.times.append(attrs["datetime"])


def markup(response) -> _Markup:
    parser = _Markup()
    parser.feed(response.content.decode())
    return parser


def test_board_has_no_duplicate_ids_and_every_field_is_labelled(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    f.group(workshop, name="A")
    f.session(workshop)
    f.participant(workshop)
    f.facilitator(workshop)
    client.force_login(organiser)
    page = markup(client.get(reverse("organise:board", args=[workshop.slug])))
    assert [name for name, count in page.ids.items() if count > 1] == []
    unlabelled = [field.get("name") for field in page.fields if field.get("id") not in page.label_for]
    assert unlabelled == []


def test_dashboard_times_carry_no_microseconds(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    client.force_login(organiser)
    page = markup(client.get(reverse("organise:dashboard", kwargs={"slug": workshop.slug})))
    assert len(page.times) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", page.times[0]), page.times[0]
    status = client.get(reverse("organise:dashboard_status", kwargs={"slug": workshop.slug})).json()
    assert datetime.fromisoformat(status["updated_at"]).microsecond == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", status["updated_at"]), status["updated_at"]


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    with Image.open(finders.find("favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert icon.size == (32, 32)
    assert finders.find("favicon.svg") is not None


def test_pages_link_their_icon(client):
    page = client.get(reverse("workshops:home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in page


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_public_pages_have_a_meta_description(client, language):
    workshop = f.workshop(title_en="Developing Capacity to Manage Migration")
    prefix = "" if language == "en" else f"/{language}"
    for path in ("/", f"/workshops/{workshop.slug}/", "/curriculum/", "/link/lost/"):
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        description = markup(response).meta.get("description", "")
        assert len(description) >= 40, (path, description)


def test_workshop_page_describes_the_workshop(client):
    workshop = f.workshop(title_en="Developing Capacity to Manage Migration")
    description = markup(client.get(f"/workshops/{workshop.slug}/")).meta["description"]
    assert description.startswith("Developing Capacity to Manage Migration: ")
