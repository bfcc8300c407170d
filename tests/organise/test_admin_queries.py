"""Admin lists keep a constant number of queries as the data grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from worksheets.models import Question, Worksheet
from workshops.models import Assignment, BreakoutSession, Facilitator, Group, Participant, Room, Workshop

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "model",
    [Workshop, Room, Group, BreakoutSession, Participant, Facilitator, Assignment, Question, Worksheet],
    ids=lambda m: m.__name__,
)
def test_changelist_queries_constant(client, organiser, model):
    client.force_login(organiser)
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    f.populated_workshop(participants=3, groups=1, sessions=1, facilitators=1, organisers=[organiser])
    small = queries(client, path)
    f.populated_workshop(participants=40, groups=6, sessions=3, facilitators=10, organisers=[organiser])
    f.populated_workshop(participants=20, groups=3, sessions=2, facilitators=5, organisers=[organiser])
    assert queries(client, path) == small


def test_workshop_change_page_queries_constant(client, organiser):
    client.force_login(organiser)
    small = f.populated_workshop(participants=3, groups=1, sessions=1, facilitators=1, organisers=[organiser])
    large = f.populated_workshop(participants=60, groups=6, sessions=3, facilitators=12, organisers=[organiser])
    path = lambda w: reverse("admin:workshops_workshop_change", args=[w.pk])  # noqa: E731
    queries(client, path(small))  # warms Django's content-type cache
    assert queries(client, path(large)) == queries(client, path(small))


def test_delete_page_counts_what_djangos_own_lists(rf, organiser, other_organiser):
    """`deleted_objects` (the delete page's summary, in fixed queries) agrees with Django's `get_deleted_objects`.

    The same counts per kind, the same kinds the person may not delete and the same protecting
    rows; of the rows deleted along, it names only the chosen ones (the counts say the rest),
    where Django names every row. Its listing fallback (`deleted_objects_listed`) is Django's exactly.
    """
    from django.contrib import admin
    from django.contrib.admin.utils import get_deleted_objects

    from organise.admin.deletion import deleted_objects_listed
    from organise.admin.scoping import _owned_rows, deleted_objects

    mine = f.populated_workshop(participants=6, groups=2, sessions=2, facilitators=3, organisers=[organiser])
    theirs = f.populated_workshop(participants=2, groups=1, sessions=1, facilitators=1, organisers=[other_organiser])
    # One of my facilitators also facilitates in their workshop (not possible through the forms):
    # deleting that facilitator would delete an assignment I do not organise.
    stray = Assignment.objects.create(
        facilitator=mine.facilitators.first(), session=theirs.sessions.first(), group=theirs.groups.first()
    )
    superuser = f.user(is_superuser=True)
    roots = [
        mine,
        mine.sessions.first(),
        mine.groups.first(),
        mine.participants.first(),
        stray.facilitator,
        mine.language_modes.first(),  # its rooms are protected
        Question.objects.filter(workshop=mine).first(),
    ]
    for user in (organiser, other_organiser, superuser):
        for root in roots:
            request = rf.get("/")
            request.user = user
            ours = deleted_objects([root], request, admin.site)
            request = rf.get("/")
            request.user = user
            djangos = get_deleted_objects([root], request, admin.site)
            listed = deleted_objects_listed([root], request, admin.site, owned=_owned_rows)
            assert listed == djangos, (user, root)
            assert ours[0] == [djangos[0][0]], (user, root)  # the chosen object, with its link
            assert ours[1:3] == djangos[1:3], (user, root)  # counts per kind, kinds not theirs to delete
            assert sorted(ours[3]) == sorted(djangos[3]), (user, root)  # what protects it
            if user == organiser and root == stray.facilitator:
                assert ours[2] == {"assignment"}  # the stray assignment is not theirs to delete
