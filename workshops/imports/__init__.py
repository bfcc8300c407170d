"""Importing participants and facilitators from registration-desk files; exporting people and schedules.

Reading (`import_file_read`): CSV in UTF-8 with or without a byte-order mark (or UTF-16, as
Excel's "Unicode text" saves it), its delimiter sniffed among ; , tab and |, or an Excel
workbook (.xlsx). The header row may be in English, Spanish or French and need not be the
first row (desks often put a title above it); line numbers are those of the file.

What a file may expand to is bounded (settings `IMPORT_MAX_ROWS`, `IMPORT_MAX_CELLS`,
`IMPORT_XLSX_MAX_BYTES`): beyond, and for damaged text, `ImportFileError` says why, before the
work grows with the file (a few kilobytes of .xlsx can unzip to gigabytes).

Importing (`people_import`) runs the rows through django-import-export resources, which turn
each cell into our values (countries by name in three languages or by ISO code, languages by
name or ISO 639-1 code, ...) and collect every problem of every row. It guarantees:

- a dry run writes nothing and reports each row as new, update, unchanged or refused, with
  every reason it is refused;
- applying is all or nothing: when any row is refused, nothing is written;
- people are matched by e-mail within the workshop, ignoring case: the same file imported
  twice (even at the same moment: imports into a workshop run one at a time) creates nobody
  twice, and an empty optional cell never erases what is known.

Exporting: the participants with their group and room, and the schedule (one row per session
and group, with its facilitators), as CSV or Excel, headers in the active language.
"""

import csv
import functools
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django_countries import countries
from import_export import fields as ie_fields
from import_export import resources, widgets
from import_export.formats import base_formats

from curriculum.models import Section

from .enums import Gender, InterfaceLanguage, Region
from .languages import LANGUAGE_CHOICES, LANGUAGE_CODES, language_names
from .models import Assignment, Availability, BreakoutSession, Facilitator, Group, Participant, Workshop
from .reference import COUNTRY_REGIONS

MAX_FILE_BYTES = 5 * 1024 * 1024
LINE = "__line__"  # the column carrying each row's line in the file
CONTENT_LANGUAGES = ("en", "es", "fr")  # the languages headers and names may be written in


class ImportKind(models.TextChoices):
    AUTO = "auto", gettext_lazy("Detect from the columns")
    PARTICIPANTS = "participants", gettext_lazy("Participants")
    FACILITATORS = "facilitators", gettext_lazy("Facilitators")


class RowStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("import row", "New")
    UPDATE = "update", pgettext_lazy("import row", "Update")
    UNCHANGED = "unchanged", pgettext_lazy("import row", "Unchanged")
    REFUSED = "refused", pgettext_lazy("import row", "Refused")


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a row's problem): its message says what to do."""


# --- Columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy: translated where it is shown
    synonyms: tuple[str, ...]  # header spellings, compared without case, accents or punctuation
    kinds: tuple[str, ...]
    required: bool = False


_BOTH = (ImportKind.PARTICIPANTS, ImportKind.FACILITATORS)
COLUMNS = [
    Column(
        "name",
        gettext_lazy("Name"),
        (
            "name", "full name", "names", "participant", "participant name", "facilitator", "facilitator name",
            "nombre", "nombre completo", "nombres y apellidos", "nombre y apellidos", "nombre y apellido",
            "apellidos y nombres", "participante", "facilitador", "facilitadora",
            "nom", "nom complet", "nom et prenom", "prenom et nom", "nom prenom", "prenom nom", "animateur",
            "animatrice",
        ),
        _BOTH,
        required=True,
    ),
    Column(
        "email",
        gettext_lazy("E-mail"),
        (
            "email", "e mail", "mail", "email address", "e mail address", "correo", "correo electronico",
            "correo e", "direccion de correo", "direccion de correo electronico", "courriel", "adresse electronique",
            "adresse courriel", "adresse e mail", "adresse email", "mel",
        ),
        _BOTH,
        required=True,
    ),
    Column(
        "country",
        gettext_lazy("Country"),
        (
            "country", "country code", "nationality", "pais", "codigo de pais", "nacionalidad", "pays", "code pays",
            "nationalite", "delegation", "delegacion",
        ),
        (ImportKind.PARTICIPANTS,),
        required=True,
    ),
    Column(
        "region", gettext_lazy("Region"), ("region", "iom region", "region oim", "region de la oim"),
        (ImportKind.PARTICIPANTS,),
    ),
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        (
            "organisation", "organization", "institution", "agency", "affiliation", "ministry", "organizacion",
            "institucion", "entidad", "agencia", "ministerio", "organisme", "ministere",
        ),
        _BOTH,
    ),
    Column(
        "languages",
        gettext_lazy("Languages"),
        (
            "languages", "language", "languages spoken", "spoken languages", "working languages", "idiomas",
            "idioma", "lenguas", "lengua", "idiomas hablados", "idiomas de trabajo", "langues", "langue",
            "langues parlees", "langues de travail",
        ),
        _BOTH,
        required=True,
    ),
    Column("gender", gettext_lazy("Gender"), ("gender", "sex", "genero", "sexo", "genre", "sexe"), (ImportKind.PARTICIPANTS,)),
    Column(
        "preferred_language",
        gettext_lazy("Preferred language"),
        (
            "preferred language", "language preference", "correspondence language", "idioma preferido",
            "idioma de preferencia", "idioma de correspondencia", "langue preferee", "langue de preference",
            "langue de correspondance",
        ),
        _BOTH,
    ),
    Column(
        "expertise",
        gettext_lazy("Expertise"),
        (
            "expertise", "areas of expertise", "emm sections", "expertise sections", "sections", "especialidad",
            "especialidades", "experiencia", "secciones", "secciones emm", "domaines d expertise", "competences",
            "sections emm",
        ),
        (ImportKind.FACILITATORS,),
    ),
    Column(
        "availability",
        gettext_lazy("Availability"),
        ("availability", "available", "disponibilidad", "disponibilite", "disponibilites"),
        (ImportKind.FACILITATORS,),
    ),
]  # fmt: skip
# Registration forms that split names: "Prénom" + "Nom", "Nombre" + "Apellidos", "First name" + "Last name".
_GIVEN = ("first name", "given name", "given names", "forename", "prenom", "prenoms", "nombre de pila")
_FAMILY = ("last name", "surname", "family name", "apellido", "apellidos", "nom de famille")
PARTICIPANT_ONLY = {"country", "region", "gender"}
FACILITATOR_ONLY = {"expertise", "availability"}


def _key(text) -> str:
    """Compare names without case, accents, punctuation or surrounding spaces: "Correo electrónico" ~ "correo electronico"."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _translations(label) -> set[str]:
    keys = set()
    for language in CONTENT_LANGUAGES:
        with translation.override(language):
            keys.add(_key(label))
    return keys


@functools.cache
def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        for spelling in (*column.synonyms, *_translations(column.label)):
            index.setdefault(_key(spelling), column.key)
    for spelling in _GIVEN:
        index[_key(spelling)] = "given_name"
    for spelling in _FAMILY:
        index[_key(spelling)] = "family_name"
    return index


def _header_key(header: str) -> str | None:
    text = re.sub(r"\([^)]*\)", " ", str(header or ""))  # "Languages (separated by commas)"
    return _header_index().get(_key(text))


# --- Values --------------------------------------------------------------------------------

_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"


def _cell(value) -> str:
    """A cell as clean text: Excel numbers without ".0", no stray or invisible spaces, no formula guard."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d %H:%M") if value.time() != time(0) else value.date().isoformat()
    elif isinstance(value, date):
        value = value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).replace("\xa0", " ")
    lines = [" ".join(line.split()).strip(_INVISIBLE) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # our own exports guard such cells against spreadsheet formulas
    return text


@functools.cache
def _country_index() -> dict[str, str]:
    """Country names in English, Spanish and French, common and former names, ISO alpha-2 and alpha-3 codes."""
    candidates: dict[str, set[str]] = {}

    def add(name, code):
        base = _key(name)
        for variant in {base, _key(re.sub(r"\([^)]*\)", " ", str(name))), _key(str(name).split(",")[0])}:
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
        candidates[_key(name)] = {code}
    # A shortened spelling that fits two countries ("Congo", "Korea") is not a match.
    index = {key: codes.pop() for key, codes in candidates.items() if len(codes) == 1}
    for code in countries.countries:
        index[_key(code)] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            index[_key(alpha3)] = code
    return index


def country_resolve(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country written as a name (en/es/fr) or an ISO code; None if unknown."""
    return _country_index().get(_key(text)) if text else None


@functools.cache
def _language_index() -> dict[str, str]:
    index = {}
    for language in CONTENT_LANGUAGES:
        with translation.override(language):
            for code, label in LANGUAGE_CHOICES:
                index[_key(label)] = code
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
        index[_key(name)] = code
    return index


_LANGUAGE_SEPARATORS = re.compile(r"\s*(?:[,;/|+&\n]|\s(?:and|y|et|e)\s)\s*", re.IGNORECASE)


def languages_resolve(text: str) -> tuple[list[str], list[str]]:
    """("English, Español y francés") -> (["en", "es", "fr"], unknown words); names in en/es/fr or ISO codes."""
    codes, unknown = [], []
    for word in _LANGUAGE_SEPARATORS.split(text or ""):
        word = word.strip(" .")
        if not word:
            continue
        code = _language_index().get(_key(word))
        if code is None:
            unknown.append(word)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


@functools.cache
def _choice_index(choices_name: str) -> dict[str, str]:
    choices = {"region": Region.choices, "gender": Gender.choices}[choices_name]
    index = {}
    for value, label in choices:
        index[_key(value)] = value
        for key in _translations(label):
            index[key] = value
    if choices_name == "region":
        for name, value in [
            ("africa", Region.AFRICA_MIDDLE_EAST), ("middle east", Region.AFRICA_MIDDLE_EAST),
            ("africa y oriente medio", Region.AFRICA_MIDDLE_EAST), ("afrique", Region.AFRICA_MIDDLE_EAST),
            ("asia", Region.ASIA_OCEANIA), ("oceania", Region.ASIA_OCEANIA), ("asie", Region.ASIA_OCEANIA),
            ("america", Region.AMERICAS), ("amerique", Region.AMERICAS), ("europa", Region.EUROPE),
        ]:  # fmt: skip
            index[_key(name)] = value
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
            index[_key(name)] = value
    return index


def _email_address(text) -> str:
    """The address in a cell: "mailto:ana@example.org" or "Ana Pérez <ana@example.org>" -> ana@example.org."""
    address = str(text or "").strip().removeprefix("mailto:")
    if match := re.search(r"<([^<>]+)>\s*$", address):
        address = match.group(1)
    return address.strip()


def _email_key(text) -> str:
    return _email_address(text).casefold()


# --- Reading files -------------------------------------------------------------------------


@dataclass
class ImportFile:
    """A file read into canonical columns (`COLUMNS` keys, plus `LINE`), ready for a resource."""

    kind: str
    kind_detected: bool
    dataset: tablib.Dataset
    columns: list[tuple[str, str]]  # (header in the file, what it fills)
    ignored: list[str]  # headers in the file that fill nothing


def _max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _too_many_rows() -> ImportFileError:
    return ImportFileError(_("The file has more than %(max)d rows.") % {"max": _max_rows()})


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")  # Excel's "Unicode text"
        except UnicodeDecodeError as error:  # an odd length (cut short), a lone surrogate
            raise ImportFileError(
                _(
                    "This file is UTF-16 text, but damaged: it has a broken character near byte %(byte)d. Save it "
                    "again from the spreadsheet, preferably as “CSV UTF-8”."
                )
                % {"byte": error.start + 1}
            ) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is neither UTF-8 text nor an Excel workbook. In Excel, save it as “CSV UTF-8” "
                "or as an Excel workbook (.xlsx)."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("This is not a CSV file or an Excel workbook (.xlsx)."))
    return text


def _header_score(records) -> int:
    return max((len({_header_key(cell) for cell in cells} - {None}) for _line, cells in records[:10]), default=0)


_SNIFF_CHARACTERS = 64 * 1024  # the delimiter is guessed from the start of the file only


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    """Each record with the line it starts on; the delimiter is the one that makes the header readable.

    A cell longer than the csv module's field limit (131,072 characters: no list of people has
    one) refuses the file with its line.
    """

    def parse(delimiter):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records, line = [], 1
        try:
            for cells in reader:
                records.append((line, cells))
                line = reader.line_num + 1
                if len(records) > _max_rows() + 20:
                    raise _too_many_rows()
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise ImportFileError(
                    _(
                        "Line %(line)d has a cell longer than %(max)s characters, which no list of people needs: "
                        "check that this is the right file."
                    )
                    % {"line": line, "max": number_format(csv.field_size_limit(), force_grouping=True)}
                ) from None
            raise ImportFileError(
                _("Line %(line)d cannot be read: %(error)s") % {"line": line, "error": error}
            ) from None
        return records

    candidates = [";", ",", "\t", "|"]
    head = "\n".join(text[:_SNIFF_CHARACTERS].splitlines()[:20])
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters="".join(candidates)).delimiter
    except csv.Error:
        sniffed = ","
    scores = {}
    for delimiter in candidates:
        try:
            sample = list(enumerate(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)))
        except csv.Error:  # the full parse below says what is wrong, with its line
            sample = []
        scores[delimiter] = (_header_score(sample), delimiter == sniffed)
    return parse(max(candidates, key=lambda d: scores[d]))


def _xlsx_check_size(content: bytes) -> None:
    """Refuse a workbook whose parts expand beyond `IMPORT_XLSX_MAX_BYTES`, before anything parses it.

    A zip states each part's uncompressed size, and Python's zipfile (which openpyxl reads
    through) never expands a part beyond its stated size, so the sum bounds the work and memory
    of opening the file. A few kilobytes of zip can expand to gigabytes of XML (millions of empty
    formatted cells, a huge shared string): such a file is refused here, unopened.
    """
    limit = settings.IMPORT_XLSX_MAX_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportFileError(
            _("This Excel file cannot be read. Save it again as an Excel workbook (.xlsx).")
        ) from None
    if expanded > limit:
        raise ImportFileError(
            _(
                "This Excel file expands to more than %(size)s when opened, more than a list of people needs: it "
                "cannot be imported. Keep only the sheet of people, without empty formatted rows and columns, or "
                "save it as CSV UTF-8."
            )
            % {"size": f"{-(-limit // (1024 * 1024))} MB"}
        )


def _xlsx_records(content: bytes) -> list[tuple[int, list]]:
    """The rows of the sheet of people: at most `IMPORT_MAX_CELLS` cells (empty ones included) are read."""
    import openpyxl

    _xlsx_check_size(content)
    max_cells = settings.IMPORT_MAX_CELLS
    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style": harmless, and common in files other tools write.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _("This Excel file cannot be read. Save it again as an Excel workbook (.xlsx).")
        ) from None
    try:
        sheets = [book.active, *(sheet for sheet in book.worksheets if sheet is not book.active)]
        best, cells = [], 0
        for sheet in sheets:
            sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
            records = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                # Counted as the rows stream in, so that parsing stops at the bound (every sheet read counts).
                cells += len(values)
                if cells > max_cells:
                    raise ImportFileError(
                        _(
                            "This Excel file has more than %(max)s cells (empty formatted cells count too): it "
                            "cannot be imported. Delete the empty rows and columns around the list of people, or "
                            "save it as CSV UTF-8."
                        )
                        % {"max": number_format(max_cells, force_grouping=True)}
                    )
                records.append((number, list(values)))
                if len(records) > _max_rows() + 20:
                    raise _too_many_rows()
            if _header_score(records) >= 2:
                return records
            best = best or records
        return best
    finally:
        book.close()


def import_file_read(*, content: bytes, kind: str = ImportKind.AUTO) -> ImportFile:
    """Read a CSV or .xlsx file into canonical columns; `ImportFileError` says why a file cannot be used."""
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)})
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV UTF-8.")
        )
    if content.startswith(b"PK\x03\x04"):
        records = _xlsx_records(content)
    else:
        records = _csv_records(_decode(content))
    records = [(line, [_cell(value) for value in cells]) for line, cells in records]

    # The header: the first row (of the first ten) that names at least two columns we know.
    header_at = next(
        (i for i, (_line, cells) in enumerate(records[:10]) if len({_header_key(c) for c in cells} - {None}) >= 2), None
    )
    if header_at is None:
        raise ImportFileError(
            _("No header row found: the first row must name the columns, such as Name, E-mail, Country, Languages.")
        )
    headers = records[header_at][1]
    keys = {}  # column position -> key; the first of two columns with the same meaning wins
    for position, header in enumerate(headers):
        key = _header_key(header)
        if key and key not in keys.values():
            keys[position] = key
    present = set(keys.values())

    if kind == ImportKind.AUTO:
        kind = ImportKind.FACILITATORS if present & FACILITATOR_ONLY else ImportKind.PARTICIPANTS
        kind_detected = True
    else:
        kind_detected = False
    not_for_kind = FACILITATOR_ONLY if kind == ImportKind.PARTICIPANTS else PARTICIPANT_ONLY
    keys = {position: key for position, key in keys.items() if key not in not_for_kind}
    present = set(keys.values())
    # "Nom" beside "Prénom" is the family name; "Nombre" beside "Apellidos" is the given name.
    name_as = None
    if "name" in present and ("given_name" in present) != ("family_name" in present):
        name_as = "family_name" if "given_name" in present else "given_name"
        keys = {p: (name_as if k == "name" else k) for p, k in keys.items()}
        present = set(keys.values())
    if "name" not in present and {"given_name", "family_name"} & present:
        present.add("name")

    missing = [column for column in COLUMNS if column.required and kind in column.kinds and column.key not in present]
    if missing:
        raise ImportFileError(
            " ".join(
                _("The file has no “%(column)s” column (it may be called %(examples)s).")
                % {
                    "column": column.label,
                    "examples": ", ".join(f"“{capfirst(s)}”" for s in column.synonyms[:1] + _spellings(column)),
                }
                for column in missing
            )
        )

    fills = [key for key in (c.key for c in COLUMNS) if key in present]
    if kind == ImportKind.PARTICIPANTS and "region" not in fills:
        fills.append("region")  # deduced from the country
    dataset = tablib.Dataset(headers=[*fills, LINE])
    for line, cells in records[header_at + 1 :]:
        if not any(cells):
            continue  # blank lines between blocks of people
        row = {key: (cells[position] if position < len(cells) else "") for position, key in keys.items()}
        if "name" not in row:
            row["name"] = " ".join(part for part in (row.get("given_name"), row.get("family_name")) if part)
        dataset.append([*(row.get(key, "") for key in fills), line])
    if len(dataset) > _max_rows():
        raise _too_many_rows()

    labels = {c.key: c.label for c in COLUMNS} | {
        "given_name": gettext_lazy("Given name"),
        "family_name": gettext_lazy("Family name"),
    }
    return ImportFile(
        kind=kind,
        kind_detected=kind_detected,
        dataset=dataset,
        columns=[(headers[p], str(labels[k])) for p, k in sorted(keys.items())],
        ignored=[header for p, header in enumerate(headers) if p not in keys and header],
    )


def _spellings(column) -> tuple[str, ...]:
    """A Spanish and a French header for a column, for error messages."""
    spanish = {"name": "Nombre", "email": "Correo electrónico", "country": "País", "languages": "Idiomas"}
    french = {"name": "Nom", "email": "Courriel", "country": "Pays", "languages": "Langues"}
    return tuple(spelling[column.key] for spelling in (spanish, french) if column.key in spelling)


# --- Resources: cells to values, one problem list per row ----------------------------------


class _Widget(widgets.Widget):
    """Cells arrive as clean text (`_cell`); an empty optional cell is None: "leave as it is"."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class RequiredTextWidget(_Widget):
    def __init__(self, missing):
        super().__init__()
        self.missing = missing

    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(str(self.missing))
        return value


class OptionalTextWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        return value or None


class EmailWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("The e-mail address is missing."))
        address = _email_address(value)
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(_("“%(value)s” is not a valid e-mail address.") % {"value": value}) from None
        local, _at, domain = address.rpartition("@")
        return f"{local}@{domain.lower()}"


class CountryWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("The country is missing."))
        code = country_resolve(value)
        if code is None:
            raise ValueError(
                _("Unknown country “%(value)s”: write its name in English, Spanish or French, or its ISO code.")
                % {"value": value}
            )
        return code


class RegionWidget(_Widget):
    """A region by name (en/es/fr) or code; when empty, IOM's region of the country."""

    def clean(self, value, row=None, **kwargs):
        if value:
            region = _choice_index("region").get(_key(value))
            if region is None:
                raise ValueError(
                    _("Unknown region “%(value)s”: use %(regions)s.")
                    % {"value": value, "regions": ", ".join(str(label) for _v, label in Region.choices)}
                )
            return region
        code = country_resolve((row or {}).get("country", ""))
        if code is None:
            return None  # the country's own problem is reported
        if code not in COUNTRY_REGIONS:
            raise ValueError(
                _("The region is missing and cannot be deduced from %(country)s: give it.")
                % {"country": countries.name(code)}
            )
        return COUNTRY_REGIONS[code]


class LanguagesWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("No language given: list the languages this person speaks."))
        codes, unknown = languages_resolve(value)
        if unknown:
            raise ValueError(
                ngettext(
                    "Unknown language %(languages)s: write names in English, Spanish or French, or ISO codes such as en, es, fr.",
                    "Unknown languages %(languages)s: write names in English, Spanish or French, or ISO codes such as en, es, fr.",
                    len(unknown),
                )
                % {"languages": ", ".join(f"“{word}”" for word in unknown)}
            )
        return codes


class GenderWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        if _key(value) == "m":  # male in English and French forms, mujer in Spanish ones
            raise ValueError(_("Gender “M” is ambiguous (male, or mujer?): write it in full."))
        gender = _choice_index("gender").get(_key(value))
        if gender is None:
            raise ValueError(
                _("Unknown gender “%(value)s”: write %(genders)s, or leave it empty.")
                % {"value": value, "genders": ", ".join(str(label) for _v, label in Gender.choices)}
            )
        return gender


class InterfaceLanguageWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        codes, _unknown = languages_resolve(value)
        if len(codes) != 1 or codes[0] not in InterfaceLanguage.values:
            raise ValueError(
                _("The preferred language must be English, Spanish or French, not “%(value)s”.") % {"value": value}
            )
        return codes[0]


class _PersonResource(resources.ModelResource):
    """What participants' and facilitators' imports share: matching by e-mail, problems in words."""

    name = ie_fields.Field(
        attribute="name", column_name="name", widget=RequiredTextWidget(gettext_lazy("The name is missing."))
    )
    email = ie_fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    organisation = ie_fields.Field(
        attribute="organisation", column_name="organisation", widget=OptionalTextWidget(), saves_null_values=False
    )
    languages = ie_fields.Field(attribute="languages", column_name="languages", widget=LanguagesWidget())
    preferred_language = ie_fields.Field(
        attribute="preferred_language",
        column_name="preferred_language",
        widget=InterfaceLanguageWidget(),
        saves_null_values=False,
    )

    compared = ("name", "organisation", "languages", "preferred_language")

    class Meta:
        import_id_fields = ["email"]
        skip_unchanged = True
        report_skipped = True
        skip_diff = True  # what changed is computed in `_changes`, without copying every instance
        store_instance = True
        clean_model_instances = True

    def __init__(self, *, workshop: Workshop):
        super().__init__()
        self.workshop = workshop
        self.existing = {}
        self.first_line = {}

    def existing_people(self):
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        self.existing = {_email_key(person.email): person for person in self.existing_people()}
        self.first_line = {}

    def get_instance(self, instance_loader, row):
        return self.existing.get(_email_key(row.get("email")))

    def init_instance(self, row=None):
        return self._meta.model(workshop=self.workshop)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_new = new
        instance._import_before = {name: _comparable(getattr(instance, name)) for name in self.compared}
        instance._import_changes = []

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "email" and not instance._import_new:
            return  # keep the address as it was first written; it matched, ignoring case
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.import_extras(instance, row, errors)
        key, line = _email_key(row.get("email")), row[LINE]
        if key and "email" not in errors:
            first = self.first_line.setdefault(key, line)
            if first != line:
                errors.setdefault("email", []).append(
                    ValidationError(_("Same e-mail address as line %(line)s: each person once.") % {"line": first})
                )
        if instance._import_new and not row.get("preferred_language") and isinstance(instance.languages, list):
            # Invitations go out in a language they read: the first of theirs we offer.
            offered = [code for code in instance.languages if code in InterfaceLanguage.values]
            instance.preferred_language = offered[0] if offered else InterfaceLanguage.ENGLISH
        if errors:
            raise ValidationError(errors)

    def import_extras(self, instance, row, errors):
        """Columns that are not plain model fields (a facilitator's expertise and availability)."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # The workshop is ours (checking it would cost a query per row); the country widget only
        # returns known codes (checking them again walks 250 choices per row); no region without a country.
        exclude = set(errors) | {"workshop", "country"} | ({"region"} if "country" in errors else set())
        try:
            # Uniqueness is checked against the whole file and the workshop at once (`get_instance`,
            # `first_line`), not with one query per row.
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in exclude:
                    continue
                label = capfirst(instance._meta.get_field(name).verbose_name) if name != NON_FIELD_ERRORS else ""
                errors.setdefault(name, []).extend(
                    ValidationError(f"{label}: {message}" if label else message) for message in messages
                )
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance._import_new:
            return False
        instance._import_changes = self._changes(instance)
        return not instance._import_changes

    def _changes(self, instance) -> list[str]:
        return [name for name in self.compared if _comparable(getattr(instance, name)) != instance._import_before[name]]

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("preview"):
            return  # a dry run writes nothing: no insert to roll back, no query per row
        super().save_instance(instance, is_create, row, **kwargs)


def _comparable(value):
    return list(value) if isinstance(value, list) else str(value or "")


class ParticipantResource(_PersonResource):
    country = ie_fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    region = ie_fields.Field(attribute="region", column_name="region", widget=RegionWidget(), saves_null_values=False)
    gender = ie_fields.Field(attribute="gender", column_name="gender", widget=GenderWidget(), saves_null_values=False)

    compared = (*_PersonResource.compared, "country", "region", "gender")

    class Meta(_PersonResource.Meta):
        model = Participant
        fields = ("name", "email", "country", "region", "organisation", "languages", "gender", "preferred_language")
        # Inserts and updates in batches of 1,000 (3,000 people: seconds, not a query per row); the
        # whole import still runs in one transaction. The e-mail, matched on, is never updated.
        use_bulk = True

    def existing_people(self):
        return Participant.objects.filter(workshop=self.workshop)

    # The library catches a failed batch inside its own atomic block, which PostgreSQL then refuses
    # to release; a savepoint of our own around each batch keeps the error a reported problem
    # (and the whole import is rolled back by `people_import`).
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._bulk(self.create_instances, "bulk_create", raise_errors, result, batch_size=batch_size)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        fields = self.get_bulk_update_fields()
        self._bulk(self.update_instances, "bulk_update", raise_errors, result, fields, batch_size=batch_size)

    def _bulk(self, instances, method, raise_errors, result, *args, **kwargs):
        if not instances:
            return
        try:
            with transaction.atomic():
                getattr(Participant.objects, method)(instances, *args, **kwargs)
        except Exception as error:  # reported as a problem of the file: nothing is applied
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()


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


class FacilitatorResource(_PersonResource):
    class Meta(_PersonResource.Meta):
        model = Facilitator
        fields = ("name", "email", "organisation", "languages", "preferred_language")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.sections = {section.number: section for section in Section.objects.only("pk", "number")}
        self.tz = ZoneInfo(self.workshop.timezone)

    def existing_people(self):
        return Facilitator.objects.filter(workshop=self.workshop).prefetch_related("expertise", "availability")

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        instance._import_expertise = None  # None: leave as it is
        instance._import_availability = None

    def import_extras(self, instance, row, errors):
        if row.get("expertise"):
            numbers, problems = [], []
            for word in re.split(r"[,;/|\n]+|\s+(?:and|y|et)\s+", row["expertise"]):
                word = re.sub(r"^(?:emm|iamm|section|sección|seccion|§)\s*", "", word.strip(), flags=re.IGNORECASE)
                word = word.strip(" .")
                if not word:
                    continue
                if word in self.sections:
                    numbers.append(word)
                else:
                    problems.append(word)
            if problems:
                errors.setdefault("expertise", []).append(
                    ValidationError(
                        ngettext(
                            "Unknown curriculum section %(sections)s: write section numbers such as 2.6.",
                            "Unknown curriculum sections %(sections)s: write section numbers such as 2.6.",
                            len(problems),
                        )
                        % {"sections": ", ".join(f"“{word}”" for word in problems)}
                    )
                )
            else:
                instance._import_expertise = sorted(set(numbers), key=lambda n: [int(x) for x in n.split(".")])
        if row.get("availability"):
            try:
                instance._import_availability = availability_parse(row["availability"], tz=self.tz)
            except ValueError as error:
                errors.setdefault("availability", []).append(ValidationError(str(error)))

    def _changes(self, instance) -> list[str]:
        changes = super()._changes(instance)
        if instance._import_expertise is not None and sorted(instance._import_expertise) != sorted(
            section.number for section in instance.expertise.all()
        ):
            changes.append("expertise")
        if instance._import_availability is not None and instance._import_availability != sorted(
            (window.start, window.end) for window in instance.availability.all()
        ):
            changes.append("availability")
        return changes

    def after_save_instance(self, instance, row, **kwargs):
        if instance._import_expertise is not None:
            instance.expertise.set([self.sections[number] for number in instance._import_expertise])
        if instance._import_availability is not None:
            instance.availability.all().delete()
            Availability.objects.bulk_create(
                Availability(facilitator=instance, start=start, end=end) for start, end in instance._import_availability
            )


RESOURCES = {ImportKind.PARTICIPANTS: ParticipantResource, ImportKind.FACILITATORS: FacilitatorResource}


# --- The import, as a service --------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    status: str
    name: str
    email: str
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value) as understood
    problems: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # labels of what an update changes

    @property
    def status_label(self):
        return RowStatus(self.status).label


@dataclass
class ImportReport:
    kind: str
    kind_detected: bool
    rows: list[ImportRow]
    columns: list[tuple[str, str]]
    ignored: list[str]
    problems: list[str] = field(default_factory=list)  # about the whole file
    applied: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RowStatus.values, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def refused(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == RowStatus.REFUSED]

    @property
    def blocked(self) -> bool:
        return bool(self.problems or self.refused)

    @property
    def kind_label(self):
        return ImportKind(self.kind).label


class _Refused(Exception):
    pass


_FIELD_ORDER = [c.key for c in COLUMNS]


def _problems(validation_error: ValidationError) -> list[str]:
    by_field = validation_error.message_dict if hasattr(validation_error, "error_dict") else {}
    if not by_field:
        return list(validation_error.messages)
    order = {name: i for i, name in enumerate(_FIELD_ORDER)}
    return [m for name in sorted(by_field, key=lambda n: order.get(n, 99)) for m in by_field[name]]


class _Describer:
    """What a row will import, in words of the active language (labels translated once per report)."""

    def __init__(self, kind: str, tz: ZoneInfo):
        self.kind, self.tz = kind, tz
        self.labels = {column.key: str(column.label) for column in COLUMNS}
        self.choices = {
            "region": {value: str(label) for value, label in Region.choices},
            "gender": {value: str(label) for value, label in Gender.choices},
            "preferred_language": {value: str(label) for value, label in InterfaceLanguage.choices},
        }
        self.countries = {}
        self.languages = {code: str(label) for code, label in LANGUAGE_CHOICES}

    def __call__(self, instance) -> list[tuple[str, str]]:
        labels, details = self.labels, []
        if self.kind == ImportKind.PARTICIPANTS:
            code = instance.country.code
            if code not in self.countries:
                self.countries[code] = instance.country.name
            details.append((labels["country"], self.countries[code]))
            details.append((labels["region"], self.choices["region"].get(instance.region, instance.region)))
        details.append((labels["languages"], ", ".join(self.languages.get(c, c) for c in instance.languages)))
        if instance.organisation:
            details.append((labels["organisation"], instance.organisation))
        if self.kind == ImportKind.PARTICIPANTS and instance.gender:
            details.append((labels["gender"], self.choices["gender"].get(instance.gender, instance.gender)))
        details.append(
            (labels["preferred_language"], self.choices["preferred_language"].get(instance.preferred_language, ""))
        )
        if self.kind == ImportKind.FACILITATORS:
            if instance._import_expertise:
                details.append((labels["expertise"], ", ".join(instance._import_expertise)))
            if instance._import_availability:
                windows = (
                    f"{start.astimezone(self.tz):%Y-%m-%d %H:%M}–{end.astimezone(self.tz):%H:%M}"
                    for start, end in instance._import_availability
                )
                details.append((labels["availability"], "; ".join(windows)))
        return details


def _report(file: ImportFile, result, *, tz: ZoneInfo) -> ImportReport:
    describe = _Describer(file.kind, tz)
    labels = describe.labels
    rows = []
    for data, row_result in zip(file.dataset.dict, result.rows, strict=True):
        line = data[LINE]
        instance = row_result.instance
        if row_result.validation_error is not None or row_result.errors or instance is None:
            problems = (
                _problems(row_result.validation_error)
                if row_result.validation_error is not None
                else [_("Could not be saved: %(error)s") % {"error": error.error} for error in row_result.errors]
            )
            rows.append(
                ImportRow(line, RowStatus.REFUSED, data.get("name", ""), data.get("email", ""), problems=problems)
            )
            continue
        status = {
            row_result.IMPORT_TYPE_NEW: RowStatus.NEW,
            row_result.IMPORT_TYPE_UPDATE: RowStatus.UPDATE,
            row_result.IMPORT_TYPE_SKIP: RowStatus.UNCHANGED,
        }[row_result.import_type]
        rows.append(
            ImportRow(
                line,
                status,
                instance.name,
                instance.email,
                details=describe(instance),
                changes=[labels[name] for name in instance._import_changes],
            )
        )
    return ImportReport(
        kind=file.kind,
        kind_detected=file.kind_detected,
        rows=rows,
        columns=file.columns,
        ignored=file.ignored,
        problems=[str(error.error) for error in result.base_errors],
    )


def _workshop_lock(workshop: Workshop) -> None:
    """Hold the workshop's row until the caller's transaction ends: one import into a workshop at a time.

    Two imports of the same file at once (two tabs, a double submit) would otherwise both find
    nobody, both insert, and the second would be refused whole by the unique e-mail constraint.
    Locked, the second waits for the first to commit, then finds everyone already there (reported
    unchanged). The schedule's writers in `services` take the same lock. A no-op on SQLite, which
    runs one writer at a time anyway.
    """
    Workshop.objects.select_for_update().get(pk=workshop.pk)


def people_import(*, workshop: Workshop, content: bytes, kind: str = ImportKind.AUTO, dry_run: bool) -> ImportReport:
    """Check every row of a registration file and, unless `dry_run`, apply it: all rows, or none.

    Raises `ImportFileError` when the file as a whole cannot be used. The report's `applied` is
    True only when every row was written (or was already as the file says).
    """
    file = import_file_read(content=content, kind=kind)
    resource = RESOURCES[file.kind](workshop=workshop)
    tz = ZoneInfo(workshop.timezone)
    if dry_run:
        with transaction.atomic():
            # `preview` makes the resource write nothing; the rollback is a second safety net.
            result = resource.import_data(file.dataset, dry_run=False, use_transactions=False, preview=True)
            transaction.set_rollback(True)
        return _report(file, result, tz=tz)
    try:
        with transaction.atomic():
            _workshop_lock(workshop)  # before the resource reads who is already there
            result = resource.import_data(
                file.dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
            )
            report = _report(file, result, tz=tz)
            if report.blocked:
                raise _Refused
    except _Refused:
        return report
    report.applied = True
    return report


# --- Exports -------------------------------------------------------------------------------


class ParticipantExportResource(resources.ModelResource):
    """Participants with their group and room; the columns read back by the import (`_header_index`)."""

    name = ie_fields.Field(attribute="name")
    email = ie_fields.Field(attribute="email")
    country = ie_fields.Field()
    region = ie_fields.Field()
    organisation = ie_fields.Field(attribute="organisation")
    languages = ie_fields.Field()
    gender = ie_fields.Field()
    preferred_language = ie_fields.Field()
    group = ie_fields.Field()
    room = ie_fields.Field()
    language_mode = ie_fields.Field()

    class Meta:
        model = Participant
        fields = (
            "name", "email", "country", "region", "organisation", "languages", "gender", "preferred_language",
            "group", "room", "language_mode",
        )  # fmt: skip

    def __init__(self):
        super().__init__()
        labels = {c.key: c.label for c in COLUMNS} | {
            "group": gettext_lazy("Group"),
            "room": gettext_lazy("Room"),
            "language_mode": gettext_lazy("Language mode"),
        }
        for name, export_field in self.fields.items():
            export_field.column_name = str(labels[name])  # in the active language

    def dehydrate_country(self, participant):
        return participant.country.name

    def dehydrate_region(self, participant):
        return participant.get_region_display()

    def dehydrate_languages(self, participant):
        return language_names(participant.languages)

    def dehydrate_gender(self, participant):
        return participant.get_gender_display()

    def dehydrate_preferred_language(self, participant):
        return participant.get_preferred_language_display()

    def dehydrate_group(self, participant):
        return participant.group.name if participant.group else ""

    def dehydrate_room(self, participant):
        return participant.group.room.name if participant.group else ""

    def dehydrate_language_mode(self, participant):
        return participant.group.room.language_mode.name if participant.group else ""


def participants_table(*, workshop: Workshop) -> tablib.Dataset:
    """Every participant of the workshop, by name, with group, room and language mode (one query)."""
    queryset = (
        Participant.objects.filter(workshop=workshop)
        .select_related("group__room__language_mode")
        .order_by("name", "pk")
    )
    return ParticipantExportResource().export(queryset=queryset)


def schedule_table(*, workshop: Workshop) -> tablib.Dataset:
    """One row per session and group (every group, even without facilitators), times in the workshop's zone."""
    tz = ZoneInfo(workshop.timezone)
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk"))
    groups = list(Group.objects.filter(workshop=workshop).select_related("room__language_mode").order_by("name"))
    facilitators: dict[tuple[int, int], list[str]] = {}
    for assignment in (
        Assignment.objects.filter(session__workshop=workshop)
        .select_related("facilitator")
        .order_by("facilitator__name", "pk")
    ):
        facilitators.setdefault((assignment.session_id, assignment.group_id), []).append(assignment.facilitator.name)
    dataset = tablib.Dataset(
        headers=[
            _("Date"), _("Start"), _("End"), _("Session"), _("Curriculum section"), _("Group"), _("Room"),
            _("Language mode"), _("Languages"), _("Facilitators"),
        ]
    )  # fmt: skip
    for session in sessions:
        start, end = timezone.localtime(session.start, tz), timezone.localtime(session.end, tz)
        for group in groups:
            mode = group.room.language_mode
            dataset.append(
                [
                    start.date().isoformat(),
                    f"{start:%H:%M}",
                    f"{end:%H:%M}",
                    session.title,
                    str(session.section) if session.section else "",
                    group.name,
                    group.room.name,
                    mode.name,
                    language_names(mode.languages),
                    "; ".join(facilitators.get((session.pk, group.pk), [])),
                ]
            )
    return dataset


EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _guarded(dataset: tablib.Dataset, starts: str) -> tablib.Dataset:
    """Cells a spreadsheet would run as formulas (a name such as "=HYPERLINK(...)") get a leading apostrophe."""
    safe = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        safe.append([f"'{cell}" if isinstance(cell, str) and cell and cell[0] in starts else cell for cell in row])
    return safe


def dataset_render(dataset: tablib.Dataset, fmt: str) -> bytes:
    """CSV (UTF-8 with a byte-order mark, so Excel shows accents and non-Latin names) or .xlsx."""
    if fmt == "csv":
        text = base_formats.CSV().export_data(_guarded(dataset, "=+-@\t\r"))
        return ("\ufeff" + text).encode("utf-8")
    if fmt == "xlsx":
        return base_formats.XLSX().export_data(_guarded(dataset, "="))
    raise ValueError(fmt)
