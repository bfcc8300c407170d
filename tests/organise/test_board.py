"""The organiser's board: access per workshop, the grid, hand-made moves (applying proposals safely, the
service itself: tests/workshops/test_schedule_run_apply.py)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.workshops.test_schedule_run_apply import board_world
from workshops.models import Assignment

pytestmark = pytest.mark.django_db

DAKAR = ZoneInfo("Africa/Dakar")


@pytest.fixture
def world(organiser):
    return board_world(organiser)


def board_url(workshop):
    return reverse("organise:board", args=[workshop.slug])


def test_board_shows_rooms_sessions_and_problems(client, organiser, world):
    client.force_login(organiser)
    page = client.get(board_url(world["workshop"])).content.decode()
    for text in ("Room A", "Room D", "Labour", "Trafficking", "English only", "No facilitator"):
        assert text in page
    assert "Labour: Group A has 0 facilitators; 2 are required." in page


@pytest.mark.parametrize(
    ("prefix", "shown"),
    [
        ("", "Wednesday 10 March 2027, 11:00–13:00"),
        ("/es", "miércoles, 10 de marzo de 2027, 11:00–13:00"),
        ("/fr", "mercredi 10 mars 2027, 11:00–13:00"),
    ],
)
def test_board_shows_each_sessions_start_and_end_in_the_workshops_zone(client, organiser, prefix, shown):
    workshop = f.workshop(
        organisers=[organiser], timezone="Africa/Dakar", start_date=date(2027, 3, 10), end_date=date(2027, 3, 11)
    )
    f.session(
        workshop,
        title="Labour",
        start=datetime(2027, 3, 10, 11, tzinfo=DAKAR),
        end=datetime(2027, 3, 10, 13, tzinfo=DAKAR),
    )
    client.force_login(organiser)
    page = client.get(f"{prefix}{board_url(workshop)}").content.decode()
    assert page.count(shown) == 1


def test_board_is_404_for_another_workshops_organiser(client, other_organiser, world):
    client.force_login(other_organiser)
    assert client.get(board_url(world["workshop"])).status_code == 404
    response = client.post(
        reverse("organise:move_participant", args=[world["workshop"].slug]),
        {"participant": world["people"][0].pk, "group": world["d"].pk},
    )
    assert response.status_code == 404
    world["people"][0].refresh_from_db()
    assert world["people"][0].group == world["a"]


def test_board_requires_staff_login(client, world):
    response = client.get(board_url(world["workshop"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_moving_a_participant_by_hand_is_checked_and_kept(client, organiser, world):
    client.force_login(organiser)
    response = client.post(
        reverse("organise:move_participant", args=[world["workshop"].slug]),
        {"participant": world["spanish"].pk, "group": world["d"].pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Saved, but this breaks a rule:" in page
    assert "Solo Español speaks Spanish, but Group D meets in Room D (English)." in page
    world["spanish"].refresh_from_db()
    assert world["spanish"].group == world["d"] and world["spanish"].group_locked is True


def test_moving_a_participant_of_another_workshop_is_refused(client, organiser, world):
    client.force_login(organiser)
    stranger = f.participant(f.workshop())
    response = client.post(
        reverse("organise:move_participant", args=[world["workshop"].slug]),
        {"participant": stranger.pk, "group": world["d"].pk},
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.group is None


def test_swapping_facilitators_exchanges_their_groups_and_keeps_them(client, organiser, world):
    f0, f1 = world["facilitators"][:2]
    f.assignment(f0, world["morning"], world["a"])
    f.assignment(f1, world["morning"], world["d"])
    client.force_login(organiser)
    client.post(
        reverse("organise:swap_facilitators", args=[world["workshop"].slug]),
        {"session": world["morning"].pk, "first": f0.pk, "second": f1.pk},
    )
    assert Assignment.objects.get(facilitator=f0).group == world["d"]
    assert Assignment.objects.get(facilitator=f1).group == world["a"]
    assert set(Assignment.objects.values_list("locked", flat=True)) == {True}


def test_swapping_in_a_co_facilitator_who_shares_no_language_is_said(client, organiser, world):
    # Awa (French only) takes Bea's place beside Zed (English only): the team cannot talk.
    workshop, morning = world["workshop"], world["morning"]
    awa = f.facilitator(workshop, name="Awa", languages=["fr"])
    bea = f.facilitator(workshop, name="Bea", languages=["en"])
    zed = f.facilitator(workshop, name="Zed", languages=["en"])
    f.assignment(bea, morning, world["a"])
    f.assignment(zed, morning, world["a"])
    client.force_login(organiser)
    response = client.post(
        reverse("organise:swap_facilitators", args=[workshop.slug]),
        {"session": morning.pk, "first": bea.pk, "second": awa.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Saved, but this breaks a rule:" in page
    assert "Labour: Awa (French) and Zed (English) co-facilitate Group A but share no language." in page
    assert set(Assignment.objects.filter(session=morning).values_list("facilitator__name", flat=True)) == {"Awa", "Zed"}


def test_board_queries_constant(client, organiser):
    client.force_login(organiser)
    small = f.populated_workshop(participants=4, groups=2, sessions=1, facilitators=2, organisers=[organiser])
    large = f.populated_workshop(participants=60, groups=8, sessions=4, facilitators=16, organisers=[organiser])

    def count(workshop):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(board_url(workshop)).status_code == 200
        return len(ctx.captured_queries)

    count(small)
    assert count(large) == count(small)


@pytest.mark.parametrize(("prefix", "blank"), [("/es", "- Elija una opción -"), ("/fr", "- Choisir une option -")])
def test_board_blank_choice_is_translated(client, organiser, world, prefix, blank):
    """Django 6.1's Spanish catalogue leaves "- Select an option -" empty: ours supplies it."""
    client.force_login(organiser)
    page = client.get(prefix + board_url(world["workshop"])).content.decode()
    assert "- Select an option -" not in page
    assert page.count(f'<option value="" selected>{blank}</option>') == 8  # move (2), swap (3) and assign (3)
