"""The participants export builds each label once per distinct value, not once per participant (3,000 rows)."""

import io

import pytest

from tests import factories as f
from workshops.imports import exports
from workshops.imports.exports import participants_table

pytestmark = pytest.mark.django_db


def test_participants_export_names_each_language_combination_once(monkeypatch):
    workshop = f.workshop()
    group = f.group(workshop, name="A")
    for index in range(30):
        f.participant(workshop, name=f"Person {index:02}", group=group, languages=["en", "fr"] if index % 2 else ["es"])
    calls = []
    original = exports.language_names

    def counted(codes):
        calls.append(tuple(codes))
        return original(codes)

    monkeypatch.setattr(exports, "language_names", counted)
    table = participants_table(workshop=workshop)
    assert sorted(set(calls)) == sorted(calls)  # one call per distinct combination
    assert len(table) == 30
    assert [row[5] for row in table][:2] == ["Spanish", "English, French"]
    assert [row[8] for row in table] == ["A"] * 30
    assert table.headers == [
        "Name", "E-mail", "Country", "Region", "Organisation", "Languages", "Gender", "Preferred language",
        "Group", "Room", "Language mode",
    ]  # fmt: skip


def test_participants_export_without_a_group_leaves_its_cells_empty():
    workshop = f.workshop()
    f.participant(workshop, name="Ungrouped", group=None, country="FR", region="europe")
    (row,) = list(participants_table(workshop=workshop))
    assert row[0] == "Ungrouped" and row[2] == "France" and row[3] == "Europe"
    assert row[8:] == ("", "", "")


def test_exports_as_excel_are_written_row_after_row(monkeypatch):
    """Streamed in write-only mode (memory flat, no cell looked up by its coordinates), with the formatting kept."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.worksheet import Worksheet

    cells = []
    original = Worksheet._get_cell
    monkeypatch.setattr(Worksheet, "_get_cell", lambda sheet, *args: cells.append(args) or original(sheet, *args))
    workshop = f.workshop()
    group = f.group(workshop, name="A")
    f.participant(workshop, name="=HYPERLINK(1)", group=group, organisation="Line one\nline two")
    f.participant(workshop, name="Ana", group=group)
    content = exports.dataset_render(participants_table(workshop=workshop), "xlsx")
    assert cells == []
    monkeypatch.undo()
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Name", "E-mail", "Country"]
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)", "Ana"]  # a formula's start is kept out, as before
    assert sheet["A2"].data_type == "s"
    assert sheet["E2"].alignment.wrap_text is True
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold is True
