"""A restore's many rows written straight from the backup's JSON: a COPY, or multi-row INSERTs, per table.

`workshop_restore` (organise/backup.py) writes the workshop's thousands of rows (participants,
worksheets, answers, invitations...) through `Table`: each column's conversion from JSON to what
the database takes is chosen once per table, and every row becomes one tuple of values (no
model instance, no descriptors, no signals: the raw insert `loaddata` makes), converted as it
is sent. On PostgreSQL (psycopg2) a table's rows go out in one `COPY ... FROM STDIN` (CSV made
`BATCH` rows at a time while the server inserts the ones before), with ids taken beforehand from
the table's sequence; elsewhere (SQLite) `BATCH` rows per `INSERT ... VALUES (...), (...)`, with
`RETURNING id` where later rows refer to them. The database checks every
constraint (unique, check, foreign keys at commit) as for any insert. `auto_now` and
`auto_now_add` columns keep the backup's values; a row without one (a file from a version that
did not have the column) gets the time of the restore, as saving it would.

This is what makes a restore of 3,000 participants take seconds: building 120,000 model
instances and letting the ORM compile each value took most of the time before.
"""

import csv
import datetime
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone

BATCH = 1000  # rows per INSERT (fewer where the database limits parameters per statement) or per COPY read

# Fields whose JSON value, when of this exact type (or None), is already what the database takes.
_NATIVE = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
}


class UnknownField(Exception):
    """A row of the backup names a field its model does not have (organise.backup says so)."""

    def __init__(self, name: str, model):
        super().__init__(name)
        self.name, self.model = name, model


def _converter(field, connection, *, copy: bool) -> Callable[[object], object]:
    """JSON value → database value, as `Model(field=field.to_python(value)).save(raw=True)` would send it
    (for COPY, a JSON column's value as its JSON text: what the adapter would have sent)."""

    def convert(value):
        if not isinstance(value, (list, dict)):
            value = field.to_python(value)
        return field.get_db_prep_save(value, connection)

    if copy and isinstance(field, models.JSONField):

        def json_text(value):
            adapted = convert(value)
            return adapted.dumps(adapted.adapted) if hasattr(adapted, "adapted") else adapted

        return json_text

    if type(field) is models.DateTimeField and settings.USE_TZ:
        # An aware ISO time (what backups hold) is what `to_python` would parse (it tries
        # `fromisoformat` first); then only the backend's adaptation, without the layers between.
        adapt = connection.ops.adapt_datetimefield_value
        # On SQLite, what that gives for an aware time, without its look-ups of the settings.
        zone = connection.timezone if connection.vendor == "sqlite" else None

        def moment(value):
            if value is None:
                return None
            if type(value) is str:
                try:
                    parsed = datetime.datetime.fromisoformat(value)
                except ValueError:
                    return convert(value)
                if parsed.tzinfo is not None:
                    return str(parsed.astimezone(zone).replace(tzinfo=None)) if zone else adapt(parsed)
            return convert(value)

        return moment
    native = _NATIVE.get(type(field))
    if native is None:
        return convert
    return lambda value: value if type(value) is native or value is None else convert(value)


def _missing(field) -> Callable[[], object]:
    """The value of a field a row leaves out: the time of the restore for a timestamp, else its default."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now
    return field.get_default


class Table:
    """How the rows of one model are written; built once per restore and model.

    `relations` are the foreign keys the caller gives as ids, in this order, for every row; the
    model's other foreign keys (a person's login) are left empty. `references` are the keys of a
    backup row that name related rows (read by the caller, not columns).
    """

    def __init__(self, model, *, relations: Sequence[str], references: Iterable[str] = ()):
        self.model = model
        self.connection = connection = connections[router.db_for_write(model)]
        self.copy = connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_name = {f.name: f for f in fields}
        related = [by_name[name] for name in relations]
        empty = [f for f in fields if f.is_relation and f not in related]
        if any(not field.null for field in empty):
            raise ValueError(f"{model.__name__}: every required relation must be given")
        self.plain = [f for f in fields if not f.is_relation]
        self.pairs = [(f.name, _converter(f, connection, copy=self.copy)) for f in self.plain]
        self.empty = (None,) * len(empty)
        self.allowed = {f.name for f in self.plain} | set(references)  # a row with all of these: the fast path
        columns = [f.column for f in [*self.plain, *related, *empty]]
        self.width = len(columns)
        limit = connection.features.max_query_params
        self.size = min(BATCH, limit // self.width) if limit else BATCH
        quote = connection.ops.quote_name
        self.table, self.pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        self.head = f"INSERT INTO {self.table} ({', '.join(quote(c) for c in columns)}) VALUES "
        self.copy_sql = f"COPY {self.table} ({{}}) FROM STDIN WITH (FORMAT csv)"
        self.columns = ", ".join(map(quote, columns))
        self.label = str(model._meta.verbose_name_plural)

    def values(self, row: dict, ids: tuple = ()) -> tuple:
        """One row's values in column order: the backup's fields, then `ids` of `relations`."""
        if row.keys() == self.allowed:
            return (*[convert(row[name]) for name, convert in self.pairs], *ids, *self.empty)
        if unknown := row.keys() - self.allowed:
            raise UnknownField(sorted(unknown)[0], self.model)
        values = [
            convert(row[field.name] if field.name in row else _missing(field)())
            for field, (_name, convert) in zip(self.plain, self.pairs, strict=True)
        ]
        return (*values, *ids, *self.empty)

    def insert(self, pairs: Iterable[tuple[dict, tuple]], total: int, progress=None, *, returning=False) -> list:
        """Write `total` rows, each given as (backup row, ids of `relations`), converted as they
        are sent; the new ids, in order, when `returning`."""
        rows = (self.values(row, ids) for row, ids in pairs)
        if not total and progress:
            progress(self.label, 0, 0)
        if self.copy:
            return self._copy(rows, total, progress, returning)
        return self._insert(rows, total, progress, returning)

    def _copy(self, rows: Iterator[tuple], total: int, progress, returning: bool) -> list:
        """PostgreSQL: one COPY of every row, with ids taken from the table's sequence beforehand
        (one query) where they are wanted.

        The CSV is made a batch at a time while the server inserts the batches before it, so
        the two share the work. An error while making it (a row naming what the backup lacks)
        ends the COPY early, and is raised once the COPY is over: the transaction then rolls back.
        """
        if not total:
            return []
        ids, columns = [], self.columns
        with self.connection.cursor() as cursor:
            if returning:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, self.model._meta.pk.column, total],
                )
                ids = [row[0] for row in cursor.fetchall()]
                rows = ((pk, *values) for pk, values in zip(ids, rows, strict=True))
                columns = f"{self.pk}, {columns}"
            stream = _CsvStream(rows, total, self.label, progress)
            cursor.copy_expert(self.copy_sql.format(columns), stream)
        if stream.error is not None:
            raise stream.error
        if stream.done != total:
            raise ValueError(f"{self.label}: {stream.done} rows of {total}")
        if progress:
            progress(self.label, total, total)
        return ids

    def _insert(self, rows: Iterator[tuple], total: int, progress, returning: bool) -> list:
        """Elsewhere (SQLite): `size` rows per INSERT, with RETURNING where the ids are wanted."""
        ids, done = [], 0
        one = "(" + ", ".join(["%s"] * self.width) + ")"
        can_return = self.connection.features.can_return_rows_from_bulk_insert
        with self.connection.cursor() as cursor:
            while batch := list(itertools.islice(rows, self.size)):
                if returning and not can_return:  # an SQLite older than 3.35: one row, its id
                    for values in batch:
                        cursor.execute(self.head + one, values)
                        ids.append(cursor.lastrowid)
                else:
                    sql = self.head + ", ".join([one] * len(batch))
                    params = [value for values in batch for value in values]
                    cursor.execute(f"{sql} RETURNING {self.pk}" if returning else sql, params)
                    if returning:
                        ids += [row[0] for row in cursor.fetchall()]
                done += len(batch)
                if progress:
                    progress(self.label, done, total)
        return ids


class _CsvStream:
    """Rows as CSV text for `copy_expert`, `BATCH` rows per read; None is written as SQL NULL."""

    def __init__(self, rows: Iterator[tuple], total: int, label: str, progress):
        self.rows, self.total, self.label, self.progress = rows, total, label, progress
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
        self.done, self.error = 0, None

    def read(self, size: int = -1) -> str:
        if self.error is not None:
            return ""
        try:
            batch = list(itertools.islice(self.rows, BATCH))
        except Exception as error:  # raised by Table._copy after the COPY (psycopg2 would mask it)
            self.error = error
            return ""
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerows(batch)
        self.done += len(batch)
        if batch and self.progress and self.done < self.total:
            self.progress(self.label, self.done, self.total)
        return self.buffer.getvalue()
