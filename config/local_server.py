"""The environment of a production-like server on this machine, for the load benchmark and the outage test.

DEBUG off and persistent, health-checked connections as in production; plain HTTP on
127.0.0.1 (no TLS redirect, no secure-only cookies, no HSTS), no collectstatic (static files are
not what these measure), tasks run inline and only warnings are logged.
"""

import os


def local_server_env(database_url: str, *, purpose: str) -> dict:
    """`os.environ` plus the settings' variables for a server on 127.0.0.1 using `database_url`."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=f"{purpose}-only-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="60",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        TASKS_BACKEND="immediate",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore::UserWarning",  # "No directory at: staticfiles/": no static files served here
    )
    return env
