"""Every participant's badge as one PDF, built by a background job with progress (`workshops.jobs`).

At 3,000 participants the HTML page of badges was 7.8 MB and took the browser seconds to print; the
PDF is made off the request and downloaded. Each badge is in its participant's language, as the
HTML badges are; its QR code is the personal link `workshops.access.personal_link_url` gives.
`badges_pdf_task`'s import path is stored in queued rows (django-tasks-db): keep it.
"""

from django.db.models import F
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django_countries import countries
from sesame.utils import get_token

from workshops.access import participant_users_ensure
from workshops.jobs import JobFailed, JobProgress, JobResult, job_create, job_execute, task_enqueue
from workshops.languages import language_names
from workshops.models import Group, Job, Participant, Workshop

from .badges_pdf import PdfBadge, badges_pdf


def badges_job_start(*, workshop: Workshop, base_url: str, user=None, group: Group | None = None) -> Job:
    """Queue the PDF of every participant's badge (or one group's); it is built off the request."""
    job = job_create(
        workshop=workshop,
        kind=Job.Kind.BADGES,
        user=user,
        params={"base_url": base_url.rstrip("/"), "group": group.pk if group else None},
    )
    task_enqueue(task=badges_pdf_task, job_id=job.pk)
    return job


@task
def badges_pdf_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_badges_build).state


def badges_for_print(*, workshop: Workshop, base_url: str, group_id: int | None = None) -> list[PdfBadge]:
    """Each participant's badge text, in their own language, in the HTML badges' order (group, name).

    A read; participants without a login (added since the logins were made) get no badge.
    """
    participants = Participant.objects.filter(workshop=workshop, user__isnull=False).select_related(
        "group__room", "user"
    )
    if group_id:
        participants = participants.filter(group_id=group_id)
    base_url = base_url.rstrip("/")
    badges = []
    for person in participants.order_by(F("group__name").asc(nulls_last=True), "name", "pk"):
        with translation.override(person.preferred_language):
            token = get_token(person.user)
            place = f"{person.group} · {person.group.room.name}" if person.group else gettext("Group to be announced")
            badges.append(
                PdfBadge(
                    name=person.name,
                    organisation=person.organisation or "",
                    country=countries.name(person.country.code) if person.country else "",
                    languages=language_names(person.languages or []),
                    place=place,
                    url=base_url + reverse("workshops:personal_link", kwargs={"token": token}),
                    language=person.preferred_language,
                )
            )
    return badges


def _badges_build(job: Job, progress: JobProgress) -> JobResult:
    workshop, group_id = job.workshop, job.params.get("group")
    if group_id and not Group.objects.filter(workshop=workshop, pk=group_id).exists():
        raise JobFailed(gettext("This group no longer exists."))
    participant_users_ensure(workshop=workshop, group_id=group_id)  # the QR codes' links need logins
    badges = badges_for_print(workshop=workshop, base_url=job.params["base_url"], group_id=group_id)
    if not badges:
        raise JobFailed(gettext("Nothing to print yet: this workshop has no participant."))
    progress(0, len(badges))
    content = badges_pdf(
        workshop_title=workshop.title,
        badges=badges,
        title=gettext("Participant badges"),
        on_progress=progress,
    )
    return JobResult(content=content, name=f"badges-{slugify(workshop.slug)}.pdf", content_type="application/pdf")
