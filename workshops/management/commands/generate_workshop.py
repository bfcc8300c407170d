import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import IntegrityError
from django.utils.translation import gettext as _

from workshops.models import Workshop
from workshops.schedule_store import schedule_store
from workshops.scheduling.generate import schedule_generate


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Create a realistic random workshop of the given size (fictional people, real countries), "
            "with no participant placed and no facilitator assigned. The same seed gives the same workshop."
        )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, required=True, help=_("Number of participants."))
        parser.add_argument("--groups", type=int, required=True, help=_("Number of groups (one room each)."))
        parser.add_argument("--sessions", type=int, required=True, help=_("Number of break-out sessions."))
        parser.add_argument("--facilitators", type=int, required=True, help=_("Number of facilitators."))
        parser.add_argument("--seed", type=int, default=0, help=_("Random seed (default 0)."))
        parser.add_argument(
            "--countries",
            type=int,
            help=_("Number of distinct countries (default: a sixth of the participants, 10 to 150)."),
        )
        parser.add_argument("--slug", help=_("Short name of the new workshop (default generated-N-seed-X)."))

    def handle(self, *args, participants, groups, sessions, facilitators, seed, countries, slug, **options):
        if countries is None:
            countries = min(150, max(10, participants // 6), max(participants, 1))
        slug = slug or f"generated-{participants}-seed-{seed}"
        try:
            validate_slug(slug)
        except ValidationError as error:
            raise CommandError(_("“%(slug)s” is not a valid short name.") % {"slug": slug}) from error
        exists = _("A workshop with the short name “%(slug)s” already exists; choose another with --slug.")
        if Workshop.objects.filter(slug=slug).exists():
            raise CommandError(exists % {"slug": slug})

        started = time.perf_counter()
        try:
            schedule = schedule_generate(
                participants=participants,
                groups=groups,
                sessions=sessions,
                facilitators=facilitators,
                countries=countries,
                seed=seed,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        generated = time.perf_counter()
        title = _("Generated workshop: %(participants)d participants, %(groups)d groups, seed %(seed)d") % {
            "participants": participants,
            "groups": groups,
            "seed": seed,
        }
        try:
            schedule_store(schedule=schedule, slug=slug, title=title)
        except IntegrityError as error:  # created by someone else meanwhile
            raise CommandError(exists % {"slug": slug}) from error
        stored = time.perf_counter()

        trilingual = sum(1 for room in schedule.rooms if len(room.languages) > 1)
        figures = {
            "slug": slug,
            "participants": len(schedule.participants),
            "countries": len({p.country for p in schedule.participants}),
            "no_english": sum(1 for p in schedule.participants if "en" not in p.languages),
            "groups": len(schedule.groups),
            "trilingual": trilingual,
            "english_only": len(schedule.rooms) - trilingual,
            "sessions": len(schedule.sessions),
            "facilitators": len(schedule.facilitators),
            "restricted": sum(1 for f in schedule.facilitators if f.availability),
            "generated": generated - started,
            "stored": stored - generated,
        }
        for line in (
            _("Created the workshop “%(slug)s” (not published):"),
            _("  participants: %(participants)d, from %(countries)d countries; %(no_english)d speak no English"),
            _("  groups, one room each: %(groups)d (%(trilingual)d tri-lingual, %(english_only)d English only)"),
            _("  sessions: %(sessions)d"),
            _("  facilitators: %(facilitators)d (%(restricted)d available for only some sessions)"),
            _("Generated in %(generated).2f s, stored in %(stored).2f s."),
        ):
            self.stdout.write(line % figures)
