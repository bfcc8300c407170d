"""The public page that verifies a certificate of participation: `/certificates/<code>/`, the QR code's address.

It confirms the holder's name, the workshop and its dates, and nothing else; a revoked code says so
(and since when), an unknown one says so with a 404. Codes carry 160 random bits, so they cannot be
guessed; failed look-ups are also counted per client (`workshops.rate_limits`), so nobody can try
codes in bulk: past the limit every answer is "too many tries", known code or not.
"""

from datetime import timedelta

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .certificates import workshop_dates
from .client import client_bucket
from .models import Certificate
from .models.certificates import certificate_code_normalise
from .rate_limits import rate_limit_hit, rate_limit_reached

VERIFY_FAILURES_LIMIT = 20  # unknown codes per client and hour
VERIFY_WINDOW = timedelta(hours=1)


def _answer(request, context: dict, status: int = 200):
    response = render(request, "workshops/certificate_verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def certificate_verify(request, code):
    key = f"certificate-verify:{client_bucket(request)}"
    if rate_limit_reached(key=key, limit=VERIFY_FAILURES_LIMIT):
        return _answer(request, {"limited": True}, status=429)
    certificate = (
        Certificate.objects.select_related("participant__workshop")
        .filter(code=certificate_code_normalise(code)[:40])
        .first()
    )
    if certificate is None:
        rate_limit_hit(key=key, limit=VERIFY_FAILURES_LIMIT, window=VERIFY_WINDOW)
        return _answer(request, {"unknown": True}, status=404)
    workshop = certificate.participant.workshop
    return _answer(
        request,
        {
            "certificate": certificate,
            "name": certificate.participant.name,
            "workshop": workshop,
            "dates": workshop_dates(workshop),
        },
    )
