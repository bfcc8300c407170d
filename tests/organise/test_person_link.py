"""The people page's "Show link": one person's link, to their workshop's organisers only, never kept or listed."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from workshops.models import Facilitator, Participant

pytestmark = pytest.mark.django_db

LINK = re.compile(r'value="http://testserver(/(?:es/|fr/)?link/[^/"]+/)"')


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    ana = f.participant(workshop, name="Ana Ruiz", email="ana@example.org", preferred_language="es")
    awa = f.facilitator(workshop, name="Awa Sissoko", email="awa@example.org")
    stranger = f.participant(f.workshop(), name="Stranger", email="stranger@example.org")
    return {"workshop": workshop, "ana": ana, "awa": awa, "stranger": stranger}


def url(name, workshop):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug})


def show(client, workshop, reference, **extra):
    return client.post(url("invitation_link", workshop), {"person": reference, **extra})


def opens_as(path) -> str | None:
    """Whose login the link signs a fresh browser in as (None when it does not open)."""
    browser = Client()
    # The language the link's page activates stays active in this thread after it (the test client runs
    # every browser in one thread): restored here so that the organiser's next page is as it would be.
    with translation.override(translation.get_language()):
        response = browser.get(path)
    if response.status_code != 302 or not response["Location"].rstrip("/").endswith("/me"):
        return None
    user_id = int(browser.session[SESSION_KEY])
    person = Participant.objects.filter(user_id=user_id).first() or Facilitator.objects.filter(user_id=user_id).first()
    return person.name


@pytest.mark.parametrize("key", ["ana", "awa"])
def test_show_link_gives_the_persons_working_link_uncached(client, organiser, world, key):
    client.force_login(organiser)
    person = world[key]
    response = show(client, world["workshop"], f"{type(person).__name__.lower()}:{person.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    path = LINK.search(response.content.decode()).group(1)
    assert opens_as(path) == person.name


def test_the_link_opens_in_the_persons_language_whatever_the_organisers(client, organiser, world):
    client.force_login(organiser)
    page = show(client, world["workshop"], f"participant:{world['ana'].pk}").content.decode()
    assert LINK.search(page).group(1).startswith("/es/link/")
    assert "Ana Ruiz’s personal link" in page  # the page itself in the organiser's language


def test_showing_the_link_again_keeps_the_first_working(client, organiser, world):
    client.force_login(organiser)
    first = LINK.search(show(client, world["workshop"], f"participant:{world['ana'].pk}").content.decode()).group(1)
    show(client, world["workshop"], f"participant:{world['ana'].pk}")
    assert opens_as(first) == "Ana Ruiz"


def test_replacing_needs_the_confirmation_then_the_old_link_stops_working(client, organiser, world):
    client.force_login(organiser)
    reference = f"participant:{world['ana'].pk}"
    old = LINK.search(show(client, world["workshop"], reference).content.decode()).group(1)
    refused = show(client, world["workshop"], reference, replace="1")
    assert refused.status_code == 400
    assert "Nothing was replaced: tick the box" in refused.content.decode()
    assert not LINK.search(refused.content.decode())
    assert opens_as(old) == "Ana Ruiz"
    response = show(client, world["workshop"], reference, replace="1", confirm="1")
    assert response.status_code == 200
    assert "A new link is issued: the old one no longer works." in response.content.decode()
    new = LINK.search(response.content.decode()).group(1)
    assert new != old
    assert opens_as(old) is None
    assert opens_as(new) == "Ana Ruiz"


def test_the_people_page_offers_the_link_but_never_lists_it(client, organiser, world):
    client.force_login(organiser)
    page = client.get(url("invitation_people", world["workshop"])).content.decode()
    assert f'formaction="{url("invitation_link", world["workshop"])}" value="participant:{world["ana"].pk}"' in page
    assert not re.search(r"(?<!invitations)/link/(?!lost/)", page)  # no personal link (/link/<token>/)


def test_another_workshops_person_or_team_gets_404_and_get_is_refused(client, organiser, other_organiser, world):
    client.force_login(organiser)
    assert show(client, world["workshop"], f"participant:{world['stranger'].pk}").status_code == 404
    assert show(client, world["workshop"], "participant:nope").status_code == 404
    assert client.get(url("invitation_link", world["workshop"])).status_code == 405
    client.force_login(other_organiser)
    assert show(client, world["workshop"], f"participant:{world['ana'].pk}").status_code == 404
    assert (
        show(client, world["workshop"], f"participant:{world['ana'].pk}", replace="1", confirm="1").status_code == 404
    )
    client.logout()
    response = show(client, world["workshop"], f"participant:{world['ana'].pk}")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
