"""Printables: room signs, rosters, itineraries and badges; their links, access and query counts."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from worksheets import report
from worksheets.report import BADGE_QR_MASK, printable_badges
from workshops.access import participant_users_ensure, personal_link_check, personal_link_path
from workshops.models import Participant
from workshops.qr import qr_svg

pytestmark = pytest.mark.django_db

SETS = ["printables", "room_signs", "rosters", "itineraries", "badges"]


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    tri = f.language_mode(workshop, name="Tri-lingual")
    english = f.language_mode(workshop, languages=("en",), name="English only")
    c = f.group(workshop, name="C", room_obj=f.room(workshop, name="Room C", mode=tri, directions="Ground floor"))
    d = f.group(workshop, name="D", room_obj=f.room(workshop, name="Room D", mode=english))
    labour = f.session(workshop, title="Migration and Labour", start_hour=11, section=f.section("2.6"))
    trafficking = f.session(
        workshop,
        title_en="Counter-Trafficking",
        title_es="Lucha contra la trata",
        start_hour=15,
        section=f.section("3.12", title_en="Irregular Migration", title_es="Migración irregular"),
    )
    awa, ben, chen, dora = (f.facilitator(workshop, name=name) for name in ("Awa Sissoko", "Ben", "Chen", "Dora"))
    f.assignment(awa, trafficking, c)
    f.assignment(ben, trafficking, c)
    f.assignment(chen, trafficking, d)
    f.assignment(awa, labour, d)
    f.assignment(dora, labour, c)
    people = {
        "lucia": f.participant(workshop, name="Lucía García", country="MX", group=c, preferred_language="es"),
        "amadou": f.participant(workshop, name="Amadou Diallo", country="SN", group=d, preferred_language="fr"),
        "li": f.participant(workshop, name="李明", country="CN", group=c, organisation="Ministry of Labour"),
        "nomad": f.participant(workshop, name="Not Yet Placed", country="CH"),
    }
    return {"workshop": workshop, "c": c, "d": d, "labour": labour, "trafficking": trafficking, **people}


def url(world, name, query=""):
    return reverse(f"organise:{name}", args=[world["workshop"].slug]) + query


def sheets(page: str, kind: str) -> list[str]:
    """The HTML of each printed sheet of one kind, in order."""
    return re.split(rf'<(?:article|section) class="sheet {kind}"', page)[1:]


def get(client, address, *, printable=True):
    response = client.get(address)
    assert response.status_code == 200
    page = response.content.decode()
    assert "style=" not in page  # the CSP forbids inline styles
    assert "printables.css" in page
    assert ('<button class="btn btn-primary" type="button" data-print>' in page) is printable
    return page


def test_printables_index_links_every_set(client, organiser, world):
    client.force_login(organiser)
    page = get(client, url(world, "printables"), printable=False)
    for name in SETS[1:]:
        assert f'href="{url(world, name)}"' in page
    assert "4 signs: one per room and session" in page
    assert "4 badges with the QR code of each personal link, on 1 A4 sheet(s)." in page


def test_room_signs_one_per_room_and_session(client, organiser, world):
    client.force_login(organiser)
    signs = sheets(get(client, url(world, "room_signs")), "room-sign")
    assert len(signs) == 4
    first, second, third, fourth = signs
    assert "Room C" in first and "Group C" in first and "Migration and Labour" in first and "Dora" in first
    assert "Room D" in second and "Awa Sissoko" in second and "English" in second and "Español" not in second
    assert "Room C" in third
    for text in ("Group C", "15:00–17:00", "Counter-Trafficking", "EMM 3.12", "English / Español / Français"):
        assert text in third
    assert "Facilitators: Awa Sissoko, Ben" in third
    assert "interpretation available" in third
    assert "Room D" in fourth and "Facilitators: Chen" in fourth


def test_room_signs_print_in_the_pages_language(client, organiser, world):
    client.force_login(organiser)
    page = get(client, "/es" + url(world, "room_signs"))
    assert '<html lang="es">' in page
    assert "Lucha contra la trata" in page and "Migración irregular" in page
    assert "English / Español / Français" in page  # each language in its own name


def test_rosters_one_group_per_page_and_the_unplaced_last(client, organiser, world):
    client.force_login(organiser)
    rosters = sheets(get(client, url(world, "rosters")), "roster")
    assert len(rosters) == 3
    c, d, unplaced = rosters
    assert "Group C · Room C" in c and "Lucía García" in c and "李明" in c and "Ministry of Labour" in c
    assert "Mexico" in c and "Amadou Diallo" not in c and "2 participants" in c
    assert "Group D · Room D" in d and "Amadou Diallo" in d and "Senegal" in d and "Lucía García" not in d
    assert "Not in a group yet" in unplaced and "Not Yet Placed" in unplaced
    assert "@example.org" not in "".join(rosters)  # no contact details on paper


def test_itineraries_one_facilitator_per_page_with_co_facilitators(client, organiser, world):
    client.force_login(organiser)
    itineraries = sheets(get(client, url(world, "itineraries")), "itinerary")
    assert len(itineraries) == 4
    awa, ben, chen, dora = itineraries
    assert "Awa Sissoko" in awa
    assert awa.index("Migration and Labour") < awa.index("Counter-Trafficking")
    assert "Room D · Group D" in awa and "Room C · Group C" in awa and "Ben" in awa and "Ground floor" in awa
    assert "Awa Sissoko" in ben and "Room C · Group C" in ben and "Room D" not in ben
    assert "no co-facilitator" in chen and "no co-facilitator" in dora


def test_badges_eight_per_sheet_with_name_country_group_room(client, organiser, world):
    for i in range(13):
        f.participant(world["workshop"], name=f"Extra {i:02d}", group=world["d"])
    client.force_login(organiser)
    page = get(client, url(world, "badges"))
    pages = sheets(page, "badge-sheet")
    assert [p.count('class="badge-card"') for p in pages] == [8, 8, 1]
    (lucia,) = [card for card in page.split('<article class="badge-card"')[1:] if "Lucía García" in card]
    # Lucía prefers Spanish: her badge prints in Spanish (the room has no Spanish name: English).
    assert "México" in lucia and "Grupo C · Room C" in lucia and "<svg" in lucia
    assert "Group to be announced" in page  # the participant not yet placed
    assert page.count("<svg") == 17


def test_badges_carry_each_participants_own_personal_link(world, rf):
    other = f.participant(f.workshop(), name="Someone Else")
    participant_users_ensure(workshop=world["workshop"])  # as the page does before reading
    pages = printable_badges(workshop=world["workshop"], base_url="https://workshops.example.org/")
    badges = [badge for page in pages for badge in page]
    assert [b["participant"].name for b in badges] == ["Lucía García", "李明", "Amadou Diallo", "Not Yet Placed"]
    for badge in badges:
        assert badge["url"].startswith("https://workshops.example.org/")
        assert badge["qr"] == qr_svg(badge["url"], scale=3, mask=BADGE_QR_MASK)
        token = badge["url"].rstrip("/").rsplit("/", 1)[-1]
        person, problem = personal_link_check(token=token)
        assert problem is None and person == badge["participant"]
    # In the participant's language, as the link itself leads there.
    assert badges[0]["url"].startswith("https://workshops.example.org/es/link/")
    assert badges[2]["url"].startswith("https://workshops.example.org/fr/link/")
    other.refresh_from_db()
    assert other.user is None  # another workshop's people are left alone


def test_badges_bulk_logins_match_the_one_at_a_time_ones(world):
    earlier = personal_link_path(person=world["lucia"])  # Lucía already has her login and a link
    world["lucia"].refresh_from_db()
    lucia_user = world["lucia"].user_id
    assert participant_users_ensure(workshop=world["workshop"]) == 3
    assert participant_users_ensure(workshop=world["workshop"]) == 0
    people = list(Participant.objects.filter(workshop=world["workshop"]).select_related("user").order_by("pk"))
    for person in people:
        assert person.user.username == f"participant.{person.pk}.link"
        assert person.user.email == person.email
        assert not person.user.has_usable_password() and not person.user.is_staff
    assert world["lucia"].__class__.objects.get(pk=world["lucia"].pk).user_id == lucia_user
    assert get_user_model().objects.filter(username__endswith=".link").count() == 4
    # Her earlier link still works: nothing about her login changed.
    assert personal_link_check(token=earlier.rstrip("/").rsplit("/", 1)[-1]) == (world["lucia"], None)


def test_badges_of_one_group(client, organiser, world):
    client.force_login(organiser)
    page = get(client, url(world, "badges", f"?group={world['d'].pk}"))
    assert "Amadou Diallo" in page and "Lucía García" not in page and "Group D" in page
    assert Participant.objects.filter(workshop=world["workshop"], user__isnull=False).count() == 1


@pytest.mark.parametrize("query", ["?group=abc", "?group=999999", "?group={other}"])
def test_badges_of_a_group_of_another_workshop_is_404(client, organiser, world, query):
    other = f.group(f.workshop(), name="X")
    client.force_login(organiser)
    assert client.get(url(world, "badges", query.format(other=other.pk))).status_code == 404


@pytest.mark.parametrize("name", SETS)
def test_printables_are_404_for_another_workshops_organiser(client, other_organiser, world, name):
    client.force_login(other_organiser)
    response = client.get(url(world, name))
    assert response.status_code == 404
    assert "Lucía García" not in response.content.decode()
    assert not Participant.objects.filter(workshop=world["workshop"], user__isnull=False).exists()


@pytest.mark.parametrize("name", SETS)
def test_printables_require_staff_login(client, world, name):
    response = client.get(url(world, name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("name", SETS)
def test_printables_queries_constant(client, organiser, name):
    """The same number of queries at two sizes: for badges, both when every login is missing and when none is."""
    client.force_login(organiser)
    small = f.populated_workshop(participants=3, groups=1, sessions=1, facilitators=2, organisers=[organiser])
    large = f.populated_workshop(participants=50, groups=5, sessions=3, facilitators=8, organisers=[organiser])
    f.participant(large)  # someone not yet in a group

    def count(workshop):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"organise:{name}", args=[workshop.slug])).status_code == 200
        return len(ctx.captured_queries)

    client.get(reverse("organise:printables", args=[small.slug]))  # the session's first queries, out of the count
    first_small, first_large = count(small), count(large)  # badges: every login created here, in bulk
    assert first_large == first_small
    assert count(large) == count(small)  # and nothing left to create


def test_badges_read_writes_nothing(world):
    """Reading the badges creates no login: the page makes them first (`participant_users_ensure`)."""
    participant_users_ensure(workshop=world["workshop"], group_id=world["d"].pk)  # only Amadou's login exists
    with CaptureQueriesContext(connection) as ctx:
        pages = printable_badges(workshop=world["workshop"], base_url="https://workshops.example.org")
    written = [q["sql"] for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert written == []
    assert Participant.objects.filter(workshop=world["workshop"], user__isnull=False).count() == 1
    # Someone without a login (added after the page made them) gets no badge with a dead link.
    assert [badge["participant"].name for page in pages for badge in page] == ["Amadou Diallo"]


def test_badges_login_code_lives_only_in_access():
    """One definition of the link's login (workshops.access), none copied into the read module."""
    assert not hasattr(report, "participant_users_ensure")
    assert "get_user_model" not in Path(report.__file__).read_text()


def test_badges_page_makes_the_missing_logins_then_every_link_works(client, organiser, world):
    client.force_login(organiser)
    response = client.get(url(world, "badges"))
    assert not Participant.objects.filter(workshop=world["workshop"], user__isnull=True).exists()
    badges = [badge for page in response.context["pages"] for badge in page]
    assert len(badges) == 4
    for badge in badges:
        token = badge["url"].rstrip("/").rsplit("/", 1)[-1]
        assert personal_link_check(token=token) == (badge["participant"], None)


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [("rosters", "roster", [2, 1]), ("itineraries", "itinerary", [2, 2]), ("room_signs", "room-sign", [2, 2])],
)
def test_a_long_set_prints_in_parts_one_page_each(client, organiser, world, monkeypatch, name, kind, expected):
    """At 3,000 participants every roster (0.4 MB) or itinerary (0.7 MB) in one page took seconds to
    make: past `SHEETS_PER_PART` sheets a set is split in parts, each a page to print, with every sheet
    in exactly one part."""
    from organise.views import printables

    monkeypatch.setitem(printables.SHEETS_PER_PART, name, 2)
    client.force_login(organiser)
    first = get(client, url(world, name))
    assert "This is part 1 of 2." in first and "Print this part" in first
    assert 'href="?part=2"' in first

    def printed(query=""):  # each sheet, without its id (numbered within its page)
        page = get(client, url(world, name, query))
        return [re.sub(r'"[a-z]+-\d+"', '""', sheet.split("</article>")[0]) for sheet in sheets(page, kind)]

    parts = [printed(f"?part={n}") for n in (1, 2)]
    assert [len(part) for part in parts] == expected
    monkeypatch.setitem(printables.SHEETS_PER_PART, name, 100)
    assert parts[0] + parts[1] == printed()  # the parts together are the whole set
    monkeypatch.setitem(printables.SHEETS_PER_PART, name, 2)
    assert printed("?part=99") == parts[1]  # past the end: the last part
    assert printed("?part=x") == parts[0]


def test_a_short_set_prints_whole_without_parts(client, organiser, world):
    client.force_login(organiser)
    page = get(client, url(world, "rosters"))
    assert "Print the whole set" in page and "?part=" not in page
