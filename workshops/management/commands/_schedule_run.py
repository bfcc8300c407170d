"""Shared by place_participants and build_rotation: solve, show the figures, apply unless --dry-run."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops.models import ScheduleRun, Workshop
from workshops.services import (
    StaleProposal,
    schedule_run_apply,
    schedule_run_create,
    schedule_run_execute,
    schedule_run_preview,
)


def add_arguments(parser):
    parser.add_argument("slug", help="The workshop's short name.")
    parser.add_argument("--time-limit", type=int, default=10, help="Seconds the solver may use (default 10).")
    parser.add_argument("--dry-run", action="store_true", help="Show what would change; change nothing.")


def run_and_report(command, *, kind: str, slug: str, time_limit: int, dry_run: bool) -> None:
    workshop = Workshop.objects.filter(slug=slug).first()
    if workshop is None:
        raise CommandError(_("No workshop with the short name %(slug)s.") % {"slug": slug})
    run = schedule_run_create(workshop=workshop, kind=kind, time_limit=time_limit, solved_here=True)
    run = schedule_run_execute(run_id=run.pk)
    out = command.stdout
    if run.status == ScheduleRun.Status.INFEASIBLE:
        for _rule, message in run.problems:
            out.write(f"- {message}")
        raise CommandError(_("Impossible as the workshop stands: nothing was changed."))
    preview = schedule_run_preview(run=run)
    out.write(
        _("Solver: %(status)s, objective %(objective)s, proven lower bound %(bound)s.")
        % {"status": run.solver_status, "objective": run.objective, "bound": run.bound}
    )
    if kind == ScheduleRun.Kind.PLACEMENT:
        out.write(_("Participants moved: %(count)d") % {"count": preview["moved"]})
        out.write(
            _("Largest minus smallest group: %(before)d now, %(after)d proposed")
            % {"before": preview["size_spread"][0], "after": preview["size_spread"][1]}
        )
    else:
        out.write(
            _("Assignments added: %(added)d, removed: %(removed)d")
            % {"added": preview["assignments_added"], "removed": preview["assignments_removed"]}
        )
        out.write(
            _("Facilitator load spread: %(before)d now, %(after)d proposed")
            % {"before": preview["load_spread"][0], "after": preview["load_spread"][1]}
        )
    for problem in preview["problems_after"]:
        out.write(f"- {problem.message}")
    if dry_run:
        out.write(_("Dry run: nothing was changed."))
        return
    try:
        changed = schedule_run_apply(run=run)
    except StaleProposal as error:
        raise CommandError(str(error)) from error
    applied = ngettext("Applied: %(count)d change.", "Applied: %(count)d changes.", changed) % {"count": changed}
    out.write(command.style.SUCCESS(applied))
