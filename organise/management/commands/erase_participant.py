from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organise.erasure import TextChange, erasure_plans, participant_erase
from workshops.models import Participant


class Command(BaseCommand):
    help = (
        "Erase a participant's personal data on request: name, e-mail, organisation, country, gender, "
        "their personal link and private worksheets; shared worksheets stay, without their name."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The participant's e-mail address.")
        parser.add_argument("--workshop", required=True, help="The workshop's short name.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--scrub-uncertain",
            action="store_true",
            help="Also change the texts that may be about someone else (listed first); without it, with --yes, they stay.",
        )

    def _show(self, change: TextChange) -> None:
        self.stdout.write(f"- {change.where}")
        if change.hidden:
            self.stdout.write("  " + _("(you may not read this text)"))
        else:
            self.stdout.write("  " + change.before.replace("\n", "\n  "))
            self.stdout.write("  → " + change.after.replace("\n", "\n    "))

    def _ask(self, question: str) -> bool:
        self.stdout.write(question, ending="")
        self.stdout.flush()
        return input().strip().lower() == "yes"

    def handle(self, *args, email, workshop, yes, scrub_uncertain, **options):
        try:
            participant = Participant.objects.select_related("workshop").get(
                email__iexact=email, workshop__slug=workshop
            )
        except Participant.DoesNotExist:
            raise CommandError(
                _("No participant of workshop “%(workshop)s” has the e-mail address %(email)s.")
                % {"workshop": workshop, "email": email}
            ) from None
        plans = erasure_plans(participants=[participant])
        certain, uncertain = (plans[0].certain, plans[0].uncertain) if plans else ([], [])
        if not yes:
            if certain:
                self.stdout.write(_("These texts will change:"))
                for change in certain:
                    self._show(change)
            self.stdout.write(
                _("Erase the personal data of %(name)s <%(email)s> (%(workshop)s)? This cannot be undone.")
                % {"name": participant.name, "email": participant.email, "workshop": participant.workshop}
            )
            if not self._ask(_("Type “yes” to continue: ")):
                raise CommandError(_("Nothing was erased."))
        chosen = []
        if uncertain and (scrub_uncertain or not yes):
            words = sorted({word.casefold() for change in uncertain for word in change.words})
            if not scrub_uncertain:
                self.stdout.write(
                    ngettext(
                        "%(count)d text mentions %(words)s, which may be about someone else:",
                        "%(count)d texts mention %(words)s, which may be about someone else:",
                        len(uncertain),
                    )
                    % {"count": len(uncertain), "words": ", ".join(f"“{word}”" for word in words)}
                )
                for change in uncertain:
                    self._show(change)
            if scrub_uncertain or self._ask(
                _("Change these texts too? Type “yes” to change them, anything else to keep them: ")
            ):
                chosen = [change.key for change in uncertain]
        result = participant_erase(participant=participant, uncertain=chosen)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Erased. Private worksheets deleted: %(private)d; shared worksheets kept without a name: "
                    "%(shared)d; invitations deleted: %(invitations)d."
                )
                % {
                    "private": result.private_worksheets_deleted,
                    "shared": result.shared_worksheets_anonymised,
                    "invitations": result.invitations_deleted,
                }
            )
        )
        self.stdout.write(_("Mentions removed from kept texts: %(texts)d.") % {"texts": result.texts_scrubbed})
