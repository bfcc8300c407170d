"""Cell values into our values: countries, languages, regions, genders, e-mail addresses, availability.

Names are compared without case, accents or punctuation (`match_key`), in English, Spanish or
French (`CONTENT_LANGUAGES`): countries by name or ISO code, languages by name or ISO 639 code.
"""

import functools
import gettext as gettext_module
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import babel
import pycountry
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from ..enums import Gender, Region
from ..languages import LANGUAGE_CHOICES, LANGUAGE_CODES
from ..reference import COUNTRY_ALIASES

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


# Words that carry no country: "Republic of the Congo" ~ "Congo, Republic of the"; "People's" ~ "peoples".
_SMALL_WORDS = frozenset("the of and de du des d del la le les l los las el et y e s da do dos".split())


def _country_key(text) -> str:
    """A country's name as a set of words: no case, accents, punctuation, word order or small words."""
    return " ".join(sorted({word for word in match_key(text).split() if word not in _SMALL_WORDS}))


def _catalogue_names() -> list[tuple[str, str]]:
    """(name, alpha-2) from the maintained catalogues, in English, Spanish and French.

    pycountry's ISO 3166 names, official and common names, with the translations it ships (gettext
    catalogues); CLDR's names from babel; django-countries' names, common and former names.
    """
    known = set(countries.countries)
    names = []
    catalogues = {
        language: gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in CONTENT_LANGUAGES
    }
    for country in pycountry.countries:
        if country.alpha_2 not in known:
            continue
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                names.extend((catalogue.gettext(name), country.alpha_2) for catalogue in catalogues.values())
    for language in CONTENT_LANGUAGES:
        territories = babel.Locale.parse(language).territories
        names.extend((name, code) for code, name in territories.items() if code in known)
        with translation.override(language):
            names.extend((str(country.name), country.code) for country in countries)
            names.extend((str(name), code) for code, name in countries.COMMON_NAMES.items())
            names.extend((str(name), code) for code, former in countries.OLD_NAMES.items() for name in former)
    return names


@functools.cache
def _country_index() -> dict[str, str]:
    """Country names (`_country_key`) to ISO 3166-1 alpha-2 codes.

    A full name wins over a shortened one ("Congo" is the Republic of the Congo, though "Congo, The
    Democratic Republic of the" shortens to it); a name two countries share at the same rank ("Korea")
    matches neither. `reference.COUNTRY_ALIASES` and the ISO codes are taken as they are.
    """
    full: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for name, code in _catalogue_names():
        full.setdefault(_country_key(name), set()).add(code)
        for variant in (re.sub(r"\([^)]*\)", " ", name), name.split(",")[0]):
            short.setdefault(_country_key(variant), set()).add(code)
    index = {key: codes.pop() for key, codes in short.items() if len(codes) == 1 and key not in full}
    index |= {key: codes.pop() for key, codes in full.items() if len(codes) == 1}
    index |= {_country_key(name): code for name, code in COUNTRY_ALIASES.items()}
    index.pop("", None)
    return index


@functools.cache
def _country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 and alpha-3 codes, compared as they are ("LA" and "DE" are no small words here)."""
    codes = {}
    for code in countries.countries:
        codes[code.casefold()] = code
        if alpha3 := countries.alpha3(code):
            codes[alpha3.casefold()] = code
    return codes


@functools.lru_cache(maxsize=4096)  # a file names the same hundred or so countries on every row
def country_resolve(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country written as a name (en/es/fr: ISO, UN, usual) or an ISO code; None if unknown."""
    if not text:
        return None
    return _country_codes().get(match_key(text)) or _country_index().get(_country_key(text))


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
