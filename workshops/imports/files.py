"""Reading a registration file: decoding, CSV or .xlsx records and the header row, within bounds.

CSV in UTF-8 with or without a byte-order mark (or UTF-16, as Excel's "Unicode text" saves it),
its delimiter sniffed among ; , tab and |, or an Excel workbook (.xlsx). The header row may be
in English, Spanish or French and need not be the first row (desks often put a title above it);
line numbers are those of the file.

What a file may expand to is bounded (settings `IMPORT_MAX_ROWS`, `IMPORT_MAX_CELLS`,
`IMPORT_XLSX_MAX_BYTES`, and `MAX_FILE_BYTES` uploaded): beyond, and for damaged text,
`ImportFileError` says why, before the work grows with the file (a few kilobytes of .xlsx can
unzip to gigabytes).
"""

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import charset_normalizer
import openpyxl
import tablib
from django.conf import settings
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .headers import (
    COLUMNS,
    FACILITATOR_ONLY,
    PARTICIPANT_ONLY,
    REGISTRATION_STATE,
    ImportKind,
    column_spellings,
    header_key,
    header_roles,
    header_score,
    kind_detect,
)
from .shapes import (
    RefusedRecord,
    SkippedRow,
    footer_reason,
    overflow_problem,
    reason_above_header,
    reason_blank,
    withdrawn_reason,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
LINE = "__line__"  # the column carrying each row's line in the file


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a row's problem): its message says what to do."""


class MissingColumns(ImportFileError):
    """A required column is missing: the preview still shows the file's columns, to map one or give a default."""

    def __init__(self, message, *, kind: str, headers: list[str], roles: list[tuple[str, str | None]]):
        super().__init__(message)
        self.kind, self.headers, self.roles = kind, headers, roles


_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"


def cell_text(value) -> str:
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


@dataclass
class ImportFile:
    """A file read into canonical columns (`COLUMNS` keys, plus `LINE`), ready for a resource."""

    kind: str
    kind_detected: bool
    dataset: tablib.Dataset
    columns: list[tuple[str, str]]  # (header in the file, what it fills)
    ignored: list[str]  # headers in the file that fill nothing
    encoding: str | None = None  # the text encoding read (a codec name), None for a workbook
    headers: list[str] = field(default_factory=list)  # the header row, up to its last named column
    roles: list[tuple[str, str | None]] = field(default_factory=list)  # see `headers.column_roles`
    skipped: list[SkippedRow] = field(default_factory=list)  # rows that are no person, with why
    refused: list[RefusedRecord] = field(default_factory=list)  # rows refused before their values are read
    defaults: dict[str, str] = field(default_factory=dict)  # one value for every row, for columns the file lacks
    cells: dict[int, list[str]] = field(default_factory=dict)  # each row's cells as read, by line (refused download)

    @property
    def encoding_label(self) -> str:
        return encoding_label(self.encoding)


def _max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _too_many_rows() -> ImportFileError:
    return ImportFileError(_("The file has more than %(max)d rows.") % {"max": _max_rows()})


# The legacy code pages a registration file is saved in, for charset-normalizer to choose among: Excel's
# "CSV" on Windows in Western Europe and the Americas, Cyrillic, Greek, Hebrew and Arabic. Left out on
# purpose: Central European and Baltic pages (cp1250, cp1257…) and Turkish (cp1254), which differ from
# Windows-1252 in a few letters only, so that on a short list of names the detector picks them at
# random for Spanish or French text.
_LEGACY_ENCODINGS = ["cp1252", "cp1251", "koi8_r", "cp1253", "cp1255", "cp1256"]
_WINDOWS_ONLY_BYTES = re.compile(rb"[\x80-\x9f]")  # printable in Windows-1252, control characters in Latin-1


def _damaged_utf8(content: bytes) -> bool:
    """Invalid UTF-8 that its writer meant as UTF-8: valid multi-byte characters elsewhere, or encoded surrogates.

    Read in a legacy code page, such a file would import garbled names without a word.
    """
    if re.search(rb"\xed[\xa0-\xbf][\x80-\xbf]", content):
        return True
    return any(char > "\x7f" and char != "\ufffd" for char in content.decode("utf-8", "replace"))


def _decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in, in this order of trust.

    1. A byte-order mark: UTF-8, UTF-16 LE or BE (Excel's "Unicode text").
    2. UTF-8, when the whole file is valid UTF-8 (what other encodings almost never produce).
    3. charset-normalizer's choice among `_LEGACY_ENCODINGS`; Windows-1252 is named Latin-1 when no byte
       tells them apart (the text is the same). Not when the file is damaged UTF-8 (`_damaged_utf8`).
    Nothing readable as text: `ImportFileError`.
    """
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if content.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            return content[2:].decode(encoding), encoding
        except UnicodeDecodeError as error:  # an odd length (cut short), a lone surrogate
            raise ImportFileError(
                _(
                    "This file is UTF-16 text, but damaged: it has a broken character near byte %(byte)d. Save it "
                    "again from the spreadsheet, preferably as “CSV UTF-8”."
                )
                % {"byte": error.start + 3}
            ) from None
    encoding = "utf-8-sig" if content.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        text = None
    if text is None and not _damaged_utf8(content):
        guess = charset_normalizer.from_bytes(content, cp_isolation=_LEGACY_ENCODINGS).best()
        if guess is not None:
            encoding, text = guess.encoding, str(guess)
            if encoding == "cp1252" and not _WINDOWS_ONLY_BYTES.search(content):
                encoding = "latin-1"
    if text is None or "\x00" in text:
        raise ImportFileError(
            _(
                "The file is neither UTF-8 text nor an Excel workbook. In Excel, save it as “CSV UTF-8” "
                "or as an Excel workbook (.xlsx)."
            )
        )
    return text, encoding


def encoding_label(encoding: str | None) -> str:
    """How the preview names the encoding a file was read in ("Windows-1252"); None is a workbook."""
    if encoding is None:
        return _("Excel workbook (.xlsx)")
    labels = {
        "utf-8": "UTF-8",
        "utf-8-sig": _("UTF-8 with byte-order mark"),
        "utf-16-le": "UTF-16 LE",
        "utf-16-be": "UTF-16 BE",
        "latin-1": "Latin-1 (ISO-8859-1)",
    }
    if encoding in labels:
        return labels[encoding]
    if match := re.fullmatch(r"cp(125\d)", encoding):
        return f"Windows-{match[1]}"
    return encoding.replace("_", "-").upper()


_SNIFF_CHARACTERS = 64 * 1024  # the delimiter is guessed from the start of the file only


def _csv_records(text: str) -> tuple[list[tuple[int, list[str]]], str]:
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
        scores[delimiter] = (header_score(sample), delimiter == sniffed)
    delimiter = max(candidates, key=lambda d: scores[d])
    return parse(delimiter), delimiter


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
            if header_score(records) >= 2:
                return records
            best = best or records
        return best
    finally:
        book.close()


def _missing_message(column) -> str:
    if column.key == "languages":  # most registration tools' exports have none
        return _(
            "No languages column: choose a default for every row, or the column that holds the languages (it may "
            "be called %(examples)s)."
        ) % {"examples": ", ".join(f"“{capfirst(s)}”" for s in column.synonyms[:1] + column_spellings(column))}
    return _("The file has no “%(column)s” column (it may be called %(examples)s).") % {
        "column": column.label,
        "examples": ", ".join(f"“{capfirst(s)}”" for s in column.synonyms[:1] + column_spellings(column)),
    }


def import_file_read(
    *, content: bytes, kind: str = ImportKind.AUTO, mapping: dict | None = None, defaults: dict | None = None
) -> ImportFile:
    """Read a CSV or .xlsx file into canonical columns; `ImportFileError` says why a file cannot be used.

    Every row after the header is a person (in `dataset`), skipped with its reason (`skipped`: blank,
    footer, withdrawn registration; rows above the header too), or refused (`refused`: more cells than
    the header). Nothing is dropped without a word.

    `mapping` ({column position: key, or "" to ignore it}) overrides what a header is taken for;
    `defaults` ({key: value}) gives one value to every row for a column the file does not have. A
    required column missing raises `MissingColumns`, which still names the file's columns.
    """
    mapping = {int(position): key for position, key in (mapping or {}).items()}
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)})
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV UTF-8.")
        )
    encoding = delimiter = None
    if content.startswith(b"PK\x03\x04"):
        records = _xlsx_records(content)
    else:
        text, encoding = _decode(content)
        records, delimiter = _csv_records(text)
    records = [(line, [cell_text(value) for value in cells]) for line, cells in records]

    # The header: the first row (of the first ten) that names at least two columns we know.
    header_at = next(
        (i for i, (_line, cells) in enumerate(records[:10]) if len({header_key(c) for c in cells} - {None}) >= 2), None
    )
    if header_at is None:
        raise ImportFileError(
            _("No header row found: the first row must name the columns, such as Name, E-mail, Country, Languages.")
        )
    headers = records[header_at][1]
    width = max((position + 1 for position, header in enumerate(headers) if header), default=0)
    headers = headers[:width]
    kind_detected = kind == ImportKind.AUTO
    if kind_detected:
        kind = kind_detect(headers)
    roles = header_roles(headers, kind=kind, mapping=mapping)
    keys = {position: key for position, (_header, key) in enumerate(roles) if key}
    present = set(keys.values())
    if "name" not in present and {"given_name", "family_name"} & present:
        present.add("name")
    not_for_kind = FACILITATOR_ONLY if kind == ImportKind.PARTICIPANTS else PARTICIPANT_ONLY
    defaults = {k: v for k, v in (defaults or {}).items() if v and k not in present and k not in not_for_kind}
    present |= set(defaults)

    missing = [column for column in COLUMNS if column.required and kind in column.kinds and column.key not in present]
    if missing:
        raise MissingColumns(
            " ".join(_missing_message(column) for column in missing), kind=kind, headers=headers, roles=roles
        )

    skipped = [SkippedRow(line, reason_above_header()) for line, cells in records[:header_at] if any(cells)]
    refused = []
    fills = [key for key in (c.key for c in COLUMNS) if key in present]
    if kind == ImportKind.PARTICIPANTS and "region" not in fills:
        fills.append("region")  # deduced from the country
    dataset = tablib.Dataset(headers=[*fills, LINE])
    body = records[header_at + 1 :]
    last = max((i for i, (_line, cells) in enumerate(body) if any(cells)), default=-1)
    read = {}
    for line, cells in body[: last + 1]:
        if not any(cells):
            skipped.append(SkippedRow(line, reason_blank()))  # blank lines between blocks of people
            continue
        read[line] = cells
        row = defaults | {key: (cells[position] if position < len(cells) else "") for position, key in keys.items()}
        if "name" not in row:
            row["name"] = " ".join(part for part in (row.get("given_name"), row.get("family_name")) if part)
        if problem := overflow_problem(cells, width=width, delimiter=delimiter):
            refused.append(RefusedRecord(line, row["name"], row.get("email", ""), [problem]))
            continue
        if reason := footer_reason(cells) or withdrawn_reason(row.get(REGISTRATION_STATE, "")):
            skipped.append(SkippedRow(line, reason, row["name"], row.get("email", "")))
            continue
        dataset.append([*(row.get(key, "") for key in fills), line])
    if len(dataset) > _max_rows():
        raise _too_many_rows()

    labels = {c.key: c.label for c in COLUMNS} | {
        "given_name": gettext_lazy("Given name"),
        "family_name": gettext_lazy("Family name"),
        REGISTRATION_STATE: gettext_lazy("Registration state (withdrawn ones skipped)"),
    }
    return ImportFile(
        kind=kind,
        kind_detected=kind_detected,
        dataset=dataset,
        columns=[(headers[p], str(labels[k])) for p, k in sorted(keys.items())],
        ignored=[header for header, key in roles if key is None and header],
        encoding=encoding,
        headers=headers,
        roles=roles,
        skipped=skipped,
        refused=refused,
        defaults=defaults,
        cells=read,
    )
