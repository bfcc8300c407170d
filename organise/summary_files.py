"""The summary for funders as files: a PDF (fpdf2, A4, the take-home PDF's fonts) and an Excel workbook.

Both are written from `organise.summary.FundersSummary`, in the active language; small enough to be
made in the request (a few tables, whatever the number of participants).
"""

from contextlib import ExitStack

from django.utils.translation import gettext

from worksheets.pdf import _MAIN, _fonts_add, _fonts_for, _needs_shaping
from worksheets.xlsx import XlsxSheet, xlsx_workbook
from workshops.certificates import workshop_dates
from workshops.text import one_line

from .summary import Count, FundersSummary

_GREY = (90, 90, 90)


def _breakdowns(summary: FundersSummary) -> list[tuple[str, list[Count]]]:
    return [
        (gettext("By sex"), summary.by_sex),
        (gettext("By region"), summary.by_region),
        (gettext("By country"), summary.by_country),
        (gettext("By organisation"), summary.by_organisation),
    ]


def _heading_lines(summary: FundersSummary) -> list[str]:
    workshop = summary.workshop
    return [
        gettext("Summary for funders"),
        one_line(workshop.title),
        " · ".join(part for part in (workshop_dates(workshop), one_line(workshop.venue)) if part),
        gettext("Languages of the workshop: %(languages)s") % {"languages": summary.languages or "—"},
    ]


def _certificate_lines(summary: FundersSummary) -> list[tuple[str, int]]:
    return [
        (gettext("Certificates issued"), summary.certificates_issued),
        (gettext("of which revoked"), summary.certificates_revoked),
    ]


def _attendance_headers(summary: FundersSummary) -> list[str]:
    return [gettext("Session"), gettext("Group"), *summary.status_labels]


def _attendance_rows(summary: FundersSummary) -> list[list]:
    return [[line.session, line.group or gettext("All groups"), *line.values()] for line in summary.attendance]


def summary_pdf(*, summary: FundersSummary) -> bytes:
    """The summary as an A4 PDF: heading, participants, attendance per session and group, certificates."""
    from fpdf import FPDF  # here, not at the top: fpdf2 and fontTools load only to make a PDF

    texts = [*_heading_lines(summary), "0123456789 ·–—", *_attendance_headers(summary)]
    texts += [count.label for _title, counts in _breakdowns(summary) for count in counts]
    texts += [str(value) for row in _attendance_rows(summary) for value in row]
    texts += [label for label, _number in _certificate_lines(summary)]
    with ExitStack() as stack:
        pdf = FPDF(orientation="P", unit="pt", format="A4")
        pdf.set_margins(48, 48, 48)
        pdf.set_auto_page_break(auto=True, margin=48)
        _fonts_add(pdf, stack, _fonts_for(texts), shaping=_needs_shaping(texts))
        heading, title, when, languages = _heading_lines(summary)
        pdf.set_title(f"{heading} · {title}")
        pdf.add_page()
        pdf.set_font(_MAIN, size=10)
        pdf.set_text_color(*_GREY)
        pdf.multi_cell(0, 14, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(_MAIN, size=18)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(0, 24, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(_MAIN, size=10)
        pdf.multi_cell(0, 14, when, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 14, languages, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        _section(pdf, gettext("Participants: %(count)s") % {"count": summary.participants})
        for name, counts in _breakdowns(summary):
            _table(pdf, [name, gettext("Participants")], [[count.label, count.count] for count in counts], (3, 1))
        _section(pdf, gettext("Attendance per session and group"))
        _table(pdf, _attendance_headers(summary), _attendance_rows(summary), (3, 1.2, 1, 1, 1, 1, 1.2), size=8)
        _section(pdf, gettext("Certificates of participation"))
        _table(
            pdf,
            [gettext("Certificates"), gettext("Number")],
            [list(line) for line in _certificate_lines(summary)],
            (3, 1),
        )
        return bytes(pdf.output())


def _section(pdf, text: str) -> None:
    if pdf.will_page_break(60):
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font(_MAIN, size=13)
    pdf.multi_cell(0, 18, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _table(pdf, headers: list[str], rows: list[list], widths: tuple, *, size: float = 9.5) -> None:
    from fpdf.fonts import FontFace  # here, not at the top: fpdf2 loads only to make a PDF

    pdf.set_font(_MAIN, size=size)
    # Headings in the regular face on grey (the fonts have no bold face: `worksheets.pdf`).
    heading = FontFace(emphasis="", fill_color=(230, 230, 230))
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 1.5, headings_style=heading) as table:
        table.row([str(header) for header in headers])
        for values in rows:
            table.row([str(value) for value in values])
    pdf.ln(6)


def summary_xlsx(*, summary: FundersSummary) -> bytes:
    """The summary as an Excel workbook: one sheet of participants, one of attendance, one of certificates."""
    participants = [[name, count.label, count.count] for name, counts in _breakdowns(summary) for count in counts]
    heading = [[line, "", None] for line in _heading_lines(summary)]
    return xlsx_workbook(
        [
            XlsxSheet(
                title=gettext("Participants")[:31],
                headers=[gettext("Breakdown"), gettext("Value"), gettext("Participants")],
                rows=[*heading, [gettext("Participants"), gettext("All"), summary.participants], *participants],
            ),
            XlsxSheet(
                title=gettext("Attendance")[:31], headers=_attendance_headers(summary), rows=_attendance_rows(summary)
            ),
            XlsxSheet(
                title=gettext("Certificates")[:31],
                headers=[gettext("Certificates"), gettext("Number")],
                rows=[list(line) for line in _certificate_lines(summary)],
            ),
        ]
    )
