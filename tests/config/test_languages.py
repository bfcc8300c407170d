"""The language switcher from every kind of page, unprefixed addresses, and the person's preferred language."""

import itertools
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "es", "fr")
PAIRS = list(itertools.product(LANGUAGES, LANGUAGES))


def prefixed(language: str, path: str) -> str:
    return path if language == "en" else f"/{language}{path}"


@pytest.fixture
def workshop(organiser):
    today = timezone.localdate()
    return f.workshop(organisers=[organiser], start_date=today, end_date=today + timedelta(days=1))


def switch(client, *, to: str, next_path: str):
    return client.post("/i18n/setlang/", {"language": to, "next": next_path})


def assert_switched(client, *, start: str, to: str, path: str, status: int = 200, query: str = ""):
    response = switch(client, to=to, next_path=prefixed(start, path) + query)
    assert response.status_code == 302
    assert response["Location"] == prefixed(to, path) + query
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == to
    page = client.get(response["Location"])
    assert page.status_code == status
    assert page["Content-Language"] == to
    assert f'<html lang="{to}"' in page.content.decode()


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_switcher_from_a_public_page_reaches_every_language(client, workshop, start, to):
    assert_switched(client, start=start, to=to, path=workshop.get_absolute_url())
    assert_switched(client, start=start, to=to, path="/curriculum/", query="?q=a&b=1")
    assert_switched(client, start=start, to=to, path="/")


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_switcher_from_my_day_reaches_every_language(client, workshop, start, to):
    participant = f.participant(workshop, preferred_language=start, group=f.group(workshop))
    assert client.get(personal_link_path(person=participant)).status_code == 302
    assert_switched(client, start=start, to=to, path="/me/")


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_switcher_from_organiser_and_admin_pages_reaches_every_language(client, organiser, workshop, start, to):
    client.force_login(organiser)
    names = ("organise:board", "organise:invitations", "organise:dashboard", "organise:report", "organise:badges")
    with translation.override("en"):
        paths = [reverse(name, args=[workshop.slug]) for name in names]
    for path in paths:
        assert_switched(client, start=start, to=to, path=path)
    assert_switched(client, start=start, to=to, path="/admin/")
    assert_switched(client, start=start, to=to, path=f"/admin/workshops/workshop/{workshop.pk}/change/")


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_switcher_from_an_error_page_reaches_every_language(client, start, to):
    assert_switched(client, start=start, to=to, path="/workshops/no-such-workshop/", status=404)


def test_switcher_is_on_admin_and_error_pages(client, organiser):
    client.force_login(organiser)
    for path in ("/fr/admin/", "/fr/workshops/no-such-workshop/"):
        page = client.get(path).content.decode()
        assert 'action="/i18n/setlang/"' in page, path
        assert f'name="next" type="hidden" value="{path}"' in page, path


def test_switcher_keeps_addresses_outside_the_languages_unprefixed(client):
    response = switch(client, to="fr", next_path="/healthz")
    assert response["Location"] == "/healthz"


@pytest.mark.parametrize(("kind", "start", "to"), [("participant", "es", "fr"), ("facilitator", "fr", "en")])
def test_switching_language_sets_the_persons_preferred_language(client, workshop, kind, start, to):
    make = f.participant if kind == "participant" else f.facilitator
    person = make(workshop, preferred_language=start)
    other = make(workshop, preferred_language=start)
    assert client.get(personal_link_path(person=person)).status_code == 302
    switch(client, to=to, next_path=prefixed(start, "/me/"))
    person.refresh_from_db()
    other.refresh_from_db()
    assert (person.preferred_language, other.preferred_language) == (to, start)


def test_switching_language_as_an_organiser_changes_no_person(client, organiser, workshop):
    person = f.participant(workshop, preferred_language="es")
    client.force_login(organiser)
    switch(client, to="fr", next_path="/")
    person.refresh_from_db()
    assert person.preferred_language == "es"


@pytest.mark.parametrize(
    ("path", "status"), [("/link/lost/", 200), ("/link/not-a-token/", 404), ("/no/such/page/", 404), ("/", 200)]
)
def test_unprefixed_page_follows_the_language_cookie(client, path, status):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/fr" + path
    page = client.get(response["Location"])
    assert (page.status_code, page["Content-Language"]) == (status, "fr")


def test_unprefixed_page_follows_the_browser_language(client):
    response = client.get("/link/lost/?x=1", headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert response["Location"] == "/es/link/lost/?x=1"
    assert response["Vary"] == "Accept-Language, Cookie"
    page = client.get(response["Location"], headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert page["Content-Language"] == "es"


def test_unprefixed_page_in_english_when_english_is_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/link/lost/", headers={"accept-language": "fr"})
    assert (response.status_code, response["Content-Language"]) == (200, "en")
    assert {"Accept-Language", "Cookie"} <= {value.strip() for value in response["Vary"].split(",")}


def test_unprefixed_form_post_is_not_redirected(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post("/link/lost/", {"email": "nobody@example.org"})
    assert response.status_code == 200


def test_unprefixed_operational_addresses_are_not_redirected(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("setting", ["STATIC_URL", "MEDIA_URL"])
def test_missing_static_or_media_file_is_404_without_a_language_redirect(client, settings, setting):
    """A file that is not there is not a page: no detour through /fr/static/… before its 404."""
    if setting == "MEDIA_URL":
        settings.MEDIA_URL = "/media/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    path = f"{getattr(settings, setting)}no/such/file.css"
    response = client.get(path, headers={"accept-language": "fr"})
    assert (response.status_code, response.get("Location")) == (404, None)


def test_500_page_shows_no_switcher_it_cannot_serve(client, monkeypatch):
    # Django renders 500.html without the request: a switcher there would have no page to return
    # to and no CSRF token, so every press would fail.
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    client.raise_request_exception = False
    page = client.get("/fr/").content.decode()
    assert ("Un problème est survenu de notre côté" in page, 'action="/i18n/setlang/"' in page) == (True, False)


@pytest.mark.parametrize("target", ["fr/curriculum/", "curriculum", "?q=1"])
def test_switcher_with_a_relative_next_goes_home_in_the_chosen_language(client, target):
    response = switch(client, to="es", next_path=target)
    assert response["Location"] == "/es/"
