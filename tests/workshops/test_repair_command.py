"""`manage.py repair_rotation`: the 2005 demo at 14:00, printed changes, --dry-run, the least bad option."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from workshops.models import Assignment, RotationRepair, ScheduleChange, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())
    return Workshop.objects.get(slug="idm-2005-capacity")


def _places(workshop):
    return sorted(
        Assignment.objects.filter(session__workshop=workshop).values_list("session_id", "group_id", "facilitator_id")
    )


def _repair(*args):
    out = StringIO()
    call_command("repair_rotation", "idm-2005-capacity", *args, stdout=out)
    return out.getvalue()


def _afternoon_facilitator(demo):
    afternoon = demo.sessions.order_by("start").last()
    return Assignment.objects.filter(session=afternoon).select_related("facilitator").first().facilitator


def test_dry_run_prints_the_changes_and_changes_nothing(demo):
    person = _afternoon_facilitator(demo)
    before = _places(demo)
    out = _repair("--unavailable", person.email, "--from", "2005-09-27 14:00", "--now", "2005-09-27 14:00", "--dry-run")
    assert "Frozen (started by 2005-09-27 14:00, Europe/Zurich): Migration and Labour" in out
    assert "2 changes:" in out
    assert f"Counter-Trafficking: {person.name}, Group " in out
    assert "-> not facilitating" in out
    assert "Every rule is met." in out
    assert _places(demo) == before
    assert mail.outbox == []
    assert RotationRepair.objects.get().status == RotationRepair.Status.DISCARDED


def test_repair_applies_records_and_mails_the_three_affected(demo, django_capture_on_commit_callbacks):
    person = _afternoon_facilitator(demo)
    morning = demo.sessions.order_by("start").first()
    before = _places(demo)
    with django_capture_on_commit_callbacks(execute=True):
        out = _repair("--unavailable", person.email.upper(), "--from", "2005-09-27 14:00", "--now", "2005-09-27 14:00")
    assert "Applied: 2 changes. 3 facilitators e-mailed." in out  # out, in, and their co-facilitator
    after = _places(demo)
    assert [p for p in after if p[0] == morning.pk] == [p for p in before if p[0] == morning.pk]
    assert not any(f == person.pk and s != morning.pk for s, _g, f in after)
    assert len(mail.outbox) == 3
    assert person.email in {m.to[0] for m in mail.outbox}
    assert ScheduleChange.objects.get(workshop=demo).kind == ScheduleChange.Kind.REPAIR


def test_least_bad_option_is_refused_without_accept(demo):
    """At 08:00 nothing has started: withdrawing three of twelve leaves nine for 10 places a session."""
    emails = list(demo.facilitators.order_by("pk").values_list("email", flat=True))
    for email in emails[:2]:
        _repair("--unavailable", email, "--from", "2005-09-27 08:00", "--now", "2005-09-27 08:00")
    before = _places(demo)
    with pytest.raises(CommandError, match="least bad option"):
        _repair("--unavailable", emails[2], "--from", "2005-09-27 08:00", "--now", "2005-09-27 08:00")
    assert _places(demo) == before
    out = _repair("--unavailable", emails[2], "--from", "2005-09-27 08:00", "--now", "2005-09-27 08:00", "--accept")
    assert "Rules still broken (the least bad option):" in out
    assert "instead of 2" in out


def test_unknown_facilitator_and_bad_time_are_said(demo):
    with pytest.raises(CommandError, match="No facilitator of this workshop"):
        _repair("--unavailable", "nobody@example.org")
    with pytest.raises(CommandError, match="YYYY-MM-DD HH:MM"):
        _repair("--unavailable", _afternoon_facilitator(demo).email, "--from", "14:00")


def test_an_unusable_room_is_said_when_no_room_is_free(demo):
    before = _places(demo)
    with pytest.raises(CommandError, match="No room can take this group"):
        _repair("--unusable-room", "room a", "--now", "2005-09-27 14:00", "--accept")
    assert _places(demo) == before
    with pytest.raises(CommandError, match="No room of this workshop is called Room Z"):
        _repair("--unusable-room", "Room Z")
