from django.core.management.base import BaseCommand

from workshops.models import ScheduleRun

from ._schedule_run import add_arguments, run_and_report


class Command(BaseCommand):
    help = "Place a workshop's participants into groups with the solver (hard rules met, soft goals optimised)."

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, slug, time_limit, dry_run, **options):
        run_and_report(self, kind=ScheduleRun.Kind.PLACEMENT, slug=slug, time_limit=time_limit, dry_run=dry_run)
