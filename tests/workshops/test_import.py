"""Importing registration-desk files (CSV, Excel; English, Spanish, French headers): the dry run,
atomic apply, idempotence, the import_people command. The pages and exports: tests/organise/test_imports.py."""

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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
        # UTF-8 with one Latin-1 byte: damaged UTF-8, not read as Latin-1 (which would garble "José")
        (
            "Name,E-mail,Country,Languages\nJosé,j@x.org,MX,es\n".encode() + b"Zo\xeb,z@x.org,SE,en\n",
            "neither UTF-8 text",
        ),
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
