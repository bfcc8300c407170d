"""Personal links: open one, ask for a new one."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from .access import SESAME_BACKEND, LinkProblem, link_session_bind, personal_link_check
from .client import client_bucket
from .lost_link import lost_link_send
from .mail import MailNotSent
from .rate_limits import rate_limit_hit

LOST_LINK_LIMIT = 5  # requests per address and per client, per hour


def _problem_page(request, problem):
    status = 410 if problem in (LinkProblem.EXPIRED, LinkProblem.USED) else 404
    return render(request, "workshops/link_problem.html", {"problem": problem.value}, status=status)


def _enter(request, token, *, one_time):
    person, problem = personal_link_check(token=token, one_time=one_time, request=request)
    if problem is not None:
        return _problem_page(request, problem)
    login(request, person.user, backend=SESAME_BACKEND)
    link_session_bind(session=request.session, person=person)
    if person.link_opened_at is None:
        type(person).objects.filter(pk=person.pk, link_opened_at__isnull=True).update(link_opened_at=timezone.now())
    # Redirect to an address without the token (nothing secret stays in the address bar or the
    # history), in the person's language, which is remembered from now on.
    with translation.override(person.preferred_language):
        response = redirect("worksheets:my_day")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.preferred_language, samesite="Lax")
    return response


def personal_link(request, token):
    # A plain GET: the QR code on a badge must open the person's page with one scan. The link
    # is not spent by being opened, so a mail system's link scanner takes nothing from the person.
    return _enter(request, token, one_time=False)


@require_http_methods(["GET", "POST"])
def one_time_link(request, token):
    """A GET only looks (mail systems' link scanners open every link in an e-mail before the
    person does); the person spends the link with the page's button, a POST."""
    if request.method == "POST":
        return _enter(request, token, one_time=True)
    _person, problem = personal_link_check(token=token, one_time=True, spend=False, request=request)
    if problem is not None:
        return _problem_page(request, problem)
    return render(request, "workshops/one_time_link.html")


def _over_limit(key: str) -> bool:
    return rate_limit_hit(key=key, limit=LOST_LINK_LIMIT, window=timedelta(hours=1))


@require_http_methods(["GET", "POST"])
def lost_link(request):
    """Ask for a one-time link by e-mail. The answer is the same whether the address is known or not."""
    if request.method == "GET":
        return render(request, "workshops/lost_link.html")
    email = (request.POST.get("email") or "").strip()[:254]
    try:
        validate_email(email)
    except ValidationError as error:
        return render(request, "workshops/lost_link.html", {"invalid": error.messages[0]}, status=400)
    client = client_bucket(request)
    if _over_limit(f"lost-link:ip:{client}") or _over_limit(f"lost-link:email:{email.lower()}"):
        return render(request, "workshops/lost_link.html", {"limited": True}, status=429)
    try:
        lost_link_send(email=email, base_url=request.build_absolute_uri("/"), language=translation.get_language())
    except MailNotSent:
        # Said alike for registered and unknown addresses: both were sent an e-mail.
        return render(request, "workshops/lost_link.html", {"not_sent": True}, status=503)
    return render(request, "workshops/lost_link.html", {"sent": True})
