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
