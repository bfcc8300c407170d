"""The solver behind the board and the commands, end to end on a generated workshop."""

import pytest
from django.urls import reverse

from tests import factories as f
from workshops.models import ScheduleRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(organiser):
    from workshops.schedule_store import schedule_store
    from workshops.scheduling.generate import schedule_generate

    schedule = schedule_generate(participants=100, groups=5, sessions=2, facilitators=12, countries=40, seed=1)
    return schedule_store(schedule=schedule, slug="generated", title="Generated", organisers=[organiser])


def test_place_then_rotate_from_the_board_meets_every_rule(
    client, organiser, generated, django_capture_on_commit_callbacks
):
    from workshops.services import workshop_check

    client.force_login(organiser)
    for kind in ("placement", "rotation"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("organise:run_start", args=["generated"]), {"kind": kind, "time_limit": 3})
        run = ScheduleRun.objects.get(kind=kind)
        assert response["Location"] == reverse("organise:run", args=["generated", run.pk])
        assert run.status == ScheduleRun.Status.DONE, (run.status, run.problems, run.error)
        assert run.progress  # objective over time, for the progress display
        page = client.get(response["Location"]).content.decode()
        assert "What would change" in page
        status = client.get(reverse("organise:run_status", args=["generated", run.pk])).json()
        assert status["finished"] is True
        client.post(reverse("organise:run_apply", args=["generated", run.pk]))
        run.refresh_from_db()
        assert run.status == ScheduleRun.Status.APPLIED
    assert workshop_check(workshop=generated) == []


def test_impossible_placement_is_explained_and_changes_nothing(client, organiser, django_capture_on_commit_callbacks):
    workshop = f.workshop(organisers=[organiser])
    a = f.group(workshop, name="A", room_obj=f.room(workshop, capacity=1))
    f.group(workshop, name="D", room_obj=f.room(workshop, capacity=1))
    people = [f.participant(workshop, group=a if i == 0 else None) for i in range(5)]  # 5 people, 2 seats
    world = {"workshop": workshop, "people": people, "a": a}
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organise:run_start", args=[world["workshop"].slug]), {"kind": "placement", "time_limit": 2}
        )
    run = ScheduleRun.objects.get()
    assert run.status == ScheduleRun.Status.INFEASIBLE
    page = client.get(response["Location"]).content.decode()
    assert "This cannot be done as the workshop stands:" in page
    assert run.problems and all(message for _rule, message in run.problems)
    world["people"][0].refresh_from_db()
    assert world["people"][0].group == world["a"]


def test_place_participants_command_dry_run_and_apply(generated):
    from io import StringIO

    from django.core.management import call_command

    from workshops.models import Participant

    out = StringIO()
    call_command("place_participants", "generated", "--time-limit", "2", "--dry-run", stdout=out)
    assert "Dry run: nothing was changed." in out.getvalue()
    assert Participant.objects.filter(workshop=generated, group__isnull=True).count() == 100
    call_command("place_participants", "generated", "--time-limit", "2", stdout=out)
    assert Participant.objects.filter(workshop=generated, group__isnull=True).count() == 0
    assert "Applied: 100 changes." in out.getvalue()
