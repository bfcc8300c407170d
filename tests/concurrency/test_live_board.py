"""Races over real HTTP on the board: a rotation applied while a facilitator is swapped by hand.

The harness (browsers, forcing the interleavings) is `live.py`; why and how, in its docstring.
SQLite runs one writer at a time, so these races cannot happen there: the tests are skipped.
"""

import threading
from dataclasses import dataclass

import pytest
from django.urls import reverse

import workshops.services
from tests import factories
from tests.concurrency.live import TIMEOUT, Browser, Hold, all_at_once, blocked_on_a_lock, held_then, organiser_browser
from workshops.models import Assignment, ScheduleRun, Workshop
from workshops.selectors import schedule_load
from workshops.services import _fingerprint, workshop_check

pytestmark = pytest.mark.django_db(transaction=True)


# --- (3) a rotation applied while a facilitator is swapped by hand ----------------------------


@dataclass
class Rotation:
    workshop: Workshop
    session: object
    run: ScheduleRun
    anna: object
    ben: object
    carl: object
    a: object
    b: object
    applying: Browser  # one organiser applies the proposal...
    swapping: Browser  # ...while another swaps Anna and Ben by hand


@pytest.fixture
def rotation(server):
    """One session, groups A and B, one facilitator each: Anna in A, Ben in B, Carl free.

    The proposal (made before anyone swaps) puts Carl in A and Anna in B.
    """
    first, second = factories.user(), factories.user()
    workshop = factories.workshop(organisers=[first, second])
    session = factories.session(workshop, facilitators_required=1)
    mode = factories.language_mode(workshop)
    a = factories.group(workshop, name="A", room_obj=factories.room(workshop, mode=mode))
    b = factories.group(workshop, name="B", room_obj=factories.room(workshop, mode=mode))
    anna, ben, carl = (factories.facilitator(workshop, name=name) for name in ("Anna", "Ben", "Carl"))
    factories.assignment(anna, session, a)
    factories.assignment(ben, session, b)
    run = ScheduleRun.objects.create(
        workshop=workshop,
        kind=ScheduleRun.Kind.ROTATION,
        status=ScheduleRun.Status.DONE,
        proposal={
            "assignments": [[carl.pk, session.pk, a.pk, False], [anna.pk, session.pk, b.pk, False]],
            "fingerprint": _fingerprint(schedule_load(workshop=workshop), ScheduleRun.Kind.ROTATION),
        },
    )
    assert workshop_check(workshop=workshop) == []
    applying, swapping = organiser_browser(server, first), organiser_browser(server, second)
    return Rotation(workshop, session, run, anna, ben, carl, a, b, applying, swapping)


def apply_request(r: Rotation):
    return lambda: r.applying.post_form(reverse("organise:run_apply", args=[r.workshop.slug, r.run.pk]), {})


def swap_request(r: Rotation):
    fields = {"session": r.session.pk, "first": r.anna.pk, "second": r.ben.pk}
    return lambda: r.swapping.post_form(reverse("organise:swap_facilitators", args=[r.workshop.slug]), fields)


def assignments(r: Rotation):
    return sorted(Assignment.objects.filter(session=r.session).values_list("facilitator_id", "group_id", "locked"))


def hold_the_apply_before_it_commits(monkeypatch, hold: Hold):
    """Hold the apply after it wrote the new rotation, before it marks the run applied and commits."""
    real = ScheduleRun.save

    def save(self, *args, **kwargs):
        if "applied_at" in (kwargs.get("update_fields") or ()):
            hold.pause()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ScheduleRun, "save", save)


SWAP_SAVED = "Saved. Every rule is still met."
APPLIED = "Applied: 4 changes."  # 2 assignments removed, 2 created
STALE = "The workshop changed after this proposal was made (someone moved people or facilitators). Run it again."


def expected_after_apply_then_swap(r: Rotation):
    # Carl in A (the proposal); Anna's place in B given to Ben by hand, kept by later runs.
    return sorted([(r.carl.pk, r.a.pk, False), (r.ben.pk, r.b.pk, True)])


def expected_after_swap_alone(r: Rotation):
    return sorted([(r.anna.pk, r.b.pk, True), (r.ben.pk, r.a.pk, True)])


def test_swap_sent_while_the_apply_holds_the_workshop_waits_and_applies_on_top(rotation, monkeypatch, hold):
    r = rotation
    hold_the_apply_before_it_commits(monkeypatch, hold)

    applied, swapped = held_then(apply_request(r), swap_request(r), hold=hold, until=blocked_on_a_lock)

    assert APPLIED in r.applying.message_after(applied)
    assert SWAP_SAVED in r.swapping.message_after(swapped)
    assert assignments(r) == expected_after_apply_then_swap(r)  # the hand move came last and stands
    assert ScheduleRun.objects.get(pk=r.run.pk).status == ScheduleRun.Status.APPLIED
    assert workshop_check(workshop=r.workshop) == []


def test_apply_sent_while_the_swap_holds_the_workshop_waits_and_is_refused_as_stale(rotation, monkeypatch, hold):
    r = rotation
    real_check = workshops.services.workshop_check

    def check_while_holding(**kwargs):  # called by the swap after its writes, inside its transaction
        hold.pause()
        return real_check(**kwargs)

    monkeypatch.setattr(workshops.services, "workshop_check", check_while_holding)

    swapped, applied = held_then(swap_request(r), apply_request(r), hold=hold, until=blocked_on_a_lock)

    assert SWAP_SAVED in r.swapping.message_after(swapped)
    assert applied.location.endswith(reverse("organise:run", args=[r.workshop.slug, r.run.pk]))
    assert STALE in r.applying.message_after(applied)  # in words, on the run's page
    assert assignments(r) == expected_after_swap_alone(r)  # the hand move was not undone
    assert ScheduleRun.objects.get(pk=r.run.pk).status == ScheduleRun.Status.DONE  # not applied
    assert workshop_check(workshop=r.workshop) == []


def test_apply_and_swap_sent_at_once_the_swap_stands_whichever_comes_first(rotation):
    r = rotation
    start = threading.Barrier(2, timeout=TIMEOUT)

    def after_start(call):
        def send():
            start.wait()
            return call()

        return send

    applied, swapped = all_at_once(after_start(apply_request(r)), after_start(swap_request(r)))

    assert SWAP_SAVED in r.swapping.message_after(swapped)
    applied_page = r.applying.message_after(applied)
    if ScheduleRun.objects.get(pk=r.run.pk).status == ScheduleRun.Status.APPLIED:
        assert APPLIED in applied_page
        assert assignments(r) == expected_after_apply_then_swap(r)
    else:
        assert STALE in applied_page
        assert assignments(r) == expected_after_swap_alone(r)
    assert workshop_check(workshop=r.workshop) == []


def test_control_without_the_workshop_lock_the_swap_is_reported_saved_and_silently_undone(rotation, monkeypatch, hold):
    """The same interleaving as the first test of (3), with the workshop's row lock patched out.

    The swap reads the old rotation (the apply has not committed), its UPDATE then waits for the
    rows the apply deleted, and updates nothing once they are gone. The fingerprint cannot catch
    this: the apply checked it before the swap had written anything. Only the lock orders them.
    """
    r = rotation

    class Unlocked:
        class objects:  # stands in for the manager
            @staticmethod
            def select_for_update(**kwargs):
                return Workshop.objects.all()

    monkeypatch.setattr(workshops.services, "Workshop", Unlocked)
    hold_the_apply_before_it_commits(monkeypatch, hold)

    applied, swapped = held_then(apply_request(r), swap_request(r), hold=hold, until=blocked_on_a_lock)

    assert APPLIED in r.applying.message_after(applied)
    assert SWAP_SAVED in r.swapping.message_after(swapped)  # the organiser is told it is saved...
    # ...but it is nowhere: the proposal as it was computed, nothing kept by hand.
    assert assignments(r) == sorted([(r.carl.pk, r.a.pk, False), (r.anna.pk, r.b.pk, False)])
