"""Room and group names in every language, in the organiser's tools: the admin's fields and the backup
(the pages that show them: tests/workshops/test_translated_names.py)."""

import pytest
from django.utils import translation

from organise.backup import workshop_backup_json, workshop_restore
from tests import factories as f
from tests.workshops.test_translated_names import named_world
from workshops.models import Group, Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return named_world()


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
