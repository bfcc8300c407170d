from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops.imports.files import ImportFileError
from workshops.imports.headers import ImportKind
from workshops.imports.jobs import import_in_background
from workshops.imports.services import people_import
from workshops.imports.uploads import (
    NAME_PARTS,
    defaults_by_key,
    file_columns,
    importable_columns,
    mapping_by_header,
    roles_by_position,
)
from workshops.models import Workshop


def _pair(text: str, flag: str) -> tuple[str, str]:
    header, equals, key = text.rpartition("=")
    if not equals or not header.strip():
        raise CommandError(
            _("Write %(flag)s as “header=column”, for example %(example)s.")
            % {
                "flag": flag,
                "example": "--map “Which languages can you work in?=languages”"
                if flag == "--map"
                else "--default languages=en",
            }
        )
    return header, key


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Import participants or facilitators from a CSV or Excel file: every refused row is printed with its "
            "line and reason; exit status 1, and nothing imported, when any row is refused (unless --skip-refused)."
        )

    def add_arguments(self, parser):
        columns = ", ".join(key for key, _label in importable_columns(ImportKind.AUTO))
        parser.add_argument("slug", help=_("The workshop's short name."))
        parser.add_argument("file", help=_("A CSV (UTF-8, comma or semicolon) or Excel (.xlsx) file."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check every row, import nothing."))
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            default=ImportKind.AUTO,
            help=_("Who is in the file; by default facilitators when there is an expertise or availability column."),
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=COLUMN",
            help=_("Take the file's column HEADER for COLUMN (one of %(columns)s, or ignore); repeatable.")
            % {"columns": columns},
        )
        parser.add_argument(
            "--default",
            action="append",
            default=[],
            metavar="COLUMN=VALUE",
            help=_("One value for every row, for a column the file does not have; repeatable."),
        )
        parser.add_argument(
            "--skip-refused",
            action="store_true",
            help=_("Import the valid rows and leave the refused ones out (by default, all rows or none)."),
        )

    def handle(self, *args, slug, file, dry_run, kind, map, default, skip_refused, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(_("No workshop has the short name “%(slug)s”.") % {"slug": slug})
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        try:
            mapping, defaults = self._choices(content, kind, map, default)
            report = people_import(
                workshop=workshop,
                content=content,
                kind=kind,
                dry_run=dry_run,
                mapping=mapping,
                defaults=defaults,
                skip_refused=skip_refused,
                on_progress=self._progress(),
            )
        except ImportFileError as error:
            raise CommandError(str(error), returncode=1) from None

        self.stdout.write(
            ngettext("%(kind)s: %(count)d row.", "%(kind)s: %(count)d rows.", len(report.rows))
            % {"kind": report.kind_label, "count": len(report.rows)}
        )
        self._columns(report, mapping, defaults)
        for problem in report.problems:
            self.stdout.write(problem)
        for row in report.refused:
            who = f"{row.name} <{row.email}>" if row.name and row.email else (row.name or row.email)
            self.stdout.write(
                _("Line %(line)d%(who)s: %(problems)s")
                % {"line": row.line, "who": f" ({who})" if who else "", "problems": " ".join(row.problems)}
            )
        for row in report.skipped:  # no person (blank, footer, withdrawn, above the header): said, not dropped
            who = f"{row.name} <{row.email}>" if row.name and row.email else (row.name or row.email)
            self.stdout.write(
                _("Line %(line)d%(who)s skipped: %(reason)s")
                % {"line": row.line, "who": f" ({who})" if who else "", "reason": row.reason}
            )
        counts = report.counts
        self.stdout.write(
            _("%(new)d new, %(update)d to update, %(unchanged)d unchanged, %(refused)d refused.") % counts
        )
        if report.problems or (report.refused and not skip_refused):
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
            return
        imported = _("Imported: %(new)d created, %(update)d updated, %(unchanged)d already up to date.") % counts
        if counts["refused"]:
            imported = imported.removesuffix(".") + ngettext(
                "; %(count)d refused row left out.", "; %(count)d refused rows left out.", counts["refused"]
            ) % {"count": counts["refused"]}
        self.stdout.write(imported)

    def _progress(self):
        """For a large file, the rows checked every tenth of the way, on stderr (stdout is the report)."""
        shown = [0]

        def progress(done: int, total: int) -> None:
            if not import_in_background(total) or done * 10 // total <= shown[0]:
                return
            shown[0] = done * 10 // total
            self.stderr.write(
                _("Checking the rows: %(done)s of %(total)s (%(percent)d%%)")
                % {"done": done, "total": total, "percent": 100 * done // total},
                style_func=str,  # not in the colour of errors
            )

        return progress

    def _choices(self, content, kind, map, default):
        """The --map and --default flags as `people_import` takes them; a wrong one stops with the reason."""
        if not map and not default:
            return None, None
        try:
            defaults = defaults_by_key(choices=[_pair(text, "--default") for text in default])
            mapping = None
            if map:
                file, missing = file_columns(content, kind=kind)
                headers = file.headers if file is not None else missing.headers
                mapping = mapping_by_header(headers=headers, choices=[_pair(text, "--map") for text in map], kind=kind)
        except ValueError as error:
            raise CommandError(str(error)) from None
        return mapping, defaults

    def _columns(self, report, mapping, defaults):
        """Say what the choices did: each mapped column, each default applied or not used."""
        file = report.file
        labels = {key: str(label) for key, label in importable_columns(ImportKind.AUTO)} | {
            key: str(label) for key, label in NAME_PARTS.items()
        }
        for position in sorted(int(p) for p in mapping or {}):
            key = roles_by_position(file.roles).get(position)
            self.stdout.write(
                f"{file.headers[position]} → {labels[key]}"
                if key
                else _("%(header)s: ignored") % {"header": file.headers[position]}
            )
        for key, value in file.defaults.items():
            self.stdout.write(
                _("Default for every row: %(column)s = %(value)s") % {"column": labels[key], "value": value}
            )
        unused = [labels[key] for key in defaults or {} if key not in file.defaults]
        if unused:
            self.stdout.write(
                _("Not used, because the file has the column: %(columns)s") % {"columns": ", ".join(unused)}
            )
