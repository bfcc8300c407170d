from django.core.management.base import BaseCommand

from workshops.models import ScheduleRun

from ._schedule_run import add_arguments, run_and_report


class Command(BaseCommand):
    help = "Build a workshop's facilitator rotation with the solver (staffing, rotation, languages, availability)."

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, slug, time_limit, dry_run, **options):
        run_and_report(self, kind=ScheduleRun.Kind.ROTATION, slug=slug, time_limit=time_limit, dry_run=dry_run)
