"""Certificates of participation as PDF: one A4 page each, in its participant's language, with a QR code.

Pure: no database, no models. The caller passes every text already translated (`worksheets.certificates`),
so one PDF can hold certificates in several languages (the organiser's "all certificates").
The fonts are the take-home PDF's (`worksheets.pdf`); the QR code is drawn as the badges' are
(`worksheets.badges_pdf`), as vector rectangles, and leads to the certificate's public verification page.
"""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from workshops.text import one_line

from .badges_pdf import _qr
from .pdf import _BOLD_STROKE, _MAIN, _fonts_add, _fonts_for, _needs_shaping

_QR_SIZE = 96  # points, about 34 mm
_GREY = (90, 90, 90)
_ACCENT = (0, 84, 147)
_MARGIN = 60


@dataclass(frozen=True)
class PdfCertificateSession:
    when: str  # "27 September 2005, 11:00–13:00", in the certificate's language
    title: str
    section: str  # "EMM section 2.6: Migration and Labour", or ""


@dataclass(frozen=True)
class PdfCertificate:
    heading: str  # "Certificate of participation"
    intro: str  # "This certifies that"
    name: str
    took_part: str  # "took part in"
    workshop_title: str
    series: str  # "" when none
    dates: str  # "27–28 September 2005", in the certificate's language
    venue: str  # "" when none
    sessions_heading: str  # "Sessions attended"
    sessions: list[PdfCertificateSession]
    code_label: str  # "Verification code: ABCD-…"
    verify_text: str  # "Check this certificate at https://…/certificates/…/"
    url: str  # what the QR code carries
    language: str  # "fr"


def _make_pdf(stack: ExitStack, fonts, *, shaping: bool):
    from fpdf import FPDF  # here, not at the top: fpdf2 and fontTools load only to make a PDF

    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    _fonts_add(pdf, stack, fonts, shaping=shaping)
    return pdf


def _centred(pdf, text: str, *, size: float, bold: bool = False, colour=(0, 0, 0), after: float = 6) -> None:
    if not text:
        return
    pdf.set_font(_MAIN, size=size)
    pdf.set_text_color(*colour)
    options = {"align": "C", "new_x": "LMARGIN", "new_y": "NEXT"}
    if bold:
        with pdf.local_context(text_mode="FILL_STROKE", line_width=size * _BOLD_STROKE, draw_color=colour):
            pdf.multi_cell(0, size * 1.3, text, **options)
    else:
        pdf.multi_cell(0, size * 1.3, text, **options)
    pdf.ln(after)


def _certificate(pdf, certificate: PdfCertificate) -> None:
    pdf.add_page()
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(2)
    pdf.rect(28, 28, pdf.w - 56, pdf.h - 56)
    pdf.set_y(90)
    _centred(pdf, one_line(certificate.series), size=11, colour=_GREY, after=14)
    _centred(pdf, certificate.heading, size=28, bold=True, colour=_ACCENT, after=28)
    _centred(pdf, certificate.intro, size=12, colour=_GREY)
    _centred(pdf, one_line(certificate.name), size=24, bold=True, after=10)
    _centred(pdf, certificate.took_part, size=12, colour=_GREY)
    _centred(pdf, one_line(certificate.workshop_title), size=16, bold=True, after=8)
    _centred(pdf, " · ".join(part for part in (certificate.dates, one_line(certificate.venue)) if part), size=12)
    pdf.ln(18)
    if certificate.sessions:
        _centred(pdf, certificate.sessions_heading, size=12, bold=True, after=4)
        # A long list goes on over more pages, never under the code at the foot of the last one.
        pdf.set_auto_page_break(auto=True, margin=_MARGIN + _QR_SIZE + 20)
        for session in certificate.sessions:
            if pdf.will_page_break(30):  # a session's two lines stay together
                pdf.add_page()
                pdf.set_y(_MARGIN)
            _centred(pdf, f"{session.when} · {one_line(session.title)}", size=10.5, after=0)
            _centred(pdf, session.section, size=9.5, colour=_GREY, after=8)
        pdf.set_auto_page_break(auto=False)
    qr_y = pdf.h - _MARGIN - _QR_SIZE - 10
    _qr(pdf, _MARGIN, qr_y, certificate.url, size=_QR_SIZE)
    text_x = _MARGIN + _QR_SIZE + 12
    width = pdf.w - _MARGIN - text_x
    pdf.set_xy(text_x, qr_y + 24)
    pdf.set_font(_MAIN, size=10.5)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(width, 14, certificate.code_label, new_x="LEFT", new_y="NEXT")
    pdf.set_font(_MAIN, size=8.5)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(width, 11, certificate.verify_text, new_x="LEFT", new_y="NEXT")


def _texts(certificate: PdfCertificate) -> list[str]:
    return [
        certificate.heading,
        certificate.intro,
        certificate.name,
        certificate.took_part,
        certificate.workshop_title,
        certificate.series,
        certificate.dates,
        certificate.venue,
        certificate.sessions_heading,
        certificate.code_label,
        certificate.verify_text,
        *(text for session in certificate.sessions for text in (session.when, session.title, session.section)),
    ]


def certificates_pdf(
    *,
    certificates: list[PdfCertificate],
    title: str,
    on_progress: Callable[[int], None] | None = None,
    every: int = 25,
) -> bytes:
    """One PDF with a page per certificate, in the given order, each in its participant's words.

    `on_progress(done)` is called after every `every` certificates and at the end (the job's progress).
    """
    texts = [title, " ·–"] + [text for certificate in certificates for text in _texts(certificate)]
    with ExitStack() as stack:
        pdf = _make_pdf(stack, _fonts_for(texts), shaping=_needs_shaping(texts))
        pdf.set_title(one_line(title))
        if len(certificates) == 1:
            pdf.set_lang(certificates[0].language)
            pdf.set_author(one_line(certificates[0].name))
        for index, certificate in enumerate(certificates):
            _certificate(pdf, certificate)
            if on_progress and (index + 1) % every == 0:
                on_progress(index + 1)
        if not certificates:
            pdf.add_page()
        if on_progress:
            on_progress(len(certificates))
        return bytes(pdf.output())
