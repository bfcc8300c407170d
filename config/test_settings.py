"""Fast, self-contained settings for the test suite (pytest-django uses these)."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-" + "x" * 32)

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
WHITENOISE_AUTOREFRESH = True  # no collectstatic needed to run the tests
# Tasks started off the request run at once in the on-commit callback (tests run them by hand or
# capture the callbacks); tests/workshops/test_jobs.py turns the thread on where it tests it.
TASKS_IMMEDIATE_IN_THREAD = False
