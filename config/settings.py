"""Settings, read from environment variables with safe development defaults.

Every variable is documented in the README ("Configuration"). Nothing here has side effects
at import time: no files are written, no connections opened.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.jquery_ui
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is used only when DEBUG is on; without DEBUG, SECRET_KEY must be set
# (Django then refuses to start with "The SECRET_KEY setting must not be empty").
SECRET_KEY = os.environ.get("SECRET_KEY") or ("django-insecure-development-only-key" if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin, as its documentation asks
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_countries",
    "django_tasks_db",
    "import_export",
    "axes",  # password-login rate limit (django-axes)
    "curriculum",
    "workshops",
    "worksheets",
    "organise",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.i18n.LanguageMiddleware",  # Django's, plus unprefixed addresses in the chosen language
    "workshops.timezones.WorkshopTimezoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "workshops.middleware.PersonalLinkSessionMiddleware",  # link sessions end with their link; never cached
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; a busy timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that drops packets must not hang a worker: fail fast (/healthz says 503).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "organisers_home"  # a sign-in that no page asked for lands on the organisers' home
AUTHENTICATION_BACKENDS = [
    "config.auth_backends.PasswordLoginRateLimitBackend",  # first: refuses a locked-out password login
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
# Password login (the back office) is rate-limited by django-axes: after AXES_FAILURE_LIMIT wrong
# passwords for one username from one client address, that pair is locked out for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/locked_out.html"  # in the visitor's language, with what to do next
# The client's address, for django-axes as for every other rate limit (workshops/client.py): IPv4
# addresses whole, IPv6 ones by their /64, which one host can hold whole.
AXES_CLIENT_IP_CALLABLE = "workshops.client.client_bucket"
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For (each
# one). BEHIND_PROXY=1 alone means one; 0 ignores the header, which a client can write.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or (1 if env_bool("BEHIND_PROXY") else 0))

# Personal links (django-sesame): signed tokens, never stored. Revoking a link changes the
# person's (unusable) password hash, which invalidates every token issued before.
SESAME_INVALIDATE_ON_PASSWORD_CHANGE = True
# Tokens carry their issue time, so one-time links can expire within minutes; personal links
# expire with their workshop (PERSONAL_LINK_DAYS_AFTER_WORKSHOP), this is only an outer bound.
SESAME_MAX_AGE = 10 * 365 * 24 * 3600
SESAME_TOKEN_NAME = "t"
SESAME_SIGNATURE_SIZE = 16  # a 128-bit signature (the library's default is 80 bits)
# A personal link stops working this many days after its workshop's last day.
PERSONAL_LINK_DAYS_AFTER_WORKSHOP = int(os.environ.get("PERSONAL_LINK_DAYS_AFTER_WORKSHOP", "30"))
# What an uploaded registration file may expand to: rows of people, spreadsheet cells read (empty
# formatted ones included) and bytes of an .xlsx once unzipped. Beyond them the file is refused
# with a message, so a small crafted file (a "zip bomb") cannot take a worker's CPU or memory.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "10000"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "250000"))
IMPORT_XLSX_MAX_BYTES = int(os.environ.get("IMPORT_XLSX_MAX_MB", "25")) * 1024 * 1024
# A file of more rows than this is checked and imported by background jobs with progress
# (`workshops.imports.jobs`), not in the web request; `import_people` then prints its progress.
IMPORT_IN_PAGE_MAX_ROWS = int(os.environ.get("IMPORT_IN_PAGE_MAX_ROWS", "300"))
# A "lost my link" e-mail carries a one-time link valid this many minutes.
LOST_LINK_MINUTES = int(os.environ.get("LOST_LINK_MINUTES", "15"))
# At most this many "lost my link" notes an hour, site-wide, to addresses no workshop has (each
# request for one is mailed a note saying so): beyond it they get none, so the site cannot be
# made to mail strangers in bulk by many clients each under its own limit.
LOST_LINK_UNKNOWN_PER_HOUR = int(os.environ.get("LOST_LINK_UNKNOWN_PER_HOUR", "60"))
# Anonymous answers are shown (in the report, its downloads and to facilitators) only where at
# least this many people shared anonymously, so that no choice of filters singles anyone out.
REPORT_MIN_ANONYMOUS_SHARERS = max(1, int(os.environ.get("REPORT_MIN_ANONYMOUS_SHARERS", "3")))

# Languages of the interface and of translated content. English is the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # long, unambiguous dates in each language
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Zurich")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("jquery-ui", xstatic.pkg.jquery_ui.BASE_DIR)]
# The admin's translation tabs need jQuery UI: served from our own static files, not a CDN.
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Background tasks (Django's tasks framework). The embedded default runs a task at once, inside
# the request; production sets TASKS_BACKEND=database and runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[os.environ.get("TASKS_BACKEND", "immediate")]
    }
}

# Solver runs. With the immediate backend a run solves inside the web request, so its time budget
# is capped below the web server's worker timeout (gunicorn's default is 30 s); a worker process
# (TASKS_BACKEND=database) takes up to 600 s. A running run beats a heartbeat every few seconds;
# one silent for SOLVER_STALE_SECONDS (its worker was killed or timed out) is failed when read.
SOLVER_MAX_SECONDS_IN_REQUEST = int(os.environ.get("SOLVER_MAX_SECONDS_IN_REQUEST", "20"))
SOLVER_HEARTBEAT_SECONDS = float(os.environ.get("SOLVER_HEARTBEAT_SECONDS", "5"))
SOLVER_STALE_SECONDS = int(os.environ.get("SOLVER_STALE_SECONDS", "60"))
# A solver run or invitation batch still waiting in the task queue after this long was taken by no
# worker (TASKS_BACKEND=database without `manage.py db_worker`): the run is failed, the batch says so.
TASKS_QUEUE_WAIT_SECONDS = int(os.environ.get("TASKS_QUEUE_WAIT_SECONDS", "120"))
# Background jobs with progress (badges PDF, invitations: workshops/jobs.py). With the immediate
# backend a job runs in a thread of the web process, started after the request's transaction commits,
# so no request waits for it (off: it runs inside the request, as the tests do). A running job silent
# for JOBS_STALE_SECONDS (its process died) is failed when read; a finished job's file is kept
# JOBS_KEEP_HOURS, in the database (any app server hands it out).
TASKS_IMMEDIATE_IN_THREAD = os.environ.get("TASKS_IMMEDIATE_IN_THREAD", "1") == "1"
JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "60"))
JOBS_KEEP_HOURS = int(os.environ.get("JOBS_KEEP_HOURS", "24"))
# How often a participant's or facilitator's page asks for new announcements (workshops/announcements.py).
ANNOUNCEMENTS_POLL_SECONDS = float(os.environ.get("ANNOUNCEMENTS_POLL_SECONDS", "30"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy, enforced by Django's own middleware: our own files only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail (Django 6.1's MAILERS): console in development, SMTP configured from the environment otherwise.
# Each backend gets only the options it takes: SMTP its server, the file backend its folder, the
# others (console, locmem, dummy, or any other backend path) none.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
if EMAIL_BACKEND_PATH == "django.core.mail.backends.smtp.EmailBackend":
    EMAIL_BACKEND_OPTIONS = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        # A mail server that stops answering must not hold a request (or the task worker) for ever.
        "timeout": float(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
elif EMAIL_BACKEND_PATH == "django.core.mail.backends.filebased.EmailBackend":
    # Django creates the folder when the mailer is first used, not at import.
    EMAIL_BACKEND_OPTIONS = {"file_path": os.environ.get("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-mail")}
else:
    EMAIL_BACKEND_OPTIONS = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": EMAIL_BACKEND_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "workshops@localhost")
# The site's own domain, on the right of every Message-ID it sends (not the machine's host name, which
# mail filters distrust): SITE_DOMAIN, else the first host name of ALLOWED_HOSTS.
SITE_DOMAIN = os.environ.get("SITE_DOMAIN") or next(
    (
        host.lstrip(".")
        for host in ALLOWED_HOSTS
        if host != "*" and not host.startswith("[") and any(c.isalpha() for c in host)
    ),
    "localhost",
)

# Logs: plain lines in development; one JSON object per line with LOG_FORMAT=json (production).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
