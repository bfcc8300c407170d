"""Cell values into our values: countries, languages, regions, genders, e-mail addresses, availability.

Names are compared without case, accents or punctuation (`match_key`), in English, Spanish or
French (`CONTENT_LANGUAGES`): countries by name or ISO code, languages by name or ISO 639 code.
"""

import functools
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from ..enums import Gender, Region
from ..languages import LANGUAGE_CHOICES, LANGUAGE_CODES

CONTENT_LANGUAGES = ("en", "es", "fr")  # the languages headers and names may be written in


def match_key(text) -> str:
    """Compare names without case, accents, punctuation or surrounding spaces: "Correo electrónico" ~ "correo electronico"."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def label_keys(label) -> set[str]:
    keys = set()
    for language in CONTENT_LANGUAGES:
        with translation.override(language):
            keys.add(match_key(label))
    return keys


@functools.cache
def _country_index() -> dict[str, str]:
    """Country names in English, Spanish and French, common and former names, ISO alpha-2 and alpha-3 codes."""
    candidates: dict[str, set[str]] = {}

    def add(name, code):
        base = match_key(name)
        for variant in {base, match_key(re.sub(r"\([^)]*\)", " ", str(name))), match_key(str(name).split(",")[0])}:
            if variant:
                candidates.setdefault(variant, set()).add(code)

    for language in CONTENT_LANGUAGES:
        with translation.override(language):
            for country in countries:
                add(country.name, country.code)
            for code, name in countries.COMMON_NAMES.items():
                add(name, code)
            for code, names in countries.OLD_NAMES.items():
                for name in names:
                    add(name, code)
    # Spellings registration desks use that no catalogue holds.
    for name, code in [
        ("USA", "US"), ("United States", "US"), ("Estados Unidos", "US"), ("Etats-Unis", "US"), ("UK", "GB"),
        ("Great Britain", "GB"), ("Reino Unido", "GB"), ("Royaume-Uni", "GB"), ("Ivory Coast", "CI"),
        ("Russia", "RU"), ("Rusia", "RU"), ("Russie", "RU"), ("Holland", "NL"), ("Cape Verde", "CV"),
        ("Swaziland", "SZ"), ("Burma", "MM"), ("Turkey", "TR"), ("Turquia", "TR"), ("Turquie", "TR"),
    ]:  # fmt: skip
        candidates[match_key(name)] = {code}
    # A shortened spelling that fits two countries ("Congo", "Korea") is not a match.
    index = {key: codes.pop() for key, codes in candidates.items() if len(codes) == 1}
    for code in countries.countries:
        index[match_key(code)] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            index[match_key(alpha3)] = code
    return index


def country_resolve(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country written as a name (en/es/fr) or an ISO code; None if unknown."""
    return _country_index().get(match_key(text)) if text else None


@functools.cache
def _language_index() -> dict[str, str]:
    index = {}
    for language in CONTENT_LANGUAGES:
        with translation.override(language):
            for code, label in LANGUAGE_CHOICES:
                index[match_key(label)] = code
    for code in LANGUAGE_CODES:
        index[code] = code
    # ISO 639-2 codes, names in the language itself, and a few usual other names.
    for name, code in [
        ("eng", "en"), ("spa", "es"), ("fra", "fr"), ("fre", "fr"), ("ara", "ar"), ("zho", "zh"), ("chi", "zh"),
        ("rus", "ru"), ("por", "pt"), ("deu", "de"), ("ger", "de"), ("castellano", "es"), ("mandarin", "zh"),
        ("farsi", "fa"), ("tagalog", "tl"), ("kiswahili", "sw"), ("english", "en"), ("espanol", "es"),
        ("francais", "fr"), ("العربية", "ar"), ("عربي", "ar"), ("中文", "zh"), ("汉语", "zh"), ("русский", "ru"),
        ("portugues", "pt"), ("deutsch", "de"), ("italiano", "it"), ("türkçe", "tr"), ("فارسی", "fa"),
        ("اردو", "ur"), ("हिन्दी", "hi"), ("日本語", "ja"), ("한국어", "ko"), ("bahasa indonesia", "id"),
        ("українська", "uk"),
    ]:  # fmt: skip
        index[match_key(name)] = code
    return index


_LANGUAGE_SEPARATORS = re.compile(r"\s*(?:[,;/|+&\n]|\s(?:and|y|et|e)\s)\s*", re.IGNORECASE)


def languages_resolve(text: str) -> tuple[list[str], list[str]]:
    """("English, Español y francés") -> (["en", "es", "fr"], unknown words); names in en/es/fr or ISO codes."""
    codes, unknown = [], []
    for word in _LANGUAGE_SEPARATORS.split(text or ""):
        word = word.strip(" .")
        if not word:
            continue
        code = _language_index().get(match_key(word))
        if code is None:
            unknown.append(word)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


@functools.cache
def choice_index(choices_name: str) -> dict[str, str]:
    choices = {"region": Region.choices, "gender": Gender.choices}[choices_name]
    index = {}
    for value, label in choices:
        index[match_key(value)] = value
        for key in label_keys(label):
            index[key] = value
    if choices_name == "region":
        for name, value in [
            ("africa", Region.AFRICA_MIDDLE_EAST), ("middle east", Region.AFRICA_MIDDLE_EAST),
            ("africa y oriente medio", Region.AFRICA_MIDDLE_EAST), ("afrique", Region.AFRICA_MIDDLE_EAST),
            ("asia", Region.ASIA_OCEANIA), ("oceania", Region.ASIA_OCEANIA), ("asie", Region.ASIA_OCEANIA),
            ("america", Region.AMERICAS), ("amerique", Region.AMERICAS), ("europa", Region.EUROPE),
        ]:  # fmt: skip
            index[match_key(name)] = value
    else:
        for name, value in [
            ("f", Gender.FEMALE), ("woman", Gender.FEMALE), ("female", Gender.FEMALE), ("mujer", Gender.FEMALE),
            ("femenino", Gender.FEMALE), ("femenina", Gender.FEMALE), ("femme", Gender.FEMALE),
            ("feminin", Gender.FEMALE), ("h", Gender.MALE), ("man", Gender.MALE), ("male", Gender.MALE),
            ("hombre", Gender.MALE), ("masculino", Gender.MALE), ("homme", Gender.MALE), ("masculin", Gender.MALE),
            ("other", Gender.OTHER), ("otro", Gender.OTHER), ("otra", Gender.OTHER), ("autre", Gender.OTHER),
            ("x", Gender.OTHER), ("non binary", Gender.OTHER), ("no binario", Gender.OTHER),
            ("non binaire", Gender.OTHER),
        ]:  # fmt: skip
            index[match_key(name)] = value
    return index


def email_address(text) -> str:
    """The address in a cell: "mailto:ana@example.org" or "Ana Pérez <ana@example.org>" -> ana@example.org."""
    address = str(text or "").strip().removeprefix("mailto:")
    if match := re.search(r"<([^<>]+)>\s*$", address):
        address = match.group(1)
    return address.strip()


def email_key(text) -> str:
    return email_address(text).casefold()


_WINDOW = re.compile(
    r"^(?P<d1>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})"
    r"(?:\s+(?P<t1>\d{1,2}[:h.]\d{2}))?"
    r"(?:\s*[-–—]\s*(?:(?P<d2>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})\s+)?(?P<t2>\d{1,2}[:h.]\d{2}))?$"
)


def _date(text: str) -> date:
    if "-" in text:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    day, month, year = re.split(r"[/.]", text)  # day first, as everywhere but the United States
    return date(int(year), int(month), int(day))


def _time(text: str) -> time:
    hours, minutes = re.split(r"[:h.]", text)
    return time(int(hours), int(minutes))


def availability_parse(text: str, *, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """ "2030-09-27 09:00-13:00; 28/09/2030" -> time windows (a date alone is the whole day); ValueError if unreadable."""
    windows = []
    for part in re.split(r"[;|\n,]", text):
        part = part.strip()
        if not part:
            continue
        match = _WINDOW.match(part)
        try:
            if not match or (match["t1"] is None) != (match["t2"] is None):
                raise ValueError
            first = _date(match["d1"])
            if match["t1"] is None:
                start = datetime.combine(first, time(0), tz)
                end = start + timedelta(days=1)
            else:
                start = datetime.combine(first, _time(match["t1"]), tz)
                end = datetime.combine(_date(match["d2"]) if match["d2"] else first, _time(match["t2"]), tz)
        except ValueError:
            raise ValueError(
                _(
                    "Availability “%(value)s” is not understood: write windows such as 2030-09-27 09:00-13:00, separated by “;”."
                )
                % {"value": part}
            ) from None
        if end <= start:
            raise ValueError(_("Availability “%(value)s” ends before it starts.") % {"value": part})
        windows.append((start, end))
    return sorted(windows)
