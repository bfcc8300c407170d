"""Backup and restore of a workshop: a round trip loses nothing; a bad file changes nothing."""

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from curriculum.models import Section
from organise.backup import FORMAT, VERSION, BackupError, workshop_backup_json, workshop_restore
from organise.backup_tables import KINDS
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import (
    Answer,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    EvaluationSubmission,
    EvaluationWindow,
    GroupSummary,
    KnowledgeAttempt,
    KnowledgeQuestion,
    KnowledgeTaken,
    Question,
    TeamNote,
    Worksheet,
)
from workshops.access import person_user_ensure
from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import (
    Announcement,
    Assignment,
    Attendance,
    AttendanceChange,
    Availability,
    BreakoutSession,
    Certificate,
    Facilitator,
    Group,
    Invitation,
    LanguageMode,
    Participant,
    ProgrammeItem,
    Room,
    Workshop,
)

pytestmark = pytest.mark.django_db
SLUG = "idm-2005-capacity"


def natural(obj) -> object:
    """How the canonical dump names a related row: never by its database id."""
    if obj is None:
        return None
    match obj:
        case Workshop():
            return "workshop"
        case LanguageMode():
            return ("mode", obj.name_en, tuple(obj.languages))
        case Room() | Group():
            return (type(obj).__name__, obj.name)
        case BreakoutSession():
            return ("session", obj.title_en, obj.start.isoformat())
        case Participant() | Facilitator():
            return (type(obj).__name__, obj.email)
        case Question():
            return ("question", obj.order, obj.text_en, natural(obj.session))
        case Worksheet():
            return ("worksheet", natural(obj.participant), natural(obj.session))
        case Section():
            return ("section", obj.number, obj.title_en)
        case Attendance():
            return ("attendance", natural(obj.participant), natural(obj.session))
        case EvaluationQuestion():
            return ("evaluation question", obj.scope, obj.topic, obj.order, obj.text_en)
        case EvaluationResponse():  # anonymous: named by where it was given and what it says
            answers = sorted((a.question.text_en, a.scale, a.text) for a in obj.answers.all())
            return ("response", natural(obj.session), natural(obj.group), obj.interpreted, tuple(answers))
    return (type(obj).__name__, obj.username)  # a user


# Unique values a restore next to the original gives anew (organise/backup_tables.py).
FRESH_WHEN_TAKEN = {(Certificate, "code"), (EvaluationResponse, "key")}


def canonical(slug: str) -> dict:
    """Every field of every row of the workshop, in every language, relations by natural key."""
    workshop = Workshop.objects.get(slug=slug)
    querysets = {
        "workshop": Workshop.objects.filter(pk=workshop.pk),
        "modes": LanguageMode.objects.filter(workshop=workshop),
        "rooms": Room.objects.filter(workshop=workshop),
        "groups": Group.objects.filter(workshop=workshop),
        "sessions": BreakoutSession.objects.filter(workshop=workshop),
        "participants": Participant.objects.filter(workshop=workshop),
        "facilitators": Facilitator.objects.filter(workshop=workshop),
        "availability": Availability.objects.filter(facilitator__workshop=workshop),
        "assignments": Assignment.objects.filter(session__workshop=workshop),
        "questions": Question.objects.filter(workshop=workshop),
        "worksheets": Worksheet.objects.filter(session__workshop=workshop),
        "answers": Answer.objects.filter(worksheet__session__workshop=workshop),
        "notes": TeamNote.objects.filter(session__workshop=workshop),
        "summaries": GroupSummary.objects.filter(session__workshop=workshop),
        "invitations": Invitation.objects.filter(workshop=workshop),
        "attendance": Attendance.objects.filter(session__workshop=workshop),
        "attendance_changes": AttendanceChange.objects.filter(attendance__session__workshop=workshop),
        "evaluation_submissions": EvaluationSubmission.objects.filter(participant__workshop=workshop),
        "programme_items": ProgrammeItem.objects.filter(workshop=workshop),
        "certificates": Certificate.objects.filter(participant__workshop=workshop),
        "evaluation_questions": EvaluationQuestion.objects.filter(workshop=workshop),
        "evaluation_window": EvaluationWindow.objects.filter(workshop=workshop),
        "evaluation_responses": EvaluationResponse.objects.filter(workshop=workshop),
        "evaluation_answers": EvaluationAnswer.objects.filter(response__workshop=workshop),
        "knowledge_questions": KnowledgeQuestion.objects.filter(session__workshop=workshop),
        "knowledge_attempts": KnowledgeAttempt.objects.filter(session__workshop=workshop),
        "knowledge_taken": KnowledgeTaken.objects.filter(participant__workshop=workshop),
        "announcements": Announcement.objects.filter(workshop=workshop),
    }
    dump = {}
    for name, queryset in querysets.items():
        rows = []
        for obj in queryset:
            row = {}
            for field in obj._meta.concrete_fields:
                if field.primary_key or field.name == "user":  # link logins are not restored, by design
                    continue
                if (type(obj), field.name) in FRESH_WHEN_TAKEN:  # compared by the tests that mean it
                    continue
                row[field.name] = (
                    natural(getattr(obj, field.name)) if field.is_relation else repr(field.value_from_object(obj))
                )
            rows.append(row)
        dump[name] = sorted(rows, key=repr)
    dump["organisers"] = sorted(workshop.organisers.values_list("username", flat=True))
    dump["expertise"] = sorted(
        (f.email, s.number, s.title_en, s.title_fr, s.title_es)
        for f in Facilitator.objects.filter(workshop=workshop).prefetch_related("expertise")
        for s in f.expertise.all()
    )
    return dump


def delete(workshop):
    """Rooms and groups protect a workshop from deletion: remove them first, as an organiser would."""
    Group.objects.filter(workshop=workshop).delete()
    Room.objects.filter(workshop=workshop).delete()
    workshop.delete()


@pytest.fixture
def rich_workshop(organiser):
    """The demo, plus notes, invitations, a shared and a private worksheet, translations, a window."""
    call_command("load_demo", stdout=StringIO())
    workshop = Workshop.objects.get(slug=SLUG)
    workshop.organisers.add(organiser)
    session = workshop.sessions.order_by("start").first()
    group = workshop.groups.order_by("name").first()
    facilitator = workshop.facilitators.order_by("email").first()
    participant = workshop.participants.order_by("email").first()
    person_user_ensure(person=participant)
    participant.link_opened_at = timezone.now()
    participant.save()
    facilitator.expertise.add(Section.objects.get(number="1.1"))
    Availability.objects.create(facilitator=facilitator, start=session.start, end=session.end + timedelta(hours=2))
    TeamNote.objects.create(session=session, group=group, text="Quiet start; Ana led.", updated_by=facilitator)
    GroupSummary.objects.create(  # beside the demo's: one a facilitator wrote last, in the second session
        session=workshop.sessions.order_by("start").last(),
        group=group,
        text="Two points for the plenary.",
        revision=2,
        updated_by_facilitator=facilitator,
    )
    batch = uuid.uuid4()
    Invitation.objects.create(
        workshop=workshop,
        participant=participant,
        language="fr",
        to_email=participant.email,
        batch=batch,
        status=Invitation.Status.SENT,
        sent_at=timezone.now(),
        created_by=organiser,
    )
    Invitation.objects.create(
        workshop=workshop,
        facilitator=facilitator,
        language="es",
        to_email=facilitator.email,
        batch=batch,
        status=Invitation.Status.FAILED,
        error="550 no such mailbox",
    )
    session.title_fr = "Séance « un »"
    session.save()
    mark, _created = Attendance.objects.update_or_create(
        session=session,
        participant=participant,
        defaults={
            "group": participant.group,
            "status": AttendanceStatus.LATE,
            "source": AttendanceSource.ORGANISER,
            "version": 2,
            "updated_by": organiser,
        },
    )
    AttendanceChange.objects.create(
        attendance=mark, before="", after=AttendanceStatus.PRESENT, source=AttendanceSource.ROSTER
    )
    AttendanceChange.objects.create(
        attendance=mark,
        before=AttendanceStatus.PRESENT,
        after=AttendanceStatus.LATE,
        source=AttendanceSource.ORGANISER,
        changed_by=organiser,
    )
    EvaluationSubmission.objects.get_or_create(participant=participant, session=session)
    EvaluationSubmission.objects.get_or_create(participant=participant, session=None)
    Announcement.objects.create(
        workshop=workshop,
        audience=Announcement.Audience.ROOM,
        room=group.room,
        message_en="Room A moves to the second floor.",
        message_fr="La salle A passe au deuxième étage.",
        created_by=organiser,
        withdrawn_at=timezone.now(),
        withdrawn_by=organiser,
    )
    Certificate.objects.filter(participant__workshop=workshop).order_by("pk").filter(
        pk=Certificate.objects.filter(participant__workshop=workshop).order_by("pk").values("pk")[:1]
    ).update(revoked_at=timezone.now(), revoked_by=organiser, revoke_reason="Issued by mistake")
    assert ProgrammeItem.objects.filter(workshop=workshop).exists()
    assert EvaluationAnswer.objects.filter(response__workshop=workshop).exists()
    assert KnowledgeAttempt.objects.filter(session__workshop=workshop).exists()
    assert Certificate.objects.filter(participant__workshop=workshop, revoked_by=organiser).count() == 1
    assert Worksheet.objects.filter(session__workshop=workshop, sharing=Sharing.NAMED).exists()
    assert Answer.objects.filter(worksheet__session__workshop=workshop).exists()
    return workshop


def test_round_trip_after_deleting_the_workshop_loses_nothing(rich_workshop):
    before = canonical(SLUG)
    before_codes = {c.participant.email: c.code for c in Certificate.objects.select_related("participant")}
    assert before_codes
    text = workshop_backup_json(workshop=rich_workshop)
    delete(rich_workshop)
    assert not Participant.objects.exists() and not Answer.objects.exists()

    result = workshop_restore(text=text)

    assert result.workshop.slug == SLUG
    assert result.created_organisers == []
    after = canonical(SLUG)
    for key in before:
        assert after[key] == before[key], key
    assert len(after["answers"]) == len(before["answers"]) > 0
    assert len(after["invitations"]) == 2 and len(after["notes"]) == 1
    assert len(after["attendance_changes"]) > 2 and after["evaluation_submissions"]
    codes = {c.participant.email: c.code for c in Certificate.objects.select_related("participant")}
    assert codes == before_codes  # a certificate verifies with the same code after a restore
    # Link logins are not restored: everyone gets a new link.
    assert not Participant.objects.filter(user__isnull=False).exists()


def test_restore_under_another_slug_next_to_the_original(rich_workshop):
    before = canonical(SLUG)
    workshop_restore(text=workshop_backup_json(workshop=rich_workshop), slug="copy")
    copy = canonical("copy")
    assert copy.pop("workshop")[0].pop("slug") == "'copy'"
    assert before.pop("workshop")[0].pop("slug") == f"'{SLUG}'"
    assert copy == before
    assert canonical(SLUG)["answers"] == before["answers"]  # the original is untouched
    # Both workshops' certificates verify: the copy's got codes of their own.
    original = set(Certificate.objects.filter(participant__workshop__slug=SLUG).values_list("code", flat=True))
    copied = set(Certificate.objects.filter(participant__workshop__slug="copy").values_list("code", flat=True))
    assert len(copied) == len(original) > 0 and not copied & original


def test_missing_organiser_and_curriculum_are_created(rich_workshop, organiser):
    text = workshop_backup_json(workshop=rich_workshop)
    delete(rich_workshop)
    organiser.delete()
    Section.objects.filter(number="1.1").delete()

    result = workshop_restore(text=text)

    assert result.created_organisers == ["organiser-a"]
    user = get_user_model().objects.get(username="organiser-a")
    assert (user.is_active, user.is_staff, user.has_usable_password()) == (False, True, False)
    section = Section.objects.get(number="1.1")
    assert section.title_en == "Terminology" and section.title_fr and section.title_es
    assert result.workshop.facilitators.filter(expertise=section).count() == 1


def test_file_is_versioned_json_with_natural_keys(rich_workshop):
    document = json.loads(workshop_backup_json(workshop=rich_workshop))
    assert (document["format"], document["version"]) == (FORMAT, VERSION)
    content = document["content"]
    assert content["workshop"]["slug"] == SLUG
    assert "id" not in content["workshop"] and "title" not in content["workshop"]
    assert {"title_en", "title_es", "title_fr"} <= set(content["workshop"])
    assert all(isinstance(row["group"], str) for row in content["assignments"])
    assert all("@" in row["participant"] for row in content["worksheets"])


def test_restoring_twice_refuses_and_changes_nothing(rich_workshop):
    text = workshop_backup_json(workshop=rich_workshop)
    before = canonical(SLUG)
    with pytest.raises(BackupError, match="exists already"):
        workshop_restore(text=text)
    assert Workshop.objects.count() == 1
    assert canonical(SLUG) == before


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: text.replace("Quiet start", "Loud start"), "damaged"),
        (lambda text: json.dumps({"format": "other"}), "not a workshop backup"),
        (lambda text: text.replace(f'"version": {VERSION}', '"version": 99'), "format version 99"),
    ],
)
def test_a_damaged_file_is_refused_with_a_clear_message_and_changes_nothing(rich_workshop, damage, message):
    text = workshop_backup_json(workshop=rich_workshop)
    delete(rich_workshop)
    counts = [Workshop.objects.count(), Room.objects.count(), get_user_model().objects.count()]
    with pytest.raises(BackupError, match=message):
        workshop_restore(text=damage(text))
    assert [Workshop.objects.count(), Room.objects.count(), get_user_model().objects.count()] == counts


def test_a_consistent_but_broken_file_rolls_back_everything(rich_workshop):
    """Checksum recomputed after an edit that breaks a reference half-way: nothing stays behind."""
    from organise.backup import _checksum

    document = json.loads(workshop_backup_json(workshop=rich_workshop))
    delete(rich_workshop)
    document["content"]["assignments"][0]["group"] = "No such group"
    document["checksum"] = _checksum(document["content"])
    with pytest.raises(BackupError, match="Nothing was changed"):
        workshop_restore(text=json.dumps(document))
    assert not Workshop.objects.exists() and not Participant.objects.exists() and not Room.objects.exists()


def test_commands_round_trip_through_a_file(rich_workshop, tmp_path):
    path = tmp_path / "backup.json"
    call_command("workshop_backup", SLUG, "--output", str(path), stderr=StringIO())
    out = StringIO()
    call_command("workshop_restore", str(path), "--slug", "restored", stdout=out)
    assert "Restored" in out.getvalue() and "new link" in out.getvalue()
    assert Workshop.objects.get(slug="restored").participants.count() == rich_workshop.participants.count()
    with pytest.raises(CommandError, match="exists already"):
        call_command("workshop_restore", str(path), stdout=StringIO())
    stdout = StringIO()
    call_command("workshop_backup", "restored", stdout=stdout)
    assert json.loads(stdout.getvalue())["content"]["workshop"]["slug"] == "restored"
    with pytest.raises(CommandError, match="No workshop"):
        call_command("workshop_backup", "nope", stdout=StringIO())


def test_backup_and_restore_take_the_same_number_of_queries_at_two_sizes():
    counts = []
    for size in (4, 12):
        workshop = f.populated_workshop(participants=size, groups=2, sessions=2, facilitators=size // 2)
        with CaptureQueriesContext(connection) as backup:
            text = workshop_backup_json(workshop=workshop)
        with CaptureQueriesContext(connection) as restore:
            workshop_restore(text=text, slug=f"copy-{size}")
        counts.append((len(backup), len(restore)))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 15 + 2 * len(KINDS)  # each declared kind: its rows, and the usernames they name


def test_restore_writes_each_row_once_without_a_case_per_row():
    """Restore inserts rows with their own timestamps: no `bulk_update` (one CASE WHEN per row,
    quadratic on PostgreSQL at 3,000 participants) and no UPDATE at all of the restored rows."""
    workshop = f.populated_workshop(participants=12, groups=2, sessions=2, facilitators=4)
    Invitation.objects.create(
        workshop=workshop,
        participant=workshop.participants.first(),
        language="en",
        to_email="x@example.org",
        batch=uuid.uuid4(),
    )
    text = workshop_backup_json(workshop=workshop)
    with CaptureQueriesContext(connection) as restore:
        workshop_restore(text=text, slug="copy")
    statements = [q["sql"].upper() for q in restore.captured_queries]
    assert [s for s in statements if " CASE " in s] == []
    assert [s for s in statements if s.startswith("UPDATE") and "WORKSHEET" in s.split(" SET ")[0]] == []
    copy = Workshop.objects.get(slug="copy")
    original = Worksheet.objects.filter(session__workshop=workshop).order_by("participant__email", "session__start")
    restored = Worksheet.objects.filter(session__workshop=copy).order_by("participant__email", "session__start")
    assert [(w.created_at, w.updated_at) for w in restored] == [(w.created_at, w.updated_at) for w in original]


def test_restore_command_prints_progress_per_kind_of_row(rich_workshop, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(workshop_backup_json(workshop=rich_workshop))
    participants = rich_workshop.participants.count()
    out = StringIO()
    call_command("workshop_restore", str(path), "--slug", "restored", stdout=out)
    assert f"participants: {participants} / {participants}" in out.getvalue()
    assert "answers: " in out.getvalue()


def _content(text: str) -> dict:
    """A backup's content, as two backups of the same rows are equal: without the values a restore
    next to the original gives anew, and the anonymous rows (read in the order of their random ids,
    which a restore draws anew) as sorted lists without their file-local keys (the round trip's
    canonical comparison checks what refers to what)."""
    content = json.loads(text)["content"]
    for kind in KINDS:
        for row in content.get(kind.key, []):
            for name in kind.fresh_if_taken:
                row.pop(name)
    for key, refs in (
        ("evaluation_responses", ["backup_key"]),
        ("evaluation_answers", ["response"]),
        ("knowledge_attempts", []),
    ):
        content[key] = sorted(
            json.dumps({k: v for k, v in row.items() if k not in refs}, sort_keys=True) for row in content[key]
        )
    return content


def test_a_backup_of_the_restored_workshop_is_the_original_backup(rich_workshop):
    """Every row of every kind comes back as it was: backing the copy up gives the same document,
    texts that CSV or SQL must quote and empty texts next to missing values included."""
    answer = Answer.objects.filter(worksheet__session__workshop=rich_workshop).order_by("pk").first()
    answer.text = 'Line one, "quoted";\nline two \\ N\ttab\r\n\\N, and the end'
    answer.scale = None
    answer.save()
    Participant.objects.filter(pk=rich_workshop.participants.order_by("pk").first().pk).update(organisation="")
    original = _content(workshop_backup_json(workshop=rich_workshop))
    restored = workshop_restore(text=workshop_backup_json(workshop=rich_workshop), slug="copy").workshop
    again = _content(workshop_backup_json(workshop=restored))
    assert again["workshop"].pop("slug") == "copy"
    original["workshop"].pop("slug")
    for kind in original:
        assert again[kind] == original[kind], kind
    assert len(again["worksheets"]) == len(original["worksheets"]) > 0
    assert sum(len(w["answers"]) for w in again["worksheets"]) > 0
    # The tables' sequences went past the restored ids: the next rows saved as usual get new ones.
    newcomer = Participant.objects.create(workshop=restored, name="New", email="new@example.org", country="FR")
    Invitation.objects.create(
        workshop=restored, participant=newcomer, language="en", to_email=newcomer.email, batch=uuid.uuid4()
    )
    assert Invitation.objects.filter(workshop=restored).count() == len(original["invitations"]) + 1


def _rewritten(text: str, change) -> str:
    """The backup after `change(content)`, with its checksum recomputed (a file from another version)."""
    from organise.backup import _checksum

    document = json.loads(text)
    change(document["content"])
    document["checksum"] = _checksum(document["content"])
    return json.dumps(document)


def test_timestamps_come_from_the_backup_and_missing_ones_are_set_as_a_save_would(rich_workshop):
    """`auto_now` fields keep the backup's values (when a worksheet was last edited is history);
    where a file has none, the row gets the time of the restore, as saving it would give."""

    def drop_timestamps(content):
        for worksheet in content["worksheets"]:
            del worksheet["updated_at"], worksheet["created_at"]
            for answer in worksheet["answers"]:
                del answer["updated_at"]
        for note in content["team_notes"]:
            del note["updated_at"]

    text = workshop_backup_json(workshop=rich_workshop)
    kept = workshop_restore(text=text, slug="kept").workshop
    before = timezone.now()
    dated = workshop_restore(text=_rewritten(text, drop_timestamps), slug="dated").workshop
    after = timezone.now()

    original = Worksheet.objects.filter(session__workshop=rich_workshop)
    assert sorted(Worksheet.objects.filter(session__workshop=kept).values_list("created_at", "updated_at")) == sorted(
        original.values_list("created_at", "updated_at")
    )
    assert sorted(Answer.objects.filter(worksheet__session__workshop=kept).values_list("updated_at", flat=True)) == (
        sorted(Answer.objects.filter(worksheet__session__workshop=rich_workshop).values_list("updated_at", flat=True))
    )
    stamps = [
        *Worksheet.objects.filter(session__workshop=dated).values_list("created_at", "updated_at"),
        *Answer.objects.filter(worksheet__session__workshop=dated).values_list("updated_at", "updated_at"),
        *TeamNote.objects.filter(session__workshop=dated).values_list("updated_at", "updated_at"),
    ]
    assert len(stamps) > original.count()
    assert all(before <= stamp <= after for pair in stamps for stamp in pair)


def test_an_unknown_field_in_any_row_is_refused_and_nothing_is_restored(rich_workshop):
    def add_field(content):
        content["worksheets"][-1]["answers"][-1]["colour"] = "red"

    text = _rewritten(workshop_backup_json(workshop=rich_workshop), add_field)
    with pytest.raises(BackupError, match="unknown field “colour”"):
        workshop_restore(text=text, slug="copy")
    assert not Workshop.objects.filter(slug="copy").exists()


def test_the_backup_reads_the_many_rows_as_plain_values_with_the_same_result(rich_workshop):
    """Participants, worksheets, answers... are read without model instances: each row's fields
    come out exactly as from the instance (dates, UUIDs, countries, languages, empty values)."""
    from organise.backup import _dump, _dump_rows

    querysets = [
        Participant.objects.filter(workshop=rich_workshop),
        Assignment.objects.filter(session__workshop=rich_workshop),
        Worksheet.objects.filter(session__workshop=rich_workshop),
        Answer.objects.filter(worksheet__session__workshop=rich_workshop),
        TeamNote.objects.filter(session__workshop=rich_workshop),
        Invitation.objects.filter(workshop=rich_workshop),
    ]
    for queryset in querysets:
        queryset = queryset.order_by("pk")
        assert [data for _pk, data in _dump_rows(queryset, "pk")] == [_dump(row) for row in queryset]
        assert queryset.exists()
