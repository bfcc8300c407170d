"""The counting prechecks: each rule that makes an input impossible, named in an organiser's words."""

import time
from dataclasses import replace

from workshops.scheduling.checker import Rule
from workshops.scheduling.data import AssignmentSpec, ParticipantSpec, SessionSpec
from workshops.scheduling.generate import schedule_generate
from workshops.scheduling.prechecks import placement_precheck, rotation_precheck

from .instances import EN, ES, FR, TRI, at, people, rooms_and_groups, schedule, session, staff

TWO_SESSIONS = [session(1000, "Labour", 11), session(2000, "Trafficking", 15)]
A_AND_D = rooms_and_groups(("A", 5, TRI), ("D", 5, EN))


def found(problems) -> list[tuple[Rule, str]]:
    return [(p.rule, p.message) for p in problems]


def test_placement_precheck_feasible_input_has_no_problem():
    rooms = rooms_and_groups(("A", 2, TRI), ("D", 2, EN))
    assert placement_precheck(schedule(**rooms, participants=people(2, ES) + people(2, start=200))) == []


def test_placement_precheck_total_seats():
    rooms = rooms_and_groups(("A", 2, TRI), ("D", 1, EN))
    assert found(placement_precheck(schedule(**rooms, participants=people(4)))) == [
        (Rule.CAPACITY, "There are 4 participants, but the rooms seat only 3.")
    ]


def test_placement_precheck_total_seats_after_locked_people():
    rooms = rooms_and_groups(("A", 2, TRI), ("D", 1, EN))
    crowd = people(2, locked=True, group_id=10) + people(2, start=200)
    assert found(placement_precheck(schedule(**rooms, participants=crowd))) == [
        (Rule.CAPACITY, "2 participants still need a group, but the rooms have only 1 seat left.")
    ]


def test_placement_precheck_english_only_rooms_and_non_english_speakers():
    # 2005's shape: rooms A-C tri-lingual, D-E English only; 13 people speak only Spanish or French.
    rooms = rooms_and_groups(("A", 4, TRI), ("B", 4, TRI), ("C", 4, TRI), ("D", 10, EN), ("E", 10, EN))
    crowd = people(7, ES) + people(6, FR, start=200) + people(5, EN, start=300)
    assert found(placement_precheck(schedule(**rooms, participants=crowd))) == [
        (
            Rule.LANGUAGE_FIT,
            "13 participants speak none of the languages of Groups D and E (English); "
            "the rooms open to them (Groups A, B and C) have room for only 12.",
        )
    ]


def test_placement_precheck_language_no_room_offers():
    rooms = rooms_and_groups(("A", 2, TRI))
    ana = ParticipantSpec(1, "Ana", frozenset({"de"}))
    assert found(placement_precheck(schedule(**rooms, participants=[ana]))) == [
        (Rule.LANGUAGE_FIT, "Ana speaks German, which no room of the workshop works in.")
    ]


def test_placement_precheck_locked_in_a_room_of_another_language():
    ana = ParticipantSpec(1, "Ana", ES, 20, locked=True)
    assert found(placement_precheck(schedule(**A_AND_D, participants=[ana]))) == [
        (Rule.LANGUAGE_FIT, "Ana is locked in Group D, but speaks Spanish and Room D works in English.")
    ]


def test_placement_precheck_locked_beyond_capacity():
    rooms = rooms_and_groups(("A", 2, TRI), ("D", 2, EN))
    assert found(placement_precheck(schedule(**rooms, participants=people(3, locked=True, group_id=20)))) == [
        (Rule.CAPACITY, "3 participants are locked in Group D, but Room D seats 2.")
    ]


def test_placement_precheck_locked_in_unknown_group():
    ana = ParticipantSpec(1, "Ana", ES, 99, locked=True)
    assert found(placement_precheck(schedule(**A_AND_D, participants=[ana]))) == [
        (Rule.ONE_GROUP, "Ana is locked in a group of another workshop.")
    ]


def test_rotation_precheck_feasible_input_has_no_problem():
    assert rotation_precheck(schedule(**A_AND_D, facilitators=staff(4), sessions=TWO_SESSIONS)) == []


def test_rotation_precheck_overlapping_sessions():
    sessions = [session(1000, "Labour", 11), session(2000, "Trafficking", 12)]
    assert found(rotation_precheck(schedule(**A_AND_D, facilitators=staff(8), sessions=sessions))) == [
        (Rule.NO_OVERLAP, "Labour and Trafficking overlap in time, and every group attends both.")
    ]


def test_rotation_precheck_staffing_too_few_facilitators():
    assert found(rotation_precheck(schedule(**A_AND_D, facilitators=staff(3), sessions=TWO_SESSIONS))) == [
        (Rule.STAFFING, "Labour needs 4 facilitators for 2 groups, but the workshop has only 3."),
        (Rule.STAFFING, "Trafficking needs 4 facilitators for 2 groups, but the workshop has only 3."),
    ]


def test_rotation_precheck_availability():
    mornings = staff(2, start=4, availability=((at(9), at(13)),))
    instance = schedule(**A_AND_D, facilitators=staff(3) + mornings, sessions=TWO_SESSIONS)
    assert found(rotation_precheck(instance)) == [
        (Rule.AVAILABILITY, "Trafficking needs 4 facilitators for 2 groups, but only 3 are available then.")
    ]


def test_rotation_precheck_facilitator_language_of_no_room():
    instance = schedule(**A_AND_D, facilitators=staff(3) + staff(1, frozenset({"de"}), start=4), sessions=TWO_SESSIONS)
    message = "needs 4 facilitators for 2 groups, but only 3 of those available then speak a language of the rooms."
    assert found(rotation_precheck(instance)) == [
        (Rule.FACILITATOR_LANGUAGE, f"Labour {message}"),
        (Rule.FACILITATOR_LANGUAGE, f"Trafficking {message}"),
    ]


def test_rotation_precheck_english_speakers_for_english_only_rooms():
    instance = schedule(**A_AND_D, facilitators=staff(1) + staff(3, FR, start=2), sessions=TWO_SESSIONS[:1])
    assert found(rotation_precheck(instance)) == [
        (
            Rule.FACILITATOR_LANGUAGE,
            "Labour: 2 facilitators are needed for Group D (English), but only 1 of those available then speaks English.",
        )
    ]


def test_rotation_precheck_rotation_needs_new_facilitators():
    instance = schedule(**rooms_and_groups(("A", 5, TRI)), facilitators=staff(3), sessions=TWO_SESSIONS)
    assert found(rotation_precheck(instance)) == [
        (
            Rule.ROTATION,
            "Group A: 4 different facilitators are needed per group over the workshop (nobody visits a group twice), "
            "but only 3 facilitators speaking any of English, Spanish, French are available then.",
        )
    ]


def test_rotation_precheck_rotation_counts_availability_across_sessions():
    sessions = [*TWO_SESSIONS, SessionSpec(3000, "Return", at(11, day=28), at(13, day=28))]
    morning = staff(1, start=5, availability=((at(9), at(13)),))
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI))
    assert found(rotation_precheck(schedule(**rooms, facilitators=staff(4) + morning, sessions=sessions))) == [
        (
            Rule.ROTATION,
            "Groups A and B: 6 different facilitators are needed per group over the workshop (nobody visits a group "
            "twice), but only 5 facilitators speaking any of English, Spanish, French are available then.",
        )
    ]


def test_rotation_precheck_locked_assignments_that_break_rules():
    facilitators = [
        *staff(1),
        *staff(1, start=2, availability=((at(9), at(13)),)),
        *staff(1, FR, start=3),
        *staff(5, start=4),
    ]
    locked = [
        AssignmentSpec(1, 1000, 10, locked=True),
        AssignmentSpec(1, 1000, 20, locked=True),
        AssignmentSpec(2, 1000, 10, locked=True),
        AssignmentSpec(2, 2000, 10, locked=True),
        AssignmentSpec(9, 1000, 10, locked=True),
        AssignmentSpec(3, 2000, 20, locked=True),
    ]
    instance = schedule(**A_AND_D, facilitators=facilitators, sessions=TWO_SESSIONS, assignments=locked)
    assert found(rotation_precheck(instance)) == [
        (Rule.AVAILABILITY, "F2 is locked into Trafficking but is not available then."),
        (Rule.STAFFING, "A locked assignment names a facilitator, session or group that is not part of this workshop."),
        (Rule.FACILITATOR_LANGUAGE, "F3 is locked into Group D, but speaks French and Room D works in English."),
        (Rule.DOUBLE_BOOKING, "F1 is locked into two rooms at once: Group A (Labour) and Group D (Labour)."),
        (Rule.ROTATION, "F2 is locked into Group A 2 times; each group should get new facilitators."),
    ]


def test_prechecks_explain_a_large_impossible_event_in_well_under_a_tenth_of_a_second():
    event = schedule_generate(participants=3000, groups=100, sessions=6, facilitators=250, countries=150, seed=0)
    # Every room loses a quarter of its seats, and a third of the facilitators leave.
    event = replace(
        event,
        rooms=[replace(room, capacity=room.capacity * 3 // 4) for room in event.rooms],
        facilitators=event.facilitators[:160],
    )
    started = time.perf_counter()
    placement, rotation = placement_precheck(event), rotation_precheck(event)
    assert time.perf_counter() - started < 0.1
    assert {p.rule for p in placement} >= {Rule.CAPACITY}
    assert {p.rule for p in rotation} == {Rule.STAFFING}


def test_rotation_precheck_co_facilitation_locked_pair_without_a_common_language():
    locked = [AssignmentSpec(1, 1000, 10, locked=True), AssignmentSpec(4, 1000, 10, locked=True)]
    facilitators = staff(1, FR) + staff(5, start=2)
    instance = schedule(**A_AND_D, facilitators=facilitators, sessions=TWO_SESSIONS, assignments=locked)
    assert found(rotation_precheck(instance)) == [
        (
            Rule.CO_FACILITATION,
            "F1 (French) and F4 (English) are locked into Group A in Labour together, but share no language.",
        )
    ]


def test_rotation_precheck_co_facilitation_too_few_people_who_can_pair_up():
    # Three pairs from three French-only and three English-only people: one pair would have to mix.
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI), ("C", 5, TRI))
    instance = schedule(**rooms, facilitators=staff(3, FR) + staff(3, start=4), sessions=TWO_SESSIONS[:1])
    assert found(rotation_precheck(instance)) == [
        (
            Rule.CO_FACILITATION,
            "Labour needs 6 facilitators for 3 groups, but co-facilitators must share a language, and only 4 of "
            "those available then can be teamed up that way.",
        )
    ]


def test_rotation_precheck_co_facilitation_one_bilingual_bridge_is_enough():
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI), ("C", 5, TRI))
    facilitators = staff(3, FR) + staff(3, start=4) + staff(1, frozenset({"en", "fr"}), start=7)
    assert rotation_precheck(schedule(**rooms, facilitators=facilitators, sessions=TWO_SESSIONS[:1])) == []


def test_rotation_precheck_co_facilitation_someone_shares_no_language():
    # F1 speaks only Spanish and nobody else does: they cannot co-facilitate at all; and the three
    # English speakers make only one pair.
    rooms = rooms_and_groups(("A", 5, TRI), ("B", 5, TRI))
    instance = schedule(**rooms, facilitators=staff(1, ES) + staff(3, start=2), sessions=TWO_SESSIONS[:1])
    assert found(rotation_precheck(instance)) == [
        (
            Rule.CO_FACILITATION,
            "Labour needs 4 facilitators for 2 groups, but co-facilitators must share a language, and only 2 of "
            "those available then can be teamed up that way.",
        )
    ]


def test_rotation_precheck_co_facilitation_larger_teams_need_no_even_count():
    # One team of three French-only people is fine; nobody else needs to pair with them.
    rooms = rooms_and_groups(("A", 5, TRI))
    instance = schedule(**rooms, facilitators=staff(3, FR), sessions=[session(1000, "Labour", 11, required=3)])
    assert rotation_precheck(instance) == []
