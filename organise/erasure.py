"""Erasing a participant's personal data on request.

What goes, and why:
- name, e-mail, organisation, country and gender: they say who the person is. The name and
  e-mail become placeholders (“Erased participant 42”, erased-42@erased.invalid) because both
  are required and the e-mail is unique in its workshop; organisation, country and gender are
  emptied.
- the login behind their personal link is deleted: every link they were sent stops working.
- their private worksheets are deleted with their answers (they were for their use only), and so
  are their answers to "never shared" questions (personal notes) in the worksheets they shared.
- their shared worksheets stay, for the organisers' feedback report, but shared “with my name”
  becomes “without my name”: no name is ever shown again (the name is erased anyway).
- the invitations sent to them (which hold their address) are deleted.
- free text kept by the workshop is scrubbed of them: in their own shared answers and in the
  admin's history of their own records, their name, each part of it, their e-mail and their
  organisation become “[erased]”. In everyone else's texts (answers, the facilitators' notes,
  the solver runs' problems and errors, the admin's history of the workshop's other records)
  their e-mail always does, and their full name does when it can only mean them: at least two
  words, written as a name (not all in lower case), and no other participant or facilitator of
  the workshop bears it. Any other mention (a name shared with someone else, a name that is
  also a common word like “May Rose” in “we may need”, a lone first name or surname) is
  *uncertain*: `erasure_plans` lists it for the organiser, and it changes only if they choose
  it. Texts the organisers may not read (private worksheets, others' personal notes, facilitators'
  notes) are listed without their text, and so are anonymous answers the feedback report withholds (too few
  sharers in their session, group and region: `worksheets.anonymity`). Each scrubbed answer or
  note gets a new revision, so a tab still open on the old text cannot write the name back: its
  next save is refused as stale.

What stays: the region (the report's coarse filter), the languages spoken and the group
(the room's language fit and the group sizes stay right for the rest of the event), and the
interface language. None of these names anyone on its own.
"""

import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, F, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from worksheets.anonymity import anonymous_rows_withhold
from worksheets.enums import Sharing
from worksheets.models import Answer, GroupSummary, Question, TeamNote, Worksheet
from workshops.jobs import jobs_stop_unfinished
from workshops.models import (
    Assignment,
    Availability,
    BreakoutSession,
    Certificate,
    Facilitator,
    Group,
    ImportUpload,
    Invitation,
    Job,
    LanguageMode,
    Participant,
    ProgrammeItem,
    Room,
    ScheduleRun,
    Workshop,
)


@dataclass(frozen=True)
class ErasureResult:
    private_worksheets_deleted: int
    shared_worksheets_anonymised: int
    invitations_deleted: int
    login_deleted: bool
    texts_scrubbed: int = 0


ERASED = "[erased]"


def erased_name(pk: int) -> str:
    return f"Erased participant {pk}"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@erased.invalid"  # .invalid is reserved: nothing can ever be sent there


def participant_is_erased(participant: Participant) -> bool:
    return participant.email == erased_email(participant.pk)


@dataclass(frozen=True)
class TextChange:
    """One kept text that erasing a participant changes (or would, if the organiser chooses)."""

    key: str  # "answer:12", "note:3", "run:5", "log:9": what the organiser ticks
    where: str
    before: str  # empty when `hidden`
    after: str  # empty when `hidden`
    words: tuple[str, ...]  # the words replaced, as written
    hidden: bool = False  # a private worksheet or facilitators' notes: organisers may not read it


@dataclass
class ErasurePlan:
    """What erasing `participant` does to the texts the workshop keeps.

    `certain` changes always happen; each of `uncertain` happens only when its key is chosen.
    """

    participant: Participant
    certain: list[TextChange] = field(default_factory=list)
    uncertain: list[TextChange] = field(default_factory=list)
    terms: "_Terms | None" = field(default=None, repr=False)
    own_keys: set[str] = field(default_factory=set, repr=False)

    def rewrite(self, key: str, text: str, *, uncertain_too: bool) -> str:
        """`text` (one field of the record `key`) as the erasure leaves it."""
        if key in self.own_keys:
            return self.terms.own_sub(text)[0]
        (certain, _words), (everything, _more) = self.terms.others_sub(text)
        return everything if uncertain_too else certain


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _pattern(terms: Iterable[str]) -> re.Pattern | None:
    """Whole words (any case) of `terms`, the longest first; None when there is nothing to look for."""
    terms = sorted({term.strip() for term in terms if term and len(term.strip()) >= 2}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)", re.IGNORECASE)


class _Terms:
    """How one participant is mentioned: in their own texts, and (certainly or not) in others'."""

    def __init__(self, participant: Participant, *, namesakes: bool):
        name, email = participant.name.strip(), participant.email.strip()
        self.email = email.casefold()
        self.full = _name_key(name)
        # Their full name can only mean them when it is theirs alone and more than one word.
        self.distinctive = not namesakes and len(name.split()) >= 2
        self.own = _pattern([name, email, *name.split(), participant.organisation])
        self.mention = _pattern([name, email])
        self.parts = _pattern([name, *name.split()])

    def _certain(self, match: re.Match) -> bool:
        text = match.group(0)
        if text.casefold() == self.email:
            return True
        return self.distinctive and _name_key(text) == self.full and not text.islower()

    def own_sub(self, text: str) -> tuple[str, list[str]]:
        return _sub(self.own, text, lambda match: True)

    def others_sub(self, text: str) -> tuple[tuple[str, list[str]], tuple[str, list[str]]]:
        """(the text with the certain mentions replaced, their words), (then with the uncertain too, theirs)."""
        certain = _sub(self.mention, text, self._certain)
        return certain, _sub(self.parts, certain[0], lambda match: True)


def _sub(pattern: re.Pattern | None, text: str, when: Callable[[re.Match], bool]) -> tuple[str, list[str]]:
    if pattern is None or not text:
        return text, []
    words = []

    def replace(match: re.Match) -> str:
        if not when(match):
            return match.group(0)
        words.append(match.group(0))
        return ERASED

    return pattern.sub(replace, text), words


def _words(words: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words))


# Where each model the admin's history can name leads to its workshop.
_LOGGED_MODELS = {
    Workshop: "pk",
    LanguageMode: "workshop_id",
    Room: "workshop_id",
    Group: "workshop_id",
    BreakoutSession: "workshop_id",
    ProgrammeItem: "workshop_id",
    Participant: "workshop_id",
    Facilitator: "workshop_id",
    Availability: "facilitator__workshop_id",
    Assignment: "session__workshop_id",
    Question: "workshop_id",
    Worksheet: "session__workshop_id",
    ScheduleRun: "workshop_id",
    Invitation: "workshop_id",
}


def _log_entries(workshop_id: int) -> list[LogEntry]:
    """The admin's history of every record of one workshop (one query, plus content types once cached)."""
    types = ContentType.objects.get_for_models(*_LOGGED_MODELS)
    condition = Q(pk__in=[])
    for model, path in _LOGGED_MODELS.items():
        ids = model.objects.filter(**{path: workshop_id}).annotate(as_text=Cast("pk", CharField()))
        condition |= Q(content_type=types[model], object_id__in=ids.values("as_text"))
    return list(LogEntry.objects.filter(condition).order_by("pk"))


def _log_texts(entry: LogEntry) -> tuple[str, object]:
    try:
        message = json.loads(entry.change_message) if entry.change_message else ""
    except ValueError:
        message = entry.change_message
    return entry.object_repr, message


def _map_strings(value, change: Callable[[str], str]):
    """`value` (parsed JSON: lists, dicts, strings) with `change` applied to every string but the keys."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {key: _map_strings(item, change) for key, item in value.items()}
    return value


def _joined(value) -> str:
    """Every string of a log entry's (parsed) message, for showing and matching."""
    strings = []
    _map_strings(value, lambda text: strings.append(text) or text)
    return " · ".join(strings)


def erasure_plans(*, participants: Iterable[Participant]) -> list[ErasurePlan]:
    """For each participant, every kept text their erasure changes, and those it could change if chosen.

    Reads only; a fixed number of queries however many participants and workshops (nine, plus the
    content types the first time). Texts organisers may not read (other people's private worksheets,
    the facilitators' notes, the participant's own anonymous answers, which the page would tie
    to them, and others' anonymous answers from a session, group and region with fewer than
    `REPORT_MIN_ANONYMOUS_SHARERS` anonymous sharers, which the report withholds too) are listed with
    `hidden` and without their text: only the words matched, the session and, for an anonymous
    answer, its question. An anonymous answer is never shown with its author's name. Already erased
    participants get an empty plan.
    """
    participants = [p for p in participants if not participant_is_erased(p)]
    if not participants:
        return []
    workshop_ids = {p.workshop_id for p in participants}
    names = defaultdict(int)  # (workshop, name) -> how many people bear it
    for model in (Participant, Facilitator):
        for workshop_id, name in model.objects.filter(workshop_id__in=workshop_ids).values_list("workshop_id", "name"):
            names[(workshop_id, _name_key(name))] += 1
    answers = list(
        Answer.objects.filter(worksheet__session__workshop_id__in=workshop_ids)
        .exclude(text="", scale__isnull=True)  # scale-only answers count as sharers, as in the report
        .select_related("worksheet__participant", "worksheet__session", "question")
        .only(
            "text",
            "scale",
            *(f"question__text_{code}" for code, _name in settings.LANGUAGES),  # the question in any language
            "question__never_shared",
            "worksheet__sharing",
            "worksheet__participant__name",
            "worksheet__participant__workshop_id",
            "worksheet__participant__group_id",
            "worksheet__participant__region",
            "worksheet__session__title",
            *(f"worksheet__session__title_{code}" for code, _name in settings.LANGUAGES),
            "worksheet__session__workshop_id",
        )
        .order_by("worksheet__session__start", "pk")
    )
    # Others' anonymous answers are read only from slices the feedback report shows (worksheets.anonymity).
    shown_anonymous = {
        row["answer_id"]
        for row in anonymous_rows_withhold(
            rows=[
                {
                    "answer_id": answer.pk,
                    "sharing": answer.worksheet.sharing,
                    "worksheet_id": answer.worksheet_id,
                    "session_id": answer.worksheet.session_id,
                    "group_id": answer.worksheet.participant.group_id,
                    "region": answer.worksheet.participant.region,
                }
                for answer in answers
                if answer.worksheet.sharing == Sharing.ANONYMOUS and not answer.question.never_shared
            ]
        )
    }
    answers = [answer for answer in answers if answer.text]
    notes = list(
        TeamNote.objects.filter(session__workshop_id__in=workshop_ids)
        .exclude(text="")
        .select_related("session", "group")
        .order_by("session__start", "group__name")
    )
    summaries = list(  # the report-back's: shared material the organisers read
        GroupSummary.objects.filter(session__workshop_id__in=workshop_ids)
        .exclude(text="")
        .select_related("session", "group")
        .order_by("session__start", "group__name")
    )
    runs = list(ScheduleRun.objects.filter(workshop_id__in=workshop_ids).order_by("pk"))
    logs = {workshop_id: _log_entries(workshop_id) for workshop_id in sorted(workshop_ids)}  # one query each
    log_types = ContentType.objects.get_for_models(Participant, Facilitator, Worksheet)
    worksheet_owner = dict(
        Worksheet.objects.filter(session__workshop_id__in=workshop_ids).values_list("pk", "participant_id")
    )

    plans = []
    for participant in participants:
        terms = _Terms(participant, namesakes=names[(participant.workshop_id, _name_key(participant.name))] > 1)
        plan = ErasurePlan(participant=participant)

        plan.terms = terms

        def consider(key, where, text, *, own, hidden=False, plan=plan, terms=terms):
            if own:
                plan.own_keys.add(key)
                after, words = terms.own_sub(text)
                if words:
                    plan.certain.append(_change(key, where, text, after, words, hidden))
                return
            (certain, certain_words), (everything, uncertain_words) = terms.others_sub(text)
            if certain_words:
                plan.certain.append(_change(key, where, text, certain, certain_words, hidden))
            if uncertain_words:
                plan.uncertain.append(_change(key, where, text, everything, uncertain_words, hidden))

        for answer in answers:
            worksheet = answer.worksheet
            if worksheet.session.workshop_id != participant.workshop_id:
                continue
            own = worksheet.participant_id == participant.pk
            if own and (worksheet.sharing == Sharing.PRIVATE or answer.question.never_shared):
                continue  # deleted with the worksheet, or with their personal notes
            session = worksheet.session.title
            if own and worksheet.sharing == Sharing.ANONYMOUS:
                where = _("One of their own answers shared without their name, %(session)s") % {"session": session}
            elif own:
                where = _("Their own answer shared with their name, %(session)s") % {"session": session}
            elif worksheet.sharing == Sharing.NAMED:
                where = _("%(name)s's answer, %(session)s") % {"name": worksheet.participant.name, "session": session}
            elif worksheet.sharing == Sharing.ANONYMOUS:
                where = _("An anonymous answer to “%(question)s”, %(session)s") % {
                    "question": answer.question.text,
                    "session": session,
                }
            else:
                where = _("Another participant's private worksheet, %(session)s") % {"session": session}
            if not own and answer.question.never_shared:
                where = _("Another participant's personal notes, %(session)s") % {"session": session}
            # Not shown: others' private worksheets, their own anonymous answers (it would name their
            # author), and others' anonymous answers from a slice the report withholds (too few sharers).
            if own:
                hidden = worksheet.sharing == Sharing.ANONYMOUS
            else:
                hidden = (
                    worksheet.sharing == Sharing.PRIVATE
                    or answer.question.never_shared
                    or (worksheet.sharing == Sharing.ANONYMOUS and answer.pk not in shown_anonymous)
                )
            consider(f"answer:{answer.pk}", where, answer.text, own=own, hidden=hidden)
        for note in notes:
            if note.session.workshop_id == participant.workshop_id:
                where = _("Facilitators' notes, %(group)s, %(session)s") % {
                    "group": note.group,
                    "session": note.session.title,
                }
                consider(f"note:{note.pk}", where, note.text, own=False, hidden=True)
        for summary in summaries:
            if summary.session.workshop_id == participant.workshop_id:
                where = _("The report-back summary, %(group)s, %(session)s") % {
                    "group": summary.group,
                    "session": summary.session.title,
                }
                consider(f"summary:{summary.pk}", where, summary.text, own=False)
        for run in runs:
            if run.workshop_id == participant.workshop_id:
                text = "\n".join([*(str(message) for _rule, message in run.problems), run.error])
                consider(f"run:{run.pk}", _("Solver run: %(run)s") % {"run": run}, text.strip(), own=False)
        for entry in logs[participant.workshop_id]:
            object_id = int(entry.object_id) if entry.object_id.isdigit() else None
            about = (entry.content_type_id, object_id)
            own = about == (log_types[Participant].pk, participant.pk) or (
                entry.content_type_id == log_types[Worksheet].pk and worksheet_owner.get(object_id) == participant.pk
            )
            another_person = entry.content_type_id in (log_types[Participant].pk, log_types[Facilitator].pk)
            repr_, message = _log_texts(entry)
            # Another person's record is named after them, never after the one erased.
            text = (
                _joined(message) if another_person and not own else " · ".join(filter(None, [repr_, _joined(message)]))
            )
            where = _("The admin's history of “%(object)s”") % {"object": entry.object_repr}
            consider(f"log:{entry.pk}", where, text, own=own)
        plans.append(plan)
    return plans


def _change(key, where, before, after, words, hidden) -> TextChange:
    if hidden:
        before = after = ""
    return TextChange(key=key, where=where, before=before, after=after, words=_words(words), hidden=hidden)


def _scrub_texts(plan: ErasurePlan, *, chosen: Collection[str]) -> int:
    """Write the plan: every certain change, and the uncertain ones whose key is in `chosen`. Returns how many records changed."""
    allowed = {change.key for change in plan.uncertain} & set(chosen)
    keys = {change.key for change in plan.certain} | allowed
    by_kind = defaultdict(list)
    for key in keys:
        kind, pk = key.split(":")
        by_kind[kind].append(int(pk))

    def rewrite(key, text):
        return plan.rewrite(key, text, uncertain_too=key in allowed)

    changed = 0
    for model, kind in ((Answer, "answer"), (TeamNote, "note"), (GroupSummary, "summary")):
        rows = list(model.objects.filter(pk__in=by_kind[kind]).only("pk", "text", "revision"))
        for row in rows:
            row.text, row.revision = rewrite(f"{kind}:{row.pk}", row.text), row.revision + 1
        model.objects.bulk_update(rows, ["text", "revision"])
        changed += len(rows)
    runs = list(ScheduleRun.objects.filter(pk__in=by_kind["run"]).only("pk", "problems", "error"))
    for run in runs:
        key = f"run:{run.pk}"
        run.problems = [[rule, rewrite(key, str(message))] for rule, message in run.problems]
        run.error = rewrite(key, run.error)
    ScheduleRun.objects.bulk_update(runs, ["problems", "error"])
    changed += len(runs)
    people = {content_type.pk for content_type in ContentType.objects.get_for_models(Participant, Facilitator).values()}
    entries = list(LogEntry.objects.filter(pk__in=by_kind["log"]))
    for entry in entries:
        key = f"log:{entry.pk}"
        if key in plan.own_keys or entry.content_type_id not in people:  # another person's record bears their name
            entry.object_repr = rewrite(key, entry.object_repr)
        _repr, message = _log_texts(entry)
        if isinstance(message, str):
            entry.change_message = rewrite(key, message)
        else:
            entry.change_message = json.dumps(_map_strings(message, lambda text, key=key: rewrite(key, text)))
    LogEntry.objects.bulk_update(entries, ["object_repr", "change_message"])
    return changed + len(entries)


@transaction.atomic
def participant_erase(*, participant: Participant, uncertain: Collection[str] = ()) -> ErasureResult:
    """Remove a participant's personal data; running it again changes nothing.

    Kept texts change as `erasure_plans` says: every certain change, and of the uncertain ones
    only those whose key is in `uncertain` (the organiser's choice; other keys are ignored).
    """
    participant = Participant.objects.select_for_update(of=("self",)).select_related("user").get(pk=participant.pk)
    plans = erasure_plans(participants=[participant])  # before anything is deleted: it names their records
    scrubbed = _scrub_texts(plans[0], chosen=uncertain) if plans else 0
    worksheets = Worksheet.objects.filter(participant=participant)
    private_deleted = worksheets.filter(sharing=Sharing.PRIVATE).delete()[1].get(Worksheet._meta.label, 0)
    Answer.objects.filter(worksheet__participant=participant, question__never_shared=True).delete()  # theirs alone
    anonymised = worksheets.filter(sharing=Sharing.NAMED).update(sharing=Sharing.ANONYMOUS, revision=F("revision") + 1)
    invitations_deleted = Invitation.objects.filter(participant=participant).delete()[1].get(Invitation._meta.label, 0)
    Certificate.objects.filter(participant=participant).delete()  # it names them: its code is unknown from now on
    # Files that may carry their name and address: uploaded registration files kept for a preview or
    # the refused rows' download, and finished jobs' files (the badges PDF). They are made again on demand.
    ImportUpload.objects.filter(workshop_id=participant.workshop_id).delete()
    Job.objects.filter(workshop_id=participant.workshop_id).exclude(result=None).update(result=None, result_size=0)
    # And those still being made: what they make after this could name them.
    jobs_stop_unfinished(workshop_id=participant.workshop_id, message=Job.STOPPED_BY_ERASURE)
    user = participant.user
    participant.user = None
    participant.name = erased_name(participant.pk)
    participant.email = erased_email(participant.pk)
    participant.organisation = ""
    participant.country = ""
    participant.gender = ""
    participant.link_opened_at = None
    participant.save()
    if user is not None:
        user.delete()
    return ErasureResult(
        private_worksheets_deleted=private_deleted,
        shared_worksheets_anonymised=anonymised,
        invitations_deleted=invitations_deleted,
        login_deleted=user is not None,
        texts_scrubbed=scrubbed,
    )
