"""Operational endpoints."""

from django.db import DatabaseError, connections
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache


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
