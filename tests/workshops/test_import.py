"""Importing registration-desk files (CSV, Excel; English, Spanish, French headers), the preview,
atomic apply, idempotence, the import_people command, and the participants and schedule exports."""

import csv
import io
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from organise.views import imports as views_import
from tests import factories as f
from workshops.imports.exports import dataset_render, participants_table
from workshops.imports.files import ImportFileError, import_file_read
from workshops.imports.headers import ImportKind
from workshops.imports.services import people_import
from workshops.imports.values import availability_parse, country_resolve, languages_resolve
from workshops.models import Availability, Facilitator, Participant

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registration"
TZ = ZoneInfo("Europe/Zurich")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def refused(report) -> list[tuple[int, list[str]]]:
    return [(row.line, row.problems) for row in report.refused]


def statuses(report) -> list[tuple[int, str, str]]:
    return [(row.line, row.status, row.email) for row in report.rows]


def people(workshop, model=Participant):
    return sorted(
        model.objects.filter(workshop=workshop).values_list("email", "name", "languages", "preferred_language")
    )


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


@pytest.fixture
def sections():
    return [f.section("2.6"), f.section("3.12")]


XLSX_ROWS = [
    ["Kofi Mensah", "kofi.mensah@gis.gov.gh", "GH", None, "English", "Male", None, 101],
    None,  # a blank row: skipped, line numbers kept
    ["Marie-Claire Dubois", "mc.dubois@ircc.gc.ca", "Canada", "Americas", "en, fr", "female", "French", 102.0],
    ["Sung-min Park", "sm.park@moj.go.kr", "KOR", "Asia and Oceania", "Korean and English", None, "en", 103],
]


def xlsx_with_blank() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Participants – Geneva, 27–28 September"])
    sheet.append(["Name", "E-mail", "Country", "Region", "Languages", "Gender", "Preferred language", "Badge no."])
    for row in XLSX_ROWS:
        sheet.append(row or [])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Reading values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("México", "MX"),
        ("Mexico", "MX"),
        ("Mexique", "MX"),
        ("mx", "MX"),
        ("MEX", "MX"),
        ("Estados Unidos", "US"),
        ("États-Unis d'Amérique", "US"),
        ("Côte d’Ivoire", "CI"),
        ("Costa de Marfil", "CI"),
        ("Royaume-Uni", "GB"),
        ("Viêt Nam", "VN"),
        ("Russia", "RU"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_resolve_names_in_three_languages_and_iso_codes(text, code):
    assert country_resolve(text) == code


@pytest.mark.parametrize(
    "text, codes, unknown",
    [
        ("English", ["en"], []),
        ("Inglés y francés", ["en", "fr"], []),
        ("español e inglés", ["es", "en"], []),
        ("Anglais et Espagnol", ["en", "es"], []),
        ("en/es; fr", ["en", "es", "fr"], []),
        ("árabe, inglés, árabe", ["ar", "en"], []),
        ("中文, English", ["zh", "en"], []),
        ("Русский / English", ["ru", "en"], []),
        ("eng + spa", ["en", "es"], []),
        ("English, Klingon", ["en"], ["Klingon"]),
    ],
)
def test_languages_resolve_names_codes_and_separators(text, codes, unknown):
    assert languages_resolve(text) == (codes, unknown)


def test_availability_windows_in_the_workshops_time_zone():
    assert availability_parse("2030-09-27 09:00-13:00; 28/09/2030", tz=TZ) == [
        (datetime(2030, 9, 27, 9, tzinfo=TZ), datetime(2030, 9, 27, 13, tzinfo=TZ)),
        (datetime(2030, 9, 28, 0, tzinfo=TZ), datetime(2030, 9, 29, 0, tzinfo=TZ)),
    ]
    with pytest.raises(ValueError, match="is not understood"):
        availability_parse("mornings", tz=TZ)
    with pytest.raises(ValueError, match="ends before it starts"):
        availability_parse("2030-09-27 13:00-09:00", tz=TZ)


# --- Reading files -------------------------------------------------------------------------


def test_spanish_semicolon_csv_with_bom_title_row_and_blank_line_is_read():
    file = import_file_read(content=fixture("registro_es.csv"))
    assert file.kind == ImportKind.PARTICIPANTS and file.kind_detected
    assert file.columns == [
        ("Nombre", "Name"),
        ("Correo electrónico", "E-mail"),
        ("País", "Country"),
        ("Región", "Region"),
        ("Organización", "Organisation"),
        ("Idiomas", "Languages"),
        ("Género", "Gender"),
    ]
    assert file.ignored == ["Teléfono"]
    assert [row[-1] for row in file.dataset] == [3, 4, 6, 7, 8, 9]  # lines of the file, the blank one skipped
    assert file.dataset["name"] == [
        "Lucía García Márquez", "José Ñúñez", "Amira El-Sayed", "Олег Петров", "李伟", "محمد العلي",
    ]  # fmt: skip


def test_french_comma_csv_joins_given_and_family_names():
    file = import_file_read(content=fixture("inscriptions_fr.csv"))
    assert file.columns[:2] == [("Prénom", "Given name"), ("Nom", "Family name")]
    assert file.dataset["name"] == ["Awa Sissoko", "Jean-Baptiste Nkurunziza", "Élodie Lefèvre", "Nguyễn Thị Hồng"]


def test_facilitators_are_detected_from_an_expertise_column():
    assert import_file_read(content=fixture("facilitators_en.csv")).kind == ImportKind.FACILITATORS
    # Chosen explicitly, the same file is a participants file without a country column: refused whole.
    with pytest.raises(ImportFileError, match="The file has no “Country” column"):
        import_file_read(content=fixture("facilitators_en.csv"), kind=ImportKind.PARTICIPANTS)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"just,some\nwords,here\n", "No header row found"),
        ("Nombre;País;Idiomas\nAna;MX;es\n".encode(), "The file has no “E-mail” column"),
        ("Name,E-mail,Country,Languages\nJosé,j@x.org,MX,es\n".encode("latin-1"), "neither UTF-8 text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file (.xls)"),
        (b"PK\x03\x04broken", "This Excel file cannot be read"),
    ],
)
def test_unusable_files_are_refused_whole_with_a_reason(content, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_file_read(content=content)


def test_utf16_tab_separated_text_from_excel_is_read():
    content = "Name\tE-mail\tCountry\tLanguages\nZoë Ångström\tzoe@x.org\tSweden\tSwedish, English\n".encode("utf-16")
    file = import_file_read(content=content)
    assert list(file.dataset) == [("Zoë Ångström", "zoe@x.org", "Sweden", "Swedish, English", "", 2)]


# --- Dry run, apply, idempotence -----------------------------------------------------------


def test_dry_run_lists_every_problem_with_its_line_and_writes_nothing(workshop):
    report = people_import(workshop=workshop, content=fixture("registration_errors.csv"), dry_run=True)
    assert report.counts == {"new": 1, "update": 0, "unchanged": 0, "refused": 5}
    assert refused(report) == [
        (3, ["The e-mail address is missing."]),
        (4, ["Unknown country “Atlantis”: write its name in English, Spanish or French, or its ISO code."]),
        (
            5,
            ["Unknown language “Klingon”: write names in English, Spanish or French, or ISO codes such as en, es, fr."],
        ),
        (6, ["Same e-mail address as line 2: each person once."]),
        (7, ["“eve.adams@” is not a valid e-mail address."]),
    ]
    assert report.blocked and not report.applied
    assert Participant.objects.count() == 0


def test_a_refused_row_blocks_the_whole_apply(workshop):
    existing = f.participant(workshop, name="Ana", email="ana.martinez@example.org", organisation="Old")
    before = people(workshop)
    report = people_import(workshop=workshop, content=fixture("registration_errors.csv"), dry_run=False)
    assert report.applied is False
    assert [row.status for row in report.rows] == ["update", "refused", "refused", "refused", "refused", "refused"]
    assert people(workshop) == before  # the valid row was not written either
    existing.refresh_from_db()
    assert existing.organisation == "Old"


@pytest.mark.parametrize("name", ["registro_es.csv", "facilitators_en.csv"])
def test_a_database_failure_part_way_leaves_the_database_unchanged(workshop, sections, monkeypatch, name):
    # Matching is switched off, so the row of a person already there hits the unique constraint.
    model = Facilitator if name.startswith("facilitators") else Participant
    email = "rahul.verma@iom.int" if model is Facilitator else "oleg.petrov@mid.ru"
    existing = (f.facilitator if model is Facilitator else f.participant)(workshop, email=email.upper())
    monkeypatch.setattr("workshops.imports.resources._PersonResource.get_instance", lambda self, loader, row: None)
    report = people_import(workshop=workshop, content=fixture(name), dry_run=False)
    assert report.applied is False and report.blocked
    assert list(model.objects.filter(workshop=workshop)) == [existing]
    assert not Availability.objects.exists()


def test_a_good_file_imports_every_row_once_and_again_creates_nobody(workshop):
    report = people_import(workshop=workshop, content=fixture("registro_es.csv"), dry_run=False)
    assert report.applied and report.counts == {"new": 6, "update": 0, "unchanged": 0, "refused": 0}
    assert people(workshop) == [
        ("JOSE.NUNEZ@migracion.gob.ar", "José Ñúñez", ["es"], "es"),
        ("amira.elsayed@mfa.gov.eg", "Amira El-Sayed", ["ar", "en", "fr"], "en"),
        ("li.wei@mps.gov.cn", "李伟", ["zh", "en"], "en"),
        ("lucia.garcia@trabajo.gob.mx", "Lucía García Márquez", ["es", "en"], "es"),
        ("m.alali@moi.gov.jo", "محمد العلي", ["ar", "en"], "en"),
        ("oleg.petrov@mid.ru", "Олег Петров", ["ru", "en"], "en"),
    ]
    assert sorted(Participant.objects.values_list("country", "region", "gender", "organisation")) == [
        ("AR", "americas", "male", "Dirección Nacional de Migraciones"),
        ("CN", "asia_oceania", "", "Ministerio de Seguridad Pública"),
        ("EG", "africa_middle_east", "", "Ministerio de Relaciones Exteriores"),
        ("JO", "africa_middle_east", "male", "وزارة الداخلية"),
        ("MX", "americas", "female", "Secretaría del Trabajo"),
        ("RU", "europe", "male", "МИД России"),
    ]
    again = people_import(workshop=workshop, content=fixture("registro_es.csv"), dry_run=False)
    assert again.applied and again.counts == {"new": 0, "update": 0, "unchanged": 6, "refused": 0}
    assert Participant.objects.count() == 6


def test_a_person_already_in_the_workshop_is_updated_matched_by_email_ignoring_case(workshop):
    other_workshop = f.workshop()
    same_address_elsewhere = f.participant(other_workshop, email="awa.sissoko@gouv.ml", organisation="Elsewhere")
    awa = f.participant(
        workshop, name="Awa S.", email="Awa.Sissoko@GOUV.ml", organisation="", gender="female", languages=["fr"]
    )
    report = people_import(workshop=workshop, content=fixture("inscriptions_fr.csv"), dry_run=True)
    assert statuses(report)[0] == (2, "update", "Awa.Sissoko@GOUV.ml")
    assert report.rows[0].changes == ["Name", "Organisation", "Languages", "Preferred language", "Country", "Region"]
    people_import(workshop=workshop, content=fixture("inscriptions_fr.csv"), dry_run=False)
    awa.refresh_from_db()
    assert (awa.name, awa.email, awa.organisation, awa.languages, awa.country.code) == (
        "Awa Sissoko",
        "Awa.Sissoko@GOUV.ml",  # the address as first written
        "Ministère des Maliens de l'extérieur",
        ["fr", "en"],
        "ML",
    )
    assert Participant.objects.filter(workshop=workshop).count() == 4
    same_address_elsewhere.refresh_from_db()
    assert same_address_elsewhere.organisation == "Elsewhere"


def test_empty_optional_cells_keep_what_is_known(workshop):
    kofi = f.participant(
        workshop, email="kofi.mensah@gis.gov.gh", name="Kofi Mensah", gender="male", organisation="GIS",
        country="GH", region="africa_middle_east", languages=["en"], preferred_language="fr",
    )  # fmt: skip
    content = "Name,E-mail,Country,Languages,Organisation,Gender,Preferred language\nKofi Mensah,kofi.mensah@gis.gov.gh,Ghana,English,,,\n"
    report = people_import(workshop=workshop, content=content.encode(), dry_run=False)
    assert statuses(report) == [(2, "unchanged", "kofi.mensah@gis.gov.gh")]
    kofi.refresh_from_db()
    assert (kofi.organisation, kofi.gender, kofi.preferred_language) == ("GIS", "male", "fr")


def test_english_xlsx_made_with_openpyxl_is_imported_with_spreadsheet_row_numbers(workshop):
    report = people_import(workshop=workshop, content=xlsx_with_blank(), dry_run=True)
    assert statuses(report) == [
        (3, "new", "kofi.mensah@gis.gov.gh"),
        (5, "new", "mc.dubois@ircc.gc.ca"),
        (6, "new", "sm.park@moj.go.kr"),
    ]
    assert report.ignored == ["Badge no."]
    people_import(workshop=workshop, content=xlsx_with_blank(), dry_run=False)
    assert people(workshop) == [
        ("kofi.mensah@gis.gov.gh", "Kofi Mensah", ["en"], "en"),
        ("mc.dubois@ircc.gc.ca", "Marie-Claire Dubois", ["en", "fr"], "fr"),
        ("sm.park@moj.go.kr", "Sung-min Park", ["ko", "en"], "en"),
    ]
    assert sorted(Participant.objects.values_list("country", "region", "gender")) == [
        ("CA", "americas", "female"),
        ("GH", "africa_middle_east", "male"),
        ("KR", "asia_oceania", ""),
    ]


def test_ambiguous_gender_unknown_region_and_bad_preferred_language_are_refused(workshop):
    content = (
        "Nombre;Correo electrónico;País;Región;Idiomas;Género;Idioma preferido\n"
        "Ana;ana@x.org;Chile;Marte;español;M;árabe\n"
    ).encode()
    report = people_import(workshop=workshop, content=content, dry_run=True)
    assert refused(report) == [
        (
            2,
            [
                "Unknown region “Marte”: use Africa and the Middle East, Asia and Oceania, Americas, Europe.",
                "Gender “M” is ambiguous (male, or mujer?): write it in full.",
                "The preferred language must be English, Spanish or French, not “árabe”.",
            ],
        )
    ]


def test_facilitators_import_expertise_and_availability_and_again_changes_nothing(workshop, sections):
    report = people_import(workshop=workshop, content=fixture("facilitators_en.csv"), dry_run=False)
    assert report.applied and report.kind == ImportKind.FACILITATORS
    assert report.counts == {"new": 2, "update": 0, "unchanged": 0, "refused": 0}
    helene = Facilitator.objects.get(email="helene.marchetti@iom.int")
    rahul = Facilitator.objects.get(email="rahul.verma@iom.int")
    assert sorted(s.number for s in helene.expertise.all()) == ["2.6", "3.12"]
    assert [s.number for s in rahul.expertise.all()] == ["3.12"]
    assert rahul.languages == ["en", "hi"] and helene.preferred_language == "fr"
    assert list(rahul.availability.values_list("start", "end")) == [
        (datetime(2030, 9, 27, 14, tzinfo=TZ), datetime(2030, 9, 27, 18, tzinfo=TZ))
    ]
    assert not helene.availability.exists()  # empty: available throughout
    again = people_import(workshop=workshop, content=fixture("facilitators_en.csv"), dry_run=False)
    assert again.counts == {"new": 0, "update": 0, "unchanged": 2, "refused": 0}
    assert Facilitator.objects.count() == 2 and Availability.objects.count() == 1


def test_unknown_expertise_section_is_refused(workshop, sections):
    content = b'Name,E-mail,Languages,Expertise\nRa,ra@iom.int,English,"2.6, 9.9, labour"\n'
    report = people_import(workshop=workshop, content=content, dry_run=True)
    assert refused(report) == [(2, ["Unknown curriculum sections “9.9”, “labour”: write section numbers such as 2.6."])]


def test_names_in_many_scripts_survive_the_round_trip_through_an_export(workshop):
    people_import(workshop=workshop, content=fixture("registro_es.csv"), dry_run=False)
    people_import(workshop=workshop, content=fixture("inscriptions_fr.csv"), dry_run=False)
    for fmt in ("csv", "xlsx"):
        exported = dataset_render(participants_table(workshop=workshop), fmt)
        report = people_import(workshop=workshop, content=exported, dry_run=True)
        assert report.counts == {"new": 0, "update": 0, "unchanged": 10, "refused": 0}, fmt
        assert set(report.ignored) == {"Group", "Room", "Language mode"}


# --- The command ---------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("import_people", *args, stdout=out)
    return out.getvalue()


def test_command_prints_each_refused_row_exits_1_and_imports_nothing(workshop):
    with pytest.raises(CommandError) as error:
        run(workshop.slug, str(FIXTURES / "registration_errors.csv"))
    assert error.value.returncode == 1
    assert str(error.value) == "5 rows refused: nothing imported."
    assert Participant.objects.count() == 0


def test_command_output_names_lines_and_reasons(workshop, capsys):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_people", workshop.slug, str(FIXTURES / "registration_errors.csv"), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "Participants: 6 rows.",
        "Line 3 (Bo Svensson): The e-mail address is missing.",
        "Line 4 (Chidi Okafor <chidi.okafor@example.org>): Unknown country “Atlantis”: write its name in English, "
        "Spanish or French, or its ISO code.",
        "Line 5 (Dana Cohen <dana.cohen@example.org>): Unknown language “Klingon”: write names in English, Spanish "
        "or French, or ISO codes such as en, es, fr.",
        "Line 6 (Ana M. <ANA.MARTINEZ@example.org>): Same e-mail address as line 2: each person once.",
        "Line 7 (Eve Adams <eve.adams@>): “eve.adams@” is not a valid e-mail address.",
        "1 new, 0 to update, 0 unchanged, 5 refused.",
    ]


def test_command_dry_run_then_apply_then_again(workshop):
    path = str(FIXTURES / "inscriptions_fr.csv")
    assert run(workshop.slug, path, "--dry-run").splitlines()[-1] == "Dry run: nothing imported."
    assert Participant.objects.count() == 0
    assert run(workshop.slug, path).splitlines()[-1] == "Imported: 4 created, 0 updated, 0 already up to date."
    assert run(workshop.slug, path).splitlines()[-1] == "Imported: 0 created, 0 updated, 4 already up to date."
    assert Participant.objects.count() == 4


def test_command_kind_option_and_unknown_workshop(workshop, sections):
    assert "Facilitators: 2 rows." in run(
        workshop.slug, str(FIXTURES / "facilitators_en.csv"), "--kind", "facilitators"
    )
    with pytest.raises(CommandError, match="no “Country” column"):
        run(workshop.slug, str(FIXTURES / "facilitators_en.csv"), "--kind", "participants")
    with pytest.raises(CommandError, match="No workshop has the short name “nope”"):
        run("nope", str(FIXTURES / "facilitators_en.csv"))


# --- Pages ---------------------------------------------------------------------------------


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
    assert reverse("organise:import_apply", args=[workshop.slug]) not in page  # no Apply while rows are refused
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


def test_tampered_expired_and_foreign_tokens_are_refused(client, organiser, workshop, monkeypatch, upload_dir):
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
    # The file changed on disk after the preview.
    (stored,) = upload_dir.glob("*.upload")
    original = stored.read_bytes()
    stored.write_bytes(original.replace("Lucía".encode(), b"Lucia"))
    assert "not valid" in apply(client, workshop, token).content.decode()
    stored.write_bytes(original)
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
