"""Repair the rotation on the day for a facilitator who cannot come: only sessions not yet started change."""

import zoneinfo
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops.models import Facilitator, Room, RotationRepair, Workshop
from workshops.repair import RepairRefused, repair_apply, repair_discard, repair_now, repair_preview, repair_propose
from workshops.timezones import workshop_localtime


def _moment(text: str, zone) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    except ValueError as error:
        raise CommandError(
            _("Write times as YYYY-MM-DD HH:MM (the workshop's clock): %(text)s") % {"text": text}
        ) from error


class Command(BaseCommand):
    help = (
        "Withdraw a facilitator from a time on (the workshop's clock), or a room, and repair the rotation with the "
        "fewest changes: sessions already started stay as they are. Prints each change and the rules still broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The workshop's short name.")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument(
            "--unavailable", metavar="EMAIL", help="The e-mail address of the facilitator who cannot come."
        )
        who.add_argument(
            "--unusable-room", metavar="NAME", help="A room that cannot be used: its group moves to a free room."
        )
        parser.add_argument(
            "--from", dest="start", metavar="YYYY-MM-DD HH:MM", help="Unavailable from then on (default: now)."
        )
        parser.add_argument(
            "--now",
            metavar="YYYY-MM-DD HH:MM",
            help="Sessions started by then are frozen (default: the real time; for rehearsals).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show the repair; change nothing.")
        parser.add_argument(
            "--accept", action="store_true", help="Apply the least bad option when no repair meets every rule."
        )

    def handle(self, *args, slug, unavailable, unusable_room, start, now, dry_run, accept, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(_("No workshop with the short name %(slug)s.") % {"slug": slug})
        facilitator = room = None
        if unavailable:
            facilitator = Facilitator.objects.filter(workshop=workshop, email__iexact=unavailable).first()
            if facilitator is None:
                raise CommandError(
                    _("No facilitator of this workshop has the address %(email)s.") % {"email": unavailable}
                )
        else:
            room = Room.objects.filter(workshop=workshop, name__iexact=unusable_room).first()
            if room is None:
                raise CommandError(_("No room of this workshop is called %(name)s.") % {"name": unusable_room})
        zone = zoneinfo.ZoneInfo(workshop.timezone)
        now = _moment(now, zone) if now else repair_now()
        start = _moment(start, zone) if start else now
        repair = repair_propose(
            workshop=workshop, facilitator=facilitator, room=room, start=start if facilitator else None, now=now
        )
        self._report(repair)
        if dry_run:
            repair_discard(repair=repair)
            self.stdout.write(_("Dry run: nothing was changed."))
            return
        try:
            changed = repair_apply(repair=repair, accept_broken=accept, notify_in_background=False)
        except RepairRefused as error:
            repair_discard(repair=repair)
            raise CommandError(str(error) + " " + _("Nothing was changed (--accept applies it).")) from error
        repair = RotationRepair.objects.get(pk=repair.pk)
        self.stdout.write(
            ngettext("Applied: %(count)d change.", "Applied: %(count)d changes.", changed) % {"count": changed}
            + " "
            + ngettext("%(told)d facilitator e-mailed.", "%(told)d facilitators e-mailed.", len(repair.notified))
            % {"told": len(repair.notified)}
        )

    def _report(self, repair: RotationRepair) -> None:
        out, workshop = self.stdout, repair.workshop
        preview = repair_preview(repair=repair)
        clock = workshop_localtime(repair.frozen_at, workshop).strftime("%Y-%m-%d %H:%M")
        out.write(
            _("Frozen (started by %(now)s, %(zone)s): %(sessions)s")
            % {
                "now": clock,
                "zone": workshop.timezone,
                "sessions": ", ".join(s.title for s in preview["frozen"]) or "—",
            }
        )
        out.write(
            ngettext("%(count)d change:", "%(count)d changes:", len(preview["rows"])) % {"count": len(preview["rows"])}
        )
        for row in preview["rows"]:
            out.write(
                "- "
                + _("%(session)s: %(name)s, %(before)s -> %(after)s")
                % {
                    "session": row["session"].title if row["session"] else "?",
                    "name": row["name"],
                    "before": _("Group %(name)s") % {"name": row["before"].name} if row["before"] else "—",
                    "after": _("Group %(name)s") % {"name": row["after"].name}
                    if row["after"]
                    else _("not facilitating"),
                }
            )
        if repair.problems:
            out.write(_("Rules still broken (the least bad option):"))
            for _rule, message in repair.problems:
                out.write(f"- {message}")
        else:
            out.write(_("Every rule is met."))
