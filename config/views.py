"""Operational endpoints."""

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import check_for_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods

from workshops.access import person_language_remember

from .i18n import path_in_language, url_in_language


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and uptime checks)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connections["default"].close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return HttpResponseRedirect(static("favicon.ico"))


@require_http_methods(["GET", "POST"])
def language_switch(request):
    """The language switcher: the same page in the chosen language, remembered.

    POST `language` and `next` (the current page): redirects to `next` in that language (any page,
    error pages included), sets the language cookie and, for someone who came by their personal
    link, makes it their preferred language (their e-mails follow it). A `next` that is not a
    local address is replaced by the referring page, else the home page. A GET only redirects.
    """
    language = request.POST.get("language", "")
    if request.method != "POST" or not check_for_language(language) or language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    url = (
        url_in_language(request.POST.get("next", request.GET.get("next", "")), language, request=request)
        or url_in_language(request.META.get("HTTP_REFERER", ""), language, request=request)
        or path_in_language("/", language)
    )
    response = HttpResponseRedirect(url)
    if request.method == "POST" and language == request.POST.get("language"):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        person_language_remember(user=request.user, language=language)
    return response
