"""Itineraries and badges print in each person's own language, not the organiser's page's."""

import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    mode = f.language_mode(workshop, name="Tri-lingual", name_es="Trilingüe", name_fr="Trilingue")
    room = f.room(workshop, name="Room C", name_es="Sala C", name_fr="Salle C", mode=mode)
    group = f.group(workshop, name="C", room_obj=room)
    session = f.session(workshop, title="Counter-Trafficking", title_fr="Lutte contre la traite", start_hour=15)
    helene = f.facilitator(workshop, name="Hélène Marchetti", preferred_language="fr")
    kofi = f.facilitator(workshop, name="Kofi Mensah", preferred_language="en")
    f.assignment(helene, session, group)
    f.assignment(kofi, session, group)
    amadou = f.participant(
        workshop,
        name="Amadou Diallo",
        country="SN",
        group=group,
        preferred_language="fr",
        organisation="Ministère de l'Intérieur",
        languages=["fr", "en"],
    )
    lucia = f.participant(
        workshop,
        name="Lucía García",
        country="MX",
        group=group,
        preferred_language="es",
        organisation="Secretaría de Gobernación",
        languages=["es"],
    )
    return {"workshop": workshop, "amadou": amadou, "lucia": lucia}


def sheets(page: str, kind: str) -> dict[str, str]:
    """Each printed itinerary or badge, by the first name in its heading."""
    parts = re.split(r'<article class="(?:sheet )?' + kind, page)[1:]
    return {re.search(r"<h2[^>]*>(\w+)", part).group(1): part for part in parts}


def test_itineraries_print_in_each_facilitators_language(client, organiser, world):
    client.force_login(organiser)
    page = client.get(reverse("organise:itineraries", args=[world["workshop"].slug])).content.decode()
    itinerary = sheets(page, "itinerary")
    assert ("Lutte contre la traite" in itinerary["Hélène"], "Salle C" in itinerary["Hélène"]) == (True, True)
    assert "Trilingue" in itinerary["Hélène"]
    assert "2030" in itinerary["Hélène"] and "septembre" in itinerary["Hélène"]
    assert "Quand" in itinerary["Hélène"]  # the interface words too
    assert ("Counter-Trafficking" in itinerary["Kofi"], "Room C" in itinerary["Kofi"]) == (True, True)
    assert "When" in itinerary["Kofi"]


def test_badges_print_in_each_participants_language_with_organisation_and_languages(client, organiser, world):
    client.force_login(organiser)
    page = client.get(reverse("organise:badges", args=[world["workshop"].slug])).content.decode()
    badge = sheets(page, "badge-card")
    assert "Ministère de l&#x27;Intérieur" in badge["Amadou"]
    assert "français, anglais" in badge["Amadou"].lower() and "Sénégal" in badge["Amadou"]
    assert "Salle C" in badge["Amadou"]
    assert "Secretaría de Gobernación" in badge["Lucía"]
    assert "español" in badge["Lucía"].lower() and "México" in badge["Lucía"]
    assert "Sala C" in badge["Lucía"]


def test_printables_index_says_which_sets_follow_each_persons_language(client, organiser, world):
    client.force_login(organiser)
    page = client.get(reverse("organise:printables", args=[world["workshop"].slug])).content.decode()
    assert "each itinerary and badge in its person's preferred language" in page
    french = client.get("/fr" + reverse("organise:printables", args=[world["workshop"].slug])).content.decode()
    assert "chaque itinéraire et chaque badge dans la langue préférée de la personne" in french
