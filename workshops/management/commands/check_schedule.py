from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops.models import Workshop
from workshops.services import workshop_check


class Command(BaseCommand):
    @property
    def help(self):
        return _("List every scheduling rule the workshop breaks, one per line; exit status 1 when any is broken.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("The workshop's short name."))

    def handle(self, *args, slug, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(_("No workshop has the short name “%(slug)s”.") % {"slug": slug})
        problems = workshop_check(workshop=workshop)
        for problem in problems:
            self.stdout.write(f"{problem.rule.label}: {problem.message}")
        if not problems:
            self.stdout.write(_("Every rule is met."))
            return
        # CommandError with a return code: `manage.py` prints it on stderr and exits with 1;
        # call_command raises it, so scripts and tests see the count and the code.
        raise CommandError(
            ngettext("%(count)d problem found.", "%(count)d problems found.", len(problems)) % {"count": len(problems)},
            returncode=1,
        )
