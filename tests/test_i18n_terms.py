"""The catalogues use one agreed word for each thing the organisers and participants meet."""

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
