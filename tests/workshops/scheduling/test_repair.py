"""Repairing the rotation on the day: frozen sessions, the withdrawn facilitator gone, every rule kept
or the least bad option said, and never more changes than a full re-solve."""

from dataclasses import replace
from datetime import timedelta

import pytest

from workshops.scheduling.checker import Rule
from workshops.scheduling.data import AssignmentSpec, FacilitatorSpec, GroupSpec, ParticipantSpec, RoomSpec
from workshops.scheduling.generate import schedule_generate
from workshops.scheduling.repair import (
    Withdrawal,
    repair_changes,
    repair_full_schedule,
    room_replacement,
    rotation_repair,
)
from workshops.scheduling.rotation import rotation_build, rotation_greedy

from .instances import EN, TRI, at, rooms_and_groups, rotation_problems, schedule, session, staff, staffed

THREE_SESSIONS = [session(1, "Labour", 9), session(2, "Trafficking", 11), session(3, "Return", 15)]


def day(facilitators: int, sessions=THREE_SESSIONS, **fields):
    instance = schedule(
        **rooms_and_groups(("A", 5, TRI), ("B", 5, TRI), ("D", 5, EN)),
        facilitators=staff(facilitators, EN),
        sessions=sessions,
        **fields,
    )
    return staffed(instance, rotation_greedy(instance))


def in_session(assignments, session_id):
    return sorted((a.facilitator_id, a.group_id) for a in assignments if a.session_id == session_id)


def repaired_rules(instance, result, now, withdrawals):
    """Rotation rules the repaired schedule breaks, availability cut by the withdrawals."""
    full = repair_full_schedule(instance, now=now, withdrawals=withdrawals)
    return rotation_problems(replace(full, assignments=result.assignments))


def test_repair_freezes_started_sessions_and_drops_the_withdrawn_facilitator_later():
    instance = day(12)
    now = at(12)  # session 1 held, session 2 under way, session 3 to come
    victim = next(a.facilitator_id for a in instance.assignments if a.session_id == 3)
    withdrawals = [Withdrawal(victim, start=at(12))]
    result = rotation_repair(instance, now=now, withdrawals=withdrawals)
    assert result.status == "optimal"
    assert result.frozen_session_ids == [1, 2]
    for frozen in (1, 2):
        assert in_session(result.assignments, frozen) == in_session(instance.assignments, frozen)
    assert victim not in {f for f, _g in in_session(result.assignments, 3)}
    assert repaired_rules(instance, result, now, withdrawals) == []
    # One place freed, one filled: the fewest changes possible, both in session 3.
    assert {c.session_id for c in result.changes} == {3}
    assert len(result.changes) == 2
    assert result.proven


def test_repair_keeps_the_withdrawn_facilitator_in_the_session_under_way():
    instance = day(12)
    victim = next(a.facilitator_id for a in instance.assignments if a.session_id == 2)
    result = rotation_repair(instance, now=at(11, 27) + timedelta(minutes=30), withdrawals=[Withdrawal(victim, at(11))])
    assert result.in_progress == [(victim, 2)]
    assert in_session(result.assignments, 2) == in_session(instance.assignments, 2)


def test_repair_for_chosen_sessions_only():
    instance = day(12)
    victim = next(a.facilitator_id for a in instance.assignments if a.session_id == 2)
    result = rotation_repair(instance, now=at(8), withdrawals=[Withdrawal(victim, session_ids=frozenset({2}))])
    assert victim not in {f for f, _g in in_session(result.assignments, 2)}
    assert in_session(result.assignments, 1) == in_session(instance.assignments, 1)
    assert in_session(result.assignments, 3) == in_session(instance.assignments, 3)
    assert {c.session_id for c in result.changes} == {2}


def test_repair_keeps_rotation_with_frozen_sessions():
    """A replacement never goes back to a group they facilitated in a session already held."""
    instance = day(12)
    now = at(12)
    for a in [a for a in instance.assignments if a.session_id == 3]:
        result = rotation_repair(instance, now=now, withdrawals=[Withdrawal(a.facilitator_id, at(12))])
        visited = {(b.facilitator_id, b.group_id) for b in result.assignments if b.session_id in (1, 2)}
        assert not any((b.facilitator_id, b.group_id) in visited for b in result.assignments if b.session_id == 3)
        assert rotation_problems(staffed(instance, result.assignments)) == []


def test_no_repair_meets_every_rule_so_the_least_bad_leaves_one_facilitator():
    """Six facilitators for three groups of two, each group once: withdrawing one in the last session
    leaves five for six places. The least bad option says which group is short, and by how much."""
    instance = day(6, sessions=THREE_SESSIONS[:2])
    victim = next(a.facilitator_id for a in instance.assignments if a.session_id == 2)
    result = rotation_repair(instance, now=at(10), withdrawals=[Withdrawal(victim, at(10))])
    assert sum(result.shortfall.values()) == 1
    assert [p.rule for p in result.problems] == [Rule.STAFFING]
    assert "the least bad leaves Group" in result.problems[0].message
    assert "with 1 facilitator instead of 2" in result.problems[0].message
    assert victim not in {f for f, _g in in_session(result.assignments, 2)}
    assert len(in_session(result.assignments, 2)) == 5


def test_repair_keeps_what_was_locked():
    instance = day(12)
    locked = next(a for a in instance.assignments if a.session_id == 3)
    instance = replace(
        instance, assignments=[replace(a, locked=True) if a == locked else a for a in instance.assignments]
    )
    victim = next(
        a.facilitator_id
        for a in instance.assignments
        if a.session_id == 3 and a.facilitator_id != locked.facilitator_id
    )
    result = rotation_repair(instance, now=at(12), withdrawals=[Withdrawal(victim, at(12))])
    assert AssignmentSpec(locked.facilitator_id, 3, locked.group_id, locked=True) in result.assignments


def test_nothing_to_repair_when_every_session_started():
    instance = day(12)
    result = rotation_repair(instance, now=at(18), withdrawals=[Withdrawal(1, at(18))])
    assert result.changes == []
    assert sorted(result.assignments, key=str) == sorted(instance.assignments, key=str)


@pytest.mark.parametrize(
    ("size", "seed"),
    [((100, 5, 2, 12, 30), 1), ((100, 5, 2, 12, 30), 2), ((300, 10, 3, 26, 60), 3), ((600, 20, 4, 50, 100), 1)],
)
def test_repair_changes_no_more_than_a_full_resolve_on_generated_events(size, seed):
    participants, groups, sessions, facilitators, countries = size
    generated = schedule_generate(
        participants=participants,
        groups=groups,
        sessions=sessions,
        facilitators=facilitators,
        countries=countries,
        seed=seed,
    )
    instance = staffed(generated, rotation_greedy(generated))
    ordered = sorted(instance.sessions, key=lambda s: s.start)
    frozen = ordered[: max(1, len(ordered) // 2)]
    now = frozen[-1].start + timedelta(minutes=30)
    victim = next(a.facilitator_id for a in instance.assignments if a.session_id == ordered[-1].id)
    withdrawals = [Withdrawal(victim, start=now)]
    result = rotation_repair(instance, now=now, withdrawals=withdrawals)
    assert result.status == "optimal"
    assert result.shortfall == {}
    assert repaired_rules(instance, result, now, withdrawals) == []
    for s in frozen:
        assert in_session(result.assignments, s.id) == in_session(instance.assignments, s.id)
    later = {s.id for s in ordered if s.start > now}
    assert not any(a.facilitator_id == victim and a.session_id in later for a in result.assignments)
    full = rotation_build(repair_full_schedule(instance, now=now, withdrawals=withdrawals), time_limit=5)
    assert full.status in ("optimal", "feasible")
    assert len(result.changes) <= len(repair_changes(instance.assignments, full.assignments))
    assert result.elapsed < 5


def test_a_group_leaves_an_unusable_room_for_a_free_one_with_its_languages_and_seats():
    instance = schedule(
        **rooms_and_groups(("A", 5, TRI), ("D", 5, EN)),
        facilitators=staff(8, EN),
        sessions=THREE_SESSIONS[:2],
    )
    free = [RoomSpec(7, "Room G", 3, TRI), RoomSpec(8, "Room H", 9, EN), RoomSpec(9, "Room F", 9, TRI)]
    members = [ParticipantSpec(100 + i, f"P{i}", TRI, group_id=10) for i in range(4)]
    instance = replace(instance, rooms=[*instance.rooms, *free], participants=members)
    # Room G is too small; Room H (English only) would do, but Room F keeps the interpretation.
    assert room_replacement(instance, group_id=10, unusable=frozenset({1})) == (9, None)
    assert room_replacement(instance, group_id=10, unusable=frozenset({1, 9})) == (8, None)
    spanish = [replace(p, languages=frozenset({"es"})) for p in members]
    room, problem = room_replacement(replace(instance, participants=spanish), group_id=10, unusable=frozenset({1, 9}))
    assert room is None and problem.rule == Rule.LANGUAGE_FIT
    room, problem = room_replacement(instance, group_id=10, unusable=frozenset({1, 8, 9}))
    assert room is None and problem.rule == Rule.CAPACITY
    assert "No free room has seats for the 4 participants of Group A" in problem.message


def test_moving_a_group_to_an_english_room_replaces_its_facilitators_who_speak_no_english():
    spanish = FacilitatorSpec(1, "Ana", frozenset({"es"}))
    instance = schedule(
        rooms=[RoomSpec(1, "Room A", 9, TRI), RoomSpec(2, "Room B", 9, TRI), RoomSpec(3, "Room E", 9, EN)],
        groups=[GroupSpec(10, "A", 1), GroupSpec(20, "B", 2)],
        facilitators=[spanish, FacilitatorSpec(2, "Bea", TRI), *staff(6, EN, start=3)],
        sessions=[session(2, "Trafficking", 15)],
        assignments=[
            AssignmentSpec(1, 2, 10),
            AssignmentSpec(2, 2, 10),
            AssignmentSpec(3, 2, 20),
            AssignmentSpec(4, 2, 20),
        ],
    )
    result = rotation_repair(instance, now=at(14), withdrawals=[], room_moves={10: 3})
    assert result.shortfall == {}
    assert [(c.facilitator_id, c.before_group_id, c.after_group_id) for c in result.changes][0] == (1, 10, None)
    assert len(result.changes) == 2  # Ana out, someone free in: nothing else moves
    placed = in_session(result.assignments, 2)
    assert {(2, 10), (3, 20), (4, 20)} <= set(placed)
    assert (1, 10) not in placed
