"""A participant's worksheets as one PDF to take home.

Pure: no database, no models. The caller passes plain text, already translated and formatted.

Any script renders and stays extractable, with fonts from pip packages: manimgx-fonts (Noto Sans for
Latin, Greek, Cyrillic and some twenty other scripts, symbols, monochrome emoji), noto-cjk-sans-otc
(Chinese, Japanese, Korean) and fontpkg-ibm-plex-sans-arabic. fpdf2 picks the font per character
(fallback fonts) and HarfBuzz (uharfbuzz) shapes the text, so Arabic joins and runs right to left and
Devanagari forms its conjuncts. fpdf2, fontTools and the fonts load only when a PDF is made.

Arabic is set in IBM Plex Sans Arabic first: the Noto Arabic fonts draw a dotted letter as two glyphs
(skeleton and dots) and fpdf2 maps only one of them to the character, so copied or extracted Arabic
text would have stray characters in it. Noto Sans Arabic stays as a fallback for letters Plex lacks.

The packages ship variable fonts (weight axis); fpdf2 embeds their default, regular instance. Making a
real bold instance of Noto Sans takes seconds per PDF, and there is no bold CJK face, so bold is drawn
by stroking the outlines: it looks the same in every script and costs nothing.
"""

import logging
import unicodedata
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from django.utils.translation import get_language, gettext

from workshops.text import one_line


@dataclass(frozen=True)
class PdfAnswer:
    question: str  # question text, already in the reader's language
    text: str = ""  # long-text answer ("" when none)
    scale: int | None = None  # 1..5 for scale questions


@dataclass(frozen=True)
class PdfWorksheet:
    session_title: str
    when: str  # e.g. "27 Sep 2005, 11:00–13:00", preformatted by the caller
    section: str  # e.g. "EMM 2.6 Migration and Labor" or ""
    status: str  # e.g. "Submitted" / "Draft", already translated
    answers: list[PdfAnswer]


SCALE_MAX = 5
UNANSWERED = "—"  # em dash
# Face of the Noto Sans CJK collection: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK. Every face has all of Chinese,
# kana and Hangul; they differ only in the regional shapes of some shared Han characters.
CJK_FACE = 2

_FONTS_PACKAGE = "manimgx_fonts"
_MAIN_FILE = "NotoSans[wght].ttf"  # Latin, Greek, Cyrillic
_LAST_FILES = ("NotoSansSymbols[wght].ttf",)  # after the scripts, before CJK (which has symbols too)
_EMOJI_FILE = "NotoEmoji[wght].ttf"  # monochrome emoji, tried last
_ARABIC = ("fontpkg_ibm_plex_sans_arabic", "files/IBMPlexSansArabic-Regular.ttf")
# Only Plex's Arabic letters: its Latin and symbols should come from Noto like the rest of the text.
_ARABIC_RANGE = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_MAIN = "noto"
_BLACK = (0, 0, 0)
_GREY = (90, 90, 90)
_RULE = (200, 200, 200)
_BOLD_STROKE = 0.03  # stroke width of bold text, per point of font size

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Font:
    family: str
    source: Traversable
    face: int = 0  # in a font collection
    unicode_range: tuple[tuple[int, int], ...] | None = None
    codepoints: frozenset[int] = frozenset()


@cache
def _fonts() -> tuple[_Font, ...]:
    """Every font, main first, then the fallbacks in the order they are tried, with the characters each has.

    Found through the packages that ship them; read on the first PDF, then kept (their character maps).
    """
    import noto_cjk_sans_otc  # here, not at the top: no font package loads until a PDF is made
    from fontTools.ttLib import TTFont  # here, not at the top: fontTools loads only to make a PDF (as fpdf2)

    files = resources.files(_FONTS_PACKAGE)
    scripts = sorted(
        entry.name
        for entry in files.iterdir()
        if entry.name.startswith("NotoSans")
        and entry.name.endswith("[wght].ttf")
        and "Italic" not in entry.name
        and entry.name != _MAIN_FILE
        and entry.name not in _LAST_FILES
    )
    fonts = [
        _Font(_MAIN, files / _MAIN_FILE),
        _Font("plex-arabic", resources.files(_ARABIC[0]) / _ARABIC[1], unicode_range=_ARABIC_RANGE),
        *(_Font(name.split("[")[0].lower(), files / name) for name in (*scripts, *_LAST_FILES)),
        _Font("noto-cjk", noto_cjk_sans_otc.FONT_PATH, face=CJK_FACE),
        _Font("noto-emoji", files / _EMOJI_FILE),
    ]
    with ExitStack() as stack:
        for index, font in enumerate(fonts):
            path = stack.enter_context(resources.as_file(font.source))
            with TTFont(path, lazy=True, fontNumber=font.face) as ttfont:
                codepoints = set(ttfont.getBestCmap())
            if font.unicode_range:
                codepoints = {c for c in codepoints if any(low <= c <= high for low, high in font.unicode_range)}
            fonts[index] = replace(font, codepoints=frozenset(codepoints))
    return tuple(fonts)


def _is_rtl(text: str) -> bool:
    """Whether the paragraph's first strong character is right-to-left (Arabic, Hebrew...)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _needs_shaping(texts: Iterable[str]) -> bool:
    """Whether some text is in a script that HarfBuzz must shape (right-to-left, Indic, South-East Asian...)
    or carries combining marks to place, or characters beyond the Basic Multilingual Plane.

    Shaping costs most of a PDF's time (fpdf2 shapes a line again for every character it adds while
    breaking lines: a participant's six worksheets took seconds); Latin, Greek, Cyrillic and CJK
    print right without it.
    """
    return any(
        0x0300 <= code <= 0x036F
        or 0x0590 <= code <= 0x1CFF
        or 0xA800 <= code <= 0xABFF
        or 0xFB1D <= code <= 0xFEFF
        or code >= 0x10000  # historic scripts, emoji sequences
        for text in texts
        for code in map(ord, text)
    )


def _make_pdf(stack: ExitStack, fonts: list[_Font], footer_text: str, *, shaping: bool = True):
    from fpdf import FPDF, ViewerPreferences  # here, not at the top: fpdf2 and fontTools load only to make a PDF

    class WorksheetsPDF(FPDF):
        def footer(self):
            self.set_y(-40)
            self.set_font(_MAIN, size=8)
            self.set_text_color(*_GREY)
            self.cell(0, 12, footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 12, f"{self.page_no()} / {{nb}}", align="R")

    # Points as the unit: fpdf2 writes the stroke width of stroked (bold) text without converting units.
    # PDF/A-2U, the archival format: every font embedded, all text mapped to Unicode, an sRGB output
    # intent, and the title, author and language in XMP metadata (fpdf2 checks and writes each).
    pdf = WorksheetsPDF(orientation="P", unit="pt", format="A4", enforce_compliance="PDF/A-2U")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_margins(56, 50, 56)
    pdf.set_auto_page_break(auto=True, margin=56)
    _fonts_add(pdf, stack, fonts, shaping=shaping)
    return pdf


def _fonts_add(pdf, stack: ExitStack, fonts: list[_Font], *, shaping: bool) -> None:
    """Embed `fonts` (the first the main one, the others its fallbacks, in order) and set text shaping."""
    for font in fonts:
        path = stack.enter_context(resources.as_file(font.source))
        pdf.add_font(font.family, fname=path, collection_font_number=font.face, unicode_range=font.unicode_range)
    if len(fonts) > 1:
        pdf.set_fallback_fonts([font.family for font in fonts[1:]])
    pdf.set_text_shaping(shaping)


def _invisible(char: str) -> bool:
    """Characters no font needs: controls, format characters (joiners, bidi marks), variation selectors."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
    )


def _fonts_for(texts: list[str]) -> list[_Font]:
    """The main font and the fallbacks that some character of the texts needs (the others are not embedded).

    Characters that no font has are logged: they would print as empty boxes. fpdf2 logs missing glyphs
    itself only without text shaping; with it, HarfBuzz quietly draws the box.
    """
    main, *fallbacks = _fonts()
    needed = {ord(char) for text in texts for char in text if not _invisible(char)} - main.codepoints
    chosen = [main]
    for font in fallbacks:
        if needed & font.codepoints:
            chosen.append(font)
            needed -= font.codepoints
    if needed:
        missing = ", ".join(f"{chr(code)} (U+{code:04X})" for code in sorted(needed))
        logger.warning("No font has these characters, printed as boxes: %s", missing)
    return chosen


def _paragraphs(pdf, text: str, *, size: float = 11, bold: bool = False, colour=_BLACK) -> None:
    """Write text keeping its line breaks; right-to-left paragraphs are right-aligned.

    Bold is the regular font with its outlines stroked, in a local graphics state (q/Q): fpdf2 does not
    reset the stroke mode after a line, and a q/Q pair must stay on one page, so a bold paragraph
    starts a new page when it would not fit (headings and questions are short).
    """
    pdf.set_font(_MAIN, size=size)
    pdf.set_text_color(*colour)
    leading = size * 1.4
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            pdf.ln(leading)
            continue
        options = {"align": "R" if _is_rtl(line) else "L", "new_x": "LMARGIN", "new_y": "NEXT"}
        if not bold:
            pdf.multi_cell(0, leading, line, **options)
            continue
        if pdf.will_page_break(pdf.multi_cell(0, leading, line, dry_run=True, output="HEIGHT", **options)):
            pdf.add_page()
        with pdf.local_context(text_mode="FILL_STROKE", line_width=size * _BOLD_STROKE, draw_color=colour):
            pdf.multi_cell(0, leading, line, **options)


def _answer_text(answer: PdfAnswer) -> str:
    parts = []
    if answer.scale is not None:
        parts.append(f"{answer.scale} / {SCALE_MAX}")
    if answer.text.strip():
        parts.append(answer.text.strip("\r\n"))
    return "\n".join(parts) or UNANSWERED


def _worksheet(pdf, worksheet: PdfWorksheet) -> None:
    if pdf.will_page_break(100):  # keep a session's heading with the start of its answers
        pdf.add_page()
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 6, pdf.w - pdf.r_margin, pdf.get_y() + 6)
    pdf.ln(16)
    _paragraphs(pdf, worksheet.session_title, size=15, bold=True)
    meta = " · ".join(part.strip() for part in (worksheet.when, worksheet.section, worksheet.status) if part.strip())
    if meta:
        pdf.ln(1)
        _paragraphs(pdf, meta, size=9.5, colour=_GREY)
    pdf.ln(10)
    for answer in worksheet.answers:
        if pdf.will_page_break(50):  # no question alone at the foot of a page
            pdf.add_page()
        _paragraphs(pdf, answer.question, bold=True)
        pdf.ln(2)
        _paragraphs(pdf, _answer_text(answer))
        pdf.ln(12)


def worksheets_pdf(*, participant_name: str, workshop_title: str, worksheets: list[PdfWorksheet]) -> bytes:
    """One PDF/A-2U with all of a participant's worksheets: title page header, then one section per worksheet.

    Its labels, title and declared language (/Lang) are those of the active language.
    """
    participant_name, workshop_title = one_line(participant_name), one_line(workshop_title)
    with ExitStack() as stack:
        texts = [gettext("Worksheets"), participant_name, workshop_title, UNANSWERED, "0123456789 /·"]
        for worksheet in worksheets:
            texts += [worksheet.session_title, worksheet.when, worksheet.section, worksheet.status]
            texts += [text for answer in worksheet.answers for text in (answer.question, answer.text)]
        footer = f"{participant_name} · {workshop_title}"
        pdf = _make_pdf(stack, _fonts_for(texts), footer_text=footer, shaping=_needs_shaping(texts))
        pdf.set_title(f"{gettext('Worksheets')}{gettext(':')} {workshop_title} · {participant_name}")
        pdf.set_author(participant_name)
        pdf.set_lang(get_language() or "en")
        pdf.add_page()
        _paragraphs(pdf, gettext("Worksheets"), size=10, colour=_GREY)
        pdf.ln(2)
        _paragraphs(pdf, workshop_title, size=20, bold=True)
        pdf.ln(4)
        _paragraphs(pdf, participant_name, size=14)
        pdf.ln(10)
        for worksheet in worksheets:
            _worksheet(pdf, worksheet)
        return bytes(pdf.output())
