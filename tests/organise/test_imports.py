"""The organiser's import pages (upload, preview, apply, done), their tokens, and the participants
and schedule exports: access, the active language, query counts."""

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from organise.views import imports as views_import
from tests import factories as f
from workshops.imports.services import people_import
from workshops.models import Facilitator, ImportUpload, Participant

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registration"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def refused(report) -> list[tuple[int, list[str]]]:
    return [(row.line, row.problems) for row in report.refused]


def people(workshop, model=Participant):
    return sorted(
        model.objects.filter(workshop=workshop).values_list("email", "name", "languages", "preferred_language")
    )


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


@pytest.fixture
def sections():
    return [f.section("2.6"), f.section("3.12")]


def upload(client, workshop, content, name="people.csv", kind="auto"):
    return client.post(
        reverse("organise:import", args=[workshop.slug]),
        {"file": _named(content, name), "kind": kind},
    )


def _named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    return parse_qs(urlsplit(response["Location"]).query)["token"][0]


def preview(client, workshop, token):
    return client.get(reverse("organise:import_preview", args=[workshop.slug]), {"token": token})


def apply(client, workshop, token):
    return client.post(reverse("organise:import_apply", args=[workshop.slug]), {"token": token})


def test_upload_preview_shows_each_problem_and_no_apply_button(client, organiser, workshop):
    client.force_login(organiser)
    assert client.get(reverse("organise:import", args=[workshop.slug])).status_code == 200
    token = token_of(upload(client, workshop, fixture("registration_errors.csv")))
    response = preview(client, workshop, token)
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 rows are refused." in page
    assert "Unknown country “Atlantis”" in page and "Same e-mail address as line 2: each person once." in page
    assert 'id="count-refused">5<' in page and 'id="count-new">1<' in page
    # No "Apply" while rows are refused: only the organiser's choice to import the valid row alone.
    assert page.count(reverse("organise:import_apply", args=[workshop.slug])) == 1 and 'name="skip_refused"' in page
    assert Participant.objects.count() == 0


def test_upload_apply_done_with_counts(client, organiser, workshop):
    client.force_login(organiser)
    f.participant(workshop, email="lucia.garcia@trabajo.gob.mx", organisation="Old")
    token = token_of(upload(client, workshop, fixture("registro_es.csv")))
    page = preview(client, workshop, token).content.decode()
    assert 'id="count-new">5<' in page and 'id="count-update">1<' in page
    assert reverse("organise:import_apply", args=[workshop.slug]) in page
    assert Participant.objects.count() == 1  # the preview wrote nothing
    response = apply(client, workshop, token)
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "5 created" in done and "1 updated" in done
    assert Participant.objects.filter(workshop=workshop).count() == 6
    # The same token cannot apply twice.
    again = apply(client, workshop, token)
    assert again.status_code == 400
    assert "already applied" in again.content.decode()


def test_a_file_error_is_shown_on_the_upload_page(client, organiser, workshop):
    client.force_login(organiser)
    response = upload(client, workshop, b"just,some\nwords,here\n")
    assert response.status_code == 400
    assert "No header row found" in response.content.decode()


def test_tampered_expired_and_foreign_tokens_are_refused(client, organiser, workshop, monkeypatch):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, fixture("registro_es.csv")))
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, "", "nonsense"):
        response = apply(client, workshop, bad)
        assert response.status_code == 400
        assert "This preview is not valid: upload the file again." in response.content.decode()
    # A token for another workshop the same organiser runs.
    second = f.workshop(organisers=[organiser])
    assert apply(client, second, token).status_code == 400
    # The file changed in the database after the preview.
    (stored,) = ImportUpload.objects.all()
    original = bytes(stored.content)
    ImportUpload.objects.update(content=original.replace("Lucía".encode(), b"Lucia"))
    assert "not valid" in apply(client, workshop, token).content.decode()
    ImportUpload.objects.update(content=original)
    # Too old.
    monkeypatch.setattr(views_import, "TOKEN_MAX_AGE", -1)
    response = apply(client, workshop, token)
    assert response.status_code == 400 and "This preview has expired" in response.content.decode()
    assert Participant.objects.count() == 0


def test_a_token_of_another_organiser_is_refused(client, organiser, workshop):
    colleague = f.user(username="colleague")
    workshop.organisers.add(colleague)
    client.force_login(organiser)
    token = token_of(upload(client, workshop, fixture("registro_es.csv")))
    client.force_login(colleague)
    assert apply(client, workshop, token).status_code == 400
    assert Participant.objects.count() == 0


def test_apply_checks_again_and_changes_nothing_when_a_row_became_refused(client, organiser, workshop, sections):
    client.force_login(organiser)
    token = token_of(upload(client, workshop, fixture("facilitators_en.csv")))
    assert 'id="count-refused">0<' in preview(client, workshop, token).content.decode()
    sections[0].delete()  # 2.6 disappears from the curriculum between preview and apply
    response = apply(client, workshop, token)
    assert response.status_code == 409
    assert "Unknown curriculum section “2.6”" in response.content.decode()
    assert Facilitator.objects.count() == 0
    # Nothing was written, so the same preview applies once the curriculum is whole again.
    f.section("2.6")
    assert apply(client, workshop, token).status_code == 302
    assert Facilitator.objects.count() == 2


def test_pages_require_staff_login(client, workshop):
    response = client.get(reverse("organise:import", args=[workshop.slug]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_another_workshops_organiser_gets_404_everywhere(client, organiser, other_organiser, workshop):
    f.participant(workshop, name="Secret Person", group=f.group(workshop, name="A"))
    client.force_login(organiser)
    token = token_of(upload(client, workshop, fixture("registro_es.csv")))
    summary = signing.dumps(
        {"workshop": workshop.pk, "kind": "participants", "name": "x.csv", "new": 1, "update": 0, "unchanged": 0},
        salt=views_import.SUMMARY_SALT,
    )
    client.force_login(other_organiser)
    slug = workshop.slug
    for response in (
        client.get(reverse("organise:import", args=[slug])),
        client.post(reverse("organise:import", args=[slug]), {"file": _named(fixture("registro_es.csv"), "a.csv")}),
        client.get(reverse("organise:import_preview", args=[slug]), {"token": token}),
        client.post(reverse("organise:import_apply", args=[slug]), {"token": token}),
        client.get(reverse("organise:import_done", args=[slug]), {"summary": summary}),
        client.get(reverse("organise:export_participants", args=[slug, "csv"])),
        client.get(reverse("organise:export_participants", args=[slug, "xlsx"])),
        client.get(reverse("organise:export_schedule", args=[slug, "csv"])),
        client.get(reverse("organise:export_schedule", args=[slug, "xlsx"])),
    ):
        assert response.status_code == 404
    assert Participant.objects.count() == 1


# --- Exports -------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    content = response.content
    assert content.startswith("\ufeff".encode())  # Excel reads accents and other scripts right
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def scheduled(workshop):
    trilingual = f.language_mode(workshop, name="Tri-lingual")
    english = f.language_mode(workshop, languages=("en",), name="English only")
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A", mode=trilingual))
    d = f.group(workshop, name="D", room_obj=f.room(workshop, name="Room D", mode=english))
    labour = f.session(workshop, title="Migration and Labour", start_hour=11, section=f.section("2.6", title="Labour"))
    trafficking = f.session(workshop, title="Counter-Trafficking", start_hour=15)
    awa, bo, chen = (f.facilitator(workshop, name=name) for name in ("Awa Sissoko", "Bo Berg", "Chen Li"))
    f.assignment(awa, labour, a)
    f.assignment(bo, labour, a)
    f.assignment(chen, labour, d)
    f.assignment(awa, trafficking, d)
    f.participant(workshop, name="Lucía García", email="lucia@x.org", country="MX", group=a, languages=["es"])
    f.participant(workshop, name='=HYPERLINK("http://evil")', email="evil@x.org", country="FR", region="europe")
    return workshop


def test_participants_export_csv_with_group_and_room(client, organiser, scheduled):
    client.force_login(organiser)
    response = client.get(reverse("organise:export_participants", args=[scheduled.slug, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{scheduled.slug}-participants.csv"'
    assert read_csv(response) == [
        ["Name", "E-mail", "Country", "Region", "Organisation", "Languages", "Gender", "Preferred language",
         "Group", "Room", "Language mode"],
        ["'=HYPERLINK(\"http://evil\")", "evil@x.org", "France", "Europe", "", "Spanish, English", "", "English",
         "", "", ""],
        ["Lucía García", "lucia@x.org", "Mexico", "Americas", "", "Spanish", "", "English", "A", "Room A",
         "Tri-lingual"],
    ]  # fmt: skip


def test_schedule_export_xlsx_every_session_and_group(client, organiser, scheduled):
    client.force_login(organiser)
    response = client.get(reverse("organise:export_schedule", args=[scheduled.slug, "xlsx"]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert read_xlsx(response) == [
        ["Date", "Start", "End", "Session", "Curriculum section", "Group", "Room", "Language mode", "Languages",
         "Facilitators"],
        ["2030-09-27", "11:00", "13:00", "Migration and Labour", "2.6 Labour", "A", "Room A", "Tri-lingual",
         "English, Spanish, French", "Awa Sissoko; Bo Berg"],
        ["2030-09-27", "11:00", "13:00", "Migration and Labour", "2.6 Labour", "D", "Room D", "English only",
         "English", "Chen Li"],
        ["2030-09-27", "15:00", "17:00", "Counter-Trafficking", "", "A", "Room A", "Tri-lingual",
         "English, Spanish, French", ""],
        ["2030-09-27", "15:00", "17:00", "Counter-Trafficking", "", "D", "Room D", "English only", "English",
         "Awa Sissoko"],
    ]  # fmt: skip


def test_export_headers_are_in_the_active_language(client, organiser, scheduled):
    client.force_login(organiser)
    with translation.override("es"):
        url = reverse("organise:export_participants", args=[scheduled.slug, "xlsx"])
        expected = [gettext(text) for text in ("Name", "E-mail", "Country", "Region", "Organisation")]
        schedule_url = reverse("organise:export_schedule", args=[scheduled.slug, "csv"])
        schedule_expected = [gettext(text) for text in ("Date", "Start", "End", "Session")]
    assert url.startswith("/es/")
    rows = read_xlsx(client.get(url))
    assert rows[0][:5] == expected and rows[0][0] == "Nombre" and rows[0][2] == "País"
    assert rows[2][2] == "México"  # country names too
    assert read_csv(client.get(schedule_url))[0][:4] == schedule_expected


def test_unknown_export_format_is_404(client, organiser, workshop):
    client.force_login(organiser)
    assert client.get(reverse("organise:export_schedule", args=[workshop.slug, "pdf"])).status_code == 404


# --- Query counts --------------------------------------------------------------------------


def registration_csv(count: int, *, start: int = 0) -> bytes:
    lines = ["Nombre;Correo electrónico;País;Idiomas;Organización"]
    lines += [f"Persona {i};persona{i}@example.org;Chile;español, inglés;Org {i % 3}" for i in range(start, count)]
    return ("\ufeff" + "\n".join(lines)).encode()


def facilitators_csv(count: int) -> bytes:
    lines = ["Name,E-mail,Languages,Expertise,Availability"]
    lines += [f"F {i},f{i}@iom.int,English,2.6,2030-09-27 09:00-13:00" for i in range(count)]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("make", [registration_csv, facilitators_csv])
def test_preview_queries_constant(client, organiser, sections, make):
    client.force_login(organiser)

    def count(size):
        workshop = f.workshop(organisers=[organiser])
        # Half the people are already in the workshop (updates), half are new.
        people_import(workshop=workshop, content=make(size // 2), dry_run=False)
        token = token_of(upload(client, workshop, make(size)))
        with CaptureQueriesContext(connection) as ctx:
            response = preview(client, workshop, token)
            assert response.status_code == 200
        assert len(response.context["report"].rows) == size
        return len(ctx.captured_queries)

    assert count(4) == count(60)


@pytest.mark.parametrize("what", ["export_participants", "export_schedule"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_queries_constant(client, organiser, what, fmt):
    client.force_login(organiser)
    small = f.populated_workshop(participants=4, groups=2, sessions=1, facilitators=2, organisers=[organiser])
    large = f.populated_workshop(participants=60, groups=8, sessions=4, facilitators=16, organisers=[organiser])

    def count(workshop):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"organise:{what}", args=[workshop.slug, fmt])).status_code == 200
        return len(ctx.captured_queries)

    assert count(large) == count(small)


def test_upload_and_done_pages_queries_constant(client, organiser):
    client.force_login(organiser)
    small = f.populated_workshop(participants=4, groups=2, sessions=1, facilitators=2, organisers=[organiser])
    large = f.populated_workshop(participants=60, groups=8, sessions=4, facilitators=16, organisers=[organiser])

    def count(workshop):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("organise:import", args=[workshop.slug])).status_code == 200
        return len(ctx.captured_queries)

    assert count(large) == count(small)
