from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workshops.erasure import participant_erase
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

    def handle(self, *args, email, workshop, yes, **options):
        try:
            participant = Participant.objects.select_related("workshop").get(
                email__iexact=email, workshop__slug=workshop
            )
        except Participant.DoesNotExist:
            raise CommandError(
                _("No participant of workshop “%(workshop)s” has the e-mail address %(email)s.")
                % {"workshop": workshop, "email": email}
            ) from None
        if not yes:
            self.stdout.write(
                _("Erase the personal data of %(name)s <%(email)s> (%(workshop)s)? This cannot be undone.")
                % {"name": participant.name, "email": participant.email, "workshop": participant.workshop}
            )
            self.stdout.write(_("Type “yes” to continue: "), ending="")
            self.stdout.flush()
            answer = input()
            if answer.strip().lower() != "yes":
                raise CommandError(_("Nothing was erased."))
        result = participant_erase(participant=participant)
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
