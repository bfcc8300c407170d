"""The organiser's import flow (issue 14): uploads kept in the database, so that a preview made on
one app server applies on another (issue 13); importing the valid rows by choice, with the refused
ones to download; the column mapping, remembered per workshop and header row; defaults for missing
columns; blank templates to download."""

import csv
import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from workshops.imports.uploads import header_hash
from workshops.models import Facilitator, ImportMapping, ImportUpload, Participant

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registration"


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


def _named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def upload(client, workshop, content, name="people.csv", kind="auto"):
    return client.post(reverse("organise:import", args=[workshop.slug]), {"file": _named(content, name), "kind": kind})


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:800]
    return parse_qs(urlsplit(response["Location"]).query)["token"][0]


def preview(client, workshop, token):
    return client.get(reverse("organise:import_preview", args=[workshop.slug]), {"token": token})


def apply(client, workshop, token, **extra):
    return client.post(reverse("organise:import_apply", args=[workshop.slug]), {"token": token, **extra})


def columns(client, workshop, token, **choices):
    return client.post(reverse("organise:import_columns", args=[workshop.slug]), {"token": token, **choices})


def emails(workshop, model=Participant):
    return sorted(model.objects.filter(workshop=workshop).values_list("email", flat=True))


# --- 1. Nothing on one server's disk ---------------------------------------------------------


def test_a_preview_made_on_one_server_applies_on_another(organiser, workshop, settings, tmp_path, monkeypatch):
    """Two app servers: each its own empty temporary folder. Nothing is written to either."""
    server_a, server_b = tmp_path / "a", tmp_path / "b"
    server_a.mkdir(), server_b.mkdir()
    first, second = Client(), Client()
    first.force_login(organiser), second.force_login(organiser)

    monkeypatch.setattr("tempfile.tempdir", str(server_a))
    settings.IMPORT_UPLOAD_DIR = str(server_a)
    token = token_of(upload(first, workshop, (FIXTURES / "registro_es.csv").read_bytes()))

    monkeypatch.setattr("tempfile.tempdir", str(server_b))
    settings.IMPORT_UPLOAD_DIR = str(server_b)
    assert 'id="count-new">6<' in preview(second, workshop, token).content.decode()
    response = apply(second, workshop, token)
    assert response.status_code == 302, response.content.decode()[:800]
    assert len(emails(workshop)) == 6
    assert list(server_a.iterdir()) == [] and list(server_b.iterdir()) == []
    # Applied once: the same preview cannot apply again, from either server.
    for client in (first, second):
        again = apply(client, workshop, token)
        assert again.status_code == 400 and "already applied" in again.content.decode()


def test_the_upload_is_kept_in_the_database_and_expired_ones_are_deleted(client, organiser, workshop):
    client.force_login(organiser)
    content = (FIXTURES / "registro_es.csv").read_bytes()
    token_of(upload(client, workshop, content, name="registro.csv"))
    (stored,) = ImportUpload.objects.all()
    assert (stored.workshop, stored.user, stored.filename, bytes(stored.content)) == (
        workshop,
        organiser,
        "registro.csv",
        content,
    )
    ImportUpload.objects.update(created=timezone.now() - timedelta(hours=2))
    token_of(upload(client, workshop, content, name="again.csv"))
    assert list(ImportUpload.objects.values_list("filename", flat=True)) == ["again.csv"]


def test_a_changed_or_expired_upload_is_refused(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, (FIXTURES / "registro_es.csv").read_bytes()))
    stored = ImportUpload.objects.get()
    original = bytes(stored.content)
    ImportUpload.objects.update(content=original.replace("Lucía".encode(), b"Lucia"))
    assert "This preview is not valid" in apply(client, workshop, token).content.decode()
    ImportUpload.objects.update(content=original, created=timezone.now() - timedelta(hours=2))
    response = apply(client, workshop, token)
    assert response.status_code == 400 and "This preview has expired" in response.content.decode()
    assert emails(workshop) == []


# --- 2. Partial import by choice -------------------------------------------------------------

ERRORS = (FIXTURES / "registration_errors.csv").read_bytes()  # 6 rows: 1 valid, 5 refused


def test_the_preview_offers_to_import_the_valid_rows(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, ERRORS))
    page = preview(client, workshop, token).content.decode()
    assert "Import the 1 valid row" in page and 'name="skip_refused"' in page
    assert reverse("organise:import_refused", args=[workshop.slug]) in page
    # All or nothing stays the default: apply without choosing refuses and writes nothing.
    assert apply(client, workshop, token).status_code == 409
    assert emails(workshop) == []
    response = apply(client, workshop, token, skip_refused="1", valid="1")
    assert response.status_code == 302
    assert emails(workshop) == ["ana.martinez@example.org"]
    done = client.get(response["Location"]).content.decode()
    assert "1 created" in done and "5 refused, not imported" in done


def test_the_valid_rows_are_not_imported_when_their_number_changed_since_the_preview(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, ERRORS))
    response = apply(client, workshop, token, skip_refused="1", valid="2")
    assert response.status_code == 409
    assert emails(workshop) == []


def test_the_refused_rows_download_as_csv_with_the_files_headers_and_a_reason(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, ERRORS))
    response = client.get(reverse("organise:import_refused", args=[workshop.slug]), {"token": token})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "E-mail", "Country", "Languages", "Organisation", "Reason refused"]
    assert [row[0] for row in rows[1:]] == ["Bo Svensson", "Chidi Okafor", "Dana Cohen", "Ana M.", "Eve Adams"]
    assert rows[2] == [
        "Chidi Okafor",
        "chidi.okafor@example.org",
        "Atlantis",
        "English",
        "Nigeria Immigration Service",
        "Unknown country “Atlantis”: write its name in English, Spanish or French, or its ISO code.",
    ]
    # Fixed and uploaded again, the file is read as before (the reason column is ignored): Chidi, once
    # in Nigeria, and Ana M., no longer beside the first Ana, are valid; the other three are still refused.
    fixed = response.content.decode("utf-8-sig").replace("Atlantis", "Nigeria").encode()
    page = preview(client, workshop, token_of(upload(client, workshop, fixed))).content.decode()
    assert 'id="count-new">2<' in page and 'id="count-refused">3<' in page


# --- 3. Column mapping -----------------------------------------------------------------------

ODD = (
    "Timestamp,Full name,Email address,Country of residence,Which tongues do you work in?,Notes\n"
    '2030-01-02 10:00,Ana Martínez,ana@example.org,Colombia,"Spanish, English",vegetarian\n'
    "2030-01-02 11:00,Bo Svensson,bo@example.org,Sweden,English,\n"
).encode()
LANGUAGES_AT = "4"  # "Which tongues do you work in?"


def test_every_column_is_shown_with_what_it_fills_and_a_missing_one_can_be_mapped(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, ODD))  # kept, although it lacks a languages column
    response = preview(client, workshop, token)
    page = response.content.decode()
    assert "No languages column: choose a default" in page
    assert reverse("organise:import_apply", args=[workshop.slug]) not in page
    shown = dict(response.context["mapping_rows"])
    assert shown["Which tongues do you work in?"] == ""  # ignored
    assert shown["Email address"] == "email"
    assert 'name="column-4"' in page

    chosen = {f"column-{i}": key for i, key in enumerate(["", "name", "email", "country", "languages", ""])}
    assert columns(client, workshop, token, **chosen).status_code == 302
    page = preview(client, workshop, token).content.decode()
    assert 'id="count-new">2<' in page
    assert apply(client, workshop, token).status_code == 302
    assert list(Participant.objects.order_by("email").values_list("languages", flat=True)) == [["es", "en"], ["en"]]


def test_the_mapping_is_remembered_for_the_next_file_with_the_same_headers(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, ODD))
    columns(client, workshop, token, **{"column-3": "country", f"column-{LANGUAGES_AT}": "languages"})
    assert ImportMapping.objects.filter(workshop=workshop).count() == 1
    # The same headers, other rows (and another spelling of the headers' case): mapped as before, and said so.
    again = ODD.replace(b"Full name", b"FULL NAME").replace(b"ana@", b"ana.m@")
    page = preview(client, workshop, token_of(upload(client, workshop, again))).content.decode()
    assert "remembered from your last upload" in page
    assert 'id="count-new">2<' in page
    # Another workshop does not get it.
    other = f.workshop(organisers=[organiser])
    page = preview(client, other, token_of(upload(client, other, ODD))).content.decode()
    assert "remembered from your last upload" not in page and "No languages column: choose a default" in page


def test_a_column_can_be_ignored_or_taken_for_another(client, organiser, workshop):
    client.force_login(organiser)
    content = "Name,E-mail,Country,Languages,Organisation\nAna,ana@example.org,Chile,es,Cancillería\n".encode()
    token = token_of(upload(client, workshop, content))
    columns(client, workshop, token, **{"column-4": "", "column-0": "name", "column-1": "email"})
    assert apply(client, workshop, token).status_code == 302
    assert Participant.objects.get().organisation == ""


def test_an_unknown_column_choice_is_refused(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, ODD))
    assert columns(client, workshop, token, **{"column-4": "password"}).status_code == 400
    assert ImportUpload.objects.get().mapping == {}


def test_header_hash_ignores_case_accents_and_spaces():
    assert header_hash(["Correo electrónico", " Nombre "]) == header_hash(["CORREO ELECTRONICO", "nombre"])
    assert header_hash(["Name", "E-mail"]) != header_hash(["E-mail", "Name"])


# --- 4. Defaults -----------------------------------------------------------------------------

NO_LANGUAGES = b"Name,E-mail,Country\nAna,ana@example.org,Chile\nBo,bo@example.org,Sweden\n"


def test_a_missing_column_gets_one_value_for_every_row_and_the_preview_says_so(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, NO_LANGUAGES))
    page = preview(client, workshop, token).content.decode()
    assert 'name="default-languages"' in page and 'name="default-name"' not in page  # only what the file lacks
    columns(client, workshop, token, **{"default-languages": "en", "default-organisation": "IOM"})
    page = preview(client, workshop, token).content.decode()
    assert 'id="defaults-applied"' in page and "Languages" in page and "IOM" in page
    assert apply(client, workshop, token).status_code == 302
    assert sorted(Participant.objects.values_list("email", "languages", "organisation")) == [
        ("ana@example.org", ["en"], "IOM"),
        ("bo@example.org", ["en"], "IOM"),
    ]


# --- 5. Templates ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_blank_templates_in_the_pages_language(client, organiser, workshop, fmt):
    client.force_login(organiser)

    def headers(kind, language):
        with translation.override(language):
            url = reverse("organise:import_template", args=[workshop.slug, kind, fmt])
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        if fmt == "csv":
            return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        return list(next(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)))

    assert headers("participants", "en") == [
        "Name", "E-mail", "Country", "Region", "Organisation", "Languages", "Gender", "Preferred language",
    ]  # fmt: skip
    assert headers("participants", "es")[:3] == ["Nombre", "Correo electrónico", "País"]
    assert headers("facilitators", "fr")[-2:] == ["Expertise", "Disponibilité"] or "Disponibilité" in headers(
        "facilitators", "fr"
    )
    assert "Country" not in headers("facilitators", "en")
    assert client.get(reverse("organise:import_template", args=[workshop.slug, "others", fmt])).status_code == 404


def test_a_filled_template_imports(client, organiser, workshop):
    client.force_login(organiser)
    page = client.get(reverse("organise:import", args=[workshop.slug])).content.decode()
    for kind in ("participants", "facilitators"):
        for fmt in ("csv", "xlsx"):
            assert reverse("organise:import_template", args=[workshop.slug, kind, fmt]) in page
    with translation.override("fr"):
        url = reverse("organise:import_template", args=[workshop.slug, "facilitators", "csv"])
    template = client.get(url).content.decode("utf-8-sig").strip()
    width = len(template.split(","))
    content = (template + "\n" + ",".join(["Zoe", "zoe@iom.int", "", "English"] + [""] * (width - 4)) + "\n").encode()
    token = token_of(upload(client, workshop, content))
    assert apply(client, workshop, token).status_code == 302
    assert emails(workshop, Facilitator) == ["zoe@iom.int"]


# --- Query counts ----------------------------------------------------------------------------


def _many(count: int, *, refused_every: int = 3) -> bytes:
    lines = ["Name,E-mail,Country,Which tongues do you work in?"]
    lines += [
        f"P {i},p{i}@example.org,{'Atlantis' if i % refused_every == 0 else 'Chile'},English" for i in range(count)
    ]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("page", ["preview", "refused", "columns"])
def test_preview_refused_and_columns_queries_constant(client, organiser, page):
    """With a remembered mapping and refused rows: the same number of queries for 6 rows and 90."""
    client.force_login(organiser)

    def count(size):
        workshop = f.workshop(organisers=[organiser])
        token = token_of(upload(client, workshop, _many(size)))
        columns(client, workshop, token, **{"column-3": "languages"})
        token = token_of(upload(client, workshop, _many(size)))  # remembered
        with CaptureQueriesContext(connection) as ctx:
            if page == "preview":
                response = preview(client, workshop, token)
                assert response.status_code == 200 and response.context["report"].counts["refused"] == size // 3
            elif page == "refused":
                response = client.get(reverse("organise:import_refused", args=[workshop.slug]), {"token": token})
                assert response.status_code == 200 and response.content.decode().count(",Atlantis,") == size // 3
            else:
                assert columns(client, workshop, token, **{"column-3": "languages"}).status_code == 302
        return len(ctx.captured_queries)

    assert count(6) == count(90)


# --- With i14read's reading: a file lacking languages, withdrawn registrations ------------------------------

WITHDRAWN_NO_LANGUAGES = (
    "Full name,Email address,Country,Etapa\n"
    "Ana Martínez,ana@example.org,Colombia,ok\n"
    "Bo Svensson,bo@example.org,Sweden,Refunded\n"
    "\n"
    "Chidi Okafor,chidi@example.org,Nigeria,ok\n"
).encode()


def test_a_file_without_languages_reaches_the_preview_and_imports_with_a_default(client, organiser, workshop):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, WITHDRAWN_NO_LANGUAGES))  # kept: a default or a column can be chosen
    response = preview(client, workshop, token)
    page = response.content.decode()
    assert "No languages column: choose a default" in page and 'id="import-missing"' in page
    assert 'id="default-languages"' in page
    assert 'id="import-reading"' not in page  # no rows read yet
    # The registration state is one of the columns a header can be taken for, with its label.
    assert ("registration_state", "Registration state (withdrawn ones skipped)") in response.context["column_options"]

    chosen = {"column-0": "name", "column-1": "email", "column-2": "country", "column-3": "registration_state"}
    assert columns(client, workshop, token, **chosen, **{"default-languages": "en"}).status_code == 302
    response = preview(client, workshop, token)
    page = response.content.decode()
    assert 'id="count-new">2<' in page and 'id="defaults-applied"' in page
    assert 'id="import-reading"' in page and 'id="import-encoding">UTF-8' in page
    assert [row.line for row in response.context["report"].skipped] == [3, 4]  # withdrawn, blank
    assert "registration withdrawn (“Refunded”)" in page and 'data-skipped-line="4"' in page
    assert apply(client, workshop, token).status_code == 302
    assert emails(workshop) == ["ana@example.org", "chidi@example.org"]
    assert list(Participant.objects.values_list("languages", flat=True)) == [["en"], ["en"]]
