"""The catalogues use one agreed word for each thing the organisers and participants meet."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

# English term -> (Spanish, French). The board places people and rotates facilitators: it is not a
# dashboard ("tableau de bord", "tablero" are the live-progress page's kind of thing).
GLOSSARY = {
    "Board": ("Cuadro de distribución", "Tableau de répartition"),
    "Go to the board": ("Ir al cuadro de distribución", "Aller au tableau de répartition"),
    "Recent runs": ("Cálculos recientes", "Calculs récents"),
    "schedule run": ("cálculo de planificación", "calcul de planning"),
    "schedule runs": ("cálculos de planificación", "calculs de planning"),
}
# Words that name a dashboard: allowed only where the English says so.
DASHBOARD_WORDS = {"es": ("tablero",), "fr": ("tableau de bord",)}


def catalogue(language):
    return polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize(("index", "language"), [(0, "es"), (1, "fr")])
def test_catalogue_uses_the_glossary_terms(index, language):
    entries = {entry.msgid: entry.msgstr for entry in catalogue(language)}
    assert {msgid: entries[msgid] for msgid in GLOSSARY} == {msgid: terms[index] for msgid, terms in GLOSSARY.items()}


@pytest.mark.parametrize("language", ["es", "fr"])
def test_only_a_dashboard_is_called_a_dashboard(language):
    misnamed = [
        entry.msgid
        for entry in catalogue(language)
        if "dashboard" not in entry.msgid.lower()
        and any(word in entry.msgstr.lower() for word in DASHBOARD_WORDS[language])
    ]
    assert misnamed == []


# French typography: a no-break space (U+00A0, the catalogue's convention) before ":", ";", "?" and
# "!" and inside « ». Not in what is not French prose: placeholders, template code, HTML tags and
# entities, addresses, times (11:00) and code (`manage.py db_worker`, <code>…</code>, the import's
# "09:00-13:00; 2030-09-28" example, where ";" is the data's own separator).
NOT_PROSE = re.compile(
    r"<code>.*?</code>|`[^`]*`|%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>|&#?\w+;|https?://\S+"
    r"|\b\d{1,2}:\d{2}\b;?"
)
BAD_FRENCH_SPACING = re.compile(r"[^\u00a0][:;?!]|«[^\u00a0]|[^\u00a0]»")


def test_french_catalogue_puts_a_no_break_space_before_double_punctuation():
    wrong = []
    for entry in catalogue("fr"):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            prose = NOT_PROSE.sub("", text)
            wrong += [f"{match.group()!r} in {text!r}" for match in BAD_FRENCH_SPACING.finditer(prose)]
    assert wrong == []


def test_french_no_break_space_rule_catches_a_glued_colon():
    assert BAD_FRENCH_SPACING.search(NOT_PROSE.sub("", "Envoyée: %(count)s")).group() == "e:"
    assert BAD_FRENCH_SPACING.search(NOT_PROSE.sub("", "De 11:00 à 13:00, voir https://x.org/a:b")) is None


def _outside_the_catalogue(template: str) -> str:
    """A template with what goes through the catalogue removed (blocktranslate blocks, translate tags)."""
    text = re.sub(r"\{% blocktranslate.*?\{% endblocktranslate %\}", "{% translated %}", template, flags=re.S)
    return re.sub(r"\{% translate .*?%\}", "{% translated %}", text)


def test_templates_leave_punctuation_after_translated_text_to_the_catalogue():
    """`{% translate "Sent" %}: 9` would print an English colon in French ("Envoyée: 9"): the colon
    after a label is `{% translate ":" %}` (Django's own label suffix; French "\u00a0:")."""
    glued = re.compile(r"(?:\{%[^%]*%\}|\{\{[^}]*\}\}|</(?:a|strong|span|em)>)\s?[:;?!](?=[\s<]|$)", re.M)
    found = []
    for path in sorted(Path(settings.BASE_DIR).glob("*/**/templates/**/*.*")):
        if ".venv" in path.parts or path.suffix not in (".html", ".txt"):
            continue
        for match in glued.finditer(_outside_the_catalogue(path.read_text())):
            found.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group()}")
    assert found == []
