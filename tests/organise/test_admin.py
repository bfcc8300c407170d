"""The organisers' back office: every page loads for the team, and nothing of other workshops leaks."""

import pytest
from django.contrib import admin
from django.core import checks
from django.urls import reverse

from curriculum.models import IammItem, Section, SectionItem, Volume
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import Answer, Question, Worksheet
from workshops.models import (
    Assignment,
    Availability,
    BreakoutSession,
    Facilitator,
    Group,
    LanguageMode,
    Participant,
    Room,
    Workshop,
)

pytestmark = pytest.mark.django_db

WORKSHOP_MODELS = [
    Workshop,
    LanguageMode,
    Room,
    Group,
    BreakoutSession,
    Participant,
    Facilitator,
    Assignment,
    Question,
    Worksheet,
]
CURRICULUM_MODELS = [Volume, Section, IammItem]


def one_of_each(organiser) -> dict:
    workshop = f.workshop(organisers=[organiser])
    mode = f.language_mode(workshop)
    room = f.room(workshop, mode=mode)
    group = f.group(workshop, room_obj=room)
    session = f.session(workshop)
    participant = f.participant(workshop, group=group)
    facilitator = f.facilitator(workshop)
    Availability.objects.create(facilitator=facilitator, start=session.start, end=session.end)
    question = f.question(workshop)
    worksheet = f.worksheet(participant, session, sharing=Sharing.NAMED)
    f.answer(worksheet, question, text="shared by name")
    return {
        Workshop: workshop,
        LanguageMode: mode,
        Room: room,
        Group: group,
        BreakoutSession: session,
        Participant: participant,
        Facilitator: facilitator,
        Assignment: f.assignment(facilitator, session, group),
        Question: question,
        Worksheet: worksheet,
    }


@pytest.fixture
def worlds(organiser, other_organiser):
    section = f.section("2.6")
    SectionItem.objects.create(section=section, kind="guiding_question", text="Why?")
    IammItem.objects.create(kind="common_understanding", order=1, title="Migration is integral to globalization")
    return {"mine": one_of_each(organiser), "theirs": one_of_each(other_organiser)}


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_is_in_the_admin():
    registered = set(admin.site._registry)
    assert set(WORKSHOP_MODELS + CURRICULUM_MODELS) <= registered


@pytest.mark.parametrize("model", WORKSHOP_MODELS, ids=lambda m: m.__name__)
def test_changelist_lists_only_my_workshops_objects(client, organiser, worlds, model):
    client.force_login(organiser)
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [worlds["mine"][model]]


@pytest.mark.parametrize("model", WORKSHOP_MODELS, ids=lambda m: m.__name__)
def test_change_page_loads_for_my_object_and_404s_for_theirs(client, organiser, worlds, model):
    client.force_login(organiser)
    assert client.get(url(model, "change", worlds["mine"][model].pk)).status_code == 200
    assert client.get(url(model, "change", worlds["theirs"][model].pk)).status_code == 404
    assert client.get(url(model, "delete", worlds["theirs"][model].pk)).status_code == 404
    assert client.get(url(model, "history", worlds["theirs"][model].pk)).status_code == 404


@pytest.mark.parametrize("model", [m for m in WORKSHOP_MODELS if m is not Worksheet], ids=lambda m: m.__name__)
def test_add_page_offers_only_my_workshops_in_choices(client, organiser, worlds, model):
    client.force_login(organiser)
    response = client.get(url(model, "add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and name != "organisers" and queryset.model in worlds["theirs"]:
            assert worlds["theirs"][queryset.model] not in list(queryset), name


def test_worksheets_cannot_be_added_or_edited_by_organisers(client, organiser, worlds):
    client.force_login(organiser)
    assert client.get(url(Worksheet, "add")).status_code == 403


def test_worksheet_answers_shown_only_when_shared_with_name(client, organiser, worlds):
    client.force_login(organiser)
    worksheet = worlds["mine"][Worksheet]
    assert "shared by name" in client.get(url(Worksheet, "change", worksheet.pk)).content.decode()
    Worksheet.objects.filter(pk=worksheet.pk).update(sharing=Sharing.ANONYMOUS)
    assert "shared by name" not in client.get(url(Worksheet, "change", worksheet.pk)).content.decode()
    Worksheet.objects.filter(pk=worksheet.pk).update(sharing=Sharing.PRIVATE)
    assert "shared by name" not in client.get(url(Worksheet, "change", worksheet.pk)).content.decode()
    assert Answer.objects.filter(worksheet=worksheet).exists()


@pytest.mark.parametrize("model", CURRICULUM_MODELS, ids=lambda m: m.__name__)
def test_curriculum_is_readable_by_organisers_and_editable_by_superusers(client, organiser, worlds, model):
    obj = model.objects.first()
    client.force_login(organiser)
    assert client.get(url(model, "changelist")).status_code == 200
    page = client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.get(url(model, "add")).status_code == 403
    client.force_login(f.user(is_superuser=True))
    assert client.get(url(model, "change", obj.pk)).context["has_change_permission"] is True


@pytest.mark.parametrize("model", WORKSHOP_MODELS, ids=lambda m: m.__name__)
def test_superuser_sees_every_workshop(client, worlds, model):
    client.force_login(f.user(is_superuser=True))
    response = client.get(url(model, "changelist"))
    assert set(response.context["cl"].result_list) == {worlds["mine"][model], worlds["theirs"][model]}


def test_non_staff_user_is_sent_to_login(client, worlds):
    client.force_login(f.user(is_staff=False))
    response = client.get(url(Workshop, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_workshop_page_shows_broken_rules(client, organiser, worlds):
    client.force_login(organiser)
    workshop = worlds["mine"][Workshop]
    f.participant(workshop)  # nobody placed them in a group
    page = client.get(url(Workshop, "change", workshop.pk)).content.decode()
    assert "is not in any group." in page
    assert "has 1 facilitator; 2 are required." in page


def test_creating_a_workshop_makes_me_its_organiser(client, organiser):
    client.force_login(organiser)
    data = {
        "title_en": "New workshop",
        "slug": "new-workshop",
        "start_date": "2031-01-10",
        "end_date": "2031-01-11",
        "timezone": "Europe/Zurich",
        "is_published": "on",
        "worksheets_open": "on",
    }
    for prefix in ("language_modes", "rooms", "groups", "sessions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url(Workshop, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert list(Workshop.objects.get(slug="new-workshop").organisers.all()) == [organiser]


def test_organiser_cannot_move_an_object_into_another_workshop(client, organiser, worlds):
    client.force_login(organiser)
    room = worlds["mine"][Room]
    response = client.post(
        url(Room, "change", room.pk),
        {
            "workshop": worlds["theirs"][Workshop].pk,
            "name": "Moved",
            "capacity": 5,
            "language_mode": room.language_mode_id,
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    room.refresh_from_db()
    assert room.workshop == worlds["mine"][Workshop]
    assert room.name != "Moved"


def test_admin_checks_stay_clean_after_the_workshop_page_is_shown(client, organiser, worlds):
    # modeltranslation copies a custom form's Meta.fields onto the admin when it reads the declared
    # fieldsets; the workshop admin declares both, so Django's check then said admin.E005 and every
    # management command run afterwards in the same process refused to start.
    client.force_login(organiser)
    for action, args in (("change", [worlds["mine"][Workshop].pk]), ("add", [])):
        assert client.get(url(Workshop, action, *args)).status_code == 200
        assert [message.id for message in checks.run_checks() if message.level >= checks.ERROR] == []
