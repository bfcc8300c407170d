"""The participant's pages: my day, a worksheet, its autosave and its status."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workshops.access import link_session_ended_pop, person_of
from workshops.certificates import certificate_issue, certificate_standing
from workshops.mail import MailNotSent
from workshops.models import Assignment, BreakoutSession, Participant
from workshops.programme import programme_of_participant
from workshops.rate_limits import rate_limit_hit

from ..calendars import calendar_response, participant_day_calendar
from ..certificates import certificate_pdf_of
from ..decorators import not_signed_in_answer, personal_page, session_ended_answer
from ..enums import Sharing, WorksheetStatus
from ..evaluation import evaluation_my_day
from ..models import Answer, GroupSummary, Question, Worksheet
from ..offline import offline_copy
from ..pdf import worksheets_pdf
from ..selectors import kept_text_keys, kept_text_keys_of_login, session_guide_content
from ..services import (
    answer_autosave,
    answer_autosave_direct,
    participant_worksheets_email,
    participant_worksheets_export,
    worksheet_get_or_create,
    worksheet_questions,
    worksheet_set_status,
)
from ..summaries import group_summary
from .autosave import autosave_answer, autosave_payload, autosave_saved, autosave_unreadable
from .facilitator import rotation


def _participant(request) -> Participant:
    person = person_of(request.user)
    if not isinstance(person, Participant):
        raise Http404
    return person


@require_POST
def sign_out(request):
    """End the session and clear, in this browser, the text kept for the person (shared computers),
    also when the session had already ended by its link (the stale page's button asked first)."""
    person = person_of(request.user)
    ended = link_session_ended_pop(session=request.session)
    if person is not None:
        keys = kept_text_keys(person=person)
    else:
        keys = kept_text_keys_of_login(user_id=ended.user_id) if ended else []
    logout(request)
    response = render(request, "worksheets/signed_out.html", {"kept_keys": keys})
    # Shared computers: the browser's cache goes too; signed_out.js drops the offline copies.
    response["Clear-Site-Data"] = '"cache"'
    return response


@offline_copy
def my_day(request):
    person = person_of(request.user)
    if person is None:
        return not_signed_in_answer(request)
    if not isinstance(person, Participant):
        return rotation(request, person)
    participant = Participant.objects.select_related("workshop", "group__room__language_mode").get(pk=person.pk)
    sessions = _my_sessions(participant)
    workshop_evaluation = evaluation_my_day(participant=participant, sessions=sessions)
    return render(
        request,
        "worksheets/my_day.html",
        {
            "participant": participant,
            "workshop": participant.workshop,
            "sessions": sessions,
            "programme": programme_of_participant(participant=participant, sessions=sessions),
            "workshop_evaluation": workshop_evaluation,
            "certificate": certificate_standing(participant=participant),
        },
    )


def _my_sessions(participant: Participant) -> list[BreakoutSession]:
    """The workshop's sessions in time order, each with `my_facilitators` (the group's) and `my_worksheet`."""
    sessions = list(
        BreakoutSession.objects.filter(workshop=participant.workshop)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(group_id=participant.group_id).select_related("facilitator"),
                to_attr="my_facilitators",
            ),
            Prefetch("worksheets", queryset=Worksheet.objects.filter(participant=participant), to_attr="mine"),
            Prefetch(  # the group's summary for the report-back: its rapporteur
                "group_summaries",
                queryset=GroupSummary.objects.filter(group_id=participant.group_id).select_related("rapporteur"),
                to_attr="our_summary",
            ),
        )
        .order_by("start")
    )
    for session in sessions:
        session.my_worksheet = session.mine[0] if session.mine else None
        session.summary = session.our_summary[0] if session.our_summary else None
    return sessions


@personal_page
def day_ical(request):
    """My day as an iCalendar file: my break-outs in my group's room, and the plenary items; in my language."""
    participant = Participant.objects.select_related("workshop", "group__room__language_mode").get(
        pk=_participant(request).pk
    )
    with translation.override(participant.preferred_language):
        programme = programme_of_participant(participant=participant, sessions=_my_sessions(participant))
        calendar = participant_day_calendar(participant=participant, programme=programme, host=request.get_host())
    return calendar_response(calendar, filename="day.ics")


@offline_copy
@personal_page
def worksheet_page(request, session_id):
    participant = _participant(request)
    session = get_object_or_404(
        BreakoutSession.objects.select_related("section", "workshop"), pk=session_id, workshop=participant.workshop_id
    )
    worksheet = worksheet_get_or_create(participant=participant, session=session)
    questions = worksheet_questions(worksheet=worksheet)
    answers = {a.question_id: a for a in Answer.objects.filter(worksheet=worksheet)}
    rows = [(q, answers.get(q.pk)) for q in questions]
    guiding = session_guide_content(session=session)["guiding_questions"]
    return render(
        request,
        "worksheets/worksheet.html",
        {
            "participant": participant,
            "workshop": session.workshop,
            "session": session,
            "worksheet": worksheet,
            "rows": rows,
            "guiding_questions": guiding,
            "sharing_choices": Sharing.choices,
            "editable": session.workshop.worksheets_open and worksheet.status == WorksheetStatus.DRAFT,
            "summary": group_summary(session=session, group=participant.group_id) if participant.group_id else None,
        },
    )


@require_POST
def worksheet_autosave(request, session_id):
    """JSON in: {"question": id, "text" or "scale", "revision": the revision the page last saw}.

    200 {"revision": new}; 409 {"revision", "text", "scale"} of the stored answer when stale;
    400 bad input; 403 closed; 403 {"signed_out": true} once the session has ended; 404 not this participant's.
    """
    if not request.user.is_authenticated:
        return session_ended_answer()
    payload = autosave_payload(request)  # None is refused as unreadable below, once the worksheet is theirs (else 404)
    if payload is not None:
        revision = answer_autosave_direct(user_id=request.user.pk, session_id=session_id, payload=payload)
        if revision is not None:
            return autosave_saved(revision)
    # Anything but a plain save of an earlier answer takes the full path, which says what is wrong.
    # The worksheet is found through its owner's login (a facilitator or another login finds none),
    # with only the columns the save needs and no ordering (`.first()` would join for Meta.ordering).
    worksheet = (
        Worksheet.objects.select_related("session__workshop")
        .only("status", "session__workshop__worksheets_open")
        .filter(participant__user_id=request.user.pk, session_id=session_id)
        .order_by()[:1]
    )
    if not worksheet:
        raise Http404
    worksheet = worksheet[0]
    if payload is None:  # the body was not a JSON object (read above)
        return autosave_unreadable()
    try:
        question_id = int(payload["question"])
    except (ValueError, KeyError, TypeError, OverflowError):
        return autosave_unreadable()
    question = Question.objects.only("workshop_id", "session_id", "kind").filter(pk=question_id).order_by()[:1]
    if not question:
        return JsonResponse({"error": _("This question is not part of this worksheet.")}, status=400)
    question = question[0]
    result = answer_autosave(
        worksheet=worksheet,
        question=question,
        text=payload.get("text"),
        scale=payload.get("scale"),
        base_revision=payload.get("revision"),
    )
    return autosave_answer(result)


@require_POST
@personal_page
def worksheet_status(request, session_id):
    participant = _participant(request)
    worksheet = get_object_or_404(
        Worksheet.objects.select_related("session__workshop"), participant=participant, session_id=session_id
    )
    try:
        worksheet_set_status(
            worksheet=worksheet,
            submit=request.POST.get("action") == "submit",
            sharing=request.POST.get("sharing", worksheet.sharing),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if worksheet.status == WorksheetStatus.SUBMITTED:
            messages.success(request, _("Submitted. You can still reopen it while the workshop is open."))
        else:
            messages.info(request, _("Reopened: you can change your answers."))
    return redirect("worksheets:worksheet", session_id=session_id)


@personal_page
def worksheets_download(request):
    """All my worksheets as one PDF, in my language."""
    participant = _participant(request)
    pdf = worksheets_pdf(
        participant_name=participant.name,
        workshop_title=participant.workshop.title,
        worksheets=participant_worksheets_export(participant=participant),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="worksheets.pdf"'
    return response


@personal_page
def certificate_download(request):
    """My certificate of participation as a PDF, in my language, issued the first time I qualify; else why not."""
    participant = _participant(request)
    certificate = certificate_issue(participant=participant)
    if certificate is None or certificate.revoked:
        standing = certificate_standing(participant=participant)
        reasons = [_("The organisers revoked your certificate.")] if certificate else standing.reasons
        messages.info(request, " ".join(reasons))
        return redirect("worksheets:my_day")
    pdf = certificate_pdf_of(certificate=certificate, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="certificate.pdf"'
    return response


EMAIL_COPY_LIMIT = 3  # per participant and hour


@require_POST
@personal_page
def worksheets_email_copy(request):
    participant = _participant(request)
    if rate_limit_hit(key=f"email-copy:{participant.pk}", limit=EMAIL_COPY_LIMIT, window=timedelta(hours=1)):
        messages.error(request, _("You asked for several copies already. Please try again in an hour."))
        return redirect("worksheets:my_day")
    try:
        participant_worksheets_email(participant=participant)
    except MailNotSent:
        messages.error(
            request,
            _(
                "The e-mail could not be sent just now: the mail server did not take it. Nothing was sent. "
                "Please try again in a few minutes, or download the PDF instead."
            ),
        )
    else:
        messages.success(request, _("A copy is on its way to %(email)s.") % {"email": participant.email})
    return redirect("worksheets:my_day")
