"""Who facilitates which group in which session: one selector (`facilitators_by_cell`), used by the board,
the room signs, the itineraries and the facilitators' own pages."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from workshops.models import Assignment
from workshops.selectors import facilitators_by_cell

ROOT = Path(__file__).resolve().parents[2]
# A list keyed by (session, group) being filled: `cells[(a.session_id, a.group_id)].append(...)`.
CELL_APPEND = re.compile(r"(\w+)\[\(\s*[\w.]*session_id,\s*[\w.]*group_id\s*\)\]\.append")

pytestmark = pytest.mark.django_db


def test_facilitators_by_cell_groups_in_name_order_in_one_query():
    workshop = f.workshop()
    session, later = f.session(workshop, start_hour=9), f.session(workshop, start_hour=14)
    c, d = f.group(workshop, name="C"), f.group(workshop, name="D")
    zoe, awa, ben = (f.facilitator(workshop, name=name) for name in ("Zoé", "Awa", "Ben"))
    f.assignment(zoe, session, c)
    f.assignment(awa, session, c)
    f.assignment(ben, later, d)
    f.assignment(f.facilitator(f.workshop()), f.session(f.workshop()), f.group(f.workshop()))  # elsewhere
    with CaptureQueriesContext(connection) as ctx:
        cells = facilitators_by_cell(assignments=Assignment.objects.filter(session__workshop=workshop))
        names = {key: [a.facilitator.name for a in cell] for key, cell in cells.items()}
    assert names == {(session.pk, c.pk): ["Awa", "Zoé"], (later.pk, d.pk): ["Ben"]}
    assert len(ctx.captured_queries) == 1
    assert cells[(session.pk, d.pk)] == []  # a cell nobody facilitates


def test_facilitators_by_cell_keeps_the_order_of_assignments_already_read():
    workshop = f.workshop()
    session, group = f.session(workshop), f.group(workshop)
    ben = f.assignment(f.facilitator(workshop, name="Ben"), session, group)
    awa = f.assignment(f.facilitator(workshop, name="Awa"), session, group)
    with CaptureQueriesContext(connection) as ctx:
        cells = facilitators_by_cell(assignments=[ben, awa])
    assert cells == {(session.pk, group.pk): [ben, awa]}
    assert ctx.captured_queries == []


def test_facilitators_by_cell_is_built_in_one_place():
    """No other module fills its own (session, group) lists of facilitators (the board's problems are not facilitators)."""
    builders = sorted(
        (str(path.relative_to(ROOT)), match.group(1))
        for app in ("organise", "workshops", "worksheets")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "scheduling" not in path.parts
        for match in CELL_APPEND.finditer(path.read_text())
    )
    # The JSON export keeps facilitator ids by cell from one values_list query (it lived in scheduling/,
    # skipped here, until the architecture test moved it out: the selector yields objects, not ids).
    assert builders == [
        ("workshops/schedule_export.py", "team"),
        ("workshops/selectors.py", "cells"),
        ("workshops/selectors_board.py", "problems_by_cell"),
    ]
