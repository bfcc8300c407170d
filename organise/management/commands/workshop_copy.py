from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organise.copy import workshop_copy
from workshops.models import Workshop


class Command(BaseCommand):
    help = (
        "Copy a workshop for its next edition: language modes, rooms, groups, sessions (moved to the new "
        "dates at the same local times) and worksheet questions; no people, answers, notes or invitations. "
        "The copy is unpublished."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The short name of the workshop to copy.")
        parser.add_argument("--slug", dest="new_slug", required=True, help="The copy's short name.")
        parser.add_argument("--start-date", required=True, help="The copy's first day, as YYYY-MM-DD.")
        parser.add_argument("--title", default="", help="The copy's title (default: the same as the original's).")

    def handle(self, *args, slug, new_slug, start_date, title, **options):
        try:
            source = Workshop.objects.get(slug=slug)
        except Workshop.DoesNotExist:
            raise CommandError(_("No workshop has the short name “%(slug)s”.") % {"slug": slug}) from None
        try:
            first_day = date.fromisoformat(start_date)
        except ValueError:
            raise CommandError(
                _("“%(value)s” is not a date: write the first day as YYYY-MM-DD, such as 2031-09-27.")
                % {"value": start_date}
            ) from None
        try:
            copy = workshop_copy(source=source, slug=new_slug, start_date=first_day, title=title)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Copied “%(source)s” to “%(copy)s” (%(slug)s), %(first)s to %(last)s: %(sessions)d sessions, "
                "%(groups)d groups, %(questions)d questions; unpublished."
            )
            % {
                "source": source,
                "copy": copy,
                "slug": copy.slug,
                "first": copy.start_date.isoformat(),
                "last": copy.end_date.isoformat(),
                "sessions": copy.sessions.count(),
                "groups": copy.groups.count(),
                "questions": copy.questions.count(),
            }
        )
