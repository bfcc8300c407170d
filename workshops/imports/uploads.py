"""Uploaded registration files between preview and "Apply", kept in the database; the column choices.

Nothing waits on one app server's disk: the file, the columns chosen in its preview and the
defaults live in an `ImportUpload` row, so any server behind the address can show the preview
or apply it. An upload expires after `UPLOAD_MAX_AGE`; expired ones are deleted as new ones
arrive. "Apply" claims the upload first (one UPDATE), so that a double click or a second tab
finds it taken instead of importing twice. Column choices are remembered per workshop for
files with the same header row (`ImportMapping`), and reapplied to the next such upload.
"""

import hashlib
from datetime import timedelta

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ImportMapping, ImportUpload, Workshop
from .files import ImportFile, MissingColumns, import_file_read
from .headers import COLUMNS, REGISTRATION_STATE, ImportKind
from .values import match_key

UPLOAD_MAX_AGE = timedelta(hours=1)  # between the upload and "Apply"
IGNORE = ""  # a column that fills nothing
NAME_PARTS = {"given_name": gettext_lazy("Given name"), "family_name": gettext_lazy("Family name")}
STATE_LABEL = gettext_lazy("Registration state (withdrawn ones skipped)")  # read, not imported


def roles_by_position(roles: list[tuple[str, str | None]]) -> dict[int, str]:
    """{column position: key} from a read file's (or `MissingColumns`') roles; columns that fill nothing absent."""
    return {i: k for i, (_h, k) in enumerate(roles) if k}


class StaleUpload(Exception):
    """The upload cannot be used (gone, expired, applied, or another's): the message says so in words."""


def header_hash(headers: list[str]) -> str:
    """The same for two files whose header rows differ only in case, accents, punctuation or spaces."""
    return hashlib.sha256("\x1f".join(match_key(header) for header in headers).encode()).hexdigest()


def importable_columns(kind: str) -> list[tuple[str, str]]:
    """(key, label) of every column a file of this kind may fill, in the active language; any kind when detected."""
    columns = [(c.key, str(c.label)) for c in COLUMNS if kind == ImportKind.AUTO or kind in c.kinds]
    name_at = next(i for i, (key, _label) in enumerate(columns) if key == "name") + 1
    return [
        *columns[:name_at],
        *((key, str(label)) for key, label in NAME_PARTS.items()),
        *columns[name_at:],
        (REGISTRATION_STATE, str(STATE_LABEL)),
    ]


def file_columns(
    content: bytes, *, kind: str, mapping=None, defaults=None
) -> tuple[ImportFile | None, MissingColumns | None]:
    """The file as read with these choices, or the missing columns' error (which still names the file's columns)."""
    try:
        return import_file_read(content=content, kind=kind, mapping=mapping, defaults=defaults), None
    except MissingColumns as error:
        return None, error


def import_upload_store(*, workshop: Workshop, user, content: bytes, filename: str, kind: str) -> ImportUpload:
    """Keep a file for its preview, with the columns remembered for its header row; delete expired uploads.

    Raises `ImportFileError` when the file cannot be read at all; a file lacking a required column
    is kept (its preview lets the organiser map a column or give a default).
    """
    ImportUpload.objects.filter(created__lt=timezone.now() - UPLOAD_MAX_AGE).delete()
    file, missing = file_columns(content, kind=kind)
    headers = file.headers if file is not None else missing.headers
    digest = header_hash(headers)
    remembered = ImportMapping.objects.filter(workshop=workshop, header_hash=digest).first()
    mapping = {p: k for p, k in (remembered.mapping if remembered else {}).items() if int(p) < len(headers)}
    return ImportUpload.objects.create(
        workshop=workshop,
        user=user,
        filename=filename[:255],
        kind=kind,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        header_hash=digest,
        mapping=mapping,
        mapping_remembered=bool(mapping),
    )


def import_upload_get(*, upload_id, workshop: Workshop, user, sha256: str, applied_ok: bool = False) -> ImportUpload:
    """The upload, when it is this person's for this workshop, unchanged and not expired."""
    upload = ImportUpload.objects.filter(pk=upload_id, workshop=workshop, user=user).first()
    if upload is None or upload.created < timezone.now() - UPLOAD_MAX_AGE:
        raise StaleUpload(_("This preview has expired or was already applied: upload the file again."))
    upload.workshop = workshop  # as checked by the caller: no second query
    upload.content = bytes(upload.content)  # PostgreSQL returns a memoryview
    if hashlib.sha256(upload.content).hexdigest() != sha256 or upload.sha256 != sha256:
        raise StaleUpload(_("This preview is not valid: upload the file again."))
    if upload.applied_at is not None and not applied_ok:
        raise StaleUpload(_("This preview has expired or was already applied: upload the file again."))
    return upload


def import_upload_claim(*, upload: ImportUpload) -> None:
    """Take the upload for one "Apply"; a second one at the same time (or after) gets `StaleUpload`.

    A claim left by an interrupted request lapses with the upload.
    """
    claimed = ImportUpload.objects.filter(pk=upload.pk, applied_at__isnull=True, claimed_at__isnull=True).update(
        claimed_at=timezone.now()
    )
    if not claimed:
        raise StaleUpload(_("This preview has expired or was already applied: upload the file again."))


def import_upload_release(*, upload: ImportUpload, applied: bool) -> None:
    """After "Apply": applied (kept only for the refused rows' download), or free to apply again."""
    if applied:
        ImportUpload.objects.filter(pk=upload.pk).update(applied_at=timezone.now())
    else:
        ImportUpload.objects.filter(pk=upload.pk).update(claimed_at=None)


def import_columns_choose(*, upload: ImportUpload, mapping: dict[str, str], defaults: dict[str, str]) -> None:
    """The organiser's choice of what each column fills, and of defaults; remembered for files with these headers."""
    upload.mapping, upload.defaults, upload.mapping_remembered = mapping, defaults, False
    ImportUpload.objects.filter(pk=upload.pk, applied_at__isnull=True).update(
        mapping=mapping, defaults=defaults, mapping_remembered=False
    )
    ImportMapping.objects.update_or_create(
        workshop_id=upload.workshop_id, header_hash=upload.header_hash, defaults={"mapping": mapping}
    )


def refused_rows(report) -> tablib.Dataset:
    """The refused rows as the file had them, each with its reasons in a last column: to fix and upload again."""
    file = report.file
    rows = [(file.cells.get(row.line, []), " ".join(row.problems)) for row in report.refused]
    width = max([len(file.headers), *(len(cells) for cells, _reason in rows)])
    headers = [*file.headers, *[""] * (width - len(file.headers)), _("Reason refused")]
    dataset = tablib.Dataset(headers=headers)
    for cells, reason in rows:
        dataset.append([*cells, *[""] * (width - len(cells)), reason])
    return dataset


def columns_template(*, kind: str) -> tablib.Dataset:
    """A blank file of this kind: every column it may have, headers in the active language."""
    return tablib.Dataset(headers=[str(c.label) for c in COLUMNS if kind in c.kinds])


def mapping_by_header(*, headers: list[str], choices: list[tuple[str, str]], kind: str) -> dict[str, str]:
    """{column position: key} from (header as written, key or "ignore") pairs; `ValueError` says what is wrong.

    Headers are compared without case, accents or punctuation, as the import reads them.
    """
    allowed = {key for key, _label in importable_columns(kind)}
    positions = {}
    for position, header in enumerate(headers):
        positions.setdefault(match_key(header), position)
    mapping = {}
    for header, key in choices:
        key = key.strip()
        key = IGNORE if key.casefold() in ("ignore", "ignored", "") else key
        if key != IGNORE and key not in allowed:
            raise ValueError(_("“%(value)s” is not a column that can be imported.") % {"value": key})
        position = positions.get(match_key(header))
        if position is None:
            raise ValueError(
                _("The file has no column “%(header)s”; its columns are: %(headers)s.")
                % {"header": header.strip(), "headers": ", ".join(f"“{h}”" for h in headers if h)}
            )
        mapping[str(position)] = key
    return mapping


def defaults_by_key(*, choices: list[tuple[str, str]]) -> dict[str, str]:
    """{key: value} from (key, value) pairs; `ValueError` names a key that is not an importable column."""
    keys = {column.key for column in COLUMNS}
    defaults = {}
    for key, value in choices:
        key = key.strip()
        if key not in keys:
            raise ValueError(_("“%(value)s” is not a column that can be imported.") % {"value": key})
        defaults[key] = " ".join(value.split())
    return defaults
