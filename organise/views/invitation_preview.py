"""Before the invitations go out: a preview in each language, and a test to oneself."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from workshops.invitation_preview import (
    INTERFACE_LANGUAGES,
    KINDS,
    invitation_languages,
    invitation_preview,
    invitation_test_send,
    own_message_falls_back,
)
from workshops.languages import LANGUAGE_NAMES
from workshops.mail import MailNotSent

from ..decorators import organiser_post_required, organiser_required
from ..forms import InvitationTestForm
from .invitations import _base_url


@organiser_required
def invitation_preview_page(request, slug):
    workshop = request.workshop
    languages = invitation_languages(workshop=workshop)
    language = request.GET.get("language") or languages[0]
    if language not in INTERFACE_LANGUAGES:
        raise Http404
    return render(
        request,
        "organise/invitations/preview.html",
        {
            "workshop": workshop,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in INTERFACE_LANGUAGES],
            "used_languages": languages,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "previews": invitation_preview(workshop=workshop, language=language, base_url=_base_url(request)),
            "falls_back": own_message_falls_back(workshop=workshop, language=language),
            "test_form": InvitationTestForm(initial={"language": language}),
        },
    )


# The e-mail's HTML part alone, framed by the preview page: its own inline styles apply as in a
# mail reader, no script runs (sandboxed, no script source), and only our own pages may frame it.
EMAIL_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "sandbox": [""],
}


@organiser_required
@xframe_options_sameorigin
@csp_override(EMAIL_CSP)
def invitation_preview_html(request, slug, language, kind):
    workshop = request.workshop
    if language not in INTERFACE_LANGUAGES or kind not in KINDS:
        raise Http404
    previews = invitation_preview(workshop=workshop, language=language, base_url=_base_url(request))
    html = next(preview["html"] for preview in previews if preview["kind"] == kind)
    return HttpResponse(html)


@organiser_post_required
def invitation_test(request, slug):
    workshop = request.workshop
    form = InvitationTestForm(request.POST)
    back = reverse("organise:invitation_preview", kwargs={"slug": slug})
    if not form.is_valid():
        messages.error(request, _("Choose the language and who the test is for."))
        return redirect(back)
    language, kind = form.cleaned_data["language"], form.cleaned_data["kind"]
    back += f"?language={language}"
    try:
        invitation_test_send(
            workshop=workshop, user=request.user, language=language, kind=kind, base_url=_base_url(request)
        )
    except ValueError:
        messages.error(
            request,
            _("Your account has no e-mail address, so no test can be sent to you. Add one to your account first."),
        )
        return redirect(back)
    except MailNotSent:
        messages.error(request, _("The mail server did not take the test: nothing was sent. Try again later."))
        return redirect(back)
    messages.success(
        request,
        _("A test invitation in %(language)s is on its way to %(email)s. Nobody else gets it.")
        % {"language": LANGUAGE_NAMES[language], "email": request.user.email},
    )
    return redirect(back)
