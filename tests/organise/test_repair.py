"""Repair the day on the 2005 demo: withdrawing a facilitator at 14:00 changes only the 15:00 session,
with the fewest changes and every rule met; the preview names each change; Apply tells exactly the
facilitators affected, in their language, and can be undone like any board change."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests import factories as f
from workshops import repair as repair_module
from workshops.access import personal_link_path
from workshops.models import Assignment, Facilitator, Group, RotationRepair, ScheduleChange, Workshop
from workshops.repair import RepairRefused, repair_apply, repair_propose
from workshops.schedule_history import schedule_change_undo, schedule_state
from workshops.scheduling.checker import Rule, schedule_check
from workshops.scheduling.repair import ROTATION_RULES
from workshops.selectors import schedule_load

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")
TWO_PM = datetime(2005, 9, 27, 14, 0, tzinfo=ZURICH)


@pytest.fixture
def demo(organiser, monkeypatch):
    call_command("load_demo", stdout=StringIO())
    workshop = Workshop.objects.get(slug="idm-2005-capacity")
    workshop.organisers.add(organiser)
    monkeypatch.setattr(repair_module, "repair_now", lambda: TWO_PM)  # the day itself, at 14:00 in Geneva
    return workshop


def _places(workshop):
    return sorted(
        Assignment.objects.filter(session__workshop=workshop).values_list(
            "session__title", "group__name", "facilitator__name"
        )
    )


def _withdrawn(workshop):
    """A facilitator of the 15:00 session."""
    afternoon = workshop.sessions.order_by("start").last()
    return Assignment.objects.filter(session=afternoon).select_related("facilitator").first().facilitator


def _propose(client, workshop, facilitator, **data):
    data = {"facilitator": facilitator.pk, "day": "2005-09-27", "time": "14:00", **data}
    return client.post(reverse("organise:repair", kwargs={"slug": workshop.slug}), data)


def test_demo_withdrawal_at_two_changes_only_the_afternoon_with_every_rule_met(client, organiser, demo):
    client.force_login(organiser)
    lucia = _withdrawn(demo)
    before = _places(demo)
    morning, afternoon = demo.sessions.order_by("start")
    response = _propose(client, demo, lucia)
    assert response.status_code == 302
    repair = RotationRepair.objects.get()
    assert repair.unavailable_from == TWO_PM
    assert repair.frozen_at == TWO_PM
    assert {s for _f, s, _b, _a in repair.changes} == {afternoon.pk}
    assert repair.problems == []
    assert repair.proven
    # One place freed, one filled: no repair can change fewer.
    assert len(repair.changes) == 2
    page = client.get(response["Location"]).content.decode()
    assert lucia.name in page
    replacement = Facilitator.objects.get(pk=next(f for f, _s, b, _a in repair.changes if b is None))
    assert replacement.name in page
    assert "Every rule is met." in page
    assert _places(demo) == before  # a preview changes nothing

    response = client.post(reverse("organise:repair_apply", kwargs={"slug": demo.slug, "repair_id": repair.pk}))
    assert _places(demo) == before  # not confirmed: refused
    with_confirm = {"confirm": "yes"}
    apply_url = reverse("organise:repair_apply", kwargs={"slug": demo.slug, "repair_id": repair.pk})
    with pytest.MonkeyPatch.context():
        response = client.post(apply_url, with_confirm)
    assert response.status_code == 302
    after = _places(demo)
    assert [p for p in after if p[0] == morning.title] == [p for p in before if p[0] == morning.title]
    assert not any(p[0] == afternoon.title and p[2] == lucia.name for p in after)
    problems = [p for p in schedule_check(schedule_load(workshop=demo)) if p.rule in ROTATION_RULES]
    assert problems == []
    change = ScheduleChange.objects.get(workshop=demo)
    assert change.kind == ScheduleChange.Kind.REPAIR
    board = client.get(reverse("organise:board", kwargs={"slug": demo.slug})).content.decode()
    assert f"{lucia.name} withdrawn: 2 changes" in board


def test_apply_tells_exactly_the_facilitators_whose_itinerary_changed_in_their_language(
    organiser, demo, django_capture_on_commit_callbacks
):
    lucia = _withdrawn(demo)
    afternoon = demo.sessions.order_by("start").last()
    team = Assignment.objects.get(facilitator=lucia, session=afternoon).group
    repair = repair_propose(workshop=demo, facilitator=lucia, start=TWO_PM, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        repair_apply(repair=repair, by=organiser)
    # Lucía (out), her replacement (in) and the co-facilitator who now works with someone else: nobody else.
    co_facilitators = set(
        Assignment.objects.filter(session=afternoon, group=team).values_list("facilitator", flat=True)
    )
    affected = {lucia.pk} | co_facilitators
    assert len(affected) == 3
    people = {p.email: p for p in Facilitator.objects.filter(pk__in=affected)}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people)
    for message in mail.outbox:
        person = people[message.to[0]]
        assert message.extra_headers["Content-Language"] == person.preferred_language
        assert demo.title in message.subject
    replacement = Facilitator.objects.get(pk=next(f for f, _s, b, _a in repair.changes if b is None))
    to_them = next(m for m in mail.outbox if m.to[0] == replacement.email)
    group = Assignment.objects.get(facilitator=replacement, session=demo.sessions.order_by("start").last()).group
    assert f"{group.name}" in to_them.body and group.room.name in to_them.body
    assert "15:00" in to_them.body  # on the workshop's clock
    assert RotationRepair.objects.get(pk=repair.pk).notified == sorted(affected)


def test_spanish_speaker_gets_the_mail_in_spanish(organiser, demo, django_capture_on_commit_callbacks):
    lucia = _withdrawn(demo)
    lucia.preferred_language = "es"
    lucia.save(update_fields=["preferred_language"])
    repair = repair_propose(workshop=demo, facilitator=lucia, start=TWO_PM, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        repair_apply(repair=repair, by=organiser)
    to_lucia = next(m for m in mail.outbox if m.to[0] == lucia.email)
    assert to_lucia.subject.startswith("Su rotación")
    assert "ya no facilita en esta sesión" in to_lucia.body


def test_applied_repair_is_undone_from_the_history(organiser, demo):
    before = schedule_state(workshop=demo)
    repair = repair_propose(workshop=demo, facilitator=_withdrawn(demo), start=TWO_PM, by=organiser)
    repair_apply(repair=repair, by=organiser)
    assert schedule_state(workshop=demo) != before
    schedule_change_undo(change=ScheduleChange.objects.get(workshop=demo), by=organiser)
    assert schedule_state(workshop=demo) == before


def test_a_repair_is_refused_when_the_rotation_changed_since(organiser, demo):
    repair = repair_propose(workshop=demo, facilitator=_withdrawn(demo), start=TWO_PM, by=organiser)
    Assignment.objects.filter(session__workshop=demo).first().delete()
    with pytest.raises(RepairRefused, match="changed since"):
        repair_apply(repair=repair, by=organiser)
    assert RotationRepair.objects.get(pk=repair.pk).status == RotationRepair.Status.PROPOSED


def test_an_applied_withdrawal_holds_for_later_repairs(organiser, demo):
    first = _withdrawn(demo)
    repair_apply(repair=repair_propose(workshop=demo, facilitator=first, start=TWO_PM, by=organiser), by=organiser)
    afternoon = demo.sessions.order_by("start").last()
    second = Assignment.objects.filter(session=afternoon).exclude(facilitator=first).first().facilitator
    later = repair_propose(workshop=demo, facilitator=second, start=TWO_PM, by=organiser)
    assert first.pk not in {f for f, s, g, _l in later.proposal["assignments"] if s == afternoon.pk}


def test_least_bad_option_needs_accepting(client, organiser):
    """Two groups, one session of two each, four facilitators: withdrawing one leaves a group with one."""
    workshop = f.workshop(organisers=[organiser], timezone="America/Santiago")
    groups = [f.group(workshop, name=n, room_obj=f.room(workshop, name=f"Room {n}")) for n in "AB"]
    session = f.session(workshop, title="Afternoon", start_hour=15)
    people = [f.facilitator(workshop, name=f"F{i}") for i in range(4)]
    for i, person in enumerate(people):
        f.assignment(person, session, groups[i // 2])
    repair = repair_propose(
        workshop=workshop,
        facilitator=people[0],
        start=None,
        sessions=[session],
        by=organiser,
        now=session.start.replace(hour=1),
    )
    assert [rule for rule, _m in repair.problems] == [Rule.STAFFING]
    assert "Group A with 1 facilitator instead of 2" in repair.problems[0][1]
    client.force_login(organiser)
    url = reverse("organise:repair_detail", kwargs={"slug": workshop.slug, "repair_id": repair.pk})
    assert "the least bad option" in client.get(url).content.decode()
    apply_url = reverse("organise:repair_apply", kwargs={"slug": workshop.slug, "repair_id": repair.pk})
    client.post(apply_url, {"confirm": "yes"})
    assert RotationRepair.objects.get(pk=repair.pk).status == RotationRepair.Status.PROPOSED
    client.post(apply_url, {"confirm": "yes", "accept": "yes"})
    assert RotationRepair.objects.get(pk=repair.pk).status == RotationRepair.Status.APPLIED
    assert sorted(Assignment.objects.filter(session=session).values_list("facilitator__name", flat=True)) == [
        "F1",
        "F2",
        "F3",
    ]


def test_time_is_read_on_the_workshops_clock(client, organiser, monkeypatch):
    workshop = f.workshop(organisers=[organiser], timezone="America/Santiago")
    group = f.group(workshop, room_obj=f.room(workshop))
    session = f.session(workshop, start_hour=15)
    person = f.facilitator(workshop)
    f.assignment(person, session, group)
    monkeypatch.setattr(repair_module, "repair_now", lambda: session.start.replace(hour=0))
    client.force_login(organiser)
    day = session.start.astimezone(ZoneInfo("America/Santiago")).date()
    response = client.post(
        reverse("organise:repair", kwargs={"slug": workshop.slug}),
        {"facilitator": person.pk, "day": day.isoformat(), "time": "14:00"},
    )
    assert response.status_code == 302
    repair = RotationRepair.objects.get()
    assert repair.unavailable_from == datetime(day.year, day.month, day.day, 14, tzinfo=ZoneInfo("America/Santiago"))


def test_the_form_asks_for_a_time_or_sessions(client, organiser, demo):
    client.force_login(organiser)
    response = client.post(reverse("organise:repair", kwargs={"slug": demo.slug}), {"facilitator": _withdrawn(demo).pk})
    assert response.status_code == 400
    assert "from what time" in response.content.decode()
    assert not RotationRepair.objects.exists()


def test_a_facilitator_of_another_workshop_is_refused(client, organiser, other_organiser, demo):
    theirs = f.workshop(organisers=[other_organiser])
    stranger = f.facilitator(theirs)
    client.force_login(organiser)
    response = client.post(
        reverse("organise:repair", kwargs={"slug": demo.slug}),
        {"facilitator": stranger.pk, "day": "2005-09-27", "time": "14:00"},
    )
    assert response.status_code == 400
    assert not RotationRepair.objects.exists()


def test_the_board_links_to_the_repair_page(client, organiser, demo):
    client.force_login(organiser)
    board = client.get(reverse("organise:board", kwargs={"slug": demo.slug})).content.decode()
    assert reverse("organise:repair", kwargs={"slug": demo.slug}) in board


def test_a_room_unusable_moves_its_group_to_a_free_room_and_tells_its_facilitators(
    client, organiser, demo, django_capture_on_commit_callbacks
):
    room_a = demo.rooms.get(name="Room A")
    room_f = f.room(demo, name="Room F", mode=room_a.language_mode, capacity=room_a.capacity)
    group_a = room_a.group
    before = schedule_state(workshop=demo)
    afternoon = demo.sessions.order_by("start").last()
    client.force_login(organiser)
    response = client.post(reverse("organise:repair", kwargs={"slug": demo.slug}), {"room": room_a.pk})
    assert response.status_code == 302
    repair = RotationRepair.objects.get()
    assert repair.new_room == room_f
    assert repair.changes == []  # the same languages: every facilitator can stay
    page = client.get(response["Location"]).content.decode()
    assert "Group A moves from Room A to Room F for its sessions still to come." in page
    apply_url = reverse("organise:repair_apply", kwargs={"slug": demo.slug, "repair_id": repair.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url, {"confirm": "yes"})
    group_a.refresh_from_db()
    assert group_a.room == room_f
    told = set(Assignment.objects.filter(session=afternoon, group=group_a).values_list("facilitator__email", flat=True))
    assert {m.to[0] for m in mail.outbox} == told
    assert all("Room F" in m.body for m in mail.outbox)
    board = client.get(reverse("organise:board", kwargs={"slug": demo.slug})).content.decode()
    assert "Room A unusable: 0 changes" in board
    schedule_change_undo(change=ScheduleChange.objects.get(workshop=demo), by=organiser)
    assert schedule_state(workshop=demo) == before


def test_no_free_room_is_said_and_nothing_can_be_applied(client, organiser, demo):
    room_a = demo.rooms.get(name="Room A")
    repair = repair_propose(workshop=demo, room=room_a, by=organiser)
    assert repair.new_room is None
    assert "No free room has seats for the" in repair.problems[0][1]
    with pytest.raises(RepairRefused, match="No room can take this group"):
        repair_apply(repair=repair, by=organiser, accept_broken=True)
    assert demo.rooms.get(name="Room A").group is not None


def test_the_facilitators_page_shows_the_new_place_at_once(client, organiser, demo):
    lucia = _withdrawn(demo)
    repair = repair_propose(workshop=demo, facilitator=lucia, start=TWO_PM, by=organiser)
    replacement = Facilitator.objects.get(pk=next(f for f, _s, b, _a in repair.changes if b is None))
    group = Group.objects.select_related("room").get(pk=next(a for _f, _s, b, a in repair.changes if b is None))
    client.get(personal_link_path(person=replacement))
    before = client.get(reverse("worksheets:my_day")).content.decode()
    repair_apply(repair=repair, by=organiser)
    after = client.get(reverse("worksheets:my_day")).content.decode()
    assert after.count(group.room.name) == before.count(group.room.name) + 1
