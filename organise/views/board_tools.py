"""The board's hand tools beside moves and swaps: the pickers and their search, assigning a
facilitator to a place short of one, and unlocking what was kept by hand."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from workshops.schedule_hand import AssignRefused, assignment_unlock, facilitator_assign, participant_unlock
from workshops.selectors_pickers import facilitators_picker, participants_picker, people_search

from ..decorators import organiser_post_required, organiser_required
from ..forms import FacilitatorAssignForm, FacilitatorSwapForm, ParticipantMoveForm, UnlockForm

QUERY_MAX = 100  # characters of a search kept


def _id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def board_tool_forms(*, workshop, board: dict, params) -> dict:
    """The board's hand forms, each picker listing what its search box (`<name>_q`) asks for.

    `params` is the board's GET: `participant_q`, `first_q`, `second_q`, `facilitator_q` search;
    `move` preselects a participant, `session` and `group` the place to assign (the cells' "Assign"),
    `facilitator` the one to assign there (back from a refusal: what was chosen stays chosen).
    """
    query = {
        name: params.get(f"{name}_q", "")[:QUERY_MAX] for name in ("participant", "first", "second", "facilitator")
    }
    move, session, group = _id(params.get("move")), _id(params.get("session")), _id(params.get("group"))
    facilitator = _id(params.get("facilitator"))
    participants = participants_picker(
        participants=board["participants"], groups=board["group_places"], query=query["participant"], selected=move
    )
    facilitators = {
        name: facilitators_picker(
            facilitators=board["facilitators"],
            assignments_of=board["assignments_of"],
            query=query[name],
            selected=facilitator if name == "facilitator" else None,
        )
        for name in ("first", "second", "facilitator")
    }
    sessions = {s.pk for s in board["sessions"]}
    groups = {g.pk for g in board["groups"]}
    return {
        "move_form": ParticipantMoveForm(
            workshop=workshop, participants=participants, initial={"participant": move}, auto_id="move_%s"
        ),
        "swap_form": FacilitatorSwapForm(
            workshop=workshop, first=facilitators["first"], second=facilitators["second"], auto_id="swap_%s"
        ),
        "assign_form": FacilitatorAssignForm(
            workshop=workshop,
            facilitators=facilitators["facilitator"],
            initial={
                "session": session if session in sessions else None,
                "group": group if group in groups else None,
                "facilitator": facilitator,
            },
            auto_id="assign_%s",
        ),
        "pickers": {"participant": participants, **facilitators},
        "prefill": {"move": move, "session": session, "group": group, "facilitator": facilitator},
    }


@organiser_required
def people_search_view(request, slug):
    """The pickers' search as one types: at most 20 of this workshop's participants or facilitators."""
    kind = "facilitator" if request.GET.get("kind") == "facilitator" else "participant"
    picker = people_search(workshop=request.workshop, kind=kind, query=request.GET.get("q", "")[:QUERY_MAX])
    return JsonResponse(
        {
            "results": [{"id": pk, "label": label} for pk, label in picker.options],
            "more": picker.more,
            "message": picker.message,
        }
    )


def _foreign(form) -> bool:
    """Whether the form names something that is not this workshop's (an id given, yet refused)."""
    return any(form.data.get(name) for name in form.errors if name != "__all__")


@organiser_post_required
def assign_facilitator(request, slug):
    workshop = request.workshop
    form = FacilitatorAssignForm(request.POST, workshop=workshop)
    if not form.is_valid():
        if _foreign(form):
            raise Http404  # a session, group or facilitator of another workshop
        messages.error(request, _("Choose a session, a group and a facilitator to assign."))
        return redirect(reverse("organise:board", args=[slug]) + "#assign")
    session, group, facilitator = (form.cleaned_data[name] for name in ("session", "group", "facilitator"))
    try:
        facilitator_assign(session=session, group=group, facilitator=facilitator, by=request.user)
    except AssignRefused as refused:
        messages.error(request, _("Not assigned:") + " " + " ".join(refused.reasons))
        # Back to the same place, still chosen: nothing typed is lost.
        query = urlencode({"session": session.pk, "group": group.pk, "facilitator": facilitator.pk})
        return redirect(reverse("organise:board", args=[slug]) + f"?{query}#assign")
    messages.success(
        request,
        _("Assigned: %(name)s facilitates Group %(group)s in %(session)s.")
        % {"name": facilitator.name, "group": group.name, "session": session.title},
    )
    return redirect("organise:board", slug=slug)


@organiser_post_required
def unlock(request, slug):
    form = UnlockForm(request.POST, workshop=request.workshop)
    if not form.is_valid():
        if _foreign(form):
            raise Http404  # a participant or assignment of another workshop
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("organise:board", slug=slug)
    participant, assignment = form.cleaned_data["participant"], form.cleaned_data["assignment"]
    if participant is not None:
        group = {"name": participant.name, "group": participant.group.name if participant.group_id else "—"}
        if participant_unlock(participant=participant, by=request.user):
            messages.success(
                request, _("%(name)s is no longer kept in Group %(group)s: automatic placement may move them.") % group
            )
        else:
            messages.info(request, _("%(name)s was not kept by hand: nothing to unlock.") % group)
        return redirect("organise:board", slug=slug)
    place = {"name": assignment.facilitator.name, "group": assignment.group.name, "session": assignment.session.title}
    if assignment_unlock(assignment=assignment, by=request.user):
        messages.success(
            request,
            _("%(name)s is no longer kept in Group %(group)s for %(session)s: building the rotation may change it.")
            % place,
        )
    else:
        messages.info(
            request, _("%(name)s was not kept in Group %(group)s for %(session)s: nothing to unlock.") % place
        )
    return redirect("organise:board", slug=slug)
