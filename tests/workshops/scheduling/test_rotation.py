"""The facilitator rotation: every hard rule where it binds, locks, determinism, soft goals."""

from collections import Counter

import pytest

from workshops.scheduling import rotation as rotation_module
from workshops.scheduling.checker import Rule
from workshops.scheduling.data import AssignmentSpec, FacilitatorSpec, SessionSpec
from workshops.scheduling.prechecks import rotation_precheck
from workshops.scheduling.rotation import RotationWeights, rotation_build, rotation_greedy

from .instances import (
    EN,
    ES,
    FR,
    TRI,
    at,
    cyclic,
    load_spread,
    repeated_pairs,
    rooms_and_groups,
    rotation_problems,
    schedule,
    session,
    staff,
    staffed,
)

TWO_SESSIONS = [session(1000, "Labour", 11, section="2.6"), session(2000, "Trafficking", 15, section="3.12")]
A_AND_D = rooms_and_groups(("A", 5, TRI), ("D", 5, EN))


def solve(instance, **options):
    options.setdefault("time_limit", 5.0)
    result = rotation_build(instance, **options)
    assert result.status in ("optimal", "feasible"), result.problems
    assert rotation_problems(staffed(instance, result.assignments)) == []
    return result


def teams(result) -> dict[tuple[int, int], set[int]]:
    found: dict[tuple[int, int], set[int]] = {}
    for a in result.assignments:
        found.setdefault((a.session_id, a.group_id), set()).add(a.facilitator_id)
    return found


def test_rotation_staffing_binds_with_different_requirements():
    sessions = [session(1000, "Labour", 11, required=3), session(2000, "Trafficking", 15, required=1)]
    result = solve(schedule(**A_AND_D, facilitators=staff(8), sessions=sessions))
    assert {team: len(people) for team, people in teams(result).items()} == {
        (1000, 10): 3,
        (1000, 20): 3,
        (2000, 10): 1,
        (2000, 20): 1,
    }


def test_rotation_double_booking_and_rotation_bind():
    # Exactly enough people: everyone works every session, and the teams must trade groups.
    result = solve(schedule(**A_AND_D, facilitators=staff(4), sessions=TWO_SESSIONS))
    found = teams(result)
    assert found[(1000, 10)] == found[(2000, 20)]
    assert found[(1000, 20)] == found[(2000, 10)]
    assert Counter(a.facilitator_id for a in result.assignments) == {1: 2, 2: 2, 3: 2, 4: 2}


def test_rotation_facilitator_language_binds():
    # F1 and F2 speak only French: they can only work in the tri-lingual room A, once each.
    facilitators = staff(2, FR) + staff(4, start=3)
    result = solve(schedule(**A_AND_D, facilitators=facilitators, sessions=TWO_SESSIONS))
    assert {a.group_id for a in result.assignments if a.facilitator_id in (1, 2)} == {10}


def test_rotation_availability_binds():
    # F5 and F6 can only come in the morning: the afternoon must do without them.
    mornings = staff(2, start=5, availability=((at(9), at(13)),))
    result = solve(schedule(**A_AND_D, facilitators=staff(4) + mornings, sessions=TWO_SESSIONS))
    assert {a.facilitator_id for a in result.assignments if a.session_id == 2000}.isdisjoint({5, 6})


def test_rotation_locked_assignments_kept():
    locked = [AssignmentSpec(1, 2000, 20, locked=True), AssignmentSpec(2, 2000, 20, locked=True)]
    old = [AssignmentSpec(1, 1000, 20)]  # not locked: free to change
    instance = schedule(**A_AND_D, facilitators=staff(6), sessions=TWO_SESSIONS, assignments=locked + old)
    result = solve(instance)
    assert result.assignments[:2] == locked
    assert teams(result)[(2000, 20)] == {1, 2}
    assert 1 not in teams(result)[(1000, 20)]


def test_rotation_more_locked_than_required_all_stay():
    locked = [AssignmentSpec(f, 1000, 10, locked=True) for f in (1, 2, 3)]
    instance = schedule(**A_AND_D, facilitators=staff(8), sessions=TWO_SESSIONS, assignments=locked)
    result = solve(instance)
    assert teams(result)[(1000, 10)] == {1, 2, 3}


@pytest.mark.parametrize(
    ("facilitators", "sessions", "rule"),
    [
        (staff(3), TWO_SESSIONS, Rule.STAFFING),
        (staff(3) + staff(1, start=4, availability=((at(9), at(13)),)), TWO_SESSIONS, Rule.AVAILABILITY),
        (staff(1) + staff(3, FR, start=2), TWO_SESSIONS[:1], Rule.FACILITATOR_LANGUAGE),
        (staff(2) + staff(1, ES, start=3) + staff(1, FR, start=4), TWO_SESSIONS[:1], Rule.CO_FACILITATION),
        (staff(8), [session(1000, "Labour", 11), session(2000, "Trafficking", 12)], Rule.NO_OVERLAP),
    ],
)
def test_rotation_infeasible_returns_the_prechecks_words(facilitators, sessions, rule):
    instance = schedule(**A_AND_D, facilitators=facilitators, sessions=sessions)
    result = rotation_build(instance, time_limit=1.0)
    assert (result.status, result.assignments) == ("infeasible", [])
    assert result.problems == rotation_precheck(instance)
    assert {p.rule for p in result.problems} == {rule}


def test_rotation_infeasible_for_rotation_says_so():
    instance = schedule(**rooms_and_groups(("A", 5, TRI)), facilitators=staff(3), sessions=TWO_SESSIONS)
    result = rotation_build(instance, time_limit=1.0)
    assert result.status == "infeasible"
    assert [p.message for p in result.problems] == [
        "Group A: 4 different facilitators are needed per group over the workshop (nobody visits a group twice), "
        "but only 3 facilitators speaking any of English, Spanish, French are available then."
    ]


def test_rotation_infeasible_beyond_the_counts_is_said_in_words():
    # Six people for six places each session, every count passes; but F1 speaks only French,
    # so works only in C, and may visit C once: in the other session one place stays empty.
    # (F2 speaks French too, so that F1 has someone to co-facilitate with.)
    rooms = rooms_and_groups(("A", 5, EN), ("B", 5, EN), ("C", 5, TRI))
    facilitators = staff(1, FR) + staff(1, frozenset({"en", "fr"}), start=2) + staff(4, start=3)
    instance = schedule(**rooms, facilitators=facilitators, sessions=TWO_SESSIONS)
    assert rotation_precheck(instance) == []
    result = rotation_build(instance, time_limit=2.0)
    assert (result.status, result.assignments) == ("infeasible", [])
    assert [(p.rule, p.message) for p in result.problems] == [
        (
            Rule.STAFFING,
            "No rotation can staff every group in every session: each count of facilitators is enough on its "
            "own, but availability, languages and the rule that a facilitator visits each group once cannot all "
            "be met together. Add facilitators or widen their availability.",
        )
    ]


def test_rotation_solver_alone_meets_every_rule(monkeypatch):
    # Without the greedy start, CP-SAT builds the rotation from scratch.
    monkeypatch.setattr(rotation_module._Rotation, "greedy", lambda self: None)
    facilitators = staff(2, FR) + staff(5, start=3) + staff(1, start=8, availability=((at(14), at(18)),))
    locked = [AssignmentSpec(3, 1000, 20, locked=True)]
    instance = schedule(**A_AND_D, facilitators=facilitators, sessions=TWO_SESSIONS, assignments=locked)
    result = solve(instance)
    assert result.assignments[0] == locked[0]
    assert result.bound <= result.objective


def _expertise_instance():
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI), ("C", 5, TRI))
    sessions = [*TWO_SESSIONS, SessionSpec(3000, "Return", at(11, day=28), at(13, day=28), 2, "1.3")]
    facilitators = [
        FacilitatorSpec(1, "F1", EN, expertise=frozenset({"2.6"})),
        FacilitatorSpec(2, "F2", EN, expertise=frozenset({"2.6", "3.12"})),
        FacilitatorSpec(3, "F3", EN, expertise=frozenset({"3.12"})),
        FacilitatorSpec(4, "F4", EN, expertise=frozenset({"1.3"})),
        FacilitatorSpec(5, "F5", EN, availability=((at(9), at(13)),)),
        FacilitatorSpec(6, "F6", EN, expertise=frozenset({"1.3", "2.6"})),
        *staff(4, start=7),
    ]
    return schedule(**rooms, facilitators=facilitators, sessions=sessions)


def _without_expert(instance, assignments) -> int:
    sections = {s.id: s.section for s in instance.sessions}
    experts = {f.id: f.expertise for f in instance.facilitators}
    covered = {(a.session_id, a.group_id) for a in assignments if sections[a.session_id] in experts[a.facilitator_id]}
    return len(instance.sessions) * len(instance.groups) - len(covered)


def test_rotation_soft_goals_beat_the_cyclic_rotation():
    instance = _expertise_instance()
    naive = cyclic(instance)
    result = solve(instance)
    # The naive rotation breaks rules (F5 in the afternoon) and leaves teams without an expert.
    assert Counter(p.rule for p in rotation_problems(staffed(instance, naive))) == {Rule.AVAILABILITY: 2}
    assert (_without_expert(instance, naive), repeated_pairs(naive), load_spread(instance, naive)) == (5, 4, 2)
    found = (_without_expert(instance, result.assignments), repeated_pairs(result.assignments))
    assert found == (2, 0)
    assert load_spread(instance, result.assignments) == 1
    # Trafficking (3.12) and Return (1.3) have two experts each for three groups: two teams must
    # lack one; F5 can only come once while someone must come twice: the load spread is 1.
    assert result.status == "optimal"
    assert result.objective == result.bound == 5 * 1 + 10 * 2


def test_rotation_pairs_varied_by_the_swap_pass():
    rooms = rooms_and_groups(("A", 5, EN), ("B", 5, EN), ("C", 5, EN))
    instance = schedule(**rooms, facilitators=staff(6), sessions=TWO_SESSIONS)
    naive = cyclic(instance)
    assert rotation_problems(staffed(instance, naive)) == []
    assert repeated_pairs(naive) == 3
    result = solve(instance)
    assert repeated_pairs(result.assignments) == 0


def test_rotation_weights_change_the_goal():
    instance = _expertise_instance()
    result = solve(instance, weights=RotationWeights(load_balance=1, expertise=0, pair_variety=0))
    assert result.objective == result.bound == 1


def test_rotation_same_seed_same_result_and_progress():
    instance = _expertise_instance()
    seen = []
    first = rotation_build(instance, time_limit=5.0, seed=3, on_progress=lambda t, o: seen.append((t, o)))
    second = rotation_build(instance, time_limit=5.0, seed=3)
    assert (first.assignments, first.objective) == (second.assignments, second.objective)
    assert seen == first.progress
    assert [o for _t, o in seen] == sorted((o for _t, o in seen), reverse=True)


def test_rotation_same_seed_same_result_from_the_solver(monkeypatch):
    monkeypatch.setattr(rotation_module._Rotation, "greedy", lambda self: None)
    instance = _expertise_instance()
    first = rotation_build(instance, time_limit=5.0, seed=3)
    second = rotation_build(instance, time_limit=5.0, seed=3)
    assert (first.assignments, first.objective, first.bound) == (second.assignments, second.objective, second.bound)


@pytest.mark.parametrize("greedy", [True, False])
def test_rotation_co_facilitation_binds(monkeypatch, greedy):
    # Two French-only and two English-only people for two tri-lingual rooms: each pair must
    # speak one language, though every other rule would let French and English mix.
    if not greedy:
        monkeypatch.setattr(rotation_module._Rotation, "greedy", lambda self: None)
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI))
    facilitators = [*staff(1, FR), *staff(1, start=2), *staff(1, FR, start=3), *staff(1, start=4)]
    result = solve(schedule(**rooms, facilitators=facilitators, sessions=TWO_SESSIONS[:1]))
    assert sorted(sorted(team) for team in teams(result).values()) == [[1, 3], [2, 4]]


def test_rotation_co_facilitation_infeasible_beyond_the_counts_is_said_in_words(monkeypatch):
    # Three French-only and three English-only people for three pairs: one pair must mix.
    monkeypatch.setattr(rotation_module, "rotation_precheck", lambda schedule: [])
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI), ("C", 5, TRI))
    instance = schedule(**rooms, facilitators=staff(3, FR) + staff(3, start=4), sessions=TWO_SESSIONS[:1])
    result = rotation_build(instance, time_limit=2.0)
    assert (result.status, result.assignments) == ("infeasible", [])
    assert [(p.rule, p.message) for p in result.problems] == [
        (
            Rule.CO_FACILITATION,
            "Each count of facilitators is enough, but no rotation can staff every group in every session with "
            "co-facilitators who share a language (without that rule, one could). Add facilitators who speak more "
            "than one of the languages, or require fewer facilitators per group.",
        )
    ]


def test_rotation_greedy_start_meets_co_facilitation_by_itself():
    # In list order French, English, French, English: the plain matching pairs 1 with 2.
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI))
    facilitators = [*staff(1, FR), *staff(1, start=2), *staff(1, FR, start=3), *staff(1, start=4)]
    rotation = rotation_module._Rotation(
        schedule(**rooms, facilitators=facilitators, sessions=TWO_SESSIONS), RotationWeights()
    )
    chosen = rotation.greedy()
    assert chosen is not None
    ids = [person.id for person in rotation.facilitators]
    found = sorted(sorted(ids[f] for f in team) for team in rotation_module._teams(chosen).values())
    assert found == [[1, 3], [1, 3], [2, 4], [2, 4]]


def test_rotation_swap_pass_keeps_co_facilitators_who_share_a_language():
    # Only F1 and F2 speak French: exchanges that would vary pairs by mixing them with the
    # English speakers are refused, so they stay together (and `solve` finds no rule broken).
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI), ("C", 5, TRI))
    instance = schedule(**rooms, facilitators=staff(2, FR) + staff(4, start=3), sessions=TWO_SESSIONS)
    result = solve(instance)
    assert [sorted(team) for team in teams(result).values() if 1 in team or 2 in team] == [[1, 2], [1, 2]]


def test_rotation_greedy_meets_every_rule_and_keeps_the_locked():
    locked = [AssignmentSpec(1, 2000, 20, locked=True), AssignmentSpec(2, 2000, 20, locked=True)]
    instance = schedule(**A_AND_D, facilitators=staff(6), sessions=TWO_SESSIONS, assignments=locked)
    assignments = rotation_greedy(instance)
    assert assignments is not None
    assert assignments[:2] == locked
    assert rotation_problems(staffed(instance, assignments)) == []
    assert rotation_greedy(instance) == assignments


def test_rotation_greedy_none_when_the_prechecks_find_a_problem():
    instance = schedule(**A_AND_D, facilitators=staff(3), sessions=TWO_SESSIONS[:1])
    assert rotation_precheck(instance) != []
    assert rotation_greedy(instance) is None
