from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workshops.access import personal_link_revoke, personal_link_url
from workshops.models import Facilitator, Participant
from workshops.qr import qr_png, qr_svg


class Command(BaseCommand):
    help = "Print the current personal link of a participant or facilitator (by e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--workshop", help="The workshop's short name, when the address is in several.")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--revoke", action="store_true", help="Invalidate every earlier link first.")
        parser.add_argument("--qr", metavar="FILE", help="Also write the link as a QR code (.png or .svg).")

    def handle(self, *args, email, workshop, base_url, revoke, qr, **options):
        people = []
        for model in (Participant, Facilitator):
            queryset = model.objects.filter(email__iexact=email).select_related("workshop")
            if workshop:
                queryset = queryset.filter(workshop__slug=workshop)
            people.extend(queryset)
        if not people:
            raise CommandError(_("Nobody is registered with %(email)s.") % {"email": email})
        for person in people:
            if revoke:
                personal_link_revoke(person=person)
            url = personal_link_url(person=person, base_url=base_url)
            self.stdout.write(f"{person.name} ({person.workshop.slug}): {url}")
            if qr:
                path = Path(qr)
                if path.suffix.lower() == ".svg":
                    path.write_text(qr_svg(url))
                else:
                    path.write_bytes(qr_png(url))
                self.stdout.write(_("QR code written to %(path)s") % {"path": path})
