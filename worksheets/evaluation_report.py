"""The evaluation's figures: per form (each session, the whole workshop), per group, and the knowledge check.

Plain data (dicts, lists, numbers, strings) for the organiser's page, the funders' summary and its
files. Nothing here names or counts a person: responses carry no one (`worksheets.models`).
A group's responses to a form (or its knowledge checks in a session) are one slice; a slice with
fewer than `REPORT_MIN_ANONYMOUS_SHARERS` of them is withheld everywhere, and a form's or a
session's figures are built from the slices shown only, so that no difference between two
figures isolates a withheld group (the rule of `worksheets.anonymity`).
"""

from collections import defaultdict

from django.conf import settings

from workshops.models import BreakoutSession, Group, Workshop

from .anonymity import anonymous_sharers_enough
from .enums import SCALE_MAX, SCALE_MIN, EvaluationKind, EvaluationScope, KnowledgePhase
from .models import EvaluationAnswer, EvaluationQuestion, EvaluationResponse, KnowledgeAttempt

SCALE_VALUES = list(range(SCALE_MIN, SCALE_MAX + 1))


def _scale_figures(ratings: list[int]) -> dict:
    """Count, mean (2 decimals) and the count of each rating 1–5, with each rating's share in percent."""
    count = len(ratings)
    distribution = [ratings.count(value) for value in SCALE_VALUES]
    return {
        "count": count,
        "mean": round(sum(ratings) / count, 2) if count else None,
        "distribution": [
            {"value": value, "count": n, "percent": round(100 * n / count) if count else 0}
            for value, n in zip(SCALE_VALUES, distribution, strict=True)
        ],
    }


def _session_data(session: BreakoutSession | None) -> dict | None:
    if session is None:
        return None
    return {"id": session.pk, "title": session.title, "start": session.start, "end": session.end}


def evaluation_summary(*, workshop: Workshop) -> dict:
    """Every evaluation form's figures, in a fixed number of queries.

    {"threshold": n, "forms": [{"session": {"id", "title", "start", "end"} or None (the whole
    workshop), "responses": shown, "withheld_responses": n, "questions": [{"id", "text", "topic",
    "kind", "count", "mean", "distribution": [{"value", "count", "percent"}], "comments": [text]}],
    "groups": [{"name", "responses", "withheld", "questions": [{"id", "count", "mean", "distribution"}]}]}]}
    Sessions in time order, then the whole workshop. Comments are sorted by their text.
    """
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).order_by("start", "pk"))
    groups = list(Group.objects.filter(workshop=workshop).order_by("name", "pk"))
    questions = list(EvaluationQuestion.objects.filter(workshop=workshop).order_by("order", "pk"))
    responses = defaultdict(int)  # (session_id, group_id) -> responses
    for session_id, group_id in EvaluationResponse.objects.filter(workshop=workshop).values_list(
        "session_id", "group_id"
    ):
        responses[(session_id, group_id)] += 1
    answers = defaultdict(list)  # (session_id, group_id, question_id) -> [(scale, text)]
    for session_id, group_id, question_id, scale, text in EvaluationAnswer.objects.filter(
        response__workshop=workshop
    ).values_list("response__session_id", "response__group_id", "question_id", "scale", "text"):
        answers[(session_id, group_id, question_id)].append((scale, text))

    group_names = {group.pk: group.name for group in groups}
    group_ids = [group.pk for group in groups] + [None]  # None: people not placed in a group
    forms = []
    for session in [*sessions, None]:
        scope = EvaluationScope.SESSION if session else EvaluationScope.WORKSHOP
        form_questions = [q for q in questions if q.scope == scope]
        session_id = session.pk if session else None
        shown = [g for g in group_ids if anonymous_sharers_enough(responses[(session_id, g)])]
        withheld = sum(responses[(session_id, g)] for g in group_ids if g not in shown)
        form = {
            "session": _session_data(session),
            "responses": sum(responses[(session_id, g)] for g in shown),
            "withheld_responses": withheld,
            "questions": [],
            "groups": [],
        }
        for question in form_questions:
            given = [a for g in shown for a in answers[(session_id, g, question.pk)]]
            row = {"id": question.pk, "text": question.text, "topic": question.topic, "kind": question.kind}
            if question.kind == EvaluationKind.SCALE:
                row |= _scale_figures([scale for scale, _text in given if scale is not None])
                row["comments"] = []
            else:
                row |= {"count": sum(1 for _s, text in given if text), "mean": None, "distribution": []}
                row["comments"] = sorted(text for _s, text in given if text)
            form["questions"].append(row)
        for group_id in group_ids:
            count = responses[(session_id, group_id)]
            if not count:
                continue
            is_shown = group_id in shown
            form["groups"].append(
                {
                    "name": group_names.get(group_id, ""),
                    "responses": count if is_shown else None,
                    "withheld": not is_shown,
                    "questions": [
                        {"id": q.pk, "text": q.text}
                        | _scale_figures([s for s, _t in answers[(session_id, group_id, q.pk)] if s is not None])
                        for q in form_questions
                        if q.kind == EvaluationKind.SCALE
                    ]
                    if is_shown
                    else [],
                }
            )
        if form["responses"] or withheld or session is None:
            forms.append(form)
    return {"threshold": settings.REPORT_MIN_ANONYMOUS_SHARERS, "forms": forms}


def _phase_figures(attempts: list[tuple[int, int]]) -> dict:
    """Attempts and their mean score in percent of the questions (one decimal)."""
    if not attempts:
        return {"attempts": 0, "mean_percent": None}
    percents = [100 * score / out_of for score, out_of in attempts if out_of]
    return {"attempts": len(attempts), "mean_percent": round(sum(percents) / len(percents), 1) if percents else None}


def _change(before: dict, after: dict) -> float | None:
    if before["mean_percent"] is None or after["mean_percent"] is None:
        return None
    return round(after["mean_percent"] - before["mean_percent"], 1)


def knowledge_summary(*, workshop: Workshop) -> dict:
    """The knowledge check's mean score before and after each session, and the change, per session and group.

    {"threshold": n, "sessions": [{"session": {...}, "before": {"attempts", "mean_percent"},
    "after": {...}, "change": percentage points or None, "groups": [{"name", "withheld", "before",
    "after", "change"}]}]}. A group is shown only when both its phases reach the threshold; a
    session's figures are those of its groups shown. Sessions without attempts are left out.
    """
    sessions = {s.pk: s for s in BreakoutSession.objects.filter(workshop=workshop).order_by("start", "pk")}
    group_names = dict(Group.objects.filter(workshop=workshop).values_list("pk", "name"))
    attempts = defaultdict(list)  # (session_id, group_id, phase) -> [(score, out_of)]
    for session_id, group_id, phase, score, out_of in KnowledgeAttempt.objects.filter(
        session__workshop=workshop
    ).values_list("session_id", "group_id", "phase", "score", "out_of"):
        attempts[(session_id, group_id, phase)].append((score, out_of))
    rows = []
    for session_id, session in sessions.items():
        group_ids = sorted(
            {g for (s, g, _p) in attempts if s == session_id}, key=lambda g: (g is None, group_names.get(g, ""))
        )
        if not group_ids:
            continue
        groups, before_all, after_all = [], [], []
        for group_id in group_ids:
            before = attempts[(session_id, group_id, KnowledgePhase.BEFORE)]
            after = attempts[(session_id, group_id, KnowledgePhase.AFTER)]
            shown = anonymous_sharers_enough(len(before)) and anonymous_sharers_enough(len(after))
            row = {"name": group_names.get(group_id, ""), "withheld": not shown}
            if shown:
                before_all += before
                after_all += after
                row |= {"before": _phase_figures(before), "after": _phase_figures(after)}
                row["change"] = _change(row["before"], row["after"])
            groups.append(row)
        before_figures, after_figures = _phase_figures(before_all), _phase_figures(after_all)
        rows.append(
            {
                "session": _session_data(session),
                "before": before_figures,
                "after": after_figures,
                "change": _change(before_figures, after_figures),
                "groups": groups,
            }
        )
    return {"threshold": settings.REPORT_MIN_ANONYMOUS_SHARERS, "sessions": rows}
