from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops.imports.files import ImportFileError
from workshops.imports.headers import ImportKind
from workshops.imports.services import people_import
from workshops.models import Workshop


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Import participants or facilitators from a CSV or Excel file: every refused row is printed with its "
            "line and reason; exit status 1, and nothing imported, when any row is refused."
        )

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("The workshop's short name."))
        parser.add_argument("file", help=_("A CSV (UTF-8, comma or semicolon) or Excel (.xlsx) file."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check every row, import nothing."))
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            default=ImportKind.AUTO,
            help=_("Who is in the file; by default facilitators when there is an expertise or availability column."),
        )

    def handle(self, *args, slug, file, dry_run, kind, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(_("No workshop has the short name “%(slug)s”.") % {"slug": slug})
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        try:
            report = people_import(workshop=workshop, content=content, kind=kind, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error), returncode=1) from None

        self.stdout.write(
            ngettext("%(kind)s: %(count)d row.", "%(kind)s: %(count)d rows.", len(report.rows))
            % {"kind": report.kind_label, "count": len(report.rows)}
        )
        for problem in report.problems:
            self.stdout.write(problem)
        for row in report.refused:
            who = f"{row.name} <{row.email}>" if row.name and row.email else (row.name or row.email)
            self.stdout.write(
                _("Line %(line)d%(who)s: %(problems)s")
                % {"line": row.line, "who": f" ({who})" if who else "", "problems": " ".join(row.problems)}
            )
        counts = report.counts
        self.stdout.write(
            _("%(new)d new, %(update)d to update, %(unchanged)d unchanged, %(refused)d refused.") % counts
        )
        if report.blocked:
            # CommandError with a return code: manage.py prints it on stderr and exits with 1.
            raise CommandError(
                ngettext(
                    "%(count)d row refused: nothing imported.",
                    "%(count)d rows refused: nothing imported.",
                    counts["refused"],
                )
                % {"count": counts["refused"]},
                returncode=1,
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing imported."))
        else:
            self.stdout.write(
                _("Imported: %(new)d created, %(update)d updated, %(unchanged)d already up to date.") % counts
            )
