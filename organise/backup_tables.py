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

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from modeltranslation.translator import NotRegistered, translator

from organise.restore_rows import Table
from worksheets.models import EvaluationSubmission, GroupSummary
from workshops.models import Attendance, AttendanceChange, ProgrammeItem

Progress = Callable[[str, int, int], None]

# What a relation can name, besides an earlier kind's key.
NAMED = ("workshop", "session", "participant", "facilitator", "group", "room", "user")


@dataclass(frozen=True)
class Kind:
    key: str  # the backup's key for these rows
    model: type
    workshop_path: str  # the lookup from a row to its workshop
    relations: tuple[tuple[str, str], ...]  # (foreign key, what it names: one of NAMED or an earlier key)
    keyed: bool = False  # later kinds refer to these rows


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
                row["key"] = local.setdefault(kind.key, {})[pk] = position
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
        if _translated(kind.model):
            # Few rows, and the translation's original column is filled by saving through the model.
            objs = []
            for row, related in pairs:
                data = {k: v for k, v in row.items() if k != "key" and k not in fields}
                objs.append(
                    load(
                        kind.model,
                        data,
                        **{
                            kind.model._meta.get_field(field).attname: value
                            for (field, _what), value in zip(kind.relations, related, strict=True)
                        },
                    )
                )
            bulk(kind.model, objs, progress)
            new_ids = [obj.pk for obj in objs]
        else:
            table = Table(kind.model, relations=[f for f, _w in kind.relations])
            new_ids = table.insert(
                (({k: v for k, v in row.items() if k not in fields and k != "key"}, related) for row, related in pairs),
                len(pairs),
                progress,
                returning=kind.keyed,
            )
        if kind.keyed:
            local[kind.key] = {row["key"]: pk for row, pk in zip(rows, new_ids, strict=True)}
