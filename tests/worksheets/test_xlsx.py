"""The one-pass Excel writer: well-formed parts, text kept as typed (spaces, lines, "="), what XML cannot hold left out."""

import io
import zipfile
from datetime import datetime
from xml.etree import ElementTree

from openpyxl import load_workbook

from worksheets.xlsx import XlsxSheet, xlsx_workbook


def test_xlsx_every_part_is_well_formed_xml_and_declared():
    content = xlsx_workbook(
        [
            XlsxSheet(title="Answers & <more>", headers=["A", "B"], rows=[["x", 1]]),
            XlsxSheet(title="Scales", headers=["C"], rows=[]),
        ]
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        for name in names:
            ElementTree.fromstring(archive.read(name))  # raises on malformed XML
        types = archive.read("[Content_Types].xml").decode()
    assert {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml", "xl/styles.xml"} <= set(names)
    assert all(
        f'PartName="/{name}"' in types for name in names if name.startswith("xl/") and not name.endswith(".rels")
    )
    assert load_workbook(io.BytesIO(content)).sheetnames == ["Answers & <more>", "Scales"]


def test_xlsx_keeps_text_as_typed_and_leaves_out_what_xml_cannot_hold():
    rows = [
        [
            "  indented ",
            "=1+1",
            "a < b & c",
            "Line\x0bbreak\x00\ufffe\uffff",
            "two\nlines",
            3,
            2.5,
            datetime(2030, 9, 27, 15, 7),
            None,
        ]
    ]
    sheet = load_workbook(io.BytesIO(xlsx_workbook([XlsxSheet(title="S", headers=list("ABCDEFGHI"), rows=rows)])))["S"]
    values = [cell.value for cell in sheet[2]]
    assert values[:8] == [
        "  indented ",
        "=1+1",
        "a < b & c",
        "Linebreak",
        "two\nlines",
        3,
        2.5,
        datetime(2030, 9, 27, 15, 7),
    ]
    assert sheet["B2"].data_type == "s"  # never a formula
    assert sheet["E2"].alignment.wrap_text is True and sheet["A2"].alignment.wrap_text is not True
    assert sheet["H2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["I2"].value is None
    assert [cell.font.bold for cell in sheet[1]] == [True] * 9
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == len("Line\x0bbreak\x00\ufffe\uffff") + 2
    assert sheet.column_dimensions["H"].width == 16 + 2
    assert sheet.column_dimensions["I"].width == 8
