"""Encodings as spreadsheets and registration tools save CSV: UTF-8 with or without a byte-order mark,
UTF-16 (LE/BE, with the mark), Windows-1252 and Latin-1, and other single-byte code pages found by
charset-normalizer; the encoding read is said (in the report and the preview)."""

import io

import openpyxl
import pytest

from tests import factories as f
from workshops.imports.files import ImportFileError, import_file_read
from workshops.imports.services import people_import
from workshops.models import Participant

TEXT = (
    "Nom;Courriel;Pays;Langues\n"
    "Élodie Lefèvre;elodie@interieur.gouv.fr;France;français, anglais\n"
    "Awa Koné;awa.kone@gouv.ci;Côte d’Ivoire;français\n"
    "José Ñúñez;jose@migraciones.gob.ar;Argentina;espagnol\n"
)
PEOPLE = [("Élodie Lefèvre", "FR"), ("Awa Koné", "CI"), ("José Ñúñez", "AR")]


@pytest.mark.parametrize(
    "content, encoding, label",
    [
        (TEXT.encode("utf-8"), "utf-8", "UTF-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig", "UTF-8 with byte-order mark"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le", "UTF-16 LE"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", "UTF-16 BE"),
        (TEXT.encode("cp1252"), "cp1252", "Windows-1252"),  # ’ is byte 0x92: Windows, not Latin-1
        (TEXT.replace("’", "'").encode("latin-1"), "latin-1", "Latin-1 (ISO-8859-1)"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "windows-1252", "latin-1"],
)
def test_each_encoding_is_read_and_named(content, encoding, label):
    file = import_file_read(content=content)
    assert file.encoding == encoding
    assert file.encoding_label == label
    assert [(row["name"], row["country"]) for row in file.dataset.dict] == [
        ("Élodie Lefèvre", "France"),
        ("Awa Koné", "Côte d'Ivoire" if encoding == "latin-1" else "Côte d’Ivoire"),
        ("José Ñúñez", "Argentina"),
    ]


def test_windows_1251_cyrillic_text_is_found_by_the_detector():
    content = (
        "Name;E-mail;Country;Languages\n"
        "Олег Петров;oleg.petrov@mid.ru;Российская Федерация;русский, английский\n"
        "Анна Смирнова;anna@mid.ru;Россия;русский\n"
    ).encode("cp1251")
    file = import_file_read(content=content)
    assert file.encoding == "cp1251"
    assert file.encoding_label == "Windows-1251"
    assert file.dataset["name"] == ["Олег Петров", "Анна Смирнова"]


def test_an_excel_workbook_has_no_text_encoding():
    book = openpyxl.Workbook()
    book.active.append(["Name", "E-mail", "Country", "Languages"])
    book.active.append(["Zoë", "zoe@x.org", "SE", "en"])
    buffer = io.BytesIO()
    book.save(buffer)
    file = import_file_read(content=buffer.getvalue())
    assert file.encoding is None
    assert file.encoding_label == "Excel workbook (.xlsx)"


def test_binary_that_is_no_text_is_still_refused():
    with pytest.raises(ImportFileError, match="neither UTF-8 text nor an Excel workbook"):
        import_file_read(content=bytes(range(256)) * 8)


@pytest.mark.django_db
def test_a_windows_1252_file_imports_with_its_accents_and_the_report_names_it(organiser, client):
    workshop = f.workshop(organisers=[organiser])
    report = people_import(workshop=workshop, content=TEXT.encode("cp1252"), dry_run=False)
    assert report.applied and report.encoding_label == "Windows-1252"
    assert sorted(Participant.objects.values_list("name", "country")) == sorted(PEOPLE)
