"""The participant's evaluation forms (each session, the whole workshop) and knowledge checks.

Each page answers 200 with what the participant may do now: not open yet, the form, or the
answers read-only once the evaluation has closed. Nothing on these pages is shown to anyone else.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from workshops.models import BreakoutSession, Participant

from ..decorators import personal_page
from ..enums import EvaluationKind, KnowledgePhase
from ..evaluation import (
    evaluation_closes_at,
    evaluation_opens_at,
    evaluation_prepare,
    evaluation_questions,
    evaluation_response_of,
    evaluation_submit,
    knowledge_open,
    knowledge_questions,
    knowledge_submit,
    participant_interpreted,
)
from ..models import KnowledgeTaken
from .participant import _participant

PROBLEMS = {
    "stale": lambda: _(
        "These answers were changed in another window since you opened this page. Here they are as saved "
        "now: check them and send again."
    ),
    "closed": lambda: _("The evaluation is closed: nothing was saved."),
    "not_open": lambda: _("This evaluation opens when the session ends."),
    "empty": lambda: _("Answer at least one question."),
    "answered": lambda: _(
        "You answered this evaluation already; your answers can no longer be changed from here. Nothing was saved."
    ),
}


def _participant_full(request) -> Participant:
    participant = _participant(request)
    return Participant.objects.select_related("workshop", "group__room__language_mode").get(pk=participant.pk)


def _evaluation(request, session: BreakoutSession | None):
    participant = _participant_full(request)
    workshop = participant.workshop
    window = evaluation_prepare(workshop=workshop)  # the ready-made questions, on first use
    now = timezone.now()
    opens_at = evaluation_opens_at(workshop=workshop, session=session)
    closes_at = evaluation_closes_at(workshop=workshop, window=window)
    questions = evaluation_questions(
        workshop=workshop, session=session, interpreted=participant_interpreted(participant)
    )
    status = 200
    posted = None
    if request.method == "POST":
        values = {q.pk: request.POST.get(f"q{q.pk}") for q in questions}
        try:
            base_revision = int(request.POST.get("revision", "0"))
        except ValueError:
            base_revision = -1
        result = evaluation_submit(
            participant=participant, session=session, values=values, base_revision=base_revision, now=now
        )
        if result.saved:
            messages.success(request, _("Thank you: your evaluation is saved. You can change it until it closes."))
            return redirect(request.path)
        messages.error(request, PROBLEMS[result.problem]())
        status = {"stale": 409, "closed": 403, "not_open": 403, "empty": 400, "answered": 409}[result.problem]
        if result.problem == "empty":
            posted = values
    response, saved = evaluation_response_of(participant=participant, session=session)
    rows = []
    for question in questions:
        answer = saved.get(question.pk)
        value = posted.get(question.pk) if posted else None
        if value is None and answer is not None:
            value = str(answer.scale) if question.kind == EvaluationKind.SCALE and answer.scale else answer.text
        rows.append({"question": question, "value": value or ""})
    return render(
        request,
        "worksheets/evaluation.html",
        {
            "participant": participant,
            "workshop": workshop,
            "session": session,
            "rows": rows,
            "revision": response.revision if response else 0,
            "answered": response is not None,
            "state": "not_open" if now < opens_at else "closed" if now >= closes_at else "open",
            "opens_at": opens_at,
            "closes_at": closes_at,
            "scale": ["1", "2", "3", "4", "5"],
        },
        status=status,
    )


@personal_page
def evaluation_session(request, session_id):
    participant = _participant(request)
    session = get_object_or_404(
        BreakoutSession.objects.select_related("workshop", "section"), pk=session_id, workshop=participant.workshop_id
    )
    return _evaluation(request, session)


@personal_page
def evaluation_workshop(request):
    return _evaluation(request, None)


@personal_page
def knowledge_check(request, session_id, phase):
    if phase not in KnowledgePhase.values:
        raise Http404
    participant = _participant_full(request)
    session = get_object_or_404(
        BreakoutSession.objects.select_related("workshop"), pk=session_id, workshop=participant.workshop_id
    )
    questions = knowledge_questions(session=session)
    status, scored = 200, None
    if request.method == "POST" and questions:
        choices = {q.pk: request.POST.get(f"k{q.pk}", "") for q in questions}
        scored = knowledge_submit(participant=participant, session=session, phase=phase, choices=choices)
        if not scored.saved:
            messages.error(
                request,
                {
                    "taken": _("You have already answered this knowledge check."),
                    "closed": _("This knowledge check is not open now: nothing was saved."),
                    "incomplete": _("Answer every question."),
                }[scored.problem],
            )
            status = 400 if scored.problem == "incomplete" else 403
            scored = None
    taken = KnowledgeTaken.objects.filter(participant=participant, session=session, phase=phase).exists()
    return render(
        request,
        "worksheets/knowledge.html",
        {
            "participant": participant,
            "workshop": session.workshop,
            "session": session,
            "phase": KnowledgePhase(phase),
            "questions": questions,
            "taken": taken,
            "scored": scored,
            "open": knowledge_open(session=session, phase=phase),
        },
        status=status,
    )
