"""The board's hand tools in a browser: moving a participant by dragging their name onto another group
and by the picker (searching as one types), and assigning a facilitator to a group short of one."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from workshops.models import Assignment, ScheduleChange

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    organiser = f.user(username="organiser-browser")
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    session = f.session(workshop, title="Migration and Labour", start_hour=11, facilitators_required=1)
    lucia = f.participant(workshop, name="Lucía García", group=a)
    awa = f.participant(workshop, name="Awa Diallo", group=a)
    f.participant(workshop, name="Bruno Silva", group=b)
    helene = f.facilitator(workshop, name="Hélène Marchetti", languages=["en", "fr"])
    return {"workshop": workshop, "a": a, "b": b, "session": session, "lucia": lucia, "awa": awa, "helene": helene}


def log_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", "organiser-browser")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


def test_board_moves_by_drag_and_drop_and_by_picker_and_assigns(live_server, page, world, screenshot, axe_check):
    workshop, a, b = world["workshop"], world["a"], world["b"]
    log_in(page, live_server, f"/organise/{workshop.slug}/")
    expect(page.get_by_role("heading", name="By hand")).to_be_visible()
    axe_check()

    # Drag Lucía's name from Group A onto Group B's row: the move form is submitted for her.
    a_row = page.locator(f'tr[data-drop-group="{a.pk}"]')
    a_row.locator("summary").click()
    name = a_row.locator(f'li[data-participant="{world["lucia"].pk}"]')
    expect(name).to_have_attribute("draggable", "true")
    name.drag_to(a_row.locator("td").first)  # back onto her own group: nothing is sent
    page.wait_for_timeout(500)
    assert not ScheduleChange.objects.exists()
    name.drag_to(page.locator(f'tr[data-drop-group="{b.pk}"] th'))
    expect(page.locator(".alert").first).to_contain_text("Saved")
    world["lucia"].refresh_from_db()
    assert world["lucia"].group == b and world["lucia"].group_locked is True
    b_row = page.locator(f'tr[data-drop-group="{b.pk}"]')
    expect(b_row.locator("summary")).to_have_text("2 participants")
    expect(page.get_by_text("Lucía García to Group B")).to_be_visible()  # in the history

    # By the picker: typing filters (accents ignored), the select shows where she is now.
    move = page.locator("#move")
    move.get_by_label("Search participants by name or e-mail").fill("awa")
    participant = move.locator("select[name=participant]")
    expect(participant.locator("option")).to_have_count(2)  # the blank one and Awa
    expect(participant).to_have_value(str(world["awa"].pk))
    expect(participant.locator("option:checked")).to_have_text("Awa Diallo · Group A, Room A")
    expect(move.locator("[data-picker-status]")).to_have_text("1 found.")
    move.locator("select[name=group]").select_option(label="Group B")
    move.get_by_role("button", name="Move participant").click()
    expect(page.locator(".alert").first).to_contain_text("Saved")
    world["awa"].refresh_from_db()
    assert world["awa"].group == b
    expect(page.get_by_text("Awa Diallo to Group B")).to_be_visible()

    # Group A has nobody for the session: "Assign a facilitator" prefills the place; the picker finds Hélène.
    page.get_by_role("link", name="Assign a facilitator to Group A, Migration and Labour").click()
    assign = page.locator("#assign")
    expect(assign.locator("select[name=session]")).to_have_value(str(world["session"].pk))
    expect(assign.locator("select[name=group]")).to_have_value(str(a.pk))
    assign.get_by_label("Search facilitators by name or e-mail").fill("helene")
    expect(assign.locator("select[name=facilitator] option:checked")).to_have_text("Hélène Marchetti · no assignment")
    assign.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("Assigned: Hélène Marchetti facilitates Group A in Migration and Labour.")).to_be_visible()
    assignment = Assignment.objects.get()
    assert (assignment.facilitator, assignment.group, assignment.locked) == (world["helene"], a, True)
    assert ScheduleChange.objects.filter(kind=ScheduleChange.Kind.ASSIGN).count() == 1

    # Assigning her again to Group B in the same session is refused, saying why.
    page.goto(f"{live_server.url}/organise/{workshop.slug}/?session={world['session'].pk}&group={b.pk}#assign")
    assign.get_by_label("Search facilitators by name or e-mail").fill("marchetti")
    expect(assign.locator("select[name=facilitator] option:checked")).to_have_text(
        "Hélène Marchetti · Migration and Labour: Group A (kept)"
    )
    assign.get_by_role("button", name="Assign", exact=True).click()
    expect(
        page.get_by_text("Not assigned: Hélène Marchetti already facilitates Group A in Migration and Labour.")
    ).to_be_visible()
    assert Assignment.objects.count() == 1
    screenshot("board-hand-tools-desktop")
    axe_check()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("board-hand-tools-phone")
    axe_check()
