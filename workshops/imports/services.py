"""Preview and apply an import (`people_import`), and the report of what each row does.

Importing runs the rows through the resources (`resources.py`), which turn each cell into our
values and collect every problem of every row. It guarantees:

- a dry run writes nothing and reports each row as new, update, unchanged or refused, with
  every reason it is refused;
- applying is all or nothing: when any row is refused, nothing is written; unless the organiser
  chose to import the valid rows (`skip_refused`): then those, and only those, are written, in
  one transaction, and the refused ones are reported;
- people are matched by e-mail within the workshop, ignoring case: the same file imported
  twice (even at the same moment: imports into a workshop run one at a time) creates nobody
  twice, and an empty optional cell never erases what is known.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ..enums import Gender, InterfaceLanguage, Region
from ..languages import LANGUAGE_CHOICES
from ..models import Workshop
from .files import LINE, ImportFile, encoding_label, import_file_read
from .headers import COLUMNS, ImportKind
from .resources import RESOURCES
from .shapes import SkippedRow


class RowStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("import row", "New")
    UPDATE = "update", pgettext_lazy("import row", "Update")
    UNCHANGED = "unchanged", pgettext_lazy("import row", "Unchanged")
    REFUSED = "refused", pgettext_lazy("import row", "Refused")


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
    encoding: str | None = None  # the text encoding the file was read in; None for a workbook
    skipped: list[SkippedRow] = field(default_factory=list)  # rows that are no person (blank, footer, withdrawn)
    file: ImportFile | None = None  # as read: its headers, what each column fills, the defaults, the cells

    @property
    def encoding_label(self) -> str:
        return encoding_label(self.encoding)

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
    def valid(self) -> int:
        """Rows that can be imported (new, update or unchanged)."""
        return len(self.rows) - len(self.refused)

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
    # Rows refused before their values are read (more cells than the header), among the others by line.
    rows.extend(
        ImportRow(record.line, RowStatus.REFUSED, record.name, record.email, problems=list(record.problems))
        for record in file.refused
    )
    rows.sort(key=lambda row: row.line)
    return ImportReport(
        kind=file.kind,
        kind_detected=file.kind_detected,
        rows=rows,
        columns=file.columns,
        ignored=file.ignored,
        problems=[str(error.error) for error in result.base_errors],
        encoding=file.encoding,
        skipped=file.skipped,
    )


def _workshop_lock(workshop: Workshop) -> None:
    """Hold the workshop's row until the caller's transaction ends: one import into a workshop at a time.

    Two imports of the same file at once (two tabs, a double submit) would otherwise both find
    nobody, both insert, and the second would be refused whole by the unique e-mail constraint.
    Locked, the second waits for the first to commit, then finds everyone already there (reported
    unchanged). The schedule's writers in `workshops.services` take the same lock. A no-op on
    SQLite, which runs one writer at a time anyway.
    """
    Workshop.objects.select_for_update().get(pk=workshop.pk)


def people_import(
    *,
    workshop: Workshop,
    content: bytes,
    kind: str = ImportKind.AUTO,
    dry_run: bool,
    mapping: dict | None = None,
    defaults: dict | None = None,
    skip_refused: bool = False,
    expected_valid: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    file: ImportFile | None = None,
) -> ImportReport:
    """Check every row of a registration file and, unless `dry_run`, apply it: all rows, or none.

    `mapping` and `defaults` are passed to `import_file_read` (a column taken for another, one
    value for a column the file lacks). With `skip_refused`, the valid rows are applied and the
    refused ones left out, all in one transaction; when `expected_valid` is given and the number
    of valid rows differs (the workshop changed since the preview), nothing is written.
    Raises `ImportFileError` when the file as a whole cannot be used. The report's `applied` is
    True only when the rows were written (or were already as the file says). `on_progress` is
    called with (rows checked, rows in all) from the row loop, of the dry run as of the apply (a
    background job's progress). `file`: the same content already read with these choices.
    """
    if file is None:
        file = import_file_read(content=content, kind=kind, mapping=mapping, defaults=defaults)
    resource = RESOURCES[file.kind](workshop=workshop, on_progress=on_progress)
    tz = ZoneInfo(workshop.timezone)
    if on_progress is not None:
        on_progress(0, file.dataset.height)  # before the transaction: shown at once, on any database
    if dry_run:
        with transaction.atomic():
            # `preview` makes the resource write nothing; the rollback is a second safety net.
            result = resource.import_data(file.dataset, dry_run=False, use_transactions=False, preview=True)
            transaction.set_rollback(True)
        report = _report(file, result, tz=tz)
        report.file = file
        return report
    try:
        with transaction.atomic():
            _workshop_lock(workshop)  # before the resource reads who is already there
            # Refused rows are never saved (their validation fails first); the library rolls back
            # the valid ones too unless the organiser chose to import them alone.
            result = resource.import_data(
                file.dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=not skip_refused
            )
            report = _report(file, result, tz=tz)
            report.file = file
            if report.problems or (report.refused and not skip_refused):
                raise _Refused
            if expected_valid is not None and report.valid != expected_valid:
                raise _Refused
    except _Refused:
        return report
    report.applied = True
    return report
