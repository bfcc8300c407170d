"""Reads for the facilitator's pages (always through the facilitator's own assignments) and the
organiser's live progress (`dashboard_progress`)."""

from collections import defaultdict

from django.db.models import Case, Count, F, Q, Value, When
from django.http import Http404

from curriculum.models import SectionItem
from workshops.models import Assignment, BreakoutSession, Facilitator, Group, Participant
from workshops.selectors import facilitators_by_cell

from .anonymity import anonymous_rows_withhold
from .enums import Sharing, WorksheetStatus
from .models import Answer, GroupSummary, Question, TeamNote, Worksheet


def _co_facilitators_of(assignments: list[Assignment], *, facilitator) -> dict[tuple[int, int], list]:
    """Per (session, group) of these assignments, the other facilitators there (name, e-mail,
    languages, the languages sorted as `spoken`), in one query whatever the number of assignments.
    Only the teams of these very assignments: never someone met in another session or group."""
    partners = defaultdict(list)
    if not assignments:
        return partners
    teams = Q()
    for a in assignments:
        teams |= Q(session_id=a.session_id, group_id=a.group_id)
    others = (
        Assignment.objects.filter(teams)
        .exclude(facilitator=facilitator)
        .only("session_id", "group_id", "facilitator__name", "facilitator__email", "facilitator__languages")
    )
    for cell, team in facilitators_by_cell(assignments=others).items():
        for other in team:
            other.facilitator.spoken = sorted(other.facilitator.languages)
        partners[cell] = [other.facilitator for other in team]
    return partners


def facilitator_itinerary(*, facilitator) -> list[Assignment]:
    """The facilitator's assignments in time order, each with `.co_facilitators` (facilitators of the
    same group in the same session: name, e-mail and languages, so they can prepare together)."""
    assignments = list(
        Assignment.objects.filter(facilitator=facilitator)
        .select_related("session__section", "group__room__language_mode")
        .order_by("session__start")
    )
    partners = _co_facilitators_of(assignments, facilitator=facilitator)
    for assignment in assignments:
        assignment.co_facilitators = partners[(assignment.session_id, assignment.group_id)]
    return assignments


def facilitator_assignment(*, facilitator, session_id: int) -> Assignment:
    """The facilitator's own assignment in a session; 404 when they have none there."""
    assignment = (
        Assignment.objects.filter(facilitator=facilitator, session_id=session_id)
        .select_related("session__section", "session__workshop", "group__room__language_mode")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def co_facilitators(*, assignment: Assignment) -> list:
    """The other facilitators of this assignment's group in its session (name, e-mail, languages)."""
    return _co_facilitators_of([assignment], facilitator=assignment.facilitator_id)[
        (assignment.session_id, assignment.group_id)
    ]


# The session's own guide field for each kind of the curriculum's items.
GUIDE_FIELDS = {"guiding_question": "guide_questions", "key_message": "guide_messages", "exercise": "guide_exercises"}
GUIDE_KEYS = {"guiding_question": "guiding_questions", "key_message": "key_messages", "exercise": "exercises"}


def session_guide_content(*, session) -> dict:
    """What facilitators and participants read as the session's guide, in the reader's language.

    For each kind (guiding questions, key messages, exercises): the session's own text when its
    organisers wrote one (one item per line; a language left empty shows the English), otherwise the
    curriculum section's items of that kind. At most one query (the section's items).
    """
    items = (
        list(SectionItem.objects.filter(section_id=session.section_id).order_by("order", "pk"))
        if session.section_id
        else []
    )
    guide = {"written_for_session": False, "has_section": bool(session.section_id)}
    for kind, field in GUIDE_FIELDS.items():
        own = [line.strip() for line in (getattr(session, field) or "").splitlines() if line.strip()]
        if own:
            guide["written_for_session"] = True
        guide[GUIDE_KEYS[kind]] = own or [item.text for item in items if item.kind == kind]
    return guide


def session_guide(*, assignment: Assignment) -> dict:
    """The session's guide (`session_guide_content`) and the worksheet's questions."""
    session = assignment.session
    questions = list(
        Question.objects.filter(workshop_id=session.workshop_id)
        .filter(Q(session__isnull=True) | Q(session=session))
        .order_by("order", "pk")
    )
    return {**session_guide_content(session=session), "questions": questions}


def group_roster(*, group) -> list[Participant]:
    """Who is in the group: names, countries, organisations, languages. No contact details."""
    return list(
        Participant.objects.filter(group=group).only("name", "country", "organisation", "languages").order_by("name")
    )


def group_progress(*, session, group) -> dict:
    """How many of the group's worksheets for the session are not started, in progress, submitted."""
    size = Participant.objects.filter(group=group).count()
    counts = Worksheet.objects.filter(session=session, participant__group=group).aggregate(
        started=Count("pk", filter=Q(status=WorksheetStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=WorksheetStatus.SUBMITTED)),
    )
    return {
        "participants": size,
        "not_started": max(0, size - counts["started"] - counts["submitted"]),
        "in_progress": counts["started"],
        "submitted": counts["submitted"],
    }


def shared_answers(*, session, group) -> list[tuple[Question, list[dict]]]:
    """What the group's participants chose to share for the session, by question (one query).

    Only worksheets shared anonymously or by name; the name only when they chose to be named
    (dropped inside the query). Anonymous answers only from the regions where at least
    `REPORT_MIN_ANONYMOUS_SHARERS` of the group shared the session anonymously: the report's
    slices (`worksheets.anonymity`), so a facilitator's page never shows what the report withholds.
    """
    answers = (
        Answer.objects.filter(worksheet__session=session, worksheet__participant__group=group)
        .exclude(worksheet__sharing=Sharing.PRIVATE)
        .exclude(question__never_shared=True)
        .exclude(text="", scale__isnull=True)
        .select_related("question")
        .annotate(
            author=Case(
                When(worksheet__sharing=Sharing.NAMED, then=F("worksheet__participant__name")), default=Value(None)
            ),
            sharing=F("worksheet__sharing"),
            region=F("worksheet__participant__region"),
        )
        .order_by("question__order", "question_id", "pk")
    )
    rows = [
        {
            "answer": a,
            "sharing": a.sharing,
            "worksheet_id": a.worksheet_id,
            "session_id": session.pk,
            "group_id": group.pk,
            "region": a.region,
        }
        for a in answers
    ]
    by_question: dict[int, tuple[Question, list[dict]]] = {}
    for row in anonymous_rows_withhold(rows=rows):
        answer = row["answer"]
        entry = {"text": answer.text, "scale": answer.scale, "author": answer.author}
        by_question.setdefault(answer.question_id, (answer.question, []))[1].append(entry)
    return list(by_question.values())


def team_note(*, session, group) -> TeamNote | None:
    return TeamNote.objects.filter(session=session, group=group).first()


def kept_text_keys_of_login(*, user_id: int) -> list[str]:
    """`kept_text_keys` of the person behind a login, known only by its id (a session that has
    ended): four queries, whatever the size of the workshop; none for a login that is gone."""
    worksheets = Worksheet.objects.filter(participant__user_id=user_id).order_by("pk").values_list("pk", flat=True)
    notes = (
        Assignment.objects.filter(facilitator__user_id=user_id)
        .order_by("session_id", "group_id")
        .values_list("session_id", "group_id")
    )
    summaries = _summary_keys(Q(group__participants__user_id=user_id)) + _summary_keys(
        Q(session__assignments__facilitator__user_id=user_id, group=F("session__assignments__group"))
    )
    notes = list(notes)
    return (
        [f"worksheet-{pk}" for pk in worksheets]
        + [f"notes-{s}-{g}" for s, g in notes]
        + summaries
        + [f"attendance-{s}-{g}" for s, g in notes]  # the roster's queued marks
    )


def _summary_keys(where: Q) -> list[str]:
    """The storage keys of the report-back summaries `where` finds (one query): the summary of a person's group
    (a participant) or of a group they visit in that session (a facilitator). Only summaries that exist: a
    rapporteur's always does, being named makes it."""
    pairs = GroupSummary.objects.filter(where).order_by("session_id", "group_id").values_list("session_id", "group_id")
    return [f"summary-{s}-{g}" for s, g in dict.fromkeys(pairs)]


def kept_text_keys(*, person) -> list[str]:
    """The browser-storage keys under which static/js/worksheet.js keeps a person's unsent text:
    one per worksheet of a participant, one per assignment's notes of a facilitator (and its
    roster's queued attendance marks), and the report-back summaries they may write (two queries
    at most, whatever the size of the workshop)."""
    if isinstance(person, Participant):
        return [
            f"worksheet-{pk}"
            for pk in Worksheet.objects.filter(participant=person).order_by("pk").values_list("pk", flat=True)
        ] + (_summary_keys(Q(group_id=person.group_id)) if person.group_id else [])
    if person is None:
        return []
    cells = list(
        Assignment.objects.filter(facilitator=person)
        .order_by("session_id", "group_id")
        .values_list("session_id", "group_id")
    )
    return (
        [f"notes-{session_id}-{group_id}" for session_id, group_id in cells]
        + _summary_keys(Q(session__assignments__facilitator=person, group=F("session__assignments__group")))
        + [f"attendance-{session_id}-{group_id}" for session_id, group_id in cells]  # the roster's queued marks
    )


def _cell(*, participants: int, in_progress: int, submitted: int) -> dict:
    return {
        "participants": participants,
        # Not started: no worksheet yet (a worksheet exists from its first opening or save).
        "not_started": max(0, participants - in_progress - submitted),
        "in_progress": in_progress,
        "submitted": submitted,
    }


def cell_key(session_id: int, group_id: int | None) -> str:
    return f"{session_id}:{group_id if group_id is not None else 'none'}"


def dashboard_progress(*, workshop) -> dict:
    """Worksheet progress of every (session, group), session totals, and who has not opened their link.

    Five queries whatever the size: sessions, groups, group sizes, worksheet counts, facilitators.
    Participants not in a group get their own row when there are any.
    """
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk"))
    groups = list(Group.objects.filter(workshop=workshop).select_related("room").order_by("name", "pk"))
    sizes, unopened_participants = {}, 0
    for row in (
        Participant.objects.filter(workshop=workshop)
        .values("group")
        .annotate(size=Count("pk"), unopened=Count("pk", filter=Q(link_opened_at__isnull=True)))
        .order_by()
    ):
        sizes[row["group"]] = row["size"]
        unopened_participants += row["unopened"]
    worksheets = {
        (row["session"], row["participant__group"]): row
        for row in Worksheet.objects.filter(session__workshop=workshop, participant__workshop=workshop)
        .values("session", "participant__group")
        .annotate(
            in_progress=Count("pk", filter=Q(status=WorksheetStatus.DRAFT)),
            submitted=Count("pk", filter=Q(status=WorksheetStatus.SUBMITTED)),
        )
        .order_by()
    }
    unopened_facilitators = Facilitator.objects.filter(workshop=workshop, link_opened_at__isnull=True).count()

    rows = [(group.pk, group) for group in groups]
    if sizes.get(None) or any(group_id is None for _session, group_id in worksheets):
        rows.append((None, None))  # participants not (yet) in a group
    result_sessions = []
    for session in sessions:
        cells = []
        for group_id, group in rows:
            counts = worksheets.get((session.pk, group_id), {})
            cell = _cell(
                participants=sizes.get(group_id, 0),
                in_progress=counts.get("in_progress", 0),
                submitted=counts.get("submitted", 0),
            )
            cells.append({"key": cell_key(session.pk, group_id), "group": group, **cell})
        totals = _cell(
            participants=sum(c["participants"] for c in cells),
            in_progress=sum(c["in_progress"] for c in cells),
            submitted=sum(c["submitted"] for c in cells),
        )
        result_sessions.append({"session": session, "cells": cells, "totals": totals})
    return {
        "sessions": result_sessions,
        "unopened": {
            "participants": unopened_participants,
            "facilitators": unopened_facilitators,
            "total": unopened_participants + unopened_facilitators,
        },
    }
