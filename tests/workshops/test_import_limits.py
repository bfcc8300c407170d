"""Hostile or damaged registration files: decompression bombs, damaged UTF-16, huge CSV cells.

Each is refused whole with a message in the page's language (or the command's exit status 1),
nothing is imported, and reading stops at a bound instead of expanding everything first.
"""

import functools
import io
import struct
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl.styles import Font
from openpyxl.worksheet._reader import WorkSheetParser

from tests import factories as f
from workshops.imports.files import ImportFileError, import_file_read
from workshops.imports.services import people_import
from workshops.models import Participant

pytestmark = pytest.mark.django_db

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = ["Name", "E-mail", "Country", "Languages"]
CSV_HEAD = "Name\tE-mail\tCountry\tLanguages\n"


def workbook(rows=(("Ana Pérez", "ana@example.org", "Mexico", "es"),)) -> bytes:
    """A real workbook (with a second, bold cell style) to tamper with."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet["A1"].font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(content: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced or added, compressed as hard as zlib can."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename not in replace:
                target.writestr(info.filename, source.read(info.filename))
        for name, body in replace.items():
            target.writestr(name, body)
    return out.getvalue()


def sheet_xml(rows: int, cells_per_row: int) -> bytes:
    """A sheet: the header row, then `rows` rows of empty cells that carry only a style (bold)."""
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in HEADER)
    row = b"<row>" + b'<c s="1"/>' * cells_per_row + b"</row>"
    return f"<worksheet {NS}><sheetData><row>{header}</row>".encode() + row * rows + b"</sheetData></worksheet>"


def shared_strings_bomb(characters: int) -> tuple[dict[str, bytes], int]:
    """Parts that make the workbook's one shared string `characters` long (highly compressible)."""
    base = zipfile.ZipFile(io.BytesIO(workbook()))
    types = base.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = base.read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    strings = f'<sst {NS} count="1" uniqueCount="1"><si><t>'.encode() + b"A" * characters + b"</t></si></sst>"
    return {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels, "xl/sharedStrings.xml": strings}


@functools.cache
def styled_cells_bomb() -> bytes:
    """5 million empty but styled cells: about 110 KB compressed, 52 MB of XML once expanded."""
    return rezip(workbook(), {"xl/worksheets/sheet1.xml": sheet_xml(rows=320, cells_per_row=16_384)})


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    """Fail if openpyxl is asked to open the workbook: the refusal must come before any parsing."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a workbook that should be refused unopened")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.fixture
def parsed_cells(monkeypatch, settings):
    """Count the cells openpyxl parses; fail as soon as parsing runs a row past the cell bound."""
    counted = [0]
    original = WorkSheetParser.parse_cell

    def parse_cell(self, element):
        counted[0] += 1
        assert counted[0] <= settings.IMPORT_MAX_CELLS + 16_384, "parsing went on past the cell bound"
        return original(self, element)

    monkeypatch.setattr(WorkSheetParser, "parse_cell", parse_cell)
    return counted


# --- Decompression bombs -------------------------------------------------------------------


def test_xlsx_of_millions_of_styled_empty_cells_is_refused_before_parsing(openpyxl_never_opens):
    content = styled_cells_bomb()
    assert len(content) < 150_000
    with pytest.raises(ImportFileError) as error:
        import_file_read(content=content)
    assert str(error.value) == (
        "This Excel file expands to more than 25 MB when opened, more than a list of people needs: it cannot be "
        "imported. Keep only the sheet of people, without empty formatted rows and columns, or save it as CSV UTF-8."
    )


def test_xlsx_with_a_huge_shared_string_is_refused_before_parsing(openpyxl_never_opens):
    # One shared string of 120 million characters: about 120 KB compressed (the worker-killing kind).
    content = rezip(workbook(), shared_strings_bomb(120_000_000))
    assert len(content) < 200_000
    with pytest.raises(ImportFileError, match="expands to more than 25 MB when opened"):
        import_file_read(content=content)


def test_xlsx_under_the_byte_bound_with_too_many_cells_stops_parsing_at_the_cell_bound(parsed_cells, settings):
    # 2 million styled empty cells in 20 MB of XML: within the byte bound, far beyond the cell bound.
    content = rezip(workbook(), {"xl/worksheets/sheet1.xml": sheet_xml(rows=122, cells_per_row=16_384)})
    assert settings.IMPORT_MAX_CELLS == 250_000
    with pytest.raises(ImportFileError) as error:
        import_file_read(content=content)
    assert str(error.value) == (
        "This Excel file has more than 250,000 cells (empty formatted cells count too): it cannot be imported. "
        "Delete the empty rows and columns around the list of people, or save it as CSV UTF-8."
    )
    assert settings.IMPORT_MAX_CELLS < parsed_cells[0] <= settings.IMPORT_MAX_CELLS + 16_384


def _state_size(content: bytes, name: str, size: int) -> bytes:
    """The zip with the stated uncompressed size of part `name` rewritten (local header and central directory)."""
    data = bytearray(content)
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def test_xlsx_that_understates_its_size_is_cut_at_the_stated_size_and_refused(parsed_cells):
    # The bomb claims its 52 MB sheet is 1,000 bytes: zipfile stops there, and the check sum fails.
    content = _state_size(styled_cells_bomb(), "xl/worksheets/sheet1.xml", 1000)
    with pytest.raises(ImportFileError, match="This Excel file cannot be read"):
        import_file_read(content=content)
    assert parsed_cells[0] < 100


def test_xlsx_with_a_few_cells_past_the_bound_is_refused_and_at_the_bound_is_read(settings):
    content = workbook(rows=[("Ana Pérez", "ana@example.org", "Mexico", "es"), ("Bo Li", "bo@example.org", "CN", "zh")])
    settings.IMPORT_MAX_CELLS = 12  # three rows of four cells
    assert [row[:2] for row in import_file_read(content=content).dataset] == [
        ("Ana Pérez", "ana@example.org"),
        ("Bo Li", "bo@example.org"),
    ]
    settings.IMPORT_MAX_CELLS = 11
    with pytest.raises(ImportFileError, match="more than 11 cells"):
        import_file_read(content=content)


def test_xlsx_byte_bound_is_a_setting(settings):
    # The header, one person, then 1.6 MB of XML: ten rows of 16,384 empty formatted cells.
    rows = b"<row>" + b'<c s="1"/>' * 16_384 + b"</row>"
    person = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ("Ana", "ana@example.org", "MX", "es"))
    xml = sheet_xml(rows=0, cells_per_row=0).replace(
        b"</sheetData>", f"<row>{person}</row>".encode() + rows * 10 + b"</sheetData>"
    )
    content = rezip(workbook(rows=[]), {"xl/worksheets/sheet1.xml": xml})
    settings.IMPORT_XLSX_MAX_BYTES = 2 * 1024 * 1024
    assert [row[:2] for row in import_file_read(content=content).dataset] == [("Ana", "ana@example.org")]
    settings.IMPORT_XLSX_MAX_BYTES = 1024 * 1024
    with pytest.raises(ImportFileError, match="expands to more than 1 MB when opened"):
        import_file_read(content=content)


def test_rows_bound_is_a_setting(settings):
    content = (CSV_HEAD + "".join(f"P{i}\tp{i}@example.org\tMexico\tes\n" for i in range(30))).encode()
    settings.IMPORT_MAX_ROWS = 30
    assert len(import_file_read(content=content).dataset) == 30
    settings.IMPORT_MAX_ROWS = 29
    with pytest.raises(ImportFileError, match="The file has more than 29 rows."):
        import_file_read(content=content)


# --- Damaged text --------------------------------------------------------------------------

DAMAGED = {
    "utf16-odd-length": (CSV_HEAD + "Zoë\tzoe@example.org\tSweden\ten\n").encode("utf-16") + b"A",
    "utf16-lone-surrogate": b"\xff\xfe"
    + (CSV_HEAD + "Zo\ud800\tzoe@example.org\tSweden\ten\n").encode("utf-16-le", "surrogatepass"),
    "utf16be-lone-surrogate": b"\xfe\xff"
    + (CSV_HEAD + "Zo\udc00\tzoe@example.org\tSweden\ten\n").encode("utf-16-be", "surrogatepass"),
}
UTF16_MESSAGE = (
    "This file is UTF-16 text, but damaged: it has a broken character near byte {byte}. Save it again from the "
    "spreadsheet, preferably as “CSV UTF-8”."
)
LONG_CELL = ("Name,E-mail,Country,Languages\nAna," + "x" * 131_073 + ",Mexico,es\n").encode()
LONG_CELL_MESSAGE = (
    "Line 2 has a cell longer than 131,072 characters, which no list of people needs: check that this is the "
    "right file."
)


@pytest.mark.parametrize(
    "content, message",
    [
        (DAMAGED["utf16-odd-length"], UTF16_MESSAGE.format(byte=123)),
        (DAMAGED["utf16-lone-surrogate"], UTF16_MESSAGE.format(byte=67)),
        (DAMAGED["utf16be-lone-surrogate"], UTF16_MESSAGE.format(byte=67)),
        (LONG_CELL, LONG_CELL_MESSAGE),
        (("Name,E-mail,Country,Languages\n" + "Ana,a@example.org,MX,es\n" * 30).encode() + b"Bo," + b"y" * 200_000,
         LONG_CELL_MESSAGE.replace("Line 2", "Line 32")),
    ],
    ids=["utf16-odd-length", "utf16-lone-surrogate", "utf16be-lone-surrogate", "long-cell-line-2", "long-cell-line-32"],
)  # fmt: skip
def test_damaged_text_is_refused_whole_with_a_reason(content, message):
    with pytest.raises(ImportFileError) as error:
        import_file_read(content=content)
    assert str(error.value) == message


def test_utf8_with_an_encoded_lone_surrogate_is_refused_as_not_utf8():
    content = (CSV_HEAD + "Zo\ud800\tzoe@example.org\tSweden\ten\n").encode("utf-8", "surrogatepass")
    with pytest.raises(ImportFileError, match="neither UTF-8 text nor an Excel workbook"):
        import_file_read(content=content)


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


def _named(content: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


CASES = {
    "utf16-odd-length": (DAMAGED["utf16-odd-length"], "people.txt"),
    "long-cell": (LONG_CELL, "people.csv"),
    "xlsx-bomb": (None, "people.xlsx"),  # made in the test (it takes a moment)
}


def _content(case):
    content, name = CASES[case]
    if content is None:
        content = styled_cells_bomb()
    return content, name


SPANISH = {
    "utf16-odd-length": "Este archivo es texto UTF-16, pero está dañado: tiene un carácter roto cerca del byte 123.",
    "long-cell": "La línea 2 tiene una celda de más de 131\xa0072 caracteres",
    "xlsx-bomb": "Este archivo de Excel ocupa más de 25 MB al abrirlo",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_upload_shows_the_refusal_in_the_pages_language_and_imports_nothing(client, organiser, workshop, case):
    client.force_login(organiser)
    content, name = _content(case)
    with translation.override("es"):
        url = reverse("organise:import", args=[workshop.slug])
    response = client.post(url, {"file": _named(content, name), "kind": "auto"})
    assert response.status_code == 400
    assert SPANISH[case] in response.content.decode()
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_command_exits_1_with_the_refusal_and_imports_nothing(workshop, tmp_path, case):
    content, name = _content(case)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import_people", workshop.slug, str(path), stdout=io.StringIO())
    assert error.value.returncode == 1
    with pytest.raises(ImportFileError) as expected:
        people_import(workshop=workshop, content=content, dry_run=True)
    assert str(error.value) == str(expected.value)
    assert Participant.objects.count() == 0
