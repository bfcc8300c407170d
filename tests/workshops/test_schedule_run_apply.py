"""Applying a solver's proposal safely (`schedule_run_apply`): locked people stay, and a proposal
made before someone moved a person by hand is refused and changes nothing."""

import pytest

from tests import factories as f
from workshops.models import ScheduleRun
from workshops.selectors import schedule_load
from workshops.services import StaleProposal, _fingerprint, participant_move, schedule_run_apply, schedule_run_preview

pytestmark = pytest.mark.django_db


def board_world(organiser):
    """Groups A (Room A) and D (English only), two sessions, four people placed, one Spanish speaker in A, four facilitators."""
    workshop = f.workshop(organisers=[organiser])
    english = f.language_mode(workshop, languages=("en",), name="English only")
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", capacity=3))
    d = f.group(workshop, name="D", room_obj=f.room(workshop, name="Room D", capacity=3, mode=english))
    morning, afternoon = (
        f.session(workshop, title="Labour", start_hour=11),
        f.session(workshop, title="Trafficking", start_hour=15),
    )
    people = [f.participant(workshop, name=f"P{i}", languages=["en"], group=a if i < 2 else d) for i in range(4)]
    spanish = f.participant(workshop, name="Solo Español", languages=["es"], group=a)
    facilitators = [f.facilitator(workshop, name=f"F{i}") for i in range(4)]
    return {
        "workshop": workshop,
        "a": a,
        "d": d,
        "morning": morning,
        "afternoon": afternoon,
        "people": people,
        "spanish": spanish,
        "facilitators": facilitators,
    }


@pytest.fixture
def world(organiser):
    return board_world(organiser)


def proposal_run(world, groups, kind=ScheduleRun.Kind.PLACEMENT):
    schedule = schedule_load(workshop=world["workshop"])
    return ScheduleRun.objects.create(
        workshop=world["workshop"],
        kind=kind,
        status=ScheduleRun.Status.DONE,
        proposal={"groups": {str(k): v for k, v in groups.items()}, "fingerprint": _fingerprint(schedule, kind)},
    )


def test_applying_a_placement_moves_only_unlocked_people(world):
    people = world["people"]
    people[0].group_locked = True
    people[0].save()
    run = proposal_run(world, {people[0].pk: world["d"].pk, people[1].pk: world["d"].pk})
    preview = schedule_run_preview(run=run)
    assert preview["moved"] == 2 and preview["stale"] is False
    schedule_run_apply(run=run)
    people[0].refresh_from_db()
    people[1].refresh_from_db()
    assert people[0].group == world["a"]  # locked: kept
    assert people[1].group == world["d"]
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.APPLIED


def test_applying_after_a_hand_made_move_is_refused_and_changes_nothing(world):
    people = world["people"]
    run = proposal_run(world, {people[1].pk: world["d"].pk})
    participant_move(participant=people[3], group=world["a"])  # someone moves a person meanwhile
    with pytest.raises(StaleProposal):
        schedule_run_apply(run=run)
    people[1].refresh_from_db()
    assert people[1].group == world["a"]
    assert schedule_run_preview(run=run)["stale"] is True
