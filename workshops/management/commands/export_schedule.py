import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workshops.models import Workshop
from workshops.schedule_export import schedule_export


class Command(BaseCommand):
    @property
    def help(self):
        return _("Print a workshop's rooms, groups, people, sessions and rotation as JSON (schema in the README).")

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("The workshop's short name."))
        parser.add_argument("--indent", type=int, help=_("Indent the JSON by this many spaces."))

    def handle(self, *args, slug, indent, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(_("No workshop has the short name “%(slug)s”.") % {"slug": slug})
        self.stdout.write(json.dumps(schedule_export(workshop=workshop), ensure_ascii=False, indent=indent))
