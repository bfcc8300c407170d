"""An impossible run links each reason to the page where what it is about is changed (issue 15:
"impossible input links to the page that fixes it")."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from workshops.models import ScheduleRun
from workshops.scheduling.checker import Rule

pytestmark = pytest.mark.django_db


def _impossible(workshop, problems):
    return ScheduleRun.objects.create(
        workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT, status=ScheduleRun.Status.INFEASIBLE, problems=problems
    )


def test_each_reason_of_an_impossible_run_links_to_where_it_is_fixed(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    f.room(workshop, name="Room A")
    run = _impossible(
        workshop,
        [
            [Rule.CAPACITY, "There are 120 participants, but the rooms seat only 100."],
            [Rule.NO_OVERLAP, "Labour and Trafficking overlap in time, and every group attends both."],
            [Rule.AVAILABILITY, "Fatou is locked into Labour but is not available then."],
        ],
    )
    client.force_login(organiser)
    body = client.get(reverse("organise:run", kwargs={"slug": workshop.slug, "run_id": run.pk})).content.decode()
    slug = {"slug": workshop.slug}
    rooms, sessions = reverse("organise:setup_rooms", kwargs=slug), reverse("organise:setup_sessions", kwargs=slug)
    facilitators = reverse("admin:workshops_facilitator_changelist") + f"?workshop__id__exact={workshop.pk}"
    items = body.split("<li>")
    capacity = next(item for item in items if "rooms seat only 100" in item)
    overlap = next(item for item in items if "overlap in time" in item)
    availability = next(item for item in items if "not available then" in item)
    assert f'href="{rooms}"' in capacity and "Rooms and their languages" in capacity
    assert f'href="{sessions}"' in overlap and rooms not in overlap
    assert f'href="{facilitators}"'.replace("&", "&amp;") in availability or f'href="{facilitators}"' in availability
    assert client.get(rooms).status_code == 200 and client.get(sessions).status_code == 200
    assert client.get(facilitators).status_code == 200


def test_the_links_read_in_the_readers_language(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    run = _impossible(workshop, [[Rule.CAPACITY, "x"]])
    client.force_login(organiser)
    with translation.override("es"):  # the page's Spanish address, /es/organise/…
        url = reverse("organise:run", kwargs={"slug": workshop.slug, "run_id": run.pk})
    body = client.get(url).content.decode()
    assert "Salas y sus idiomas" in body and "Cámbielo aquí:" in body
