"""The board's hand tools: assigning a facilitator to a slot short of one, unlocking what was kept by
hand, participant names per group, and the pickers with their search (issue 15, "Hand tools")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.workshops.test_schedule_run_apply import board_world
from workshops import selectors_pickers
from workshops.models import Assignment, Availability, ScheduleChange
from workshops.schedule_hand import assignment_unlock, participant_unlock
from workshops.schedule_history import schedule_change_undo, schedule_history
from workshops.services import participant_move

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser):
    return board_world(organiser)


def _url(name, workshop, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


def _assign(client, world, facilitator, group, session=None):
    return client.post(
        _url("assign_facilitator", world["workshop"]),
        {"session": (session or world["morning"]).pk, "group": group.pk, "facilitator": facilitator.pk},
        follow=True,
    )


# Assigning a facilitator to an empty slot


def test_assign_fills_a_slot_short_of_facilitators_kept_and_undoable(client, organiser, world):
    f0 = world["facilitators"][0]
    client.force_login(organiser)
    page = _assign(client, world, f0, world["a"]).content.decode()
    assert "Assigned: F0 facilitates Group A in Labour." in page
    assignment = Assignment.objects.get()
    assert (assignment.facilitator, assignment.session, assignment.group, assignment.locked) == (
        f0,
        world["morning"],
        world["a"],
        True,
    )
    change = ScheduleChange.objects.get()
    assert change.kind == ScheduleChange.Kind.ASSIGN and change.created_by == organiser
    history = schedule_history(workshop=world["workshop"])
    assert [c.text for c in history["changes"]] == ["Labour: F0 to Group A"]
    assert history["undoable"] == change
    assert "Facilitator assigned by hand" in page and "Labour: F0 to Group A" in page
    schedule_change_undo(change=change, by=organiser)
    assert not Assignment.objects.exists()


def test_assign_is_refused_when_the_facilitator_is_busy_in_that_session(client, organiser, world):
    f0 = world["facilitators"][0]
    f.assignment(f0, world["morning"], world["d"])
    client.force_login(organiser)
    response = _assign(client, world, f0, world["a"])
    page = response.content.decode()
    assert "Not assigned: F0 already facilitates Group D in Labour." in page
    assert list(Assignment.objects.values_list("group__name", flat=True)) == ["D"]
    assert not ScheduleChange.objects.exists()
    # Back on the board with the same place and facilitator still chosen: nothing to choose again.
    form = page.split('id="assign"', 1)[1].split("</form>", 1)[0]
    for chosen in (world["morning"].pk, world["a"].pk):
        assert f'<option value="{chosen}" selected>' in form
    assert f'<option value="{f0.pk}" selected>F0 · Labour: Group D</option>' in form


def test_assign_is_refused_when_the_facilitator_does_not_speak_the_rooms_language(client, organiser, world):
    awa = f.facilitator(world["workshop"], name="Awa", languages=["fr"])
    client.force_login(organiser)
    page = _assign(client, world, awa, world["d"]).content.decode()
    assert "Not assigned: Awa speaks French, but Room D works in English." in page
    assert not Assignment.objects.exists() and not ScheduleChange.objects.exists()


def test_assign_is_refused_when_the_co_facilitator_shares_no_language(client, organiser, world):
    workshop = world["workshop"]
    zed = f.facilitator(workshop, name="Zed", languages=["en"])
    awa = f.facilitator(workshop, name="Awa", languages=["fr"])
    f.assignment(zed, world["morning"], world["a"])
    client.force_login(organiser)
    page = _assign(client, world, awa, world["a"]).content.decode()
    assert "Not assigned: Labour: Awa (French) and Zed (English) co-facilitate Group A but share no language." in page
    assert list(Assignment.objects.values_list("facilitator__name", flat=True)) == ["Zed"]


def test_assign_is_refused_when_the_facilitator_is_not_available(client, organiser, world):
    f0 = world["facilitators"][0]
    afternoon = world["afternoon"]
    Availability.objects.create(facilitator=f0, start=afternoon.start, end=afternoon.end)
    client.force_login(organiser)
    page = _assign(client, world, f0, world["a"]).content.decode()
    assert "Not assigned: F0 is not available for Labour." in page
    assert not Assignment.objects.exists()


def test_assign_is_refused_when_the_group_already_visited(client, organiser, world):
    f0 = world["facilitators"][0]
    f.assignment(f0, world["afternoon"], world["a"])
    client.force_login(organiser)
    page = _assign(client, world, f0, world["a"]).content.decode()
    assert "Not assigned: F0 visits Group A 2 times; each group should get new facilitators." in page
    assert Assignment.objects.count() == 1


def test_assign_is_refused_when_the_slot_is_already_full(client, organiser, world):
    f0, f1, f2 = world["facilitators"][:3]
    f.assignment(f0, world["morning"], world["a"])
    f.assignment(f1, world["morning"], world["a"])
    client.force_login(organiser)
    page = _assign(client, world, f2, world["a"]).content.decode()
    assert "Not assigned: Group A already has the 2 facilitators Labour requires." in page
    assert Assignment.objects.count() == 2


def test_assign_with_another_workshops_facilitator_is_404_and_changes_nothing(client, organiser, world):
    stranger = f.facilitator(f.workshop(), name="Stranger")
    client.force_login(organiser)
    response = client.post(
        _url("assign_facilitator", world["workshop"]),
        {"session": world["morning"].pk, "group": world["a"].pk, "facilitator": stranger.pk},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_assign_by_another_workshops_organiser_is_404(client, other_organiser, world):
    client.force_login(other_organiser)
    response = _assign(client, world, world["facilitators"][0], world["a"])
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_board_offers_assign_in_each_cell_short_of_facilitators_prefilled(client, organiser, world):
    f.assignment(world["facilitators"][0], world["morning"], world["a"])
    f.assignment(world["facilitators"][1], world["morning"], world["a"])
    client.force_login(organiser)
    page = client.get(_url("board", world["workshop"])).content.decode()
    offers = [
        f"?session={s.pk}&amp;group={g.pk}#assign"
        for s in (world["morning"], world["afternoon"])
        for g in (world["a"], world["d"])
    ]
    assert [offer in page for offer in offers] == [False, True, True, True]  # Labour, Group A is full
    prefilled = client.get(_url("board", world["workshop"]), {"session": world["afternoon"].pk, "group": world["d"].pk})
    form = prefilled.content.decode().split('id="assign"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{world["afternoon"].pk}" selected>' in form
    assert f'<option value="{world["d"].pk}" selected>' in form


# Hand locks: marked, and unlocked


def test_a_participant_kept_by_hand_is_marked_and_unlocked_undoably(client, organiser, world):
    p0 = world["people"][0]
    participant_move(participant=p0, group=world["d"], by=organiser)
    client.force_login(organiser)
    page = client.get(_url("board", world["workshop"])).content.decode()
    row = page.split(f'data-participant="{p0.pk}"', 1)[1].split("</li>", 1)[0]
    assert "kept" in row and f'name="participant" value="{p0.pk}"' in row and "Unlock" in row
    page = client.post(_url("unlock", world["workshop"]), {"participant": p0.pk}, follow=True).content.decode()
    assert "P0 is no longer kept in Group D: automatic placement may move them." in page
    p0.refresh_from_db()
    assert (p0.group, p0.group_locked) == (world["d"], False)
    change = ScheduleChange.objects.first()
    assert change.kind == ScheduleChange.Kind.UNLOCK
    assert "P0" not in change.summary and "P0" not in str(change.detail)  # named when shown, as a move is
    assert schedule_history(workshop=world["workshop"])["changes"][0].text == "P0 no longer kept in Group D"
    schedule_change_undo(change=change, by=organiser)
    p0.refresh_from_db()
    assert p0.group_locked is True


def test_an_assignment_kept_by_hand_is_marked_and_unlocked_undoably(client, organiser, world):
    kept = f.assignment(world["facilitators"][0], world["morning"], world["a"], locked=True)
    f.assignment(world["facilitators"][1], world["morning"], world["a"], locked=False)
    client.force_login(organiser)
    page = client.get(_url("board", world["workshop"])).content.decode()
    assert page.count('name="assignment" value=') == 1 and f'name="assignment" value="{kept.pk}"' in page
    page = client.post(_url("unlock", world["workshop"]), {"assignment": kept.pk}, follow=True).content.decode()
    assert "F0 is no longer kept in Group A for Labour: building the rotation may change it." in page
    kept.refresh_from_db()
    assert kept.locked is False
    assert schedule_history(workshop=world["workshop"])["changes"][0].text == "Labour: F0 no longer kept in Group A"
    schedule_change_undo(change=ScheduleChange.objects.get(), by=organiser)  # rewrites the assignments
    assert Assignment.objects.get(facilitator=world["facilitators"][0]).locked is True


def test_unlocking_what_is_not_kept_changes_nothing_and_says_so(client, organiser, world):
    client.force_login(organiser)
    page = client.post(
        _url("unlock", world["workshop"]), {"participant": world["people"][0].pk}, follow=True
    ).content.decode()
    assert "P0 was not kept by hand: nothing to unlock." in page
    assert not ScheduleChange.objects.exists()


def test_unlocking_another_workshops_people_is_404(client, organiser, world):
    other = f.workshop()
    stranger = f.participant(other, group=f.group(other), group_locked=True)
    client.force_login(organiser)
    assert client.post(_url("unlock", world["workshop"]), {"participant": stranger.pk}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.group_locked is True


# Names per group, and moving by picker


def test_board_lists_each_groups_participants_and_those_in_no_group(client, organiser, world):
    loner = f.participant(world["workshop"], name="Nadie Aún")
    client.force_login(organiser)
    page = client.get(_url("board", world["workshop"])).content.decode()
    a_row = page.split(f'data-drop-group="{world["a"].pk}"', 1)[1].split("</tr>", 1)[0]
    d_row = page.split(f'data-drop-group="{world["d"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert "<details" in a_row and "3 participants" in a_row
    assert all(name in a_row for name in ("P0", "P1", "Solo Español")) and "P2" not in a_row
    assert "P2" in d_row and "P3" in d_row and "P0" not in d_row
    unplaced = page.split('id="unplaced"', 1)[1].split("</details>", 1)[0]
    assert "Nadie Aún" in unplaced and f"?move={loner.pk}#move" in unplaced


def test_the_move_picker_says_where_each_participant_is(client, organiser, world):
    participant_move(participant=world["people"][0], group=world["d"], by=organiser)
    client.force_login(organiser)
    page = client.get(_url("board", world["workshop"]), {"move": world["people"][1].pk}).content.decode()
    form = page.split('id="move"', 1)[1].split("</form>", 1)[0]
    assert "P0 · Group D, Room D (kept)" in form
    assert f'<option value="{world["people"][1].pk}" selected>P1 · Group A, Room A</option>' in form


def test_the_pickers_of_a_large_workshop_show_only_what_was_searched(client, organiser, world, monkeypatch):
    monkeypatch.setattr(selectors_pickers, "PICKER_SHOW_ALL", 30)  # 100 in use: a plain select up to there
    workshop = world["workshop"]
    for i in range(30):
        f.participant(workshop, name=f"Zoë {i:02d}", group=world["a"])
    client.force_login(organiser)
    page = client.get(_url("board", workshop)).content.decode()
    form = page.split('id="move"', 1)[1].split("</form>", 1)[0]
    options = form.split('name="participant"', 1)[1].split("</select>", 1)[0].count("<option")
    assert options == 21  # the blank one and the first 20 by name, below the search box
    assert "The first 20 by name: search to find the others." in form
    page = client.get(_url("board", workshop), {"participant_q": "ZOE 07"}).content.decode()
    form = page.split('id="move"', 1)[1].split("</form>", 1)[0]
    listed = form.split('name="participant"', 1)[1].split("</select>", 1)[0]
    assert listed.count("<option") == 2 and "Zoë 07 · Group A, Room A" in listed
    assert 'value="ZOE 07"' in form and "1 found." in form
    page = client.get(_url("board", workshop), {"participant_q": "zoe"}).content.decode()
    form = page.split('id="move"', 1)[1].split("</form>", 1)[0]
    listed = form.split('name="participant"', 1)[1].split("</select>", 1)[0]
    assert listed.count("<option") == 21 and "The first 20 by name: type more to narrow." in form


def test_the_facilitator_picker_lists_each_ones_assignments(client, organiser, world):
    f.assignment(world["facilitators"][0], world["morning"], world["a"])
    f.assignment(world["facilitators"][0], world["afternoon"], world["d"])
    client.force_login(organiser)
    page = client.get(_url("board", world["workshop"])).content.decode()
    swap = page.split('id="swap"', 1)[1].split("</form>", 1)[0]
    assert "F0 · Labour: Group A; Trafficking: Group D" in swap and "F1 · no assignment" in swap


# The search behind the pickers


def test_search_finds_participants_by_name_ignoring_case_and_accents(client, organiser, world):
    client.force_login(organiser)
    response = client.get(_url("people_search", world["workshop"]), {"kind": "participant", "q": "solo espanol"})
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": world["spanish"].pk, "label": "Solo Español · Group A, Room A"}]


def test_search_lists_facilitators_with_their_assignments(client, organiser, world):
    f.assignment(world["facilitators"][2], world["afternoon"], world["d"], locked=True)
    client.force_login(organiser)
    data = client.get(_url("people_search", world["workshop"]), {"kind": "facilitator", "q": "f2"}).json()
    assert data["results"] == [{"id": world["facilitators"][2].pk, "label": "F2 · Trafficking: Group D (kept)"}]


def test_search_returns_at_most_20_and_says_there_are_more(client, organiser, world):
    for i in range(25):
        f.participant(world["workshop"], name=f"Ana {i:02d}")
    client.force_login(organiser)
    data = client.get(_url("people_search", world["workshop"]), {"kind": "participant", "q": "ana"}).json()
    assert [r["label"] for r in data["results"]] == [f"Ana {i:02d} · not in a group" for i in range(20)]
    assert data["more"] is True and data["message"] == "The first 20 by name: type more to narrow."


def test_search_never_lists_people_of_another_workshop(client, organiser, world):
    other = f.workshop(organisers=[organiser])  # the same organiser's other workshop
    f.participant(other, name="P9 elsewhere")
    f.facilitator(other, name="F9 elsewhere")
    client.force_login(organiser)
    for kind in ("participant", "facilitator"):
        data = client.get(_url("people_search", world["workshop"]), {"kind": kind, "q": "elsewhere"}).json()
        assert data["results"] == [] and data["message"] == "No one found."
        everyone = client.get(_url("people_search", world["workshop"]), {"kind": kind}).json()["results"]
        assert "elsewhere" not in str(everyone) and everyone


def test_search_of_another_organisers_workshop_is_404(client, other_organiser, world):
    client.force_login(other_organiser)
    response = client.get(_url("people_search", world["workshop"]), {"kind": "participant", "q": "P"})
    assert response.status_code == 404


def test_search_asks_anyone_outside_staff_to_sign_in(client, world):
    response = client.get(_url("people_search", world["workshop"]), {"q": "P"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_search_queries_constant(client, organiser):
    client.force_login(organiser)
    small = f.populated_workshop(participants=4, groups=2, sessions=1, facilitators=2, organisers=[organiser])
    large = f.populated_workshop(participants=60, groups=8, sessions=4, facilitators=16, organisers=[organiser])

    def count(workshop, kind):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url("people_search", workshop), {"kind": kind, "q": "i"}).status_code == 200
        return len(ctx.captured_queries)

    for kind in ("participant", "facilitator"):
        count(small, kind)
        assert count(large, kind) == count(small, kind)


def test_board_queries_constant_with_locks_and_hand_edits(client, organiser):
    client.force_login(organiser)
    small = f.populated_workshop(participants=4, groups=2, sessions=1, facilitators=2, organisers=[organiser])
    large = f.populated_workshop(participants=60, groups=8, sessions=4, facilitators=16, organisers=[organiser])
    for workshop in (small, large):
        people = list(workshop.participants.all())
        groups = list(workshop.groups.all())
        for person in people[: len(people) // 2]:
            participant_move(participant=person, group=groups[-1], by=organiser)
        Assignment.objects.filter(session__workshop=workshop).update(locked=True)
        assignment_unlock(assignment=Assignment.objects.filter(session__workshop=workshop).first(), by=organiser)
        participant_unlock(participant=people[0], by=organiser)  # the history names people and sessions

    def count(workshop, **params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url("board", workshop), params).status_code == 200
        return len(ctx.captured_queries)

    count(small)
    assert count(large) == count(small)
    assert count(large, participant_q="a", first_q="f", move=1) == count(small, participant_q="a", first_q="f", move=1)
