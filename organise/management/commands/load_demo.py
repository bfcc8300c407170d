from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _

from curriculum.services import curriculum_load_emm
from organise.demo.attendance import demo_attendance
from organise.demo.certificates import demo_certificates_load
from organise.demo.evaluation import demo_evaluation_load
from organise.demo.summaries import demo_summaries_load
from organise.demo.worksheets import demo_worksheets_load
from organise.demo.workshop import demo_workshop_load
from worksheets.services import questions_create_defaults
from workshops.access import personal_link_url
from workshops.services import workshop_check


class Command(BaseCommand):
    help = (
        "Load the 2005 IOM Intersessional Workshop (EMM curriculum, rooms, groups, sessions, fictional "
        "people, default worksheet). Safe to run again: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Printed before the paths.")

    def handle(self, *args, base_url, **options):
        curriculum_load_emm()
        result = demo_workshop_load()
        workshop = result.workshop
        questions_create_defaults(workshop=workshop)
        demo_worksheets_load(workshop=workshop)
        demo_summaries_load(workshop=workshop)
        demo_evaluation_load(workshop=workshop)
        demo_attendance(workshop=workshop)
        demo_certificates_load(workshop=workshop)
        problems = workshop_check(workshop=workshop)

        out = self.stdout
        out.write(self.style.SUCCESS(_("Demo event loaded: %(title)s") % {"title": workshop.title}))
        out.write(f"  {_('Workshop page')}:   {base_url}{workshop.get_absolute_url()}")
        out.write(f"  {_('Curriculum')}:      {base_url}{reverse('curriculum:index')}")
        out.write(f"  {_('Organisers')}:      {base_url}{reverse('admin:index')}")
        if result.organiser_password:
            out.write(f"    {_('user')} {result.organiser_username} / {_('password')} {result.organiser_password}")
        else:
            out.write(
                f"    {_('user')} {result.organiser_username} ({_('password changed since the demo was loaded')})"
            )
        for participant in workshop.participants.select_related("group").order_by("email")[:3]:
            out.write(f"  {_('Participant')}: {participant.name}, {participant.group}")
            out.write(f"    {personal_link_url(person=participant, base_url=base_url)}")
        for facilitator in workshop.facilitators.order_by("email")[:2]:
            out.write(f"  {_('Facilitator')}: {facilitator.name}")
            out.write(f"    {personal_link_url(person=facilitator, base_url=base_url)}")
        if problems:
            out.write(self.style.WARNING(_("The demo schedule breaks %(count)d rule(s):") % {"count": len(problems)}))
            for problem in problems:
                out.write(f"  - {problem}")
