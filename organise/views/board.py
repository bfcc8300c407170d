"""The organiser's board: see the schedule at a glance, run the solver, review, apply, adjust."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops.models import ScheduleChange, ScheduleRun
from workshops.schedule_history import CannotUndo, schedule_change_undo, schedule_history
from workshops.selectors_board import board_load
from workshops.services import (
    StaleProposal,
    facilitator_swap,
    participant_move,
    schedule_run_apply,
    schedule_run_in_request,
    schedule_run_max_seconds,
    schedule_run_preview,
    schedule_runs_fail_stale,
)
from workshops.tasks import schedule_run_start

from ..decorators import organiser_post_required, organiser_required
from ..fix_links import problem_fix_links
from ..forms import FacilitatorSwapForm, ParticipantMoveForm, ScheduleRunForm
from ..readiness import workshop_readiness
from .board_tools import board_tool_forms


def _run(request, run_id) -> ScheduleRun:
    """The run, failed first if its worker stopped reporting (so it never reads "Running" without one)."""
    run = get_object_or_404(ScheduleRun.objects.select_related("workshop"), pk=run_id, workshop=request.workshop)
    schedule_runs_fail_stale(runs=[run])
    return run


def _run_form(data=None, **kwargs) -> ScheduleRunForm:
    return ScheduleRunForm(data, max_seconds=schedule_run_max_seconds(), in_request=schedule_run_in_request(), **kwargs)


def _warn(request, problems):
    if problems:
        messages.warning(request, _("Saved, but this breaks a rule:") + " " + " ".join(p.message for p in problems))
    else:
        messages.success(request, _("Saved. Every rule is still met."))


@organiser_required
def board(request, slug):
    workshop = request.workshop
    loaded = board_load(workshop=workshop)
    schedule_runs_fail_stale(runs=loaded["runs"])
    readiness = workshop_readiness(workshop=workshop, board=loaded)
    history = schedule_history(workshop=workshop)
    return render(
        request,
        "organise/board/board.html",
        {
            "workshop": workshop,
            **loaded,
            "readiness": readiness,
            "history": history,
            "readiness_todo": [item for item in readiness if not item.ok and item.blocking],
            "placement_form": _run_form(initial={"kind": ScheduleRun.Kind.PLACEMENT}, auto_id="placement_%s"),
            "rotation_form": _run_form(initial={"kind": ScheduleRun.Kind.ROTATION}, auto_id="rotation_%s"),
            **board_tool_forms(workshop=workshop, board=loaded, params=request.GET),
        },
    )


@organiser_post_required
def run_start(request, slug):
    workshop = request.workshop
    form = _run_form(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("organise:board", slug=slug)
    run = schedule_run_start(
        workshop=workshop,
        kind=form.cleaned_data["kind"],
        user=request.user,
        time_limit=form.cleaned_data["time_limit"],
    )
    return redirect("organise:run", slug=slug, run_id=run.pk)


@organiser_required
def run_detail(request, slug, run_id):
    run = _run(request, run_id)
    context = {"workshop": run.workshop, "run": run}
    if run.status == ScheduleRun.Status.INFEASIBLE:  # each reason with the pages that change what it is about
        context["impossible"] = [
            (message, problem_fix_links(workshop=run.workshop, rule=rule)) for rule, message in run.problems
        ]
    if run.status == ScheduleRun.Status.DONE:
        context["preview"] = schedule_run_preview(run=run)
    return render(request, "organise/board/run.html", context)


@organiser_required
def run_status(request, slug, run_id):
    """Progress of a run, polled by its page while it runs."""
    run = _run(request, run_id)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress[-50:],
            "time_limit": run.time_limit,
            "objective": run.objective,
            "finished": run.status not in (ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING),
        }
    )


@organiser_post_required
def run_apply(request, slug, run_id):
    run = _run(request, run_id)
    try:
        changed = schedule_run_apply(run=run, by=request.user)
    except StaleProposal as error:
        messages.error(request, str(error))
        return redirect("organise:run", slug=slug, run_id=run.pk)
    messages.success(
        request, ngettext("Applied: %(count)d change.", "Applied: %(count)d changes.", changed) % {"count": changed}
    )
    return redirect("organise:board", slug=slug)


@organiser_post_required
def run_discard(request, slug, run_id):
    run = _run(request, run_id)
    if run.status in (ScheduleRun.Status.DONE, ScheduleRun.Status.INFEASIBLE):
        run.status = ScheduleRun.Status.DISCARDED
        run.save(update_fields=["status"])
    return redirect("organise:board", slug=slug)


@organiser_post_required
def move_participant(request, slug):
    workshop = request.workshop
    form = ParticipantMoveForm(request.POST, workshop=workshop)
    if not form.is_valid():
        raise Http404  # a participant or group of another workshop
    _warn(
        request,
        participant_move(
            participant=form.cleaned_data["participant"], group=form.cleaned_data["group"], by=request.user
        ),
    )
    return redirect("organise:board", slug=slug)


@organiser_post_required
def swap_facilitators(request, slug):
    workshop = request.workshop
    form = FacilitatorSwapForm(request.POST, workshop=workshop)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("organise:board", slug=slug)
    _warn(
        request,
        facilitator_swap(
            session=form.cleaned_data["session"],
            first=form.cleaned_data["first"],
            second=form.cleaned_data["second"],
            by=request.user,
        ),
    )
    return redirect("organise:board", slug=slug)


@organiser_post_required
def schedule_undo(request, slug, change_id):
    """Undo the latest recorded change of the groups or the rotation, if nothing changed since."""
    change = get_object_or_404(ScheduleChange, pk=change_id, workshop=request.workshop)
    try:
        changed = schedule_change_undo(change=change, by=request.user)
    except CannotUndo as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "Undone: %(what)s (%(count)d change reversed).",
                "Undone: %(what)s (%(count)d changes reversed).",
                changed,
            )
            % {"what": change.get_kind_display(), "count": changed},
        )
    return redirect("organise:board", slug=slug)
