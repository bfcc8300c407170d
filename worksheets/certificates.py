"""Certificates of participation as PDF: a participant's own, and the organisers' one PDF of all (a background job).

Each certificate is written in its participant's preferred language: its labels, the dates, the
sessions' titles and curriculum sections. Its QR code leads to the public verification page
(`workshops.views_certificates`), at the address the request (or the job's) came to.
`certificates_pdf_task`'s import path is stored in queued rows (django-tasks-db): keep it.
"""

import zoneinfo

from django.db.models import F
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext

from workshops.attendance import attended_sessions
from workshops.certificates import certificates_issue_all, workshop_dates
from workshops.jobs import JobFailed, JobProgress, JobResult, job_create, job_execute, task_enqueue
from workshops.models import BreakoutSession, Certificate, Job, Workshop

from .certificate_pdf import PdfCertificate, PdfCertificateSession, certificates_pdf


def certificate_url(*, certificate: Certificate, base_url: str) -> str:
    """The absolute address of the certificate's verification page (no language prefix: the reader's own)."""
    with translation.override(None):
        path = reverse("workshops:certificate_verify", kwargs={"code": certificate.code})
    return base_url.rstrip("/") + path


def _pdf_certificate(certificate: Certificate, sessions: list[BreakoutSession], base_url: str) -> PdfCertificate:
    """The certificate's texts, in its participant's language (their preferred one now)."""
    person = certificate.participant
    workshop = person.workshop
    zone = zoneinfo.ZoneInfo(workshop.timezone)
    url = certificate_url(certificate=certificate, base_url=base_url)
    with translation.override(person.preferred_language):
        lines = []
        for session in sessions:
            start, end = timezone.localtime(session.start, zone), timezone.localtime(session.end, zone)
            section = session.section
            lines.append(
                PdfCertificateSession(
                    when=f"{date_format(start, 'DATE_FORMAT')}, {start:%H:%M}–{end:%H:%M}",
                    title=session.title,
                    section=(
                        gettext("EMM section %(number)s: %(title)s")
                        % {"number": section.number, "title": section.title}
                        if section
                        else ""
                    ),
                )
            )
        return PdfCertificate(
            heading=gettext("Certificate of participation"),
            intro=gettext("This certifies that"),
            name=person.name,
            took_part=gettext("took part in"),
            workshop_title=workshop.title,
            series=workshop.series,
            dates=workshop_dates(workshop),
            venue=workshop.venue,
            sessions_heading=gettext("Sessions attended"),
            sessions=lines,
            code_label=gettext("Verification code: %(code)s") % {"code": certificate.code_display},
            verify_text=gettext("Check this certificate at %(url)s") % {"url": url},
            url=url,
            language=person.preferred_language,
        )


def _certificates_text(certificates: list[Certificate], workshop: Workshop, base_url: str) -> list[PdfCertificate]:
    """Each certificate's texts, with the sessions its holder attended, in a fixed number of queries."""
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start"))
    attended = attended_sessions(workshop)
    return [
        _pdf_certificate(
            certificate,
            [session for session in sessions if session.pk in attended.get(certificate.participant_id, set())],
            base_url,
        )
        for certificate in certificates
    ]


def certificate_pdf_of(*, certificate: Certificate, base_url: str) -> bytes:
    """One participant's certificate as a PDF, in their language."""
    certificate = Certificate.objects.select_related("participant__workshop").get(pk=certificate.pk)
    [text] = _certificates_text([certificate], certificate.participant.workshop, base_url)
    with translation.override(certificate.participant.preferred_language):
        title = gettext("Certificate of participation")
    return certificates_pdf(certificates=[text], title=f"{title} · {text.name}")


def certificates_job_start(*, workshop: Workshop, base_url: str, user=None) -> Job:
    """Issue every certificate due, then queue the PDF of all the workshop's valid certificates (off the request)."""
    certificates_issue_all(workshop=workshop)
    job = job_create(workshop=workshop, kind=Job.Kind.CERTIFICATES, user=user, params={"base_url": base_url})
    task_enqueue(task=certificates_pdf_task, job_id=job.pk)
    return job


@task
def certificates_pdf_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_certificates_build).state


def _certificates_build(job: Job, progress: JobProgress) -> JobResult:
    workshop = job.workshop
    certificates = list(
        Certificate.objects.filter(participant__workshop=workshop, revoked_at__isnull=True)
        .select_related("participant__workshop")
        .order_by(F("participant__name").asc(), "pk")
    )
    if not certificates:
        raise JobFailed(gettext("No certificate to print: nobody qualifies yet under the workshop’s rule."))
    progress(0, len(certificates))
    texts = _certificates_text(certificates, workshop, job.params["base_url"])
    content = certificates_pdf(
        certificates=texts, title=f"{gettext('Certificates of participation')} · {workshop.title}", on_progress=progress
    )
    return JobResult(content=content, name=f"certificates-{slugify(workshop.slug)}.pdf", content_type="application/pdf")
