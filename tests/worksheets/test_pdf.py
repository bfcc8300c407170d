"""The take-home PDF of a participant's worksheets: its text is there, in every script, and extractable.

No database: worksheets_pdf is a pure function of plain data.
"""

import io
import logging
import re
import subprocess
import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import translation
from pypdf import PdfReader

from worksheets.pdf import PdfAnswer, PdfWorksheet, worksheets_pdf

ARABIC_TITLE = "الهجرة والعمل"
ARABIC_ANSWER = "الهجرة ظاهرة عالمية تؤثر على ملايين الناس"


@contextmanager
def logged_warnings():
    """Collect what is logged at WARNING or above while making a PDF.

    Missing glyphs are reported through logging, not warnings.warn, so filterwarnings=error would not
    catch them: fpdf2 logs "Font ... is missing the following glyphs" (only without text shaping), and
    worksheets.pdf logs "No font has these characters" (with shaping, HarfBuzz quietly draws a box).
    """
    records = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append
    loggers = [logging.getLogger(name) for name in ("fpdf", "worksheets")]
    levels = [each.level for each in loggers]
    for each in loggers:
        each.addHandler(handler)
        each.setLevel(logging.WARNING)
    try:
        yield records
    finally:
        for each, level in zip(loggers, levels, strict=True):
            each.removeHandler(handler)
            each.setLevel(level)


def render(**kwargs) -> tuple[bytes, PdfReader, str]:
    """The PDF, its reader, and its text: NFC, each line's runs of whitespace as one space."""
    with logged_warnings() as records:
        pdf = worksheets_pdf(**kwargs)
    assert [record.getMessage() for record in records] == []
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = (re.sub(r"\s+", " ", line).strip() for line in unicodedata.normalize("NFC", text).splitlines())
    return pdf, reader, "\n".join(line for line in lines if line)


def without_spaces(text: str) -> str:
    # pypdf puts a space or a NUL before each character of the (CFF, CID-keyed) Chinese font; poppler's
    # pdftotext does not, and the page shows none: compare without them.
    return re.sub(r"[\s\x00]+", "", text)


def devanagari(text: str) -> str:
    """Only the Devanagari letters and the spaces of a text.

    A shaped Devanagari syllable can be several glyphs (a reph, a vowel sign drawn before its consonant):
    fpdf2 maps the first glyph of the syllable to all its characters, in reading order, and leaves the
    others out of the ToUnicode map. pypdf prints such an unmapped glyph as the character whose number is
    the glyph's code in the font subset (a control character or ASCII punctuation); poppler prints nothing.
    """
    return re.sub(r" +", " ", re.sub(r"[^\u0900-\u097F ]", "", text)).strip()


def sample_worksheets() -> list[PdfWorksheet]:
    return [
        PdfWorksheet(
            session_title="Labour migration",
            when="27 Sep 2005, 11:00–13:00",
            section="EMM 2.6 Migration and Labor",
            status="Submitted",
            answers=[
                PdfAnswer("What did you learn?", text="First line of the answer\nSecond line, Hélène Ñúñez"),
                PdfAnswer("How useful was the session?", scale=4),
                PdfAnswer("Anything else to add?", text="  \n "),
                PdfAnswer("Что вы узнали?", text="Миграция и труд"),
                PdfAnswer("Τι μάθατε;", text="Μετανάστευση και εργασία"),
            ],
        ),
        PdfWorksheet(
            session_title=ARABIC_TITLE,
            when="28 Sep 2005, 09:00–10:30",
            section="",
            status="Draft",
            answers=[
                PdfAnswer("ما رأيك؟", text=ARABIC_ANSWER),
                PdfAnswer("中文问题", text="移民管理是一个重要的话题。"),
                PdfAnswer("हिंदी प्रश्न", text="प्रवासन और श्रम पर चर्चा हुई।"),
                PdfAnswer("Mixed", text="Hélène: الهجرة, 移民管理, Миграция, प्रवासन 👍"),
            ],
        ),
    ]


@pytest.fixture(scope="module")
def sample():
    with translation.override("en"):
        return render(
            participant_name="Hélène Ñúñez",
            workshop_title="EMM Workshop Geneva",
            worksheets=sample_worksheets(),
        )


def test_output_is_a_pdf(sample):
    pdf, reader, _ = sample
    assert pdf.startswith(b"%PDF")
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=0.1)


def test_header_and_sessions(sample):
    _, reader, text = sample
    assert text.splitlines()[:3] == ["Worksheets", "EMM Workshop Geneva", "Hélène Ñúñez"]
    assert "Labour migration" in text
    assert "27 Sep 2005, 11:00–13:00 · EMM 2.6 Migration and Labor · Submitted" in text
    assert "28 Sep 2005, 09:00–10:30 · Draft" in text  # no empty section between the dots
    # PDF/A keeps the title and author in the XMP metadata (fpdf2 writes no Info dictionary then).
    assert reader.xmp_metadata.dc_title == {"x-default": "Worksheets: EMM Workshop Geneva · Hélène Ñúñez"}
    assert reader.xmp_metadata.dc_creator == ["Hélène Ñúñez"]


def test_questions_and_answers_keep_line_breaks(sample):
    lines = sample[2].splitlines()
    question = lines.index("What did you learn?")
    assert lines[question + 1 : question + 3] == ["First line of the answer", "Second line, Hélène Ñúñez"]


def test_scale_answer_reads_n_of_5(sample):
    lines = sample[2].splitlines()
    assert lines[lines.index("How useful was the session?") + 1] == "4 / 5"


def test_unanswered_question_shows_a_dash(sample):
    lines = sample[2].splitlines()
    assert lines[lines.index("Anything else to add?") + 1] == "—"


def test_latin_cyrillic_greek_and_devanagari(sample):
    text = sample[2]
    for expected in ("Hélène Ñúñez", "Что вы узнали?", "Миграция и труд", "Τι μάθατε;", "Μετανάστευση και εργασία"):
        assert expected in text
    lines = [devanagari(line) for line in text.splitlines()]
    assert "हिंदी प्रश्न" in lines
    assert "प्रवासन और श्रम पर चर्चा हुई।" in lines  # conjuncts (प्र, श्र) and the reph (र्) extract as their letters


def test_chinese(sample):
    assert "中文问题" in without_spaces(sample[2])
    assert "移民管理是一个重要的话题。" in without_spaces(sample[2])


def test_arabic(sample):
    text = sample[2]
    # The Arabic is drawn shaped and right to left. pypdf returns each word with its letters in logical
    # (reading) order, but the words of a right-to-left line in visual order, left to right on the page:
    # the last word first. Checked by eye on the rendered page, which reads right to left as written.
    assert "الهجرة" in text
    assert "ما رأيك؟" not in text and "رأيك؟ ما" in text
    assert " ".join(reversed(ARABIC_TITLE.split())) in text
    assert " ".join(reversed(ARABIC_ANSWER.split())) in text
    # Letters are never reversed within a word, nor mixed with stray characters from unmapped glyphs.
    assert "ةرجهلا" not in text


def test_mixed_scripts_in_one_line(sample):
    line = next(line for line in sample[2].splitlines() if line.startswith("Hélène:"))
    for word in ("الهجرة", "Миграция", "👍"):
        assert word in line
    assert "प्रवासन" in devanagari(line)
    assert "移民管理" in without_spaces(line)


def test_a_very_long_answer_runs_over_several_pages():
    paragraph = "Labour migration policies differ between countries of origin and destination. " * 25
    long_answer = ("\n".join([paragraph.strip()] * 20))[:19_990] + " THE END"
    assert len(long_answer) == 19_998
    worksheet = PdfWorksheet("Long", "1 Oct 2005, 14:00–16:00", "", "Submitted", [PdfAnswer("Essay", text=long_answer)])
    pdf, reader, text = render(participant_name="Ana", workshop_title="EMM", worksheets=[worksheet])
    pages = len(reader.pages)
    assert pages >= 4
    assert text.endswith(f"THE END\nAna · EMM {pages} / {pages}")
    assert text.count("destination.") == long_answer.count("destination.")


def test_labels_follow_the_active_language():
    with translation.override("fr"):
        _, _, text = render(participant_name="Ana", workshop_title="EMM", worksheets=[])
    assert text.splitlines()[0] == "Fiches de travail"


def test_a_glyph_no_font_has_is_caught():
    # The check the other tests rely on: a character outside every font (an Egyptian hieroglyph) is logged.
    worksheet = PdfWorksheet("S", "", "", "", [PdfAnswer("Q", text="\U00013000")])
    with logged_warnings() as records:
        worksheets_pdf(participant_name="Ana", workshop_title="EMM", worksheets=[worksheet])
    assert [record.getMessage() for record in records] == [
        "No font has these characters, printed as boxes: \U00013000 (U+13000)"
    ]


def test_importing_the_module_loads_no_pdf_library_or_font():
    code = "import sys, worksheets.pdf; print(sorted(m for m in ('fpdf', 'fontTools', 'uharfbuzz', 'manimgx_fonts', 'noto_cjk_sans_otc') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_pdf_declares_its_language_and_title():
    with translation.override("es"):
        _, reader, _ = render(participant_name="Ana Ruiz", workshop_title="EMM\r\nGinebra", worksheets=[])
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "es"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # readers show the title, not the file name
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": "Hojas de trabajo: EMM Ginebra · Ana Ruiz"}
    assert xmp.dc_creator == ["Ana Ruiz"]


def test_pdf_is_pdf_a_2u():
    # PDF/A-2U (ISO 19005-2, Unicode level): fonts embedded, text mapped to Unicode, an sRGB output
    # intent and XMP metadata naming the part and conformance level.
    _, reader, _ = render(participant_name="Ana", workshop_title="EMM", worksheets=sample_worksheets())
    xmp = reader.xmp_metadata
    namespace = "http://www.aiim.org/pdfa/ns/id/"
    assert [element.firstChild.data for element in xmp.get_element("", namespace, "part")] == ["2"]
    assert [element.firstChild.data for element in xmp.get_element("", namespace, "conformance")] == ["U"]
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert [intent.get_object()["/S"] for intent in intents] == ["/GTS_PDFA1"]
    assert reader.pdf_header == "%PDF-1.7"


def test_latin_worksheets_are_laid_out_without_shaping_and_read_intact(monkeypatch):
    """HarfBuzz shaping made a participant's six worksheets take seconds to lay out (fpdf2 shapes a
    line again for each character it adds); English, Spanish and French need none, Arabic still does."""
    from fpdf import FPDF

    calls = []
    original = FPDF.set_text_shaping
    monkeypatch.setattr(
        FPDF,
        "set_text_shaping",
        lambda self, use_shaping_engine=True, **kw: (
            calls.append(use_shaping_engine),
            original(self, use_shaping_engine, **kw),
        )[1],
    )
    answer = "« Migración laboral » : ça s’améliore, señora Núñez — œuvre, Ærø, Straße."
    latin = [PdfWorksheet("Trabajo", "27 sept. 2005", "", "Enviada", [PdfAnswer("¿Qué aprendió?", text=answer)])]
    _, _, text = render(participant_name="Hélène Ñúñez", workshop_title="EMM", worksheets=latin)
    assert calls == [False]
    assert answer in text and "¿Qué aprendió?" in text
    arabic = [PdfWorksheet("الهجرة", "27", "", "", [PdfAnswer("ما رأيك؟", text="الهجرة")])]
    render(participant_name="Ana", workshop_title="EMM", worksheets=arabic)
    assert calls == [False, True]
