"""The one rule of who organises a workshop: an active staff user in its team, or a superuser."""

import pytest

from tests import factories as f
from workshops.models import Participant, Workshop
from workshops.rules import is_staff_member, workshops_organised_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_workshops(organiser, other_organiser):
    return f.workshop(organisers=[organiser]), f.workshop(organisers=[other_organiser])


def _organised(user, **kwargs) -> list:
    return list(Workshop.objects.filter(workshops_organised_by(user, **kwargs)).order_by("pk"))


def test_rule_team_member_organises_only_their_team(organiser, two_workshops):
    mine, theirs = two_workshops
    assert _organised(organiser) == [mine]


def test_rule_superuser_organises_every_workshop_even_outside_any_team(two_workshops):
    superuser = f.user(is_superuser=True, is_staff=False)
    assert _organised(superuser) == list(two_workshops)


def test_rule_inactive_team_member_organises_nothing(two_workshops):
    mine, _theirs = two_workshops
    inactive = f.user(is_active=False)
    mine.organisers.add(inactive)
    assert _organised(inactive) == []


def test_rule_non_staff_team_member_organises_nothing(two_workshops):
    mine, _theirs = two_workshops
    participant_user = f.user(is_staff=False)
    mine.organisers.add(participant_user)
    assert _organised(participant_user) == []


def test_rule_path_scopes_a_workshops_objects_to_the_team(organiser, two_workshops):
    mine, theirs = two_workshops
    own = f.participant(mine)
    f.participant(theirs)
    rows = Participant.objects.filter(workshops_organised_by(organiser, path="workshop"))
    assert list(rows) == [own]


def test_rule_queryset_method_is_the_rule(organiser, two_workshops):
    assert list(Workshop.objects.organised_by(organiser)) == _organised(organiser)


def test_rule_staff_member_is_active_and_staff():
    assert is_staff_member(f.user()) is True
    assert is_staff_member(f.user(is_active=False)) is False
    assert is_staff_member(f.user(is_staff=False)) is False
