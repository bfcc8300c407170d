"""The organiser's certificates page: the rule, who qualifies and who does not (and why), issued and revoked.

From it the organiser sets the rule (every session, or at least a number; the evaluation required
or not), issues every certificate due, makes one PDF of all of them (a background job, as badges),
and revokes one certificate, after a confirmation page that asks for the reason.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from worksheets.certificates import certificates_job_start
from workshops.certificates import certificate_revoke, certificate_standings, certificates_issue_all
from workshops.models import Certificate, Job, Workshop

from ..decorators import organiser_post_required, organiser_required

RECENT_JOBS = 5


class CertificateRuleForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["certificate_rule", "certificate_min_sessions", "certificate_needs_evaluation"]
        widgets = {"certificate_rule": forms.RadioSelect}


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the certificate, for the organising team; the public page only says it was revoked."),
    )


def _page(request, form, status=200):
    workshop = request.workshop
    standings = certificate_standings(workshop=workshop)
    return render(
        request,
        "organise/certificates/index.html",
        {
            "workshop": workshop,
            "form": form,
            "standings": standings,
            "counts": {
                "qualify": sum(1 for s in standings if s.qualifies),
                "issued": sum(1 for s in standings if s.certificate and not s.certificate.revoked),
                "revoked": sum(1 for s in standings if s.certificate and s.certificate.revoked),
                "due": sum(1 for s in standings if s.qualifies and s.certificate is None),
            },
            "jobs": list(
                Job.objects.without_result().filter(workshop=workshop, kind=Job.Kind.CERTIFICATES)[:RECENT_JOBS]
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@organiser_required
def certificates(request, slug):
    """The page; its POST saves the rule (refused with the reason when incomplete)."""
    workshop = request.workshop
    if request.method == "POST":
        form = CertificateRuleForm(request.POST, instance=workshop)
        if not form.is_valid():
            return _page(request, form, status=400)
        form.save()
        messages.success(request, _("The certificate rule is saved."))
        return redirect("organise:certificates", slug=slug)
    return _page(request, CertificateRuleForm(instance=workshop))


@organiser_post_required
def certificates_issue(request, slug):
    issued = certificates_issue_all(workshop=request.workshop)
    messages.success(
        request,
        ngettext("%(count)s certificate issued.", "%(count)s certificates issued.", issued) % {"count": issued},
    )
    return redirect("organise:certificates", slug=slug)


@organiser_post_required
def certificates_pdf_start(request, slug):
    """Issue what is due, then make one PDF of every valid certificate in the background; its page shows the progress."""
    job = certificates_job_start(workshop=request.workshop, base_url=request.build_absolute_uri("/"), user=request.user)
    return redirect("organise:job", slug=slug, job_id=job.pk)


@require_http_methods(["GET", "POST"])
@organiser_required
def certificate_revoke_view(request, slug, certificate_id):
    """GET: the confirmation, asking why; POST: revoke (the reason is required)."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("participant", "revoked_by"),
        pk=certificate_id,
        participant__workshop=request.workshop,
    )
    form = CertificateRevokeForm(request.POST or None)
    if request.method == "POST" and not certificate.revoked and form.is_valid():
        certificate_revoke(certificate=certificate, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s’s certificate is revoked.") % {"name": certificate.participant.name})
        return redirect("organise:certificates", slug=slug)
    return render(
        request,
        "organise/certificates/revoke.html",
        {"workshop": request.workshop, "certificate": certificate, "form": form},
        status=400 if form.is_bound and not certificate.revoked else 200,
    )
