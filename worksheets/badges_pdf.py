"""Participants' badges as one PDF: eight per A4 sheet, each in its participant's language, with a QR code.

Pure: no database, no models. The caller passes plain text, already translated (`worksheets.badges`).

The fonts are the take-home PDF's (`worksheets.pdf`): any script renders and stays extractable. The
QR code is drawn as vector rectangles, one per run of dark modules in a row (crisp at any size, a
few hundred bytes per badge once the page is compressed), from segno's module matrix.
"""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

import segno

from workshops.text import one_line

from .pdf import _BOLD_STROKE, _MAIN, _fonts_add, _fonts_for, _needs_shaping

BADGES_PER_SHEET = 8  # two columns of four on an A4 sheet, as the HTML badges
BADGE_QR_MASK = 4  # a fixed mask: every code still scans, and making it is 4x faster
_COLUMNS, _ROWS = 2, 4
_SHEET_W, _SHEET_H = 595.28, 841.89  # A4 in points
_MARGIN = 28
_QR_SIZE = 84  # points, about 30 mm
_GREY = (90, 90, 90)
_CUT = (200, 200, 200)


@dataclass(frozen=True)
class PdfBadge:
    name: str
    organisation: str  # "" when none
    country: str  # in the participant's language, "" when none
    languages: str  # "français, anglais": in the participant's language
    place: str  # "C · Salle C", or "Group to be announced", in the participant's language
    url: str  # the personal link the QR code carries
    language: str  # the participant's language code ("fr")


def _qr_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The code's width in modules (a quiet zone of two included) and its dark runs: (row, column, length)."""
    matrix = segno.make(url, error="m", mask=BADGE_QR_MASK, micro=False).matrix
    runs = []
    for y, row in enumerate(matrix):
        x, width = 0, len(row)
        while x < width:
            if row[x] & 1:
                start = x
                while x < width and row[x] & 1:
                    x += 1
                runs.append((y + 2, start + 2, x - start))
            else:
                x += 1
    return len(matrix) + 4, runs


def _make_pdf(stack: ExitStack, fonts, *, shaping: bool):
    from fpdf import FPDF  # here, not at the top: fpdf2 and fontTools load only to make a PDF

    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    _fonts_add(pdf, stack, fonts, shaping=shaping)
    return pdf


def _lines(pdf, text: str, width: float, lines: int) -> list[str]:
    """`text` in at most `lines` lines of `width`, the last cut with an ellipsis if it is longer."""
    if pdf.get_string_width(text) <= width:
        return [text]
    parts = pdf.multi_cell(width, 10, text, dry_run=True, output="LINES")
    if len(parts) > lines:
        last = parts[lines - 1].rstrip()
        while last and pdf.get_string_width(last + "…") > width:
            last = last[:-1]
        parts = parts[: lines - 1] + [last.rstrip() + "…"]
    return parts


def _text(pdf, x, y, width, text, *, size, bold=False, colour=(0, 0, 0), lines=1) -> float:
    """Write `text` in the box at (x, y), at most `lines` lines (cut with an ellipsis); returns the next y."""
    if not text:
        return y
    pdf.set_font(_MAIN, size=size)
    pdf.set_text_color(*colour)
    leading = size * 1.25
    for line in _lines(pdf, text, width, lines):
        pdf.set_xy(x, y)
        if bold:
            with pdf.local_context(text_mode="FILL_STROKE", line_width=size * _BOLD_STROKE, draw_color=colour):
                pdf.cell(width, leading, line)
        else:
            pdf.cell(width, leading, line)
        y += leading
    return y


def _qr(pdf, x: float, y: float, url: str, *, size: float = _QR_SIZE) -> None:
    """The code, `size` points wide, as one filled path of rectangles, written as PDF operators in one go
    (also the certificates' QR code, `worksheets.certificate_pdf`).

    `pdf.rect` per run costs a tenth of a millisecond each, hundreds per code: one path is 20x faster.
    """
    modules, runs = _qr_runs(url)
    unit, k, top = size / modules, pdf.k, pdf.h
    path = " ".join(
        f"{(x + column * unit) * k:.2f} {(top - y - row * unit) * k:.2f} {length * unit * k:.2f} {-unit * k:.2f} re"
        for row, column, length in runs
    )
    pdf._out(f"q 0 g {path} f Q")  # noqa: SLF001 (fpdf2's page stream writer (there is no public one for paths))


def _badge(pdf, x: float, y: float, w: float, h: float, badge: PdfBadge, workshop_title: str) -> None:
    pad = 14
    inner = w - 2 * pad
    pdf.set_draw_color(*_CUT)
    pdf.set_line_width(0.5)
    pdf.rect(x, y, w, h)  # the cutting line
    top = _text(pdf, x + pad, y + pad, inner, workshop_title, size=8, colour=_GREY)
    top = _text(pdf, x + pad, top + 4, inner, badge.name, size=17, bold=True, lines=2)
    _text(pdf, x + pad, top + 2, inner, badge.organisation, size=10, lines=2)
    qr_x, qr_y = x + w - pad - _QR_SIZE + 6, y + h - pad - _QR_SIZE + 6
    text_width = qr_x - (x + pad) - 6
    bottom = y + h - pad - 3 * 12
    bottom = _text(pdf, x + pad, bottom, text_width, badge.country, size=9)
    bottom = _text(pdf, x + pad, bottom, text_width, badge.languages, size=9, colour=_GREY)
    _text(pdf, x + pad, bottom, text_width, badge.place, size=9, bold=True)
    _qr(pdf, qr_x, qr_y, badge.url)


def badges_pdf(
    *,
    workshop_title: str,
    badges: list[PdfBadge],
    title: str,
    on_progress: Callable[[int], None] | None = None,
    every: int = 50,
) -> bytes:
    """One PDF of every badge, eight per A4 sheet in the given order, each in its participant's words.

    `on_progress(done)` is called after every `every` badges and at the end (the job's progress).
    """
    workshop_title = one_line(workshop_title)
    texts = [workshop_title, "…·", title] + [
        text for b in badges for text in (b.name, b.organisation, b.country, b.languages, b.place)
    ]
    with ExitStack() as stack:
        pdf = _make_pdf(stack, _fonts_for(texts), shaping=_needs_shaping(texts))
        pdf.set_title(one_line(f"{title} · {workshop_title}"))
        width = (_SHEET_W - 2 * _MARGIN) / _COLUMNS
        height = (_SHEET_H - 2 * _MARGIN) / _ROWS
        for index, badge in enumerate(badges):
            place = index % BADGES_PER_SHEET
            if place == 0:
                pdf.add_page()
            column, row = place % _COLUMNS, place // _COLUMNS
            _badge(pdf, _MARGIN + column * width, _MARGIN + row * height, width, height, badge, workshop_title)
            if on_progress and (index + 1) % every == 0:
                on_progress(index + 1)
        if not badges:
            pdf.add_page()
        if on_progress:
            on_progress(len(badges))
        return bytes(pdf.output())
