"""Backup and restore of one workshop as a versioned JSON document with natural keys.

The document holds everything that belongs to the workshop: language modes, rooms, groups,
sessions, the plenary programme items, the curriculum sections its sessions and facilitators refer to (by number),
participants, facilitators with availability and expertise, assignments, worksheet questions,
worksheets with their answers, the facilitators' notes and the invitation log. Every
translated field is kept in every language. Rows are named by natural keys (a room by its name,
a participant by e-mail, a section by number...) or, where nothing is unique, by a key local to
the document (language modes, sessions, questions): never by database ids.

Not kept: schedule runs (proposals, history), and the logins behind personal links: a restored
participant or facilitator gets a new link on first use, and every old link stops working.
Organisers are named by username; a missing one is created inactive, without a password, for
an administrator to activate.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

from curriculum.models import Section, Volume
from organise.restore_rows import Table, UnknownField
from worksheets.models import Answer, Question, TeamNote, Worksheet
from workshops.models import (
    Assignment,
    Availability,
    BreakoutSession,
    Facilitator,
    Group,
    Invitation,
    LanguageMode,
    Participant,
    ProgrammeItem,
    Room,
    Workshop,
)

FORMAT = "breakouts-workshop-backup"
VERSION = 1


class BackupError(Exception):
    """A backup that cannot be restored; the message says why, for a person."""


Progress = Callable[[str, int, int], None]  # (kind of row, rows written, rows of that kind)


@dataclass(frozen=True)
class RestoreResult:
    workshop: Workshop
    created_organisers: list[str]


# --- fields -------------------------------------------------------------------------------------


def _translated_originals(model) -> set[str]:
    """`title` of a model whose `title_en`, `title_es`... are registered: only the variants are kept."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _dump(obj, *, exclude=()) -> dict:
    """Every plain column of a row except its id, relations and the translation originals."""
    skip = set(exclude) | _translated_originals(type(obj))
    data = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.is_relation or field.name in skip:
            continue
        value = field.value_from_object(obj)
        if isinstance(value, (datetime.date, datetime.time)):
            data[field.name] = value.isoformat()  # to the microsecond (DjangoJSONEncoder cuts to milliseconds)
        elif isinstance(value, (list, dict, str, bool, int, float)) or value is None:
            data[field.name] = value
        elif isinstance(value, UUID):
            data[field.name] = str(value)
        else:
            data[field.name] = field.value_to_string(obj)
    return data


def _dump_rows(queryset, *extra: str) -> list[tuple]:
    """(`extra` values..., `_dump` of the row) for every row, read as plain values: the same dicts
    as `_dump` of each instance, without building 100,000 model instances."""
    model = queryset.model
    skip = _translated_originals(model)
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key or f.is_relation or f.name in skip)]
    names = [f.name for f in fields]
    width = len(extra)
    rows = []
    for values in queryset.values_list(*extra, *[f.attname for f in fields]):
        data = {}
        for name, field, value in zip(names, fields, values[width:], strict=True):
            if value is None or type(value) in (str, bool, int, float, list, dict):
                data[name] = value
            elif isinstance(value, (datetime.date, datetime.time)):
                data[name] = value.isoformat()
            elif isinstance(value, (list, dict, str, bool, int, float)):
                data[name] = value
            elif isinstance(value, UUID):
                data[name] = str(value)
            else:
                data[name] = field.value_to_string(SimpleNamespace(**{field.attname: value}))
        rows.append((*values[:width], data))
    return rows


def _unknown_field(name: str, model) -> str:
    return _("The backup has an unknown field “%(field)s” for %(model)s.") % {
        "field": name,
        "model": model._meta.verbose_name,
    }


def _load(model, data: dict, **relations):
    """An unsaved row from `_dump`'s output, refusing unknown fields."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    kwargs = {}
    for name, value in data.items():
        field = fields.get(name)
        if field is None or field.primary_key or field.is_relation:
            raise BackupError(_unknown_field(name, model))
        kwargs[name] = value if isinstance(value, (list, dict)) else field.to_python(value)
    return model(**kwargs, **relations)


# --- backup -------------------------------------------------------------------------------------


def _checksum(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def _english_name(obj) -> str:
    """A room's or group's natural key: its English name, as `workshop_restore` (in English) reads it."""
    with translation.override("en"):
        return obj.name


def workshop_backup(*, workshop: Workshop) -> dict:
    """The whole workshop as a JSON-ready document (a dozen queries whatever its size)."""
    modes = list(LanguageMode.objects.filter(workshop=workshop).order_by("pk"))
    mode_key = {m.pk: i for i, m in enumerate(modes, 1)}
    rooms = list(Room.objects.filter(workshop=workshop).order_by("name"))
    room_name = {r.pk: _english_name(r) for r in rooms}
    groups = list(Group.objects.filter(workshop=workshop).order_by("name"))
    group_name = {g.pk: _english_name(g) for g in groups}
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk"))
    session_key = {s.pk: i for i, s in enumerate(sessions, 1)}
    participants = _dump_rows(Participant.objects.filter(workshop=workshop).order_by("pk"), "pk", "group_id")
    participant_email = {pk: data["email"] for pk, _group, data in participants}
    facilitators = list(
        Facilitator.objects.filter(workshop=workshop).prefetch_related("expertise", "availability").order_by("pk")
    )
    facilitator_email = {f.pk: f.email for f in facilitators}
    questions = list(Question.objects.filter(workshop=workshop).order_by("order", "pk"))
    question_key = {q.pk: i for i, q in enumerate(questions, 1)}

    section_numbers = {s.section.number for s in sessions if s.section_id} | {
        section.number for f in facilitators for section in f.expertise.all()
    }
    sections = list(Section.objects.filter(number__in=section_numbers).select_related("volume").order_by("number"))
    volumes = {s.volume.number: s.volume for s in sections}

    answers_of: dict[int, list] = {}
    answers = Answer.objects.filter(worksheet__session__workshop=workshop).order_by("pk")
    for worksheet, question, data in _dump_rows(answers, "worksheet_id", "question_id"):
        answers_of.setdefault(worksheet, []).append({"question": question_key[question], **data})
    worksheets = [
        {
            "participant": participant_email[participant],
            "session": session_key[session],
            **data,
            "answers": answers_of.get(pk, []),
        }
        for pk, participant, session, data in _dump_rows(
            Worksheet.objects.filter(session__workshop=workshop).order_by("pk"), "pk", "participant_id", "session_id"
        )
    ]
    content = {
        "workshop": {
            **_dump(workshop),
            "organisers": sorted(workshop.organisers.values_list("username", flat=True)),
        },
        "curriculum": {
            "volumes": [{**_dump(v)} for _n, v in sorted(volumes.items())],
            "sections": [{"volume": s.volume.number, **_dump(s, exclude=["position"])} for s in sections],
        },
        "language_modes": [{"key": mode_key[m.pk], **_dump(m)} for m in modes],
        "rooms": [{"language_mode": mode_key[r.language_mode_id], **_dump(r)} for r in rooms],
        "groups": [{"room": room_name[g.room_id], **_dump(g)} for g in groups],
        "sessions": [
            {"key": session_key[s.pk], "section": s.section.number if s.section_id else None, **_dump(s)}
            for s in sessions
        ],
        "programme_items": [
            {"room": room_name.get(i.room_id), **_dump(i)}
            for i in ProgrammeItem.objects.filter(workshop=workshop).order_by("start", "end", "pk")
        ],
        "participants": [{"group": group_name.get(group), **data} for _pk, group, data in participants],
        "facilitators": [
            {
                **_dump(f),
                "expertise": sorted(s.number for s in f.expertise.all()),
                "availability": [_dump(a) for a in f.availability.all()],
            }
            for f in facilitators
        ],
        "assignments": [
            {
                "facilitator": facilitator_email[facilitator],
                "session": session_key[session],
                "group": group_name[group],
                **data,
            }
            for facilitator, session, group, data in _dump_rows(
                Assignment.objects.filter(session__workshop=workshop).order_by("pk"),
                "facilitator_id",
                "session_id",
                "group_id",
            )
        ],
        "questions": [
            {"key": question_key[q.pk], "session": session_key.get(q.session_id), **_dump(q)} for q in questions
        ],
        "worksheets": worksheets,
        "team_notes": [
            {
                "session": session_key[session],
                "group": group_name[group],
                "updated_by": facilitator_email.get(updated_by),
                **data,
            }
            for session, group, updated_by, data in _dump_rows(
                TeamNote.objects.filter(session__workshop=workshop).order_by("pk"),
                "session_id",
                "group_id",
                "updated_by_id",
            )
        ],
        "invitations": [
            {
                "participant": participant_email.get(participant),
                "facilitator": facilitator_email.get(facilitator),
                "created_by": created_by,
                **data,
            }
            for participant, facilitator, created_by, data in _dump_rows(
                Invitation.objects.filter(workshop=workshop).order_by("pk"),
                "participant_id",
                "facilitator_id",
                "created_by__username",
            )
        ],
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "checksum": _checksum(content),
        "content": content,
    }


def workshop_backup_json(*, workshop: Workshop) -> str:
    return json.dumps(workshop_backup(workshop=workshop), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


# --- restore ------------------------------------------------------------------------------------


def _document(text: str | bytes) -> dict:
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(
            _("This file is not a workshop backup: it is not valid JSON (%(error)s).") % {"error": error}
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(_("This file is not a workshop backup."))
    if document.get("version") != VERSION:
        raise BackupError(
            _("This backup has format version %(found)s; this version of the application reads version %(version)s.")
            % {"found": document.get("version"), "version": VERSION}
        )
    content = document.get("content")
    if not isinstance(content, dict) or document.get("checksum") != _checksum(content):
        raise BackupError(_("This backup is damaged: its content does not match its checksum. Nothing was restored."))
    return content


def workshop_restore(*, text: str | bytes, slug: str | None = None, progress: Progress | None = None) -> RestoreResult:
    """Create the workshop of a backup, all at once or not at all, in time linear in its rows.

    `progress(kind, done, total)` is called after each batch of rows written (kind: the model's
    plural name, in English), for a command to show how far it is.
    """
    content = _document(text)
    try:
        with transaction.atomic(), translation.override("en"):
            return _restore(content, slug=slug, progress=progress)
    except BackupError:
        raise
    except UnknownField as error:
        raise BackupError(_unknown_field(error.name, error.model)) from None
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError, DatabaseError) as error:
        raise BackupError(
            _("This backup could not be restored (%(error)s). Nothing was changed.")
            % {"error": f"{type(error).__name__}: {error}"}
        ) from error


RESTORE_BATCH = 2000  # rows per INSERT statement (fewer where the database limits parameters)


def _bulk(model, rows, progress: Progress | None = None, *, resolve: bool = False):
    """Insert rows in batches, each exactly as loaded, with its ids coming back for the rows that refer to it.

    `bulk_create` would overwrite the `auto_now`/`auto_now_add` timestamps with the time of the
    restore, and putting them back meant one `bulk_update` of a CASE WHEN per row, which
    PostgreSQL runs in time growing with the square of the rows (308 s at 3,000 participants).
    This is Django's raw insert instead (how `loaddata` saves rows: `Model.save_base(raw=True)`),
    in the statements `bulk_create` would send: every row written once, in linear time.
    """
    total, done = len(rows), 0
    label = str(model._meta.verbose_name_plural)
    if not rows:
        if progress:
            progress(label, 0, 0)
        return rows
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    returning = model._meta.db_returning_fields
    size = min(RESTORE_BATCH, max(1, connection.ops.bulk_batch_size(fields, rows)))
    if not connection.features.can_return_rows_from_bulk_insert:
        size = 1  # the database returns only the last id of a statement
    if resolve:
        # Rows built before the rows they refer to were inserted (availability, expertise,
        # answers) take their ids now; the others have them already (this is a sixth of the time).
        for row in rows:
            row._prepare_related_fields_for_save(operation_name="bulk_create")
    manager = model._base_manager
    for start in range(0, total, size):
        batch = rows[start : start + size]
        returned = manager._insert(batch, fields=fields, returning_fields=returning, raw=True, using=using)
        for row, values in zip(batch, returned, strict=True):
            for field, value in zip(returning, values, strict=True):
                setattr(row, field.attname, value)
            row._state.adding, row._state.db = False, using
        done += len(batch)
        if progress:
            progress(label, done, total)
    return rows


def _restore(content: dict, *, slug: str | None, progress: Progress | None) -> RestoreResult:
    data = dict(content["workshop"])
    organisers = data.pop("organisers")
    if slug:
        data["slug"] = slug
    if Workshop.objects.filter(slug=data["slug"]).exists():
        raise BackupError(
            _("A workshop with the short name “%(slug)s” exists already. Restore it under another one with --slug.")
            % {"slug": data["slug"]}
        )
    workshop = _load(Workshop, data)
    workshop.full_clean(validate_unique=False)
    workshop.save()

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=organisers)}
    created_organisers = []
    for username in organisers:
        if username not in users:
            user = User(username=username, is_staff=True, is_active=False)
            user.set_unusable_password()
            user.save()
            users[username] = user
            created_organisers.append(username)
    workshop.organisers.set(users[name] for name in organisers)

    volumes = {v.number: v for v in Volume.objects.all()}
    for row in content["curriculum"]["volumes"]:
        if row["number"] not in volumes:
            volume = _load(Volume, row)
            volume.save()
            volumes[volume.number] = volume
    sections = {s.number: s for s in Section.objects.all()}
    for row in content["curriculum"]["sections"]:
        row = dict(row)
        volume = volumes[row.pop("volume")]
        if row["number"] not in sections:
            section = _load(Section, row, volume=volume)
            section.save()
            sections[section.number] = section

    modes = {}
    for row in content["language_modes"]:
        row = dict(row)
        key = row.pop("key")
        modes[key] = _load(LanguageMode, row, workshop=workshop)
    _bulk(LanguageMode, list(modes.values()), progress)
    rooms = {}
    for row in content["rooms"]:
        row = dict(row)
        room = _load(Room, row, workshop=workshop, language_mode=modes[row.pop("language_mode")])
        rooms[room.name] = room
    _bulk(Room, list(rooms.values()), progress)
    groups = {}
    for row in content["groups"]:
        row = dict(row)
        group = _load(Group, row, workshop=workshop, room=rooms[row.pop("room")])
        groups[group.name] = group
    _bulk(Group, list(groups.values()), progress)
    sessions = {}
    for row in content["sessions"]:
        row = dict(row)
        key, number = row.pop("key"), row.pop("section")
        sessions[key] = _load(BreakoutSession, row, workshop=workshop, section=sections[number] if number else None)
    _bulk(BreakoutSession, list(sessions.values()), progress)
    items = []
    for row in content.get("programme_items", []):  # absent from backups made before the programme
        row = dict(row)
        room = row.pop("room")
        items.append(_load(ProgrammeItem, row, workshop=workshop, room=rooms[room] if room else None))
    _bulk(ProgrammeItem, items, progress)

    # The many rows: from the JSON straight to the database (organise/restore_rows.py), each kind
    # as pairs of a backup row and the ids of the rows it refers to.
    group_id = {name: group.pk for name, group in groups.items()}
    session_id = {key: session.pk for key, session in sessions.items()}

    rows = content["participants"]
    ids = Table(Participant, relations=["workshop", "group"], references=["group"]).insert(
        ((row, (workshop.pk, group_id[row["group"]] if row["group"] else None)) for row in rows),
        len(rows),
        progress,
        returning=True,
    )
    participant_id = {row["email"].lower(): pk for row, pk in zip(rows, ids, strict=True)}

    rows = content["facilitators"]
    ids = Table(Facilitator, relations=["workshop"], references=["expertise", "availability"]).insert(
        ((row, (workshop.pk,)) for row in rows), len(rows), progress, returning=True
    )
    facilitator_id = {row["email"].lower(): pk for row, pk in zip(rows, ids, strict=True)}
    people = list(zip(rows, ids, strict=True))
    Table(Facilitator.expertise.through, relations=["facilitator", "section"]).insert(
        (({}, (pk, sections[number].pk)) for row, pk in people for number in row["expertise"]),
        sum(len(row["expertise"]) for row in rows),
        progress,
    )
    Table(Availability, relations=["facilitator"]).insert(
        ((window, (pk,)) for row, pk in people for window in row["availability"]),
        sum(len(row["availability"]) for row in rows),
        progress,
    )

    def participant(email):
        return participant_id[email.lower()] if email else None

    def facilitator(email):
        return facilitator_id[email.lower()] if email else None

    names = ["facilitator", "session", "group"]
    rows = content["assignments"]
    Table(Assignment, relations=names, references=names).insert(
        ((row, (facilitator(row["facilitator"]), session_id[row["session"]], group_id[row["group"]])) for row in rows),
        len(rows),
        progress,
    )

    questions = {}
    for row in content["questions"]:
        row = dict(row)
        key, session = row.pop("key"), row.pop("session")
        if "never_shared" not in row:  # a file written before questions could be: the default personal notes are
            row["never_shared"] = row.get("text_en") == "Personal notes"
        questions[key] = _load(Question, row, workshop=workshop, session=sessions[session] if session else None)
    _bulk(Question, list(questions.values()), progress)
    question_id = {key: question.pk for key, question in questions.items()}

    rows = content["worksheets"]
    names = ["participant", "session"]
    ids = Table(Worksheet, relations=names, references=[*names, "answers"]).insert(
        ((row, (participant(row["participant"]), session_id[row["session"]])) for row in rows),
        len(rows),
        progress,
        returning=True,
    )
    Table(Answer, relations=["worksheet", "question"], references=["question"]).insert(
        (
            (answer, (pk, question_id[answer["question"]]))
            for row, pk in zip(rows, ids, strict=True)
            for answer in row["answers"]
        ),
        sum(len(row["answers"]) for row in rows),
        progress,
    )

    names = ["session", "group", "updated_by"]
    rows = content["team_notes"]
    Table(TeamNote, relations=names, references=names).insert(
        ((row, (session_id[row["session"]], group_id[row["group"]], facilitator(row["updated_by"]))) for row in rows),
        len(rows),
        progress,
    )

    rows = content["invitations"]
    creators = dict(
        User.objects.filter(username__in={row["created_by"] for row in rows if row["created_by"]}).values_list(
            "username", "pk"
        )
    )
    names = ["participant", "facilitator", "created_by"]
    Table(Invitation, relations=["workshop", *names], references=names).insert(
        (
            (
                row,
                (
                    workshop.pk,
                    participant(row["participant"]),
                    facilitator(row["facilitator"]),
                    creators.get(row["created_by"]),
                ),
            )
            for row in rows
        ),
        len(rows),
        progress,
    )
    return RestoreResult(workshop=workshop, created_organisers=created_organisers)
