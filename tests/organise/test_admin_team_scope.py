"""Nothing of another team's workshop reaches an organiser through the admin's filters, widgets or shortcuts."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from organise.admin.scoping import OrganiserScopedAdmin
from tests import factories as f
from worksheets.enums import Sharing
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

# Every name the other team's workshop shows anywhere: none may appear on my pages.
THEIR_NAMES = [
    "Secret Summit",
    "secret-summit",
    "Covert mode",
    "Vault room",
    "Group Zebra",
    "Hidden Session",
    "Xavier Stranger",
    "Yolanda Stranger",
    "Classified question",
    "stranger-organiser",
]


def world(organiser, *, title, slug, mode, room, group, session, participant, facilitator, question):
    workshop = f.workshop(organisers=[organiser], title=title, slug=slug, is_published=False)
    language_mode = f.language_mode(workshop, name=mode)
    group_obj = f.group(workshop, name=group, room_obj=f.room(workshop, name=room, mode=language_mode))
    session_obj = f.session(workshop, title=session)
    person = f.participant(workshop, name=participant, group=group_obj)
    facilitator_obj = f.facilitator(workshop, name=facilitator)
    f.assignment(facilitator_obj, session_obj, group_obj)
    question_obj = f.question(workshop, text=question)
    f.answer(f.worksheet(person, session_obj, sharing=Sharing.NAMED), question_obj, text="An answer")
    return workshop


@pytest.fixture
def teams(organiser):
    colleague = f.user(username="colleague-in-my-team")
    stranger = f.user(username="stranger-organiser", email="stranger@example.org")
    mine = world(
        organiser, title="Open Forum", slug="open-forum", mode="Tri mode", room="Room One", group="Alpha",
        session="Known Session", participant="Paula Mine", facilitator="Fiona Mine", question="My question",
    )  # fmt: skip
    mine.organisers.add(colleague)
    theirs = world(
        stranger, title="Secret Summit", slug="secret-summit", mode="Covert mode", room="Vault room", group="Zebra",
        session="Hidden Session", participant="Xavier Stranger", facilitator="Yolanda Stranger",
        question="Classified question",
    )  # fmt: skip
    return {"mine": mine, "theirs": theirs, "colleague": colleague, "stranger": stranger}


SCOPED_ADMINS = sorted(
    (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, OrganiserScopedAdmin)),
    key=lambda model: model.__name__,
)


@pytest.mark.parametrize("model", SCOPED_ADMINS, ids=lambda m: m.__name__)
def test_changelist_filters_offer_only_my_teams_objects(client, organiser, teams, model):
    client.force_login(organiser)
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert [name for name in THEIR_NAMES if name in page] == []


def test_changelist_filters_still_offer_my_own_workshops_and_groups(client, organiser, teams):
    f.workshop(organisers=[organiser], title="Second Forum")  # (a filter with one choice is not shown)
    client.force_login(organiser)
    response = client.get(reverse("admin:workshops_participant_changelist"))
    choices = {
        spec.title: [str(label) for _value, label in getattr(spec, "lookup_choices", [])]
        for spec in response.context["cl"].filter_specs
    }
    assert choices["workshop"] == ["Open Forum", "Second Forum"]
    assert choices["group"] == ["Group Alpha"]


def test_changelist_filters_offer_every_workshop_to_a_superuser(client, teams):
    client.force_login(f.user(is_superuser=True))
    response = client.get(reverse("admin:workshops_participant_changelist"))
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.title == "workshop")
    assert sorted(str(label) for _value, label in spec.lookup_choices) == ["Open Forum", "Secret Summit"]


def organiser_choices(response) -> list[str]:
    return sorted(user.username for user in response.context["adminform"].form.fields["organisers"].queryset)


def test_organisers_widget_lists_only_my_teams_members(client, organiser, teams):
    client.force_login(organiser)
    for page in (
        reverse("admin:workshops_workshop_add"),
        reverse("admin:workshops_workshop_change", args=[teams["mine"].pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200
        assert organiser_choices(response) == ["colleague-in-my-team", "organiser-a"]
        assert "stranger-organiser" not in response.content.decode()


def test_organisers_widget_lists_every_staff_user_to_a_superuser(client, organiser, teams):
    client.force_login(f.user(is_superuser=True, username="root"))
    response = client.get(reverse("admin:workshops_workshop_change", args=[teams["mine"].pk]))
    assert organiser_choices(response) == ["colleague-in-my-team", "organiser-a", "root", "stranger-organiser"]


def change_data(workshop, **extra) -> dict:
    data = {
        "title_en": workshop.title,
        "slug": workshop.slug,
        "start_date": "2030-09-27",
        "end_date": "2030-09-28",
        "timezone": "Europe/Zurich",
        "worksheets_open": "on",
        "organisers": [user.pk for user in workshop.organisers.all()],
        **extra,
    }
    for prefix in ("language_modes", "rooms", "groups", "sessions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize("typed", ["stranger-organiser", "STRANGER@example.org"])
def test_organiser_adds_a_colleague_by_exact_username_or_email(client, organiser, teams, typed):
    client.force_login(organiser)
    mine = teams["mine"]
    response = client.post(
        reverse("admin:workshops_workshop_change", args=[mine.pk]), change_data(mine, add_organiser=typed)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(u.username for u in mine.organisers.all()) == [
        "colleague-in-my-team",
        "organiser-a",
        "stranger-organiser",
    ]


@pytest.mark.parametrize("typed", ["stranger", "stranger@example", "not-staff"])
def test_organiser_cannot_add_anyone_but_an_exact_staff_match(client, organiser, teams, typed):
    f.user(username="not-staff", is_staff=False)
    client.force_login(organiser)
    mine = teams["mine"]
    response = client.post(
        reverse("admin:workshops_workshop_change", args=[mine.pk]), change_data(mine, add_organiser=typed)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["add_organiser"] == [
        "No active staff user has exactly this username or e-mail address."
    ]
    assert sorted(u.username for u in mine.organisers.all()) == ["colleague-in-my-team", "organiser-a"]


TOO_MANY = "Too many tries; try again in an hour."


def add_organiser(client, workshop, typed):
    response = client.post(
        reverse("admin:workshops_workshop_change", args=[workshop.pk]), change_data(workshop, add_organiser=typed)
    )
    errors = response.context["adminform"].form.errors.get("add_organiser") if response.status_code == 200 else None
    return response.status_code, errors


def test_organiser_guessing_staff_accounts_is_stopped_after_ten_misses(client, organiser, teams):
    client.force_login(organiser)
    mine = teams["mine"]
    misses = [add_organiser(client, mine, f"guess-{n}@example.org") for n in range(10)]
    assert misses == [(200, ["No active staff user has exactly this username or e-mail address."])] * 10
    # The eleventh try is refused whatever it names: an existing account is not told apart from a miss.
    assert add_organiser(client, mine, "guess-10@example.org") == (200, [TOO_MANY])
    assert add_organiser(client, mine, "stranger-organiser") == (200, [TOO_MANY])
    assert sorted(u.username for u in mine.organisers.all()) == ["colleague-in-my-team", "organiser-a"]


def test_organiser_guessing_limit_counts_each_organiser_apart(client, organiser, teams):
    client.force_login(organiser)
    for n in range(10):
        add_organiser(client, teams["mine"], f"guess-{n}")
    client.force_login(teams["colleague"])
    assert add_organiser(client, teams["mine"], "stranger-organiser") == (302, None)


def test_organiser_successful_additions_are_not_counted_as_misses(client, organiser, teams):
    client.force_login(organiser)
    mine = teams["mine"]
    for _ in range(12):
        assert add_organiser(client, mine, "stranger-organiser") == (302, None)
    assert add_organiser(client, mine, "nobody-here")[1] == [
        "No active staff user has exactly this username or e-mail address."
    ]


def test_organiser_guessing_limit_reads_in_the_pages_language(client, organiser, teams):
    from django.utils import translation

    client.force_login(organiser)
    mine = teams["mine"]
    for n in range(10):
        add_organiser(client, mine, f"guess-{n}")
    with translation.override("fr"):
        page = reverse("admin:workshops_workshop_change", args=[mine.pk])
    response = client.post(page, change_data(mine, add_organiser="guess-10"))
    assert response.context["adminform"].form.errors["add_organiser"] == [
        "Trop d’essais\u00a0; réessayez dans une heure."
    ]


def shortcut(obj) -> str:
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def test_view_on_site_shortcut_404s_outside_my_team(client, organiser, teams):
    client.force_login(organiser)
    response = client.get(shortcut(teams["theirs"]))
    assert response.status_code == 404
    assert "secret-summit" not in response.content.decode()
    assert client.get(shortcut(teams["mine"]))["Location"] == "http://testserver/workshops/open-forum/"


def test_view_on_site_shortcut_404s_for_objects_without_an_admin_page(client, organiser, teams):
    client.force_login(organiser)
    assert client.get(shortcut(teams["stranger"])).status_code == 404
    assert (
        client.get(
            reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Workshop).pk, 999999])
        ).status_code
        == 404
    )


def test_view_on_site_shortcut_works_for_the_curriculum_and_for_a_superuser(client, organiser, teams):
    section = f.section("2.6")
    client.force_login(organiser)
    assert client.get(shortcut(section))["Location"] == "http://testserver/curriculum/emm/2.6/"
    client.force_login(f.user(is_superuser=True))
    assert client.get(shortcut(teams["theirs"]))["Location"] == "http://testserver/workshops/secret-summit/"
