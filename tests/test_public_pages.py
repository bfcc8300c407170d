"""Public pages in three languages, with a constant number of queries as data grows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from curriculum.models import Section, SectionItem
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def get(client, name, language, **kwargs):
    with translation.override(language):
        path = reverse(name, kwargs=kwargs)
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Language"] == language
    return response.content.decode()


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", ["Break-out sessions", "Migration and Labour", "Tri-lingual", "interpretation available"]),
        ("es", ["Migración y trabajo", "Trilingüe", "Ginebra"]),
        ("fr", ["Migrations et travail", "Trilingue", "Genève"]),
    ],
)
def test_workshop_page_in_each_language(client, demo, language, expected):
    page = get(client, "workshops:detail", language, slug="idm-2005-capacity")
    for text in expected:
        assert text in page
    assert "11:00" in page and "15:00" in page and "17:00" in page
    room = {"en": "Room", "es": "Sala", "fr": "Salle"}[language]  # room names are translated content
    for letter in "ABCDE":
        assert f"{room} {letter}" in page


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_interface_strings_are_translated(client, demo, language):
    page = get(client, "workshops:detail", language, slug="idm-2005-capacity")
    with translation.override(language):
        heading = translation.gettext("Rooms and groups")
        skip = translation.gettext("Skip to content")
    if language != "en":
        assert heading != "Rooms and groups"
    assert heading in page and skip in page


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_home_lists_workshops(client, demo, language):
    future = f.workshop(title="Council workshop 2030")
    page = get(client, "workshops:home", language)
    assert future.title in page
    assert "idm-2005-capacity" in page  # the 2005 event, under past workshops


def test_unpublished_workshop_is_not_public(client):
    hidden = f.workshop(is_published=False)
    assert hidden.title not in client.get("/").content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("language,title", [("en", "Migration and Labor"), ("es", None), ("fr", None)])
def test_curriculum_browser(client, demo, language, title):
    index = get(client, "curriculum:index", language)
    section = Section.objects.get(number="2.6")
    with translation.override(language):
        assert section.title in index
    assert index.count('href="/') >= 32
    page = get(client, "curriculum:section", language, number="3.12")
    with translation.override(language):
        for item in SectionItem.objects.filter(section__number="3.12"):
            assert item.text.replace("'", "&#x27;") in page
    iamm = get(client, "curriculum:iamm", language)
    assert iamm.count("<li>") >= 19


def test_unknown_section_is_404(client, demo):
    assert client.get("/curriculum/emm/9.9/").status_code == 404


def test_language_switcher_remembers_the_choice(client, demo):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] in ("/fr/", "/")
    assert client.cookies["django_language"].value == "fr"
    assert 'lang="fr"' in client.get("/fr/").content.decode()


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path_of",
    [
        lambda w: "/",
        lambda w: w.get_absolute_url(),
        lambda w: "/curriculum/",
        lambda w: "/curriculum/emm/2.6/",
        lambda w: "/curriculum/iamm/",
    ],
    ids=["home", "workshop", "curriculum", "section", "iamm"],
)
def test_public_pages_query_count_does_not_grow(client, path_of):
    f.section("2.6")
    small = f.populated_workshop(participants=4, groups=2, sessions=1, facilitators=2)
    small_count = count_queries(client, path_of(small))
    large = f.populated_workshop(participants=60, groups=8, sessions=4, facilitators=20)
    for extra in range(5):
        f.populated_workshop(participants=3, groups=1, sessions=1, facilitators=1)
        SectionItem.objects.create(section=Section.objects.get(number="2.6"), kind="key_message", text=f"m{extra}")
    assert count_queries(client, path_of(large)) == small_count
