"""Properties on small random workshops: the solvers never claim a schedule the checker rejects,
and whenever the prechecks say impossible, the solvers say so with the prechecks' words."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from workshops.scheduling.data import (
    AssignmentSpec,
    FacilitatorSpec,
    GroupSpec,
    ParticipantSpec,
    RoomSpec,
    Schedule,
    SessionSpec,
)
from workshops.scheduling.placement import participants_place
from workshops.scheduling.prechecks import placement_precheck, rotation_precheck
from workshops.scheduling.rotation import RotationWeights, _Rotation, rotation_build

from .instances import EN, ES, FR, TRI, at, placed, placement_problems, rotation_problems, staffed

SPOKEN = [EN, ES, FR, TRI, frozenset({"en", "es"}), frozenset({"fr", "de"}), frozenset({"de"})]
ROOM_MODES = [TRI, EN, frozenset({"en", "fr"})]
WINDOWS = [(), (), ((at(9), at(13)),), ((at(13), at(18)),)]
SMALL = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def workshops(draw) -> Schedule:
    """Up to 4 rooms, 3 sessions (sometimes overlapping), 14 participants, 12 facilitators, some locks."""
    count = draw(st.integers(1, 4))
    rooms = [
        RoomSpec(i + 1, f"Room {chr(65 + i)}", draw(st.integers(0, 8)), draw(st.sampled_from(ROOM_MODES)))
        for i in range(count)
    ]
    groups = [GroupSpec(10 * (i + 1), chr(65 + i), i + 1) for i in range(count)]
    group_ids = [g.id for g in groups]
    hours = draw(st.lists(st.sampled_from([9, 10, 11, 14, 16]), min_size=1, max_size=3, unique=True))
    sessions = [
        SessionSpec(
            1000 + i,
            f"S{i}",
            at(hour),
            at(hour) + timedelta(hours=2),
            draw(st.integers(0, 2)),
            draw(st.sampled_from([None, "2.6", "3.12"])),
        )
        for i, hour in enumerate(sorted(hours))
    ]
    participants = []
    for i in range(draw(st.integers(0, 14))):
        group_id = draw(st.sampled_from([None, *group_ids]))
        participants.append(
            ParticipantSpec(
                100 + i,
                f"P{i}",
                draw(st.sampled_from(SPOKEN)),
                group_id,
                country=draw(st.sampled_from(["", "MX", "FR", "GB", "SN"])),
                region=draw(st.sampled_from(["", "americas", "europe"])),
                organisation=draw(st.sampled_from(["", "IOM", "Ministry of Labour"])),
                gender=draw(st.sampled_from(["", "female", "male"])),
                locked=group_id is not None and draw(st.booleans()),
            )
        )
    facilitators = [
        FacilitatorSpec(
            i + 1,
            f"F{i + 1}",
            draw(st.sampled_from(SPOKEN)),
            draw(st.sampled_from(WINDOWS)),
            draw(st.sampled_from([frozenset(), frozenset({"2.6"}), frozenset({"2.6", "3.12"})])),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    assignments = []
    if facilitators:
        for _ in range(draw(st.integers(0, 3))):
            assignments.append(
                AssignmentSpec(
                    draw(st.sampled_from(facilitators)).id,
                    draw(st.sampled_from(sessions)).id,
                    draw(st.sampled_from(group_ids)),
                    locked=draw(st.booleans()),
                )
            )
    return Schedule(rooms, groups, participants, facilitators, sessions, assignments)


@SMALL
@given(workshops(), st.integers(0, 3))
def test_placement_feasible_means_checker_agrees(schedule, seed):
    result = participants_place(schedule, time_limit=1.0, seed=seed)
    prechecked = placement_precheck(schedule)
    if prechecked:
        assert (result.status, result.problems, result.groups) == ("infeasible", prechecked, {})
        return
    # The prechecks are exact for placement: no problem means a placement was found.
    assert result.status in ("optimal", "feasible")
    assert placement_problems(placed(schedule, result.groups)) == []
    assert all(result.groups[p.id] == p.group_id for p in schedule.participants if p.locked)
    assert result.bound <= result.objective


@SMALL
@given(workshops(), st.integers(0, 3))
def test_rotation_feasible_means_checker_agrees(schedule, seed):
    result = rotation_build(schedule, time_limit=1.0, seed=seed)
    prechecked = rotation_precheck(schedule)
    if prechecked:
        assert (result.status, result.problems, result.assignments) == ("infeasible", prechecked, [])
        return
    if result.status in ("optimal", "feasible"):
        assert rotation_problems(staffed(schedule, result.assignments)) == []
        assert {a for a in schedule.assignments if a.locked} <= set(result.assignments)
        assert result.bound <= result.objective
    else:
        # Beyond the counts: said in words too, never a solver status code (co-facilitation when
        # only the rule that co-facilitators share a language stands in the way).
        assert result.status == "infeasible"
        assert [p.rule for p in result.problems] in (["staffing"], ["co_facilitation"])


@st.composite
def mixed_language_teams(draw) -> Schedule:
    """Tri-lingual rooms, pairs required, facilitators speaking one or two of English, Spanish,
    French: inputs where co-facilitation, rather than any count, decides."""
    count = draw(st.integers(1, 3))
    rooms = [RoomSpec(i + 1, f"Room {chr(65 + i)}", 5, TRI) for i in range(count)]
    groups = [GroupSpec(10 * (i + 1), chr(65 + i), i + 1) for i in range(count)]
    hours = draw(st.lists(st.sampled_from([9, 11, 14, 16]), min_size=1, max_size=2, unique=True))
    sessions = [
        SessionSpec(1000 + i, f"S{i}", at(hour), at(hour) + timedelta(hours=2), draw(st.sampled_from([2, 2, 3])))
        for i, hour in enumerate(sorted(hours))
    ]
    # Enough people for every count, or nearly: what decides is who can work with whom.
    needed = max(s.required for s in sessions) * count
    spoken = [EN, ES, FR, frozenset({"en", "fr"}), frozenset({"es", "fr"})]
    facilitators = [
        FacilitatorSpec(i + 1, f"F{i + 1}", draw(st.sampled_from(spoken)))
        for i in range(needed + draw(st.integers(0, 3)))
    ]
    return Schedule(rooms, groups, [], facilitators, sessions, [])


@SMALL
@given(mixed_language_teams())
def test_rotation_co_facilitation_prechecks_and_solver_agree(schedule):
    result = rotation_build(schedule, time_limit=1.0)
    prechecked = rotation_precheck(schedule)
    if prechecked:
        assert (result.status, result.problems) == ("infeasible", prechecked)
        if {p.rule for p in prechecked} == {"co_facilitation"}:
            # The prechecks never call a possible rotation impossible: the solver, asked
            # without them, finds none either.
            alone = _Rotation(schedule, RotationWeights())
            model, _x = alone.model()
            assert cp_model.CpSolver().solve(model) == cp_model.INFEASIBLE
        return
    assert result.status in ("optimal", "feasible", "infeasible")
    if result.status == "infeasible":
        assert [p.rule for p in result.problems] in (["staffing"], ["co_facilitation"])
    else:
        assert rotation_problems(staffed(schedule, result.assignments)) == []
