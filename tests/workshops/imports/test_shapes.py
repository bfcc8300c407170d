"""Shapes of registration files: delimiters, title rows above the header, blank and footer rows (skipped and
listed with their lines), and rows with more cells than the header (refused with the extra cells, never cut)."""

import io

import openpyxl
import pytest

from tests import factories as f
from workshops.imports.files import import_file_read
from workshops.imports.services import people_import
from workshops.models import Participant

HEADER = ["Name", "E-mail", "Country", "Languages"]
ROWS = [
    ["Ana Pérez", "ana@x.org", "Mexico", "es"],
    ["Kofi Mensah", "kofi@x.org", "Ghana", "en"],
]


def csv_text(rows, delimiter):
    return "\n".join(delimiter.join(row) for row in rows) + "\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_read(delimiter):
    file = import_file_read(content=csv_text([HEADER, *ROWS], delimiter).encode())
    assert file.dataset["name"] == ["Ana Pérez", "Kofi Mensah"]
    assert file.dataset["languages"] == ["es", "en"]


def test_title_rows_above_the_header_are_skipped_and_listed():
    content = "Workshop on labour migration – registrations\nGeneva, 27 September\n\n" + csv_text([HEADER, *ROWS], ";")
    file = import_file_read(content=content.encode())
    assert [row[-1] for row in file.dataset] == [5, 6]
    assert [(row.line, row.reason) for row in file.skipped] == [
        (1, "above the header row"),
        (2, "above the header row"),
    ]


@pytest.mark.parametrize(
    "footer",
    [
        ["Total", "", "", ""],
        ["Totals: 20", "", "", ""],
        ["Total registrations", "2", "", ""],
        ["TOTAL", "", "", "2"],
        ["", "", "", "2"],
        ["2"],
        ["Total general", "2"],
        ["Nombre total d'inscrits : 2"],
    ],
)
def test_footer_rows_are_skipped_and_listed_with_their_line(footer):
    content = csv_text([HEADER, ROWS[0], [""] * 4, ROWS[1], footer], ",")
    file = import_file_read(content=content.encode())
    assert file.dataset["email"] == ["ana@x.org", "kofi@x.org"]
    assert [(row.line, row.reason) for row in file.skipped] == [(3, "blank row"), (5, "footer row (totals)")]


def test_trailing_blank_rows_are_not_listed():
    file = import_file_read(content=(csv_text([HEADER, *ROWS], ",") + ",,,\n\n,,,\n").encode())
    assert file.skipped == []


def test_a_row_with_more_cells_than_the_header_is_refused_with_the_extra_cells():
    # An unquoted "en;fr" in a semicolon file: the French speaker must not be stored as English only.
    content = csv_text([HEADER, ["Awa Koné", "awa@x.org", "Senegal", "en", "fr"], ROWS[1]], ";")
    file = import_file_read(content=content.encode())
    assert file.dataset["email"] == ["kofi@x.org"]
    assert [(row.line, row.email, row.problems) for row in file.refused] == [
        (
            2,
            "awa@x.org",
            [
                "This row has 5 cells but the header names 4 columns: the extra cell “fr” belongs to no column. "
                "A cell holding the separator “;” must be quoted; correct the file."
            ],
        )
    ]


def test_empty_cells_beyond_the_header_are_not_extra():
    content = csv_text([HEADER, [*ROWS[0], "", ""], ROWS[1]], ";")
    file = import_file_read(content=content.encode())
    assert file.refused == [] and file.dataset["email"] == ["ana@x.org", "kofi@x.org"]


@pytest.mark.django_db
def test_the_report_lists_skipped_rows_and_refuses_the_overflowing_one(organiser):
    workshop = f.workshop(organisers=[organiser])
    content = csv_text([HEADER, ["Awa Koné", "awa@x.org", "Senegal", "en", "fr"], ROWS[1], ["Total", "2"]], ";")
    report = people_import(workshop=workshop, content=content.encode(), dry_run=False)
    assert not report.applied and report.blocked
    assert [(row.line, row.status, row.email) for row in report.rows] == [
        (2, "refused", "awa@x.org"),
        (3, "new", "kofi@x.org"),
    ]
    assert "“fr”" in report.rows[0].problems[0]
    assert [(row.line, row.reason) for row in report.skipped] == [(4, "footer row (totals)")]
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_file_of_footers_and_blanks_only_imports_nobody_and_says_so(organiser):
    workshop = f.workshop(organisers=[organiser])
    report = people_import(workshop=workshop, content=csv_text([HEADER, ["Total", "0"]], ",").encode(), dry_run=True)
    assert report.rows == [] and [(row.line, row.reason) for row in report.skipped] == [(2, "footer row (totals)")]


def test_an_xlsx_row_wider_than_its_header_is_refused_and_trailing_formatted_rows_are_not_listed():
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, [*ROWS[0], "", "Notes: arrives late"], ROWS[1], ["Total", 2], [None] * 4, [None] * 4]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    file = import_file_read(content=buffer.getvalue())
    assert file.dataset["email"] == ["kofi@x.org"]
    assert [(row.line, row.problems) for row in file.refused] == [
        (
            2,
            [
                "This row has 6 cells but the header names 4 columns: the extra cell “Notes: arrives late” belongs "
                "to no column. Give those cells a header, or move them into the right column."
            ],
        )
    ]
    assert [(row.line, row.reason) for row in file.skipped] == [(4, "footer row (totals)")]
