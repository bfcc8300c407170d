"""Production settings pass `check --deploy`; every response carries the security headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories as f

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_SSL_REDIRECT": "1",
    "ALLOWED_HOSTS": "workshops.example.org",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def test_check_deploy_reports_no_issue_under_production_settings():
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "DATABASE_URL")}
    env.update(PRODUCTION_ENV)  # DEBUG unset
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PRODUCTION = {
    "DEBUG": False,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}


@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_pages_carry_an_enforced_csp_and_the_security_headers(client):
    response = client.get(reverse("workshops:home"), secure=True)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response.headers
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    # Django adds the nonce only to responses whose page used it; ours load every script from a file.
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=_-]{16,}')?", directives["script-src"]), csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_session_and_csrf_cookies_are_secure_and_the_session_is_http_only(client):
    user = f.user(username="organiser-a")
    login_page = client.get(reverse("admin:login"), secure=True)
    csrf = login_page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": "pw", "next": "/admin/"}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, **PRODUCTION)
def test_plain_http_is_redirected_to_https(client):
    response = client.get(reverse("workshops:home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
