"""Room and group names, like every content field, in the reader's language where a translation exists."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from organise.backup import workshop_backup_json, workshop_restore
from tests import factories as f
from workshops.access import personal_link_path
from workshops.models import Group, Room

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "room"), [("en", "Room"), ("es", "Sala"), ("fr", "Salle")])
def test_demo_room_names_are_in_the_readers_language(client, language, room):
    call_command("load_demo", stdout=StringIO())
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(f"{prefix}/workshops/idm-2005-capacity/").content.decode()
    assert [letter for letter in "ABCDE" if f"{room} {letter}" in page] == list("ABCDE")


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    room = f.room(workshop, name="Blue room", name_es="Sala azul", name_fr="Salle bleue")
    group = f.group(workshop, room_obj=room, name="Newcomers", name_es="Recién llegados", name_fr="Nouveaux venus")
    return {"workshop": workshop, "room": room, "group": group}


@pytest.mark.parametrize(
    ("language", "room", "group"),
    [("en", "Blue room", "Newcomers"), ("es", "Sala azul", "Recién llegados"), ("fr", "Salle bleue", "Nouveaux venus")],
)
def test_my_day_shows_room_and_group_in_the_participants_language(client, world, language, room, group):
    participant = f.participant(world["workshop"], group=world["group"], preferred_language=language)
    response = client.get(personal_link_path(person=participant), follow=True)
    page = response.content.decode()
    assert response["Content-Language"] == language
    assert (room in page, group in page) == (True, True)


def test_an_untranslated_name_falls_back_to_english(world):
    room = f.room(world["workshop"], name="Plenary hall")
    with translation.override("fr"):
        assert Room.objects.get(pk=room.pk).name == "Plenary hall"


def test_backup_taken_in_spanish_restores_every_language(world):
    f.participant(world["workshop"], group=world["group"])
    with translation.override("es"):
        text = workshop_backup_json(workshop=world["workshop"])
    copy = workshop_restore(text=text, slug="copy").workshop
    room = Room.objects.get(workshop=copy)
    group = Group.objects.get(workshop=copy)
    assert (room.name_en, room.name_es, room.name_fr) == ("Blue room", "Sala azul", "Salle bleue")
    assert (group.name_en, group.name_es, group.name_fr) == ("Newcomers", "Recién llegados", "Nouveaux venus")
    assert group.room == room and group.participants.count() == 1


def test_organisers_edit_group_names_in_every_language(client, organiser, world):
    world["workshop"].organisers.add(organiser)
    client.force_login(organiser)
    group_page = client.get(f"/admin/workshops/group/{world['group'].pk}/change/").content.decode()
    workshop_page = client.get(f"/admin/workshops/workshop/{world['workshop'].pk}/change/").content.decode()
    fields = ['name="name_en"', 'name="name_es"', 'name="name_fr"']
    inline = ['name="groups-0-name_en"', 'name="groups-0-name_es"', 'name="groups-0-name_fr"']
    assert [field in group_page for field in fields] == [True, True, True]
    assert [field in workshop_page for field in inline] == [True, True, True]


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_existing_names_as_the_english_ones():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("workshops", "0007_inputs_schedule_run_heartbeat")], [("workshops", "0008_lang_room_group_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    old = apps.get_model("workshops", "Workshop").objects.create(
        slug="old", title="Old", start_date="2030-09-27", end_date="2030-09-27"
    )
    mode = apps.get_model("workshops", "LanguageMode").objects.create(workshop=old, name="Tri", languages=["en"])
    room = apps.get_model("workshops", "Room").objects.create(
        workshop=old, name="Salle A", capacity=5, language_mode=mode
    )
    apps.get_model("workshops", "Group").objects.create(workshop=old, name="A", room=room)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    with translation.override("fr"):
        assert (Room.objects.get().name, Group.objects.get().name) == ("Salle A", "A")
    assert (Room.objects.get().name_en, Group.objects.get().name_en) == ("Salle A", "A")
