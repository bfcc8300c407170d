"""The 404 and 500 pages: in the visitor's language, saying what to do, and the 500 page without the database."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "heading", "advice"),
    [
        ("", "Page not found", "ask for a new one"),
        ("/es", "Página no encontrada", "pida uno nuevo"),
        ("/fr", "Page introuvable", "demandez-en un nouveau"),
    ],
)
def test_404_explains_and_offers_a_new_link(client, prefix, heading, advice):
    response = client.get(f"{prefix}/workshops/no-such-workshop/")
    assert response.status_code == 404
    page = response.content.decode()
    assert heading in page and advice in page
    assert 'href="' + prefix + '/link/lost/"' in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Something went wrong on our side"),
        ("es", "Algo salió mal de nuestro lado"),
        ("fr", "Un problème est survenu de notre côté"),
    ],
)
def test_500_page_renders_while_the_database_fails(client, monkeypatch, language, heading):
    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    client.raise_request_exception = False
    prefix = "" if language == "en" else f"/{language}"
    response = client.get(f"{prefix}/")  # the home page lists workshops from the database
    assert response.status_code == 500
    page = response.content.decode()
    assert heading in page
    assert "connection refused" not in page and "Traceback" not in page
