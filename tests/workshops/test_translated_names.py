"""Room and group names, like every content field, in the reader's language where a translation exists."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

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


def named_world():
    """A workshop with a room and a group named in English, Spanish and French."""
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    room = f.room(workshop, name="Blue room", name_es="Sala azul", name_fr="Salle bleue")
    group = f.group(workshop, room_obj=room, name="Newcomers", name_es="Recién llegados", name_fr="Nouveaux venus")
    return {"workshop": workshop, "room": room, "group": group}


@pytest.fixture
def world():
    return named_world()


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
