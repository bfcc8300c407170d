"""The group summary's pages for the report-back (issue 17): the rapporteur's editor, its autosave, and the
choice of rapporteur. Who may do what is in `worksheets.summaries`; the group is always found through the
person asking (a participant's own group, a facilitator's own assignment), so any other is 404."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workshops.access import person_of
from workshops.models import Facilitator, Participant

from ..decorators import personal_page, session_ended_answer
from ..selectors import facilitator_assignment
from ..services import SaveResult
from ..summaries import (
    group_summary,
    participant_session_group,
    rapporteur_name,
    rapporteur_volunteer,
    rapporteur_withdraw,
    summary_autosave,
    summary_may_write,
)
from .autosave import autosave_answer, autosave_payload, autosave_unreadable


def _session_group(request, session_id):
    """(person, session, group) for a participant of the group or a facilitator of the group in the session."""
    person = person_of(request.user)
    if isinstance(person, Participant):
        return (person, *participant_session_group(participant=person, session_id=session_id))
    if isinstance(person, Facilitator):
        assignment = facilitator_assignment(facilitator=person, session_id=session_id)
        return person, assignment.session, assignment.group
    raise Http404


@personal_page
def summary_page(request, session_id):
    """The group's summary: its rapporteur edits it (autosaved), the rest of the group reads it. Facilitators
    edit it on their session page."""
    person = person_of(request.user)
    if not isinstance(person, Participant):
        raise Http404
    session, group = participant_session_group(participant=person, session_id=session_id)
    summary = group_summary(session=session, group=group)
    return render(
        request,
        "worksheets/summary.html",
        {
            "participant": person,
            "workshop": session.workshop,
            "session": session,
            "group": group,
            "summary": summary,
            "editable": summary_may_write(summary=summary, person=person),
        },
    )


@require_POST
def summary_autosave_view(request, session_id):
    """The notes' contract: {"text", "revision"} in; 200 {"revision"}, 409 with the stored summary, 400; 403 for a
    participant who is not (or no longer) the rapporteur; 403 {"signed_out": true} once the session has ended."""
    if not request.user.is_authenticated:
        return session_ended_answer()
    person, session, group = _session_group(request, session_id)
    if isinstance(person, Participant) and not summary_may_write(
        summary=group_summary(session=session, group=group), person=person
    ):
        return autosave_answer(summary_autosave_refused())
    payload = autosave_payload(request)
    if payload is None:
        return autosave_unreadable()
    result = summary_autosave(
        session=session, group=group, person=person, text=payload.get("text"), base_revision=payload.get("revision")
    )
    return autosave_answer(result)


def summary_autosave_refused() -> SaveResult:
    return SaveResult("closed", message=_("Only the group's rapporteur and facilitators write its summary."))


@require_POST
@personal_page
def rapporteur_choose(request, session_id):
    """A participant volunteers ("volunteer") or withdraws ("withdraw"); a facilitator of the group names one of
    its participants ("participant": an id, or empty for nobody)."""
    person, session, group = _session_group(request, session_id)
    if isinstance(person, Facilitator):
        chosen = request.POST.get("participant", "")
        try:
            participant_id = int(chosen) if chosen else None
        except ValueError:
            raise Http404 from None
        rapporteur_name(session=session, group=group, participant_id=participant_id)
        messages.success(request, _("The rapporteur is saved.") if participant_id else _("No rapporteur is named."))
        return redirect(reverse("worksheets:assignment", args=[session_id]) + "#summary-heading")
    action = request.POST.get("action")
    if action == "volunteer":
        if rapporteur_volunteer(participant=person, session=session, group=group):
            messages.success(request, _("You are your group's rapporteur for this session. Thank you!"))
        else:
            messages.error(request, _("Someone is already your group's rapporteur for this session."))
    elif action == "withdraw":
        if rapporteur_withdraw(participant=person, session=session, group=group):
            messages.info(request, _("You are no longer your group's rapporteur. The summary stays with the group."))
        else:
            messages.error(request, _("Your facilitators named you: ask them to name someone else."))
    else:
        return HttpResponseBadRequest(_("Choose to volunteer or to withdraw."))
    return redirect("worksheets:summary", session_id=session_id)
