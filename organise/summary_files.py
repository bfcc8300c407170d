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


def _distribution(question: dict) -> str:
    return "  ".join(f"{step['value']}: {step['count']}" for step in question["distribution"])


def _form_title(form: dict) -> str:
    return form["session"]["title"] if form["session"] else gettext("The whole workshop")


def _evaluation_headers() -> list[str]:
    return [gettext("Evaluation"), gettext("Question"), gettext("Answers"), gettext("Mean (1–5)"), gettext("Ratings")]


def _evaluation_rows(summary: FundersSummary) -> list[list]:
    """One row per form and question: answers, mean and how many gave each rating (comments apart)."""
    rows = []
    for form in summary.evaluation["evaluation"]["forms"]:
        for question in form["questions"]:
            mean = "" if question["mean"] is None else f"{question['mean']:.2f}"
            rows.append(
                [_form_title(form), one_line(question["text"]), question["count"], mean, _distribution(question)]
            )
        if form["withheld_responses"]:
            rows.append(
                [_form_title(form), gettext("Answers of groups too small to show"), form["withheld_responses"], "", ""]
            )
    return rows


def _comment_rows(summary: FundersSummary) -> list[list]:
    return [
        [_form_title(form), one_line(question["text"]), one_line(comment)]
        for form in summary.evaluation["evaluation"]["forms"]
        for question in form["questions"]
        for comment in question["comments"]
    ]


def _knowledge_headers() -> list[str]:
    return [
        gettext("Session"),
        gettext("Group"),
        gettext("Before (%)"),
        gettext("After (%)"),
        gettext("Change (points)"),
    ]


def _knowledge_rows(summary: FundersSummary) -> list[list]:
    def figure(value):
        return "" if value is None else value

    rows = []
    for line in summary.evaluation["knowledge"]["sessions"]:
        title = line["session"]["title"]
        for group in line["groups"]:
            if group["withheld"]:
                rows.append([title, group["name"], gettext("withheld: too few answers"), "", ""])
            else:
                rows.append(
                    [
                        title,
                        group["name"],
                        figure(group["before"]["mean_percent"]),
                        figure(group["after"]["mean_percent"]),
                        figure(group["change"]),
                    ]
                )
        rows.append(
            [
                title,
                gettext("All groups"),
                figure(line["before"]["mean_percent"]),
                figure(line["after"]["mean_percent"]),
                figure(line["change"]),
            ]
        )
    return rows


def _attendance_headers(summary: FundersSummary) -> list[str]:
    return [gettext("Session"), gettext("Group"), *summary.status_labels]


def _attendance_rows(summary: FundersSummary) -> list[list]:
    return [[line.session, line.group or gettext("All groups"), *line.values()] for line in summary.attendance]


def summary_pdf(*, summary: FundersSummary) -> bytes:
    """The summary as an A4 PDF: heading, participants, attendance per session and group, the evaluation
    (a bar per rated question, the figures, the comments), the knowledge check, certificates."""
    from fpdf import FPDF  # here, not at the top: fpdf2 and fontTools load only to make a PDF

    texts = [*_heading_lines(summary), "0123456789 ·–—", *_attendance_headers(summary)]
    texts += [count.label for _title, counts in _breakdowns(summary) for count in counts]
    texts += [str(value) for row in _attendance_rows(summary) for value in row]
    texts += [label for label, _number in _certificate_lines(summary)]
    texts += [*_evaluation_headers(), *_knowledge_headers()]
    texts += [
        str(value)
        for row in [*_evaluation_rows(summary), *_comment_rows(summary), *_knowledge_rows(summary)]
        for value in row
    ]
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
        _section(pdf, gettext("Participants’ evaluation"))
        _evaluation_chart(pdf, summary)
        _table(pdf, _evaluation_headers(), _evaluation_rows(summary), (1.6, 3, 0.9, 0.9, 2), size=8)
        if comments := _comment_rows(summary):
            _table(
                pdf, [gettext("Evaluation"), gettext("Question"), gettext("Comment")], comments, (1.4, 2, 3.6), size=8
            )
        if knowledge := _knowledge_rows(summary):
            _section(pdf, gettext("Knowledge check: before and after"))
            _table(pdf, _knowledge_headers(), knowledge, (2.4, 1.4, 1, 1, 1), size=8)
        _section(pdf, gettext("Certificates of participation"))
        _table(
            pdf,
            [gettext("Certificates"), gettext("Number")],
            [list(line) for line in _certificate_lines(summary)],
            (3, 1),
        )
        return bytes(pdf.output())


def _evaluation_chart(pdf, summary: FundersSummary) -> None:
    """The mean rating of each rated question as a bar out of 5 (the table below gives the figures)."""
    bars = [
        (f"{_form_title(form)} · {one_line(question['text'])}", question["mean"])
        for form in summary.evaluation["evaluation"]["forms"]
        for question in form["questions"]
        if question["mean"] is not None
    ]
    if not bars:
        pdf.set_font(_MAIN, size=9.5)
        pdf.multi_cell(0, 14, gettext("No evaluation answers to show yet."), new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font(_MAIN, size=7.5)
    label_width, bar_width = 300, pdf.epw - 300 - 30
    for label, mean in bars:
        if pdf.will_page_break(14):
            pdf.add_page()
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_xy(x, y)
        pdf.cell(label_width - 6, 11, label[:90])
        pdf.set_fill_color(230, 230, 230)
        pdf.rect(x + label_width, y + 2, bar_width, 7, style="F")
        pdf.set_fill_color(13, 110, 253)
        pdf.rect(x + label_width, y + 2, bar_width * mean / 5, 7, style="F")
        pdf.set_xy(x + label_width + bar_width + 4, y)
        pdf.cell(26, 11, f"{mean:.2f}")
        pdf.set_xy(x, y + 12)
    pdf.ln(6)


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
    """The summary as an Excel workbook: participants, attendance, the evaluation (figures, comments), the
    knowledge check, certificates: a sheet each."""
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
            XlsxSheet(title=gettext("Evaluation")[:31], headers=_evaluation_headers(), rows=_evaluation_rows(summary)),
            XlsxSheet(
                title=gettext("Comments")[:31],
                headers=[gettext("Evaluation"), gettext("Question"), gettext("Comment")],
                rows=_comment_rows(summary),
            ),
            XlsxSheet(
                title=gettext("Knowledge check")[:31], headers=_knowledge_headers(), rows=_knowledge_rows(summary)
            ),
            XlsxSheet(
                title=gettext("Certificates")[:31],
                headers=[gettext("Certificates"), gettext("Number")],
                rows=[list(line) for line in _certificate_lines(summary)],
            ),
        ]
    )
