"""The backup's tables declared rather than written out: the day's records (issues 16 and 17).

`organise.backup` writes the workshop's original rows by hand (rooms, sessions, people,
worksheets...). The rows added since (attendance and its history, evaluations, certificates, the
programme, announcements, report-back summaries, withdrawals) are declared here, each as a
`Kind`: its model, how a row reaches its workshop, and what each of its relations names. The
same declaration writes the backup and restores it, so a new table needs one line.

Relations are never database ids: a session by the backup's local key, a person by e-mail, a
room or group by its English name, a user by username (a user the restoring database lacks is
left empty), the workshop implicitly, and a row of an earlier kind by a local `key` written only
for the kinds later ones refer to. A backup written before a kind existed restores without it.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from modeltranslation.translator import NotRegistered, translator

from organise.restore_rows import Table
from worksheets.models import (
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    EvaluationSubmission,
    EvaluationWindow,
    GroupSummary,
    KnowledgeAttempt,
    KnowledgeQuestion,
    KnowledgeTaken,
)
from workshops.models import Announcement, Attendance, AttendanceChange, Certificate, ProgrammeItem

Progress = Callable[[str, int, int], None]

# What a relation can name, besides an earlier kind's key.
NAMED = ("workshop", "session", "participant", "facilitator", "group", "room", "user")
LOCAL_KEY = "backup_key"  # a row's key local to the file, for the kinds later ones refer to


@dataclass(frozen=True)
class Kind:
    key: str  # the backup's key for these rows
    model: type
    workshop_path: str  # the lookup from a row to its workshop
    relations: tuple[tuple[str, str], ...]  # (foreign key, what it names: one of NAMED or an earlier key)
    keyed: bool = False  # later kinds refer to these rows
    # Unique columns given a fresh value when the restoring database holds the backup's already
    # (a restore next to the original, under another short name): a certificate's code, an
    # evaluation's key.
    fresh_if_taken: tuple[str, ...] = ()


KINDS: list[Kind] = [
    Kind("programme_items", ProgrammeItem, "workshop", (("workshop", "workshop"), ("room", "room"))),
    Kind(
        "attendance",
        Attendance,
        "session__workshop",
        (("session", "session"), ("participant", "participant"), ("group", "group"), ("updated_by", "user")),
        keyed=True,
    ),
    Kind(
        "attendance_changes",
        AttendanceChange,
        "attendance__session__workshop",
        (("attendance", "attendance"), ("changed_by", "user")),
    ),
    Kind(
        "evaluation_submissions",
        EvaluationSubmission,
        "participant__workshop",
        (("participant", "participant"), ("session", "session")),
    ),
    Kind(
        "certificates",
        Certificate,
        "participant__workshop",
        (("participant", "participant"), ("revoked_by", "user")),
        fresh_if_taken=("code",),
    ),
    # The evaluation: anonymous by design, so no row below names a person but the two "taken"
    # records (that someone answered, never what). Rows are read in the order of their random
    # ids, so the file's order tells nothing either. The key that lets a participant find their
    # own answers again is computed from their id in this database: after a restore they cannot
    # change what they answered before (they have answered: the records say so).
    Kind("evaluation_questions", EvaluationQuestion, "workshop", (("workshop", "workshop"),), keyed=True),
    Kind("evaluation_window", EvaluationWindow, "workshop", (("workshop", "workshop"),)),
    Kind(
        "evaluation_responses",
        EvaluationResponse,
        "workshop",
        (("workshop", "workshop"), ("session", "session"), ("group", "group")),
        keyed=True,
        fresh_if_taken=("key",),
    ),
    Kind(
        "evaluation_answers",
        EvaluationAnswer,
        "response__workshop",
        (("response", "evaluation_responses"), ("question", "evaluation_questions")),
    ),
    Kind("knowledge_questions", KnowledgeQuestion, "session__workshop", (("session", "session"),)),
    Kind("knowledge_attempts", KnowledgeAttempt, "session__workshop", (("session", "session"), ("group", "group"))),
    Kind(
        "knowledge_taken",
        KnowledgeTaken,
        "participant__workshop",
        (("participant", "participant"), ("session", "session")),
    ),
    Kind(
        "announcements",
        Announcement,
        "workshop",
        (
            ("workshop", "workshop"),
            ("room", "room"),
            ("group", "group"),
            ("created_by", "user"),
            ("withdrawn_by", "user"),
        ),
    ),
    Kind(
        "group_summaries",  # the report-back: rapporteur and last writers by e-mail
        GroupSummary,
        "session__workshop",
        (
            ("session", "session"),
            ("group", "group"),
            ("rapporteur", "participant"),
            ("updated_by_participant", "participant"),
            ("updated_by_facilitator", "facilitator"),
        ),
    ),
]


def _translated(model) -> bool:
    try:
        translator.get_options_for_model(model)
    except NotRegistered:
        return False
    return True


def tables_backup(*, workshop, names: dict[str, dict], dump_rows) -> dict:
    """{kind key: rows} for every kind. `names`: for each of NAMED but workshop and user, {id: name};
    `dump_rows`: organise.backup's `_dump_rows`."""
    User = get_user_model()
    content, local = {}, {}
    for kind in KINDS:
        model = kind.model
        attnames = [model._meta.get_field(field).attname for field, _what in kind.relations]
        found = dump_rows(model.objects.filter(**{kind.workshop_path: workshop}).order_by("pk"), "pk", *attnames)
        user_columns = [i for i, (_f, what) in enumerate(kind.relations) if what == "user"]
        user_ids = {row[1 + i] for row in found for i in user_columns} - {None}
        usernames = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username")) if user_ids else {}
        rows = []
        for position, (pk, *related, data) in enumerate(found, 1):
            row = {}
            if kind.keyed:
                row[LOCAL_KEY] = local.setdefault(kind.key, {})[pk] = position
            for (field, what), value in zip(kind.relations, related, strict=True):
                if what == "workshop":
                    continue
                table = usernames if what == "user" else names[what] if what in NAMED else local[what]
                row[field] = None if value is None else table[value]
            rows.append({**row, **data})
        content[kind.key] = rows
    return content


def tables_restore(
    *, content: dict, workshop, ids: dict[str, dict], load, bulk, progress: Progress | None = None
) -> None:
    """Write every kind's rows of a backup. `ids`: for each of NAMED but workshop and user, {name: id}
    (people by lower-cased e-mail); `load`, `bulk`: organise.backup's `_load`, `_bulk`."""
    User = get_user_model()
    local: dict[str, dict] = {}
    for kind in KINDS:
        rows = content.get(kind.key) or []
        fields = [field for field, what in kind.relations if what != "workshop"]
        usernames = {row[field] for row in rows for field, what in kind.relations if what == "user"} - {None}
        users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk")) if usernames else {}

        def resolve(row, field, what, users=users):
            if what == "workshop":
                return workshop.pk
            value = row.get(field)
            if value is None:
                return None
            if what == "user":
                return users.get(value)
            if what in ("participant", "facilitator"):
                return ids[what][value.lower()]
            return ids[what][value] if what in NAMED else local[what][value]

        pairs = [(row, tuple(resolve(row, field, what) for field, what in kind.relations)) for row in rows]
        pairs = _fresh_where_taken(kind, pairs)
        skip = {*fields, LOCAL_KEY}
        auto_id = isinstance(kind.model._meta.pk, models.AutoField)
        if _translated(kind.model) or not auto_id:
            # Few rows with translations (their original column is filled by saving through the
            # model), or rows with random ids (made here, anew: the file holds none).
            objs = []
            for row, related in pairs:
                data = {k: v for k, v in row.items() if k not in skip}
                attnames = {
                    kind.model._meta.get_field(field).attname: value
                    for (field, _what), value in zip(kind.relations, related, strict=True)
                }
                objs.append(load(kind.model, data, **attnames))
            if auto_id:
                bulk(kind.model, objs, progress)
            else:
                kind.model.objects.bulk_create(objs, batch_size=500)
                if progress:
                    progress(str(kind.model._meta.verbose_name_plural), len(objs), len(objs))
            new_ids = [obj.pk for obj in objs]
        else:
            table = Table(kind.model, relations=[f for f, _w in kind.relations])
            new_ids = table.insert(
                (({k: v for k, v in row.items() if k not in skip}, related) for row, related in pairs),
                len(pairs),
                progress,
                returning=kind.keyed,
            )
        if kind.keyed:
            local[kind.key] = {row[LOCAL_KEY]: pk for row, pk in zip(rows, new_ids, strict=True)}


def _fresh_where_taken(kind: Kind, pairs: list) -> list:
    """The rows, with a new value in each `fresh_if_taken` column this database holds already."""
    for name in kind.fresh_if_taken:
        field = kind.model._meta.get_field(name)
        values = [row.get(name) for row, _related in pairs]
        taken = (
            set(kind.model.objects.filter(**{f"{name}__in": values}).values_list(name, flat=True)) if values else set()
        )
        if not taken:
            continue
        pairs = [
            ({**row, name: _fresh_value(field)} if row.get(name) in taken else row, related) for row, related in pairs
        ]
    return pairs


def _fresh_value(field) -> str:
    if field.has_default():
        return field.get_default()
    return secrets.token_hex(field.max_length // 2)
