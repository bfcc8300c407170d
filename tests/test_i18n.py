"""The Spanish and French catalogues are complete, and the compiled files match them.

The compiled .mo files are committed, so a fresh machine needs no gettext tools.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{ *\w+ *\}\}")


@pytest.mark.parametrize("language", ["es", "fr"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            # A plural form may drop the count ("un participante") but never invent a placeholder.
            allowed = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
            for text in entry.msgstr_plural.values():
                assert set(PLACEHOLDER.findall(text)) <= allowed, entry.msgid
        else:
            assert set(PLACEHOLDER.findall(entry.msgstr)) == set(PLACEHOLDER.findall(entry.msgid)), entry.msgid


@pytest.mark.parametrize("language", ["es", "fr"])
def test_compiled_catalogue_matches_the_source(language):
    source = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))

    def key(entry):
        return (entry.msgctxt or "", entry.msgid)

    expected = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in source.translated_entries()}
    actual = {key(e): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()}) for e in compiled if e.msgid}
    assert actual == {k: (v[0], {int(i): s for i, s in v[1].items()}) for k, v in expected.items()}


def test_every_interface_string_is_in_the_catalogue():
    """Strings marked in code and templates but missing from locale/ would show in English."""
    catalogue = {e.msgid for e in polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))}
    pattern = re.compile(r"""\b(?:gettext|gettext_lazy|_)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")
    missing = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in pattern.finditer(path.read_text()):
            text = match.group(1).encode().decode("unicode_escape") if "\\" in match.group(1) else match.group(1)
            if text not in catalogue:
                missing.add(f"{path.name}: {text}")
    template_pattern = re.compile(r"""\{% (?:translate|trans) "([^"]+)" %\}""")
    for path in Path(settings.BASE_DIR).glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        for match in template_pattern.finditer(path.read_text()):
            if match.group(1) not in catalogue:
                missing.add(f"{path.name}: {match.group(1)}")
    assert sorted(missing) == [], "run makemessages (README, Translations) and translate these"
