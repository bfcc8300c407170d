"""Undo on the board: the last applied run or hand edit can be undone while nothing changed since;
a history lists what was applied, by whom and when."""

import pytest
from django.urls import reverse

from tests import factories as f
from workshops.models import Assignment, ScheduleChange, ScheduleRun
from workshops.schedule_history import CannotUndo, schedule_change_undo, schedule_history
from workshops.selectors import schedule_load
from workshops.services import _fingerprint, facilitator_swap, participant_move, schedule_run_apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    morning = f.session(workshop, title="Labour", start_hour=11, facilitators_required=1)
    amina = f.participant(workshop, name="Amina", group=a)
    bruno = f.participant(workshop, name="Bruno")
    fatou, george = f.facilitator(workshop, name="Fatou"), f.facilitator(workshop, name="George")
    f.assignment(fatou, morning, a)
    return locals()


def _placement(world, groups):
    schedule = schedule_load(workshop=world["workshop"])
    return ScheduleRun.objects.create(
        workshop=world["workshop"],
        kind=ScheduleRun.Kind.PLACEMENT,
        status=ScheduleRun.Status.DONE,
        proposal={"groups": {str(k): v for k, v in groups.items()}, "fingerprint": _fingerprint(schedule, "placement")},
    )


def _groups(world):
    return dict(world["workshop"].participants.values_list("name", "group__name"))


def test_an_applied_placement_is_recorded_and_undone(world, organiser):
    run = _placement(world, {world["amina"].pk: world["b"].pk, world["bruno"].pk: world["a"].pk})
    schedule_run_apply(run=run, by=organiser)
    assert _groups(world) == {"Amina": "B", "Bruno": "A"}
    history = schedule_history(workshop=world["workshop"])
    change = history["undoable"]
    assert change.kind == ScheduleChange.Kind.PLACEMENT and change.created_by == organiser and change.run == run
    assert schedule_change_undo(change=change, by=organiser) == 2
    assert _groups(world) == {"Amina": "A", "Bruno": None}
    change.refresh_from_db()
    assert change.undone_at is not None and change.undone_by == organiser


def test_undo_is_refused_when_anything_changed_since_and_changes_nothing(world, organiser):
    run = _placement(world, {world["bruno"].pk: world["b"].pk})
    schedule_run_apply(run=run, by=organiser)
    # Changed since outside the recorded tools (say, in the settings): undo would lose it.
    world["workshop"].participants.filter(name="Amina").update(group=None)
    change = ScheduleChange.objects.get()
    assert schedule_history(workshop=world["workshop"])["undoable"] is None
    with pytest.raises(CannotUndo):
        schedule_change_undo(change=change, by=organiser)
    assert _groups(world) == {"Amina": None, "Bruno": "B"}


def test_hand_edits_undo_newest_first_back_to_the_start(world, organiser):
    participant_move(participant=world["bruno"], group=world["b"], by=organiser)
    facilitator_swap(session=world["morning"], first=world["fatou"], second=world["george"], by=organiser)
    assert set(Assignment.objects.values_list("facilitator__name", "locked")) == {("George", True)}
    first, second = ScheduleChange.objects.order_by("created_at", "pk")
    with pytest.raises(CannotUndo):
        schedule_change_undo(change=first, by=organiser)  # the swap came after it
    schedule_change_undo(change=second, by=organiser)
    assert set(Assignment.objects.values_list("facilitator__name", "locked")) == {("Fatou", False)}
    schedule_change_undo(change=first, by=organiser)
    bruno = world["workshop"].participants.get(name="Bruno")
    assert bruno.group is None and bruno.group_locked is False
    with pytest.raises(CannotUndo):
        schedule_change_undo(change=first, by=organiser)  # once only


def test_an_applied_rotation_is_undone_with_its_assignments(world, organiser):
    schedule = schedule_load(workshop=world["workshop"])
    morning, a, b = world["morning"], world["a"], world["b"]
    run = ScheduleRun.objects.create(
        workshop=world["workshop"],
        kind=ScheduleRun.Kind.ROTATION,
        status=ScheduleRun.Status.DONE,
        proposal={
            "assignments": [
                [world["george"].pk, morning.pk, a.pk, False],
                [world["fatou"].pk, morning.pk, b.pk, False],
            ],
            "fingerprint": _fingerprint(schedule, "rotation"),
        },
    )
    schedule_run_apply(run=run, by=organiser)
    assert Assignment.objects.count() == 2
    schedule_change_undo(change=ScheduleChange.objects.get(), by=organiser)
    assert list(Assignment.objects.values_list("facilitator__name", "group__name")) == [("Fatou", "A")]


def test_the_board_lists_the_history_and_undoes_from_it(client, organiser, world):
    client.force_login(organiser)
    board = reverse("organise:board", kwargs={"slug": world["workshop"].slug})
    client.post(
        reverse("organise:move_participant", kwargs={"slug": world["workshop"].slug}),
        {"participant": world["bruno"].pk, "group": world["b"].pk},
    )
    body = client.get(board).content.decode()
    assert "Participant moved by hand" in body and "Bruno to Group B" in body and organiser.username in body
    change = ScheduleChange.objects.get()
    response = client.post(
        reverse("organise:schedule_undo", kwargs={"slug": world["workshop"].slug, "change_id": change.pk})
    )
    assert response.status_code == 302
    assert world["workshop"].participants.get(name="Bruno").group is None
    assert "undone" in client.get(board).content.decode()


def test_another_teams_change_cannot_be_undone(client, other_organiser, organiser, world):
    participant_move(participant=world["bruno"], group=world["b"], by=organiser)
    change = ScheduleChange.objects.get()
    client.force_login(other_organiser)
    url = reverse("organise:schedule_undo", kwargs={"slug": world["workshop"].slug, "change_id": change.pk})
    assert client.post(url).status_code == 404
    assert world["workshop"].participants.get(name="Bruno").group == world["b"]


def test_the_history_keeps_no_participants_name(world, organiser):
    """An erased participant must not live on in the history: a move is named only when shown."""
    participant_move(participant=world["bruno"], group=world["b"], by=organiser)
    change = ScheduleChange.objects.get()
    assert "Bruno" not in change.summary and "Bruno" not in str(change.before) and "Bruno" not in str(change.detail)
    world["workshop"].participants.filter(pk=world["bruno"].pk).update(name="Erased participant 7")
    texts = [c.text for c in schedule_history(workshop=world["workshop"])["changes"]]
    assert texts == ["Erased participant 7 to Group B"]


def test_the_history_reads_in_the_readers_language_and_keeps_no_facilitators_name(world, organiser):
    """What a change did is worded when shown, in the reader's language (it was stored in the
    language of whoever made it), and a swap names the facilitators as they are now (an erased name
    stays erased)."""
    from django.utils import translation

    with translation.override("fr"):
        run = _placement(world, {world["bruno"].pk: world["b"].pk})
        schedule_run_apply(run=run, by=organiser)
        facilitator_swap(session=world["morning"], first=world["fatou"], second=world["george"], by=organiser)
    swap = ScheduleChange.objects.get(kind=ScheduleChange.Kind.SWAP)
    assert "Fatou" not in swap.summary + str(swap.detail) and "George" not in swap.summary + str(swap.detail)
    world["workshop"].facilitators.filter(pk=world["george"].pk).update(name="Erased facilitator 3")
    with translation.override("es"):
        texts = [c.text for c in schedule_history(workshop=world["workshop"])["changes"]]
    assert texts == ["Labour: Fatou y Erased facilitator 3", "1 cambio"]
    with translation.override("en"):
        texts = [c.text for c in schedule_history(workshop=world["workshop"])["changes"]]
    assert texts == ["Labour: Fatou and Erased facilitator 3", "1 change"]
