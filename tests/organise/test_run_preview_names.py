"""Before Apply, the solver's preview says who goes where: per group, the participants who join and
leave, by name; per session and group, the facilitators added and removed."""

import pytest
from django.urls import reverse

from tests import factories as f
from workshops.models import ScheduleRun
from workshops.selectors import schedule_load
from workshops.services import _fingerprint, schedule_run_preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    morning = f.session(workshop, title="Labour", start_hour=11)
    amina = f.participant(workshop, name="Amina Diallo", group=a)
    bruno = f.participant(workshop, name="Bruno Costa", group=a)
    carla = f.participant(workshop, name="Carla Ruiz")  # in no group yet
    fatou, george = f.facilitator(workshop, name="Fatou Sow"), f.facilitator(workshop, name="George Li")
    f.assignment(fatou, morning, a)
    return locals()


def _run(world, kind, proposal):
    schedule = schedule_load(workshop=world["workshop"])
    return ScheduleRun.objects.create(
        workshop=world["workshop"],
        kind=kind,
        status=ScheduleRun.Status.DONE,
        proposal=proposal | {"fingerprint": _fingerprint(schedule, kind)},
    )


def test_a_placement_preview_names_who_joins_and_leaves_each_group(world):
    run = _run(
        world,
        ScheduleRun.Kind.PLACEMENT,
        {"groups": {str(world["bruno"].pk): world["b"].pk, str(world["carla"].pk): world["a"].pk}},
    )
    preview = schedule_run_preview(run=run)
    by_group = {entry["group"]: (entry["joins"], entry["leaves"]) for entry in preview["group_changes"]}
    assert by_group == {"A": (["Carla Ruiz"], ["Bruno Costa"]), "B": (["Bruno Costa"], [])}


def test_a_rotation_preview_names_the_facilitators_added_and_removed_per_session_and_group(world):
    morning, a, b = world["morning"], world["a"], world["b"]
    run = _run(
        world,
        ScheduleRun.Kind.ROTATION,
        {"assignments": [[world["george"].pk, morning.pk, a.pk, False], [world["fatou"].pk, morning.pk, b.pk, False]]},
    )
    preview = schedule_run_preview(run=run)
    cells = {(c["session"], c["group"]): (c["added"], c["removed"]) for c in preview["facilitator_changes"]}
    assert cells == {("Labour", "A"): (["George Li"], ["Fatou Sow"]), ("Labour", "B"): (["Fatou Sow"], [])}


def test_the_run_page_shows_the_names_before_apply(client, organiser, world):
    run = _run(world, ScheduleRun.Kind.PLACEMENT, {"groups": {str(world["carla"].pk): world["b"].pk}})
    client.force_login(organiser)
    body = client.get(
        reverse("organise:run", kwargs={"slug": world["workshop"].slug, "run_id": run.pk})
    ).content.decode()
    assert "Carla Ruiz" in body and "Who goes where" in body
