"""Backup and restore of one workshop as a versioned JSON document with natural keys.

The document holds everything that belongs to the workshop: language modes, rooms, groups,
sessions, the curriculum sections its sessions and facilitators refer to (by number),
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
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

from curriculum.models import Section, Volume
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


def _load(model, data: dict, **relations):
    """An unsaved row from `_dump`'s output, refusing unknown fields."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    kwargs = {}
    for name, value in data.items():
        field = fields.get(name)
        if field is None or field.primary_key or field.is_relation:
            raise BackupError(
                _("The backup has an unknown field “%(field)s” for %(model)s.")
                % {"field": name, "model": model._meta.verbose_name}
            )
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
    participants = list(Participant.objects.filter(workshop=workshop).order_by("pk"))
    participant_email = {p.pk: p.email for p in participants}
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
    for answer in Answer.objects.filter(worksheet__session__workshop=workshop).order_by("pk"):
        answers_of.setdefault(answer.worksheet_id, []).append(
            {"question": question_key[answer.question_id], **_dump(answer)}
        )
    worksheets = [
        {
            "participant": participant_email[w.participant_id],
            "session": session_key[w.session_id],
            **_dump(w),
            "answers": answers_of.get(w.pk, []),
        }
        for w in Worksheet.objects.filter(session__workshop=workshop).order_by("pk")
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
        "participants": [{"group": group_name.get(p.group_id), **_dump(p)} for p in participants],
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
                "facilitator": facilitator_email[a.facilitator_id],
                "session": session_key[a.session_id],
                "group": group_name[a.group_id],
                **_dump(a),
            }
            for a in Assignment.objects.filter(session__workshop=workshop).order_by("pk")
        ],
        "questions": [
            {"key": question_key[q.pk], "session": session_key.get(q.session_id), **_dump(q)} for q in questions
        ],
        "worksheets": worksheets,
        "team_notes": [
            {
                "session": session_key[n.session_id],
                "group": group_name[n.group_id],
                "updated_by": facilitator_email.get(n.updated_by_id),
                **_dump(n),
            }
            for n in TeamNote.objects.filter(session__workshop=workshop).order_by("pk")
        ],
        "invitations": [
            {
                "participant": participant_email.get(i.participant_id),
                "facilitator": facilitator_email.get(i.facilitator_id),
                "created_by": i.created_by.username if i.created_by_id else None,
                **_dump(i),
            }
            for i in Invitation.objects.filter(workshop=workshop).select_related("created_by").order_by("pk")
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

    participants = {}
    for row in content["participants"]:
        row = dict(row)
        group = row.pop("group")
        participant = _load(Participant, row, workshop=workshop, group=groups[group] if group else None)
        participants[participant.email.lower()] = participant
    _bulk(Participant, list(participants.values()), progress)
    facilitators, expertise, windows = {}, [], []
    for row in content["facilitators"]:
        row = dict(row)
        numbers, availability = row.pop("expertise"), row.pop("availability")
        facilitator = _load(Facilitator, row, workshop=workshop)
        facilitators[facilitator.email.lower()] = facilitator
        expertise += [(facilitator, sections[number]) for number in numbers]
        windows += [_load(Availability, window, facilitator=facilitator) for window in availability]
    _bulk(Facilitator, list(facilitators.values()), progress)
    Through = Facilitator.expertise.through
    _bulk(Through, [Through(facilitator=f, section=s) for f, s in expertise], progress, resolve=True)
    _bulk(Availability, windows, progress, resolve=True)

    def participant(email):
        return participants[email.lower()] if email else None

    def facilitator(email):
        return facilitators[email.lower()] if email else None

    assignments = []
    for row in content["assignments"]:
        row = dict(row)
        assignments.append(
            _load(
                Assignment,
                row,
                facilitator=facilitator(row.pop("facilitator")),
                session=sessions[row.pop("session")],
                group=groups[row.pop("group")],
            )
        )
    _bulk(Assignment, assignments, progress)

    questions = {}
    for row in content["questions"]:
        row = dict(row)
        key, session = row.pop("key"), row.pop("session")
        if "never_shared" not in row:  # a file written before questions could be: the default personal notes are
            row["never_shared"] = row.get("text_en") == "Personal notes"
        questions[key] = _load(Question, row, workshop=workshop, session=sessions[session] if session else None)
    _bulk(Question, list(questions.values()), progress)

    worksheets, answers = [], []
    for row in content["worksheets"]:
        row = dict(row)
        rows = row.pop("answers")
        worksheet = _load(
            Worksheet, row, participant=participant(row.pop("participant")), session=sessions[row.pop("session")]
        )
        worksheets.append(worksheet)
        for answer in rows:
            answer = dict(answer)
            answers.append(_load(Answer, answer, worksheet=worksheet, question=questions[answer.pop("question")]))
    _bulk(Worksheet, worksheets, progress)
    _bulk(Answer, answers, progress, resolve=True)

    notes = []
    for row in content["team_notes"]:
        row = dict(row)
        notes.append(
            _load(
                TeamNote,
                row,
                session=sessions[row.pop("session")],
                group=groups[row.pop("group")],
                updated_by=facilitator(row.pop("updated_by")),
            )
        )
    _bulk(TeamNote, notes, progress)

    invitations = []
    creators = {
        u.username: u
        for u in User.objects.filter(username__in={r["created_by"] for r in content["invitations"] if r["created_by"]})
    }
    for row in content["invitations"]:
        row = dict(row)
        invitations.append(
            _load(
                Invitation,
                row,
                workshop=workshop,
                participant=participant(row.pop("participant")),
                facilitator=facilitator(row.pop("facilitator")),
                created_by=creators.get(row.pop("created_by")),
            )
        )
    _bulk(Invitation, invitations, progress)
    return RestoreResult(workshop=workshop, created_organisers=created_organisers)
