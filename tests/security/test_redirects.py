"""No open redirect through `next`, wherever it is accepted: the language switcher and the admin's login.

(No view of ours reads `next` or any other redirect target from the request.)
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http://evil.example/",
    "https:evil.example",
    "///evil.example",
    "/%5Cevil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "//testserver@evil.example",
]


def assert_stays_on_site(response):
    location = response.headers.get("Location", "")
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https"), location
    assert parts.netloc in ("", "testserver"), location
    # A browser reads "/\evil.example" and "\\evil.example" as "//evil.example".
    assert not location.replace("\\", "/").startswith("//"), location
    # (A path such as "/%5Cevil.example" is a page of ours that does not exist: harmless.)


@pytest.mark.parametrize("target", HOSTILE)
def test_set_language_next_never_leaves_the_site(client, target):
    response = client.post(reverse("set_language"), {"language": "fr", "next": target})
    assert response.status_code in (200, 302, 204)
    assert_stays_on_site(response)
    response = client.get(reverse("set_language"), {"language": "fr", "next": target})
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", HOSTILE)
def test_admin_login_next_never_leaves_the_site(client, target):
    user = f.user(username="organiser-a")
    response = client.post(
        reverse("admin:login") + "?next=" + target, {"username": user.username, "password": "pw", "next": target}
    )
    assert response.status_code == 302
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", HOSTILE)
def test_admin_login_page_for_a_logged_in_organiser_never_leaves_the_site(client, target):
    client.force_login(f.user(username="organiser-a"))
    response = client.get(reverse("admin:login"), {"next": target})
    assert_stays_on_site(response)


def test_a_local_next_is_still_followed(client):
    user = f.user(username="organiser-a")
    response = client.post(reverse("admin:login"), {"username": user.username, "password": "pw", "next": "/admin/"})
    assert response["Location"] == "/admin/"
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/curriculum/"})
    assert response["Location"] == "/fr/curriculum/"
