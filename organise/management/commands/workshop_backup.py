from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organise.backup import workshop_backup_json
from workshops.models import Workshop


class Command(BaseCommand):
    help = "Write one workshop and everything that belongs to it to a JSON backup (standard output by default)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The workshop's short name.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, slug, output, **options):
        try:
            workshop = Workshop.objects.get(slug=slug)
        except Workshop.DoesNotExist:
            raise CommandError(_("No workshop has the short name “%(slug)s”.") % {"slug": slug}) from None
        text = workshop_backup_json(workshop=workshop)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(_("Backup of “%(title)s” written to %(path)s.") % {"title": workshop, "path": output})
        else:
            self.stdout.write(text)
