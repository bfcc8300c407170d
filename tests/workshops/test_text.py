"""One line of text, for mail subjects, iCalendar properties and PDF titles alike."""

import pytest

from workshops.text import one_line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EMM Workshop", "EMM Workshop"),
        ("EMM Workshop\r\nGeneva", "EMM Workshop Geneva"),
        ("EMM\rWorkshop\nGeneva", "EMM Workshop Geneva"),
        ("A\u2028B\u2029C\x0bD\x0cE\x85F", "A B C D E F"),  # Unicode's and old terminals' line breaks
        ("A\x1cB\x1dC\x1eD", "A B C D"),  # separators str.splitlines() breaks at too
        ("  EMM \t  Workshop \n\n Geneva  ", "EMM Workshop Geneva"),  # runs of whitespace: one space
        ("Atelier\u00a0: Genève", "Atelier\u00a0: Genève"),  # a no-break space stays as typed
        ("", ""),
        (42, "42"),
    ],
)
def test_one_line_joins_lines_and_collapses_whitespace(text, expected):
    assert one_line(text) == expected


@pytest.mark.parametrize("text", ["a\r\nb", "a\u2028b", "a\x85b", "a\x0bb", "a\x1eb", "a  \t b", "x\u2029\u2029y"])
def test_one_line_result_is_one_line(text):
    result = one_line(text)
    assert result.splitlines() == [result]
    assert "  " not in result


def test_one_line_is_the_helper_of_mail_pdf_and_calendar():
    import worksheets.pdf
    import worksheets.views.facilitator
    import workshops.mail

    assert workshops.mail.one_line is one_line
    assert worksheets.pdf.one_line is one_line
    assert worksheets.views.facilitator.one_line is one_line
    assert not hasattr(worksheets.pdf, "_one_line")
