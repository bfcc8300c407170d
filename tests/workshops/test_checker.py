"""The rule checker on plain data: each rule met, then broken, with its message."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from workshops.scheduling.checker import Rule, schedule_check
from workshops.scheduling.data import (
    AssignmentSpec,
    FacilitatorSpec,
    GroupSpec,
    ParticipantSpec,
    RoomSpec,
    Schedule,
    SessionSpec,
)

TZ = ZoneInfo("Europe/Zurich")
TRI = frozenset({"en", "es", "fr"})
EN = frozenset({"en"})


def at(hour: int) -> datetime:
    return datetime(2005, 9, 27, hour, tzinfo=TZ)


def base(**changes) -> Schedule:
    """Two groups (A tri-lingual, D English only), two sessions, four facilitators: every rule met."""
    fields = {
        "rooms": [RoomSpec(1, "Room A", 2, TRI), RoomSpec(2, "Room D", 2, EN)],
        "groups": [GroupSpec(10, "A", 1), GroupSpec(20, "D", 2)],
        "participants": [
            ParticipantSpec(100, "Ana", frozenset({"es"}), 10),
            ParticipantSpec(101, "Bo", EN, 20),
        ],
        "facilitators": [FacilitatorSpec(i, f"F{i}", EN) for i in range(1, 5)],
        "sessions": [
            SessionSpec(1000, "Labour", at(11), at(13), 2),
            SessionSpec(2000, "Trafficking", at(15), at(17), 2),
        ],
        "assignments": [
            AssignmentSpec(1, 1000, 10),
            AssignmentSpec(2, 1000, 10),
            AssignmentSpec(3, 1000, 20),
            AssignmentSpec(4, 1000, 20),
            AssignmentSpec(3, 2000, 10),
            AssignmentSpec(4, 2000, 10),
            AssignmentSpec(1, 2000, 20),
            AssignmentSpec(2, 2000, 20),
        ],
    }
    fields.update(changes)
    return Schedule(**fields)


def rules(schedule) -> list[Rule]:
    return [p.rule for p in schedule_check(schedule)]


def messages(schedule) -> list[str]:
    return [p.message for p in schedule_check(schedule)]


def test_valid_schedule_has_no_problem():
    assert schedule_check(base()) == []


def test_one_group_participant_without_group():
    schedule = base(participants=[ParticipantSpec(100, "Ana", TRI, None), ParticipantSpec(101, "Bo", EN, 20)])
    assert messages(schedule) == ["Ana is not in any group."]


def test_one_group_participant_in_unknown_group():
    schedule = base(participants=[ParticipantSpec(100, "Ana", TRI, 99)])
    assert messages(schedule) == ["Ana is in a group of another workshop."]


def test_capacity_exceeded():
    crowd = [ParticipantSpec(200 + i, f"P{i}", EN, 20) for i in range(3)]
    assert messages(base(participants=crowd)) == ["Group D has 3 participants but Room D seats 2."]


def test_capacity_exactly_full_is_fine():
    full = [ParticipantSpec(200 + i, f"P{i}", EN, 20) for i in range(2)]
    assert schedule_check(base(participants=full)) == []


def test_language_fit_spanish_speaker_in_english_only_room():
    schedule = base(participants=[ParticipantSpec(100, "Ana", frozenset({"es"}), 20)])
    assert messages(schedule) == ["Ana speaks Spanish, but Group D meets in Room D (English)."]


def test_staffing_missing_co_facilitator():
    schedule = base()
    assignments = [a for a in schedule.assignments if not (a.facilitator_id == 2 and a.session_id == 1000)]
    assert messages(base(assignments=assignments)) == ["Labour: Group A has 1 facilitator; 2 are required."]


def test_double_booking_in_overlapping_sessions():
    sessions = [SessionSpec(1000, "Labour", at(11), at(13), 1), SessionSpec(2000, "Late", at(12), at(14), 1)]
    assignments = [
        AssignmentSpec(1, 1000, 10),
        AssignmentSpec(1, 2000, 20),
        AssignmentSpec(2, 1000, 20),
        AssignmentSpec(3, 2000, 10),
    ]
    found = rules(base(sessions=sessions, assignments=assignments))
    assert Rule.DOUBLE_BOOKING in found
    assert any(
        "F1 is due in two rooms at once" in m for m in messages(base(sessions=sessions, assignments=assignments))
    )


def test_rotation_same_group_twice():
    schedule = base()
    # F1 and F2 go back to Group A in the second session instead of Group D.
    assignments = [
        AssignmentSpec(a.facilitator_id, a.session_id, 10 if a.facilitator_id in (1, 2) else 20)
        for a in schedule.assignments
    ]
    found = messages(base(assignments=assignments))
    assert "F1 visits Group A 2 times; each group should get new facilitators." in found
    assert "F2 visits Group A 2 times; each group should get new facilitators." in found
    assert set(rules(base(assignments=assignments))) == {Rule.ROTATION}


def test_facilitator_language_french_only_in_english_room():
    facilitators = [FacilitatorSpec(1, "F1", frozenset({"fr"})), FacilitatorSpec(2, "F2", frozenset({"en", "fr"}))]
    facilitators += [FacilitatorSpec(i, f"F{i}", EN) for i in (3, 4)]
    found = messages(base(facilitators=facilitators))
    # F1 works in Room A (tri-lingual) in the first session: fine; in Room D in the second: not.
    # (F2, their co-facilitator both times, speaks French too.)
    assert found == ["F1 speaks French, but Room D works in English."]


def test_availability_outside_window():
    facilitators = [FacilitatorSpec(1, "F1", EN, availability=((at(9), at(13)),))] + [
        FacilitatorSpec(i, f"F{i}", EN) for i in (2, 3, 4)
    ]
    assert messages(base(facilitators=facilitators)) == ["F1 is not available for Trafficking."]


def test_no_overlap_between_sessions():
    sessions = [SessionSpec(1000, "Labour", at(11), at(13), 2), SessionSpec(2000, "Trafficking", at(12), at(14), 2)]
    schedule = base(sessions=sessions, assignments=[])
    assert "Labour and Trafficking overlap in time, and every group attends both." in messages(schedule)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_problems_are_worded_in_the_active_language(language):
    from django.utils import translation

    schedule = base(participants=[ParticipantSpec(100, "Ana", TRI, None)])
    with translation.override(language):
        found = messages(schedule)
    assert len(found) == 1
    assert found[0] != "Ana is not in any group."
    assert found[0].startswith("Ana ")


def test_co_facilitation_pair_without_a_common_language():
    # F1 speaks only French, F2 only English: both fit tri-lingual Room A, but cannot work together.
    facilitators = [
        FacilitatorSpec(1, "F1", frozenset({"fr"})),
        FacilitatorSpec(2, "F2", EN),
        *(FacilitatorSpec(i, f"F{i}", EN) for i in (3, 4)),
    ]
    assignments = [a for a in base().assignments if a.session_id == 1000]
    schedule = base(facilitators=facilitators, sessions=base().sessions[:1], assignments=assignments)
    assert [(p.rule, p.message, p.session_id, p.group_id) for p in schedule_check(schedule)] == [
        (
            Rule.CO_FACILITATION,
            "Labour: F1 (French) and F2 (English) co-facilitate Group A but share no language.",
            1000,
            10,
        )
    ]


def test_co_facilitation_every_pair_of_a_larger_team_shares_a_language():
    # F1 (en, fr) talks to both, but F2 (fr) and F3 (en) cannot talk to each other.
    facilitators = [
        FacilitatorSpec(1, "F1", frozenset({"en", "fr"})),
        FacilitatorSpec(2, "F2", frozenset({"fr"})),
        FacilitatorSpec(3, "F3", EN),
    ]
    sessions = [SessionSpec(1000, "Labour", at(11), at(13), 3)]
    groups = [GroupSpec(10, "A", 1)]
    participants = [ParticipantSpec(100, "Ana", frozenset({"es"}), 10)]
    assignments = [AssignmentSpec(f, 1000, 10) for f in (1, 2, 3)]
    schedule = base(
        facilitators=facilitators, sessions=sessions, groups=groups, participants=participants, assignments=assignments
    )
    assert messages(schedule) == ["Labour: F2 (French) and F3 (English) co-facilitate Group A but share no language."]


def test_co_facilitation_a_bilingual_bridge_is_enough_for_a_pair():
    facilitators = [FacilitatorSpec(1, "F1", frozenset({"en", "fr"})), FacilitatorSpec(2, "F2", frozenset({"fr"}))]
    sessions = [SessionSpec(1000, "Labour", at(11), at(13), 2)]
    groups = [GroupSpec(10, "A", 1)]
    participants = [ParticipantSpec(100, "Ana", frozenset({"es"}), 10)]
    assignments = [AssignmentSpec(1, 1000, 10), AssignmentSpec(2, 1000, 10)]
    schedule = base(
        facilitators=facilitators, sessions=sessions, groups=groups, participants=participants, assignments=assignments
    )
    assert schedule_check(schedule) == []
