"""The report-back's summaries as one PDF for the plenary's record: a heading, then each group with its room,
rapporteur and summary. Pure, like `worksheets.pdf`, whose fonts, shaping and paragraphs it uses: any script
renders and stays extractable. Summaries only: never a personal worksheet's answer."""

from contextlib import ExitStack
from dataclasses import dataclass

from django.utils.translation import get_language, gettext

from workshops.text import one_line

from .pdf import _GREY, _RULE, _fonts_for, _make_pdf, _needs_shaping, _paragraphs


@dataclass(frozen=True)
class PdfSummary:
    group: str  # "Group A · Room A"
    rapporteur: str  # "Rapporteur: Ana", or "No rapporteur yet"
    text: str  # the summary, or "No summary yet."


def summaries_pdf(*, workshop_title: str, session_title: str, when: str, summaries: list[PdfSummary]) -> bytes:
    """One PDF/A-2U of every group's summary of a session, in the active language."""
    workshop_title, session_title = one_line(workshop_title), one_line(session_title)
    heading = gettext("Report-back")
    with ExitStack() as stack:
        texts = [heading, workshop_title, session_title, when, "0123456789 /·"]
        texts += [text for summary in summaries for text in (summary.group, summary.rapporteur, summary.text)]
        footer = f"{heading} · {session_title} · {workshop_title}"
        pdf = _make_pdf(stack, _fonts_for(texts), footer_text=footer, shaping=_needs_shaping(texts))
        pdf.set_title(f"{heading}{gettext(':')} {session_title} · {workshop_title}")
        pdf.set_author(workshop_title)
        pdf.set_lang(get_language() or "en")
        pdf.add_page()
        _paragraphs(pdf, f"{heading} · {workshop_title}", size=10, colour=_GREY)
        pdf.ln(2)
        _paragraphs(pdf, session_title, size=20, bold=True)
        _paragraphs(pdf, when, size=10, colour=_GREY)
        pdf.ln(8)
        for summary in summaries:
            if pdf.will_page_break(80):  # a group's heading stays with the start of its summary
                pdf.add_page()
            pdf.set_draw_color(*_RULE)
            pdf.set_line_width(0.8)
            pdf.line(pdf.l_margin, pdf.get_y() + 6, pdf.w - pdf.r_margin, pdf.get_y() + 6)
            pdf.ln(16)
            _paragraphs(pdf, summary.group, size=14, bold=True)
            _paragraphs(pdf, summary.rapporteur, size=10, colour=_GREY)
            pdf.ln(4)
            _paragraphs(pdf, summary.text)
            pdf.ln(8)
        return bytes(pdf.output())
