"""The one write path of attendance: versions refuse stale writes, every change leaves its history."""

import pytest

from tests import factories as f
from workshops.attendance import attendance_cell, attendance_counts
from workshops.attendance_marks import attendance_check_in, attendance_mark
from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import Attendance, AttendanceChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    workshop = f.workshop()
    a, b = f.group(workshop, name="A"), f.group(workshop, name="B")
    session = f.session(workshop)
    return {
        "workshop": workshop,
        "a": a,
        "b": b,
        "session": session,
        "ana": f.participant(workshop, name="Ana", group=a),
        "bo": f.participant(workshop, name="Bo", group=a),
        "user": f.user(username="marker"),
    }


def _mark(world, status, version, *, who="ana", source=AttendanceSource.ROSTER):
    return attendance_mark(
        session=world["session"],
        participant=world[who],
        status=status,
        source=source,
        by_user=world["user"],
        expected_version=version,
    )


def test_mark_first_time_creates_version_one_with_its_history(world):
    result = _mark(world, AttendanceStatus.PRESENT, 0)
    assert (result.status, result.version) == ("saved", 1)
    mark = Attendance.objects.get()
    assert (mark.status, mark.source, mark.group, mark.updated_by) == (
        "present",
        "roster",
        world["a"],
        world["user"],
    )
    change = AttendanceChange.objects.get()
    assert (change.before, change.after, change.source, change.changed_by) == ("", "present", "roster", world["user"])


def test_mark_change_raises_the_version_and_records_before_and_after(world):
    _mark(world, AttendanceStatus.PRESENT, 0)
    result = _mark(world, AttendanceStatus.LEFT_EARLY, 1, source=AttendanceSource.ORGANISER)
    assert (result.status, result.version) == ("saved", 2)
    assert list(AttendanceChange.objects.values_list("before", "after", "source")) == [
        ("present", "left_early", "organiser"),
        ("", "present", "roster"),
    ]


def test_mark_stale_version_is_refused_and_nothing_is_overwritten(world):
    _mark(world, AttendanceStatus.PRESENT, 0)
    _mark(world, AttendanceStatus.LATE, 1)  # someone else, meanwhile
    result = _mark(world, AttendanceStatus.ABSENT, 1)  # based on what the page showed before
    assert result.status == "conflict"
    assert (result.attendance.status, result.version) == ("late", 2)
    assert Attendance.objects.get().status == "late"
    assert AttendanceChange.objects.count() == 2


def test_mark_first_time_refused_when_someone_marked_already(world):
    _mark(world, AttendanceStatus.PRESENT, 0)
    result = _mark(world, AttendanceStatus.ABSENT, 0)
    assert (result.status, result.attendance.status) == ("conflict", "present")


def test_mark_same_status_again_writes_no_history(world):
    _mark(world, AttendanceStatus.PRESENT, 0)
    result = _mark(world, AttendanceStatus.PRESENT, 1)
    assert (result.status, result.version) == ("saved", 1)
    assert AttendanceChange.objects.count() == 1


def test_mark_unknown_status_is_refused(world):
    with pytest.raises(ValueError):
        _mark(world, "asleep", 0)
    assert not Attendance.objects.exists()


def test_mark_keeps_the_group_of_the_moment_it_was_made(world):
    _mark(world, AttendanceStatus.PRESENT, 0)
    world["ana"].group = world["b"]
    world["ana"].save()
    assert Attendance.objects.get().group == world["a"]


def test_check_in_keeps_a_facilitators_mark_but_replaces_absent(world):
    _mark(world, AttendanceStatus.LEFT_EARLY, 0)
    _mark(world, AttendanceStatus.ABSENT, 0, who="bo")
    for who in ("ana", "bo"):
        attendance_check_in(session=world["session"], participant=world[who], by_user=world["user"], late=True)
    marks = dict(Attendance.objects.values_list("participant__name", "status"))
    assert marks == {"Ana": "left_early", "Bo": "late"}


def test_counts_by_session_and_group_and_what_is_not_recorded(world):
    _mark(world, AttendanceStatus.PRESENT, 0)
    _mark(world, AttendanceStatus.ABSENT, 0, who="bo")
    counts = attendance_counts(workshop=world["workshop"])
    assert counts == {(world["session"].pk, world["a"].pk): {"present": 1, "absent": 1}}
    cell = attendance_cell(counts=counts[(world["session"].pk, world["a"].pk)], participants=3)
    assert cell == {"present": 1, "late": 0, "left_early": 0, "absent": 1, "not_recorded": 1}
