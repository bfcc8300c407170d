"""What a solver run's page says about its score and the proven bound (issue 13).

A bare "proven lower bound 82" next to "objective 179" reads as a 54 % gap, as if the plan were
twice as bad as the best; the bound only says no plan can score below it. The page says so.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from workshops.models import ScheduleRun

pytestmark = pytest.mark.django_db


def run_page(client, organiser, prefix="", **fields):
    workshop = f.workshop(organisers=[organiser])
    run = ScheduleRun.objects.create(
        workshop=workshop, kind=ScheduleRun.Kind.PLACEMENT, status=ScheduleRun.Status.APPLIED, **fields
    )
    client.force_login(organiser)
    with translation.override("en"):
        url = reverse("organise:run", args=[workshop.slug, run.pk])
    response = client.get(prefix + url.removeprefix("/") if prefix else url)
    assert response.status_code == 200
    # The score's sentence, as the page shows it (the status line under the title).
    found = re.search(r'<span id="run-objective"[^>]*>(.*?)</span>', response.content.decode(), re.S)
    assert found, "no score on the page"
    return " ".join(found.group(1).split())


def test_a_loose_bound_is_said_to_be_a_floor_not_a_gap(client, organiser):
    page = run_page(client, organiser, objective=179, bound=82)
    assert "This plan scores 179 (lower is better)." in page
    assert "The best possible score is at least 82" in page
    assert "somewhere between 82 and 179" in page
    assert "lower bound" not in page and "gap" not in page


def test_a_plan_that_reaches_its_bound_is_said_to_be_the_best(client, organiser):
    page = run_page(client, organiser, objective=65, bound=65)
    assert "This plan scores 65 (lower is better): no plan can score lower." in page
    assert "at least" not in page


def test_no_bound_only_the_score(client, organiser):
    page = run_page(client, organiser, objective=40, bound=None)
    assert "This plan scores 40 (lower is better)." in page
    assert "best possible" not in page


@pytest.mark.parametrize(("prefix", "words"), [("/es/", "al menos 82"), ("/fr/", "au moins 82")])
def test_the_sentence_is_translated(client, organiser, prefix, words):
    assert words in run_page(client, organiser, prefix=prefix, objective=179, bound=82)
