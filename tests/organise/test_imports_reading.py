"""The import preview says how the file was read: its encoding and every row skipped, with its line and why."""

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def preview_page(client, workshop, content: bytes) -> str:
    handle = io.BytesIO(content)
    handle.name = "people.csv"
    response = client.post(reverse("organise:import", args=[workshop.slug]), {"file": handle, "kind": "auto"})
    assert response.status_code == 302, response.content.decode()[:500]
    token = parse_qs(urlsplit(response["Location"]).query)["token"][0]
    response = client.get(reverse("organise:import_preview", args=[workshop.slug]), {"token": token})
    assert response.status_code == 200
    return response.content.decode()


def test_preview_names_the_encoding_and_lists_skipped_rows(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    client.force_login(organiser)
    content = "Nom;Courriel;Pays;Langues\nÉlodie Lefèvre;e@x.fr;Côte d’Ivoire;français\n;;;\nTotal;1;;\n".encode(
        "cp1252"
    )
    page = preview_page(client, workshop, content)
    assert 'id="import-encoding">Windows-1252<' in page
    assert 'data-skipped-line="4"' in page and "footer row (totals)" in page
    assert "Élodie Lefèvre" in page


def test_preview_lists_withdrawn_registrations_by_name(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    client.force_login(organiser)
    page = preview_page(client, workshop, (FIXTURES / "indico_registrants_en.csv").read_bytes())
    assert 'id="import-encoding">UTF-8<' in page
    assert "Sung-min Park" in page and "registration withdrawn (“Withdrawn”)" in page
