"""The evaluation forms and the knowledge check: when they open and close, and saving them anonymously.

A participant's answers go into an `EvaluationResponse` that names no one; in the same transaction
an `EvaluationSubmission` records *that* they answered (for the certificate rule, one per form).
To edit their answers later, the response is found again by `evaluation_key`: an HMAC of the
participant's id and the form under a key derived from settings.SECRET_KEY. The database alone
cannot join a response to a person; someone holding the server's secret key could recompute the
key for each participant (see the README, "Evaluation").
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac

from workshops.models import BreakoutSession, Participant, Workshop
from workshops.timezones import workshop_zone

from .enums import ANSWER_MAX_LENGTH, SCALE_MAX, SCALE_MIN, EvaluationKind, EvaluationScope, EvaluationTopic
from .evaluation_defaults import DEFAULT_EVALUATION_QUESTIONS
from .models import (
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    EvaluationSubmission,
    EvaluationWindow,
    KnowledgeAttempt,
    KnowledgePhase,
    KnowledgeQuestion,
    KnowledgeTaken,
)

EVALUATION_DAYS_OPEN = 7  # after the workshop's last day, unless the organisers set a closing time
KEY_SALT = "worksheets.evaluation.response"


@transaction.atomic
def evaluation_questions_create_defaults(*, workshop: Workshop) -> list[EvaluationQuestion]:
    """Give a workshop the ready-made evaluation questions in three languages, unless it has some already."""
    existing = list(EvaluationQuestion.objects.filter(workshop=workshop))
    if existing:
        return existing
    created = []
    order = {EvaluationScope.SESSION: 0, EvaluationScope.WORKSHOP: 0}
    for spec in DEFAULT_EVALUATION_QUESTIONS:
        order[spec["scope"]] += 1
        fields = {"workshop": workshop, "scope": spec["scope"], "topic": spec["topic"], "kind": spec["kind"]}
        fields |= {f"text_{code}": spec["text"][code] for code in ("en", "es", "fr")}
        created.append(EvaluationQuestion.objects.create(order=order[spec["scope"]], **fields))
    return created


def evaluation_closes_at(*, workshop: Workshop, window: EvaluationWindow | None = None) -> datetime:
    """When the workshop's evaluation closes: the organisers' time, or midnight (the venue's) ending
    the `EVALUATION_DAYS_OPEN`th day after the last day."""
    if window is None:
        window = EvaluationWindow.objects.filter(workshop=workshop).first()
    if window is not None and window.closes_at is not None:
        return window.closes_at
    last = workshop.end_date + timedelta(days=EVALUATION_DAYS_OPEN + 1)
    return datetime.combine(last, time(0, 0), tzinfo=workshop_zone(workshop))


def evaluation_opens_at(*, workshop: Workshop, session: BreakoutSession | None) -> datetime:
    """A session's evaluation opens when it ends; the whole workshop's when its last session ends
    (or on its last day, without sessions)."""
    if session is not None:
        return session.end
    last_end = BreakoutSession.objects.filter(workshop=workshop).aggregate(end=Max("end"))["end"]
    if last_end is not None:
        return last_end
    return datetime.combine(workshop.end_date, time(0, 0), tzinfo=workshop_zone(workshop))


def evaluation_key(*, participant_id: int, session_id: int | None) -> str:
    """The key that finds one participant's response to one form again, and nothing else."""
    form = f"session:{session_id}" if session_id is not None else "workshop"
    return salted_hmac(KEY_SALT, f"{participant_id}:{form}", algorithm="sha256").hexdigest()


def participant_interpreted(participant: Participant) -> bool:
    """Whether the participant's room has interpretation (the room of their group, for every session)."""
    group = participant.group
    return bool(group and group.room_id and group.room.language_mode.interpretation)


def evaluation_questions(*, workshop: Workshop, session: BreakoutSession | None, interpreted: bool):
    """The questions of one form, in order; the interpretation question only where there is interpretation."""
    scope = EvaluationScope.SESSION if session is not None else EvaluationScope.WORKSHOP
    questions = EvaluationQuestion.objects.filter(workshop=workshop, scope=scope).order_by("order", "pk")
    if not interpreted:
        questions = questions.exclude(topic=EvaluationTopic.INTERPRETATION)
    return list(questions)


def evaluation_response_of(*, participant: Participant, session: BreakoutSession | None):
    """The participant's own response to the form (found by its key) and its answers by question id, or (None, {})."""
    key = evaluation_key(participant_id=participant.pk, session_id=session.pk if session else None)
    response = EvaluationResponse.objects.filter(key=key).first()
    answers = EvaluationAnswer.objects.filter(response__key=key)  # two queries, answered or not
    return response, {answer.question_id: answer for answer in answers}


@dataclass(frozen=True)
class EvaluationSaved:
    saved: bool
    revision: int
    problem: str = ""  # "stale", "closed", "empty", "not_open"


def _clean_values(questions, values: dict) -> dict[int, tuple[int | None, str]]:
    """The answers given, per question id: a rating 1–5 or a text; what is empty or out of range is dropped."""
    clean = {}
    for question in questions:
        value = values.get(question.pk)
        if value is None:
            continue
        if question.kind == EvaluationKind.SCALE:
            try:
                rating = int(value)
            except (TypeError, ValueError):
                continue
            if SCALE_MIN <= rating <= SCALE_MAX:
                clean[question.pk] = (rating, "")
        else:
            text = str(value).replace("\x00", "").strip()[:ANSWER_MAX_LENGTH]
            if text:
                clean[question.pk] = (None, text)
    return clean


def evaluation_submit(
    *,
    participant: Participant,
    session: BreakoutSession | None,
    values: dict[int, str],
    base_revision: int,
    now: datetime | None = None,
) -> EvaluationSaved:
    """Save the participant's answers to one form, anonymously, and record that they answered.

    Refused (nothing written) before the form opens, after the evaluation closes, when every
    answer is empty, and when the response changed since the page was read (`base_revision`, 0
    for a first answer): another window's answers are never overwritten unseen.
    """
    workshop = participant.workshop
    now = now or timezone.now()
    if now < evaluation_opens_at(workshop=workshop, session=session):
        return EvaluationSaved(False, 0, "not_open")
    if now >= evaluation_closes_at(workshop=workshop):
        return EvaluationSaved(False, 0, "closed")
    interpreted = participant_interpreted(participant)
    questions = evaluation_questions(workshop=workshop, session=session, interpreted=interpreted)
    clean = _clean_values(questions, values)
    if not clean:
        return EvaluationSaved(False, base_revision, "empty")
    key = evaluation_key(participant_id=participant.pk, session_id=session.pk if session else None)
    try:
        with transaction.atomic():
            response = EvaluationResponse.objects.select_for_update().filter(key=key).first()
            if response is None:
                if base_revision != 0:
                    return EvaluationSaved(False, 0, "stale")
                if EvaluationSubmission.objects.filter(participant=participant, session=session).exists():
                    # Answered already, under a key that no longer finds it (a restore, a new secret
                    # key): a second answer would be counted twice.
                    return EvaluationSaved(False, 0, "answered")
                response = EvaluationResponse.objects.create(
                    workshop=workshop, session=session, group=participant.group, interpreted=interpreted, key=key
                )
            elif response.revision != base_revision:
                return EvaluationSaved(False, response.revision, "stale")
            else:
                response.revision += 1
                response.group = participant.group
                response.interpreted = interpreted
                response.save(update_fields=["revision", "group", "interpreted"])
                response.answers.all().delete()
            EvaluationAnswer.objects.bulk_create(
                EvaluationAnswer(response=response, question_id=qid, scale=rating, text=text)
                for qid, (rating, text) in clean.items()
            )
            EvaluationSubmission.objects.get_or_create(participant=participant, session=session)
    except IntegrityError:  # a first answer from two windows at once: the other one won
        return EvaluationSaved(False, 1, "stale")
    return EvaluationSaved(True, response.revision)


def knowledge_questions(*, session: BreakoutSession) -> list[KnowledgeQuestion]:
    return list(KnowledgeQuestion.objects.filter(session=session).order_by("order", "pk"))


def knowledge_open(*, session: BreakoutSession, phase: str, now: datetime | None = None, closes_at=None) -> bool:
    """Before: until the session starts. After: from its end until the evaluation closes."""
    now = now or timezone.now()
    if phase == KnowledgePhase.BEFORE:
        return now < session.start
    return session.end <= now < (closes_at or evaluation_closes_at(workshop=session.workshop))


@dataclass(frozen=True)
class KnowledgeScored:
    saved: bool
    score: int = 0
    out_of: int = 0
    problem: str = ""  # "taken", "closed", "incomplete"


def knowledge_submit(
    *, participant: Participant, session: BreakoutSession, phase: str, choices: dict[int, str], now=None
) -> KnowledgeScored:
    """Score one knowledge check and keep the score anonymously, once per participant, session and phase.

    Every question must be answered. The score is stored with the session, group and phase only;
    `KnowledgeTaken` records that the participant took it (in the same transaction).
    """
    if not knowledge_open(session=session, phase=phase, now=now):
        return KnowledgeScored(False, problem="closed")
    questions = knowledge_questions(session=session)
    picked = {}
    for question in questions:
        try:
            picked[question.pk] = int(choices.get(question.pk, ""))
        except (TypeError, ValueError):
            return KnowledgeScored(False, problem="incomplete")
        if picked[question.pk] not in {number for number, _text in question.choices()}:
            return KnowledgeScored(False, problem="incomplete")
    if not questions:
        return KnowledgeScored(False, problem="closed")
    score = sum(1 for q in questions if picked[q.pk] == q.correct)
    try:
        with transaction.atomic():
            KnowledgeTaken.objects.create(participant=participant, session=session, phase=phase)
            KnowledgeAttempt.objects.create(
                session=session, group=participant.group, phase=phase, score=score, out_of=len(questions)
            )
    except IntegrityError:
        return KnowledgeScored(False, problem="taken")
    return KnowledgeScored(True, score=score, out_of=len(questions))


def evaluation_my_day(*, participant: Participant, sessions: list[BreakoutSession], now=None) -> dict:
    """What "my day" offers: on each session, `session.evaluation` ({"state", "answered"}) and
    `session.knowledge` ({"before", "after"}: "open", "taken", "closed" or "" without questions);
    returned, the whole workshop's form ({"state", "answered"}). States: "not_open", "open", "closed".
    Four queries, whatever the number of sessions."""
    now = now or timezone.now()
    workshop = participant.workshop
    closes_at = evaluation_closes_at(workshop=workshop)
    answered = set(EvaluationSubmission.objects.filter(participant=participant).values_list("session_id", flat=True))
    with_questions = set(
        KnowledgeQuestion.objects.filter(session__workshop=workshop).values_list("session_id", flat=True)
    )
    taken = set(KnowledgeTaken.objects.filter(participant=participant).values_list("session_id", "phase"))

    def state(opens_at):
        return "not_open" if now < opens_at else "closed" if now >= closes_at else "open"

    for session in sessions:
        session.evaluation = {"state": state(session.end), "answered": session.pk in answered}
        knowledge = {}
        for phase in KnowledgePhase.values:
            if session.pk not in with_questions:
                knowledge[phase] = ""
            elif (session.pk, phase) in taken:
                knowledge[phase] = "taken"
            else:
                knowledge[phase] = (
                    "open" if knowledge_open(session=session, phase=phase, now=now, closes_at=closes_at) else "closed"
                )
        session.knowledge = knowledge
    if sessions:
        opens_at = max(session.end for session in sessions)
    else:
        opens_at = evaluation_opens_at(workshop=workshop, session=None)
    return {"state": state(opens_at), "answered": None in answered}


def evaluation_prepare(*, workshop: Workshop) -> EvaluationWindow:
    """On a workshop's first use of the evaluation: its closing-time row, and the ready-made questions.

    Only once: questions the organisers removed later are not brought back. One query once done.
    """
    window = EvaluationWindow.objects.filter(workshop=workshop).first()
    if window is not None:
        return window
    with transaction.atomic():
        window, created = EvaluationWindow.objects.get_or_create(workshop=workshop)
        if created:
            evaluation_questions_create_defaults(workshop=workshop)
    return window
