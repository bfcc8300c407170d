"""Text helpers shared by e-mail, calendar files and PDFs (no Django, no models)."""

import re

# Every character that ends a line somewhere (str.splitlines() breaks at each): CR, LF, vertical
# tab, form feed, the file/group/record separators, NEL, and Unicode's line and paragraph
# separators; then any run of whitespace except the no-break spaces (U+00A0, U+2007, U+202F), which
# were typed to keep two words together (French "Atelier : …") and stay as they are.
_BREAKS_AND_SPACES = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|[^\S\u00a0\u2007\u202f]")
_RUNS = re.compile(r" {2,}")


def one_line(text) -> str:
    """`text` on one line: every line break and every run of whitespace becomes one space, and the
    ends are trimmed. Safe in a mail header, a calendar property or a PDF's title and footer."""
    return _RUNS.sub(" ", _BREAKS_AND_SPACES.sub(" ", str(text))).strip()
