import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organise.backup import BackupError, workshop_restore


class Command(BaseCommand):
    help = (
        "Restore a workshop from a JSON backup, in one transaction: all of it or nothing. "
        "Personal links are not restored: people get new ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (from workshop_backup).")
        parser.add_argument("--slug", help="Restore under this short name instead of the one in the backup.")

    _last_shown = 0.0

    def progress(self, kind: str, done: int, total: int) -> None:
        """Rows written of each kind: when a kind is complete, and at most every second in between."""
        now = time.monotonic()
        if done == total or now - self._last_shown >= 1:
            self._last_shown = now
            self.stdout.write(_("%(kind)s: %(done)d / %(total)d") % {"kind": kind, "done": done, "total": total})

    def handle(self, *args, file, slug, **options):
        try:
            with open(file, "rb") as handle:
                text = handle.read()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": file, "error": error}) from None
        try:
            result = workshop_restore(text=text, slug=slug, progress=self.progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        workshop = result.workshop
        self.stdout.write(
            self.style.SUCCESS(_("Restored “%(title)s” as %(slug)s.") % {"title": workshop, "slug": workshop.slug})
        )
        for username in result.created_organisers:
            self.stdout.write(
                self.style.WARNING(
                    _("Organiser %(username)s did not exist: created inactive, without a password.")
                    % {"username": username}
                )
            )
        self.stdout.write(_("Personal links were not restored: send everyone their new link."))
