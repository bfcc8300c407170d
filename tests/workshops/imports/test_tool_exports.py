"""Files as real registration tools export them, imported with no hand-editing: Indico's registrant export,
Eventbrite's attendee export, Google Forms' responses (English, Spanish, French), and the project's own export.
Fixtures in tests/fixtures/imports/ are written from each tool's documented columns."""

from pathlib import Path

import pytest

from tests import factories as f
from workshops.imports.exports import dataset_render, participants_table
from workshops.imports.files import ImportFileError, import_file_read
from workshops.imports.headers import column_roles
from workshops.imports.services import people_import
from workshops.models import Participant

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


def imported(workshop):
    return sorted(Participant.objects.filter(workshop=workshop).values_list("email", "name", "country", "languages"))


def skipped(report):
    return [(row.line, row.reason) for row in report.skipped]


def test_indico_registrants_import_and_withdrawn_or_rejected_ones_are_skipped(workshop):
    report = people_import(workshop=workshop, content=fixture("indico_registrants_en.csv"), dry_run=False)
    assert report.applied, [(row.line, row.problems) for row in report.refused]
    assert imported(workshop) == [
        ("ana.perez@migracion.gob.mx", "Ana Pérez Gómez", "MX", ["es", "en"]),
        ("jp.kabila@interieur.gouv.cd", "Jean-Pierre Kabila", "CD", ["fr"]),
        ("mai.nguyen@mofa.gov.vn", "Mai Nguyen", "VN", ["vi", "en"]),
        ("r.ahmadi@mfa.gov.ir", "Reza Ahmadi", "IR", ["fa", "en"]),  # pending: still registered
    ]
    assert skipped(report) == [(4, "registration withdrawn (“Withdrawn”)"), (5, "registration withdrawn (“Rejected”)")]
    assert [(row.line, row.name, row.email) for row in report.skipped] == [
        (4, "Sung-min Park", "sm.park@moj.go.kr"),
        (5, "Olga Ivanova", "o.ivanova@fms.gov.ru"),
    ]


def test_indico_columns_are_each_taken_for_something_or_ignored():
    file = import_file_read(content=fixture("indico_registrants_en.csv"))
    assert column_roles(file) == [
        ("ID", None),
        ("Name", "name"),
        ("First Name", "given_name"),
        ("Last Name", "family_name"),
        ("Email", "email"),
        ("Affiliation", "organisation"),
        ("Position", None),
        ("Country", "country"),
        ("Phone", None),
        ("Registration date", None),
        ("Registration state", "registration_state"),
        ("Working languages", "languages"),
    ]
    assert file.ignored == ["ID", "Position", "Phone", "Registration date"]


def test_indico_spanish_export_imports(workshop):
    report = people_import(workshop=workshop, content=fixture("indico_registrants_es.csv"), dry_run=False)
    assert report.applied, [(row.line, row.problems) for row in report.refused]
    assert imported(workshop) == [
        ("lucia.garcia@trabajo.gob.mx", "Lucía García Márquez", "MX", ["es", "en"]),
        ("mf.rojas@saime.gob.ve", "María Fernanda Rojas", "VE", ["es", "en"]),
    ]
    assert skipped(report) == [(3, "registration withdrawn (“Retirado”)"), (5, "registration withdrawn (“Rechazado”)")]


def test_an_export_without_languages_is_refused_asking_for_a_default():
    with pytest.raises(ImportFileError) as refusal:
        import_file_read(content=fixture("indico_no_languages_en.csv"))
    assert str(refusal.value).startswith("No languages column: choose a default")


def test_eventbrite_attendees_join_first_and_last_names_and_skip_cancelled_refunded_transferred(workshop):
    report = people_import(workshop=workshop, content=fixture("eventbrite_attendees_en.csv"), dry_run=False)
    assert report.applied, [(row.line, row.problems) for row in report.refused]
    assert imported(workshop) == [
        ("awa.sissoko@gouv.ml", "Awa Sissoko", "ML", ["fr", "en"]),
        ("l.schmidt@bamf.bund.de", "Lena Schmidt", "DE", ["de", "en"]),
        ("t.walker@homeoffice.gov.uk", "Tom Walker", "GB", ["en"]),
    ]
    assert skipped(report) == [
        (4, "registration withdrawn (“Refunded”)"),
        (5, "registration withdrawn (“Cancelled”)"),
        (6, "registration withdrawn (“Transferred”)"),
    ]
    roles = dict(column_roles(import_file_read(content=fixture("eventbrite_attendees_en.csv"))))
    assert roles["Company"] == "organisation" and roles["Attendee Status"] == "registration_state"
    assert [roles[h] for h in ("Order #", "Order Date", "Quantity", "Ticket Type", "Attendee #", "Job Title")] == [
        None
    ] * 6


def test_eventbrite_spanish_export_imports(workshop):
    report = people_import(workshop=workshop, content=fixture("eventbrite_attendees_es.csv"), dry_run=False)
    assert report.applied, [(row.line, row.problems) for row in report.refused]
    assert imported(workshop) == [
        ("p.alves@mj.gov.br", "Pedro Alves", "BR", ["pt", "es"]),
        ("r.mamani@migracion.gob.pe", "Rosa Mamani", "PE", ["es", "en"]),
    ]
    assert skipped(report) == [
        (3, "registration withdrawn (“Cancelado”)"),
        (4, "registration withdrawn (“Reembolsado”)"),
    ]


@pytest.mark.parametrize(
    "name, people",
    [
        (
            "google_forms_en.csv",
            [
                ("ana.perez@migracion.gob.mx", "Ana Pérez", "MX", ["es", "en"]),
                ("kofi.mensah@gis.gov.gh", "Kofi Mensah", "GH", ["en"]),
                ("n.sharma@mea.gov.in", "Neha Sharma", "IN", ["en", "hi"]),
            ],
        ),
        (
            "google_forms_es.csv",
            [
                ("a.diop@interieur.gouv.sn", "Aminata Diop", "SN", ["fr", "es"]),
                ("jose.nunez@migraciones.gob.ar", "José Núñez", "AR", ["es"]),
                ("lucia.garcia@trabajo.gob.mx", "Lucía García", "MX", ["es", "en"]),
            ],
        ),
        (
            "google_forms_fr.csv",
            [
                ("awa.kone@gouv.ci", "Awa Koné", "CI", ["fr"]),
                ("elodie.lefevre@interieur.gouv.fr", "Élodie Lefèvre", "FR", ["fr", "en"]),
            ],
        ),
    ],
)
def test_google_forms_responses_import_with_question_headers(workshop, name, people):
    report = people_import(workshop=workshop, content=fixture(name), dry_run=False)
    assert report.applied, [(row.line, row.problems) for row in report.refused]
    assert imported(workshop) == people
    roles = column_roles(import_file_read(content=fixture(name)))
    assert [key for _header, key in roles] == [None, "email", "name", "country", "organisation", "languages", "gender"]


def test_the_projects_own_export_imports_again_unchanged(workshop):
    f.participant(workshop, name="Ana Pérez", email="ana@x.org", country="MX", languages=["es", "en"])
    f.participant(workshop, name="Олег Петров", email="oleg@x.org", country="RU", languages=["ru"])
    content = dataset_render(participants_table(workshop=workshop), "csv")
    report = people_import(workshop=workshop, content=content, dry_run=True)
    assert report.counts == {"new": 0, "update": 0, "unchanged": 2, "refused": 0}
