"""HireSlot settings: one module, driven by environment variables, with embedded defaults.

Development (the default) needs nothing set: SQLite under ``var/``, a secret key generated once
and kept in ``var/``, email summarized on the console (one line each, read in the app).
Production (``HIRESLOT_ENV=production``) refuses to start until every required variable is set,
and turns on every HTTPS protection that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url

from hireslot.core.languages import CANDIDATE_LANGUAGES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HIRESLOT_VAR_DIR", BASE_DIR / "var"))

HIRESLOT_ENV = os.environ.get("HIRESLOT_ENV", "development").strip().lower()
if HIRESLOT_ENV not in {"development", "production"}:
    sys.exit(f"HireSlot: HIRESLOT_ENV must be 'development' or 'production', not {HIRESLOT_ENV!r}")
PRODUCTION = HIRESLOT_ENV == "production"


def _required(name: str) -> str:
    """A production setting with no safe default: stop start-up with one line naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(
            f"HireSlot: the environment variable {name} is required when HIRESLOT_ENV=production"
        )
    return value


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    # Generated once per checkout so sessions survive restarts, and never committed.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
    HIRESLOT_BASE_URL = _required("HIRESLOT_BASE_URL").rstrip("/")
    _database_url = _required("DATABASE_URL")
    _email_url = _required("EMAIL_URL")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
    ALLOWED_HOSTS = [
        h.strip()
        for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
        if h.strip()
    ]
    HIRESLOT_BASE_URL = os.environ.get("HIRESLOT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    _database_url = os.environ.get("DATABASE_URL", "")
    _email_url = os.environ.get("EMAIL_URL", "")

DEBUG = not PRODUCTION and _flag("DEBUG", True)
# Old keys, newest first, while rotating SECRET_KEY: signed cookies and encrypted secrets made
# with them stay readable (candidate links do not: they are derived from the current key).
SECRET_KEY_FALLBACKS = [
    key.strip() for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key.strip()
]

# Links in emails and calendar events are absolute and built from HIRESLOT_BASE_URL, so the
# site's own origin is trusted for CSRF even behind a proxy that rewrites Host.
_base = urlsplit(HIRESLOT_BASE_URL)
CSRF_FAILURE_VIEW = "hireslot.web.views.errors.csrf_failure"
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"] if _base.scheme and _base.netloc else []

# Our apps come first so our templates (e.g. registration/) override the admin's.
INSTALLED_APPS = [
    "hireslot.core",
    "hireslot.accounts",
    "hireslot.recruiting",
    "hireslot.messaging",
    "hireslot.calendars",
    "hireslot.conferencing",
    "hireslot.scheduling",
    "hireslot.api",
    "hireslot.web",
    "hireslot.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hireslot.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the organization is resolved: an expired session is signed out first.
    "hireslot.core.middleware.SessionLifetimeMiddleware",
    "hireslot.accounts.middleware.CurrentOrganizationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "hireslot.urls"
WSGI_APPLICATION = "hireslot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hireslot.accounts.context_processors.current_organization",
                "hireslot.web.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'hireslot.sqlite3'}"
DATABASES: dict[str, dict[str, Any]] = {
    "default": dict(
        dj_database_url.parse(
            _database_url or _SQLITE_DEFAULT,
            conn_max_age=60,
            # A connection kept across requests is checked before a request uses it: after a
            # database restart the first request on each worker would otherwise get a 503.
            conn_health_checks=True,
        )
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer works; IMMEDIATE takes the write lock at the
    # start of a transaction so two bookings serialize instead of failing on lock upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Django's SQLite backend whose writers take turns fairly (see hireslot/core/sqlite).
    DATABASES["default"]["ENGINE"] = "hireslot.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests get a database file, not an in-memory one: bookings racing from several threads
    # must see SQLite's real locking (shared-cache memory databases fail instead of waiting).
    # One file per test process, so two runs at once never share (or delete) each other's.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Candidate pages and slot lists are kept here for up to a minute (scheduling/candidate_cache).
# Correct with any cache, even one per process (the default), since every answer is checked
# against the database first; a shared one (Redis, needs the redis package; or a database
# table made by `manage.py createcachetable`) makes answers computed by one process serve the
# others. CACHE_URL: locmem:// (default), redis://host:6379/0, db://table_name, or dummy://
# (nothing kept).
_cache_url = os.environ.get("CACHE_URL", "").strip() or "locmem://"
_cache = urlsplit(_cache_url)
if _cache.scheme == "locmem":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
elif _cache.scheme in {"redis", "rediss"}:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hireslot"),
        }
    }
elif _cache.scheme == "db" and _cache.netloc:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": _cache.netloc,
        }
    }
elif _cache.scheme == "dummy":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    sys.exit(
        "HireSlot: CACHE_URL must be locmem://, redis://host:port/db, db://table_name or dummy://"
    )

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email", "webhooks"],
    }
}
# Every unit of background work is held under a lease of this many seconds, renewed while its
# worker lives; a sweeper (every half lease) gives work whose lease lapsed to another worker
# (decision 0009). Tests shorten it.
HIRESLOT_WORK_LEASE_SECONDS = max(1.0, float(os.environ.get("HIRESLOT_WORK_LEASE_SECONDS", "300")))

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# --- Login throttling and account emails (issue 9; docs/decisions/0008-login-throttling.md) ---
# django-axes counts failed logins in the database, so every web process sees the same counts
# with nothing else to run. Either the account or the client address reaching the limit pauses
# logging in (ours and /admin/) for the cool-off from the last counted failure (attempts during
# the pause are refused and not counted); a success clears the counts.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "hireslot.accounts.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("HIRESLOT_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HIRESLOT_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Both login forms post the address as "username" (the signal and the backend agree on it).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "hireslot.accounts.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "hireslot.accounts.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "hireslot.accounts.throttling.lockout_response"
# Failed attempts are kept only for the cool-off; successful logins are not recorded.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Reverse proxies in front of the web processes: the client address is the entry the outermost
# one appended to X-Forwarded-For (0 = use the connection's address).
HIRESLOT_TRUSTED_PROXY_COUNT = int(
    os.environ.get("HIRESLOT_TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0")
)
# Reset emails one address may receive per hour (more requests are answered the same way).
HIRESLOT_PASSWORD_RESET_EMAILS_PER_HOUR = int(
    os.environ.get("HIRESLOT_PASSWORD_RESET_EMAILS_PER_HOUR", "3")
)
# How long a new member's invitation (set-password link) works.
HIRESLOT_INVITE_DAYS = int(os.environ.get("HIRESLOT_INVITE_DAYS", "7"))

# --- REST API (docs/api.md; docs/decisions/0023-rest-api.md) -------------------------------
# Requests one API key may make per window ("<count>/<s|m|h|d>"); over it: 429 + Retry-After.
# django-ratelimit counts in the cache (CACHE_URL above), so production needs a cache every
# web process shares: CACHE_URL=redis://host:6379/0 (needs the redis package) or db://<table>
# (Django's database cache; run `manage.py createcachetable` once). The default, locmem://, is
# per process: right for `make run` (one process); with several, each counts on its own.
HIRESLOT_API_RATE_LIMIT = os.environ.get("HIRESLOT_API_RATE_LIMIT", "600/m").strip()

# --- Email ----------------------------------------------------------------------------------
if _email_url:
    _email = dj_email_url.parse(_email_url)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 30
else:
    # Development without SMTP: one line per message where `make run` shows its logs, with a
    # link to the whole message in the app.
    EMAIL_BACKEND = "hireslot.messaging.dev_email.SummaryEmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "HireSlot <hireslot@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalization -------------------------------------------------------------------
# The recruiter's workspace is in English; candidate pages and emails in the candidate's
# language (hireslot.core.languages), from the catalogues in hireslot/locale.
LANGUAGE_CODE = "en"
LANGUAGES = list(CANDIDATE_LANGUAGES)
LOCALE_PATHS = [BASE_DIR / "hireslot" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if not PRODUCTION:
    # Development serves static files from the apps; an empty root keeps WhiteNoise quiet.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A session ends HIRESLOT_SESSION_MAX_HOURS after logging in (at most 12) and after
# HIRESLOT_SESSION_IDLE_MINUTES without a request, whatever the cookie says (checked on the
# server by hireslot.core.middleware.SessionLifetimeMiddleware).
HIRESLOT_SESSION_MAX_HOURS = float(os.environ.get("HIRESLOT_SESSION_MAX_HOURS", "12"))
HIRESLOT_SESSION_IDLE_MINUTES = float(os.environ.get("HIRESLOT_SESSION_IDLE_MINUTES", "120"))
if not 0 < HIRESLOT_SESSION_MAX_HOURS <= 12 or HIRESLOT_SESSION_IDLE_MINUTES <= 0:
    sys.exit(
        "HireSlot: HIRESLOT_SESSION_MAX_HOURS must be more than 0 and at most 12, and "
        "HIRESLOT_SESSION_IDLE_MINUTES more than 0"
    )
SESSION_COOKIE_AGE = int(HIRESLOT_SESSION_MAX_HOURS * 3600)
if PRODUCTION:
    # TLS is terminated by the reverse proxy, which must set X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", True)
    # The health check is probed over plain HTTP by load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Calendar and conferencing providers ----------------------------------------------------
# Chosen by dotted path, like EMAIL_BACKEND. The defaults need no account anywhere, so a fresh
# install books interviews on the built-in calendar with Jitsi links; Google, Microsoft,
# CalDAV and Zoom adapters plug in here. A conferencing kind missing from the dict is refused
# with a message saying it is not connected (Google Meet and Teams links come with the host's
# Google or Microsoft calendar event instead).
HIRESLOT_CALENDAR_PROVIDER = (
    os.environ.get("HIRESLOT_CALENDAR_PROVIDER", "").strip()
    or "hireslot.calendars.providers.local.BuiltInCalendarProvider"
)
HIRESLOT_CONFERENCING_PROVIDERS: dict[str, str] = {
    "jitsi": "hireslot.conferencing.providers.jitsi.JitsiProvider",
    "phone": "hireslot.conferencing.providers.phone.PhoneProvider",
    # Meetings on the host's own Zoom account; offered once an admin installs the Zoom app.
    "zoom": "hireslot.conferencing.providers.zoom.ZoomProvider",
}
HIRESLOT_JITSI_BASE_URL = (
    os.environ.get("HIRESLOT_JITSI_BASE_URL", "").strip() or "https://meet.jit.si"
).rstrip("/")

# People's own calendars, by connection kind (issue 6). Each adapter reads its vendor's
# addresses from the settings below, so tests point them at local fake servers.
HIRESLOT_CONNECTED_CALENDAR_PROVIDERS: dict[str, str] = {
    "google": "hireslot.calendars.providers.google.GoogleCalendarProvider",
    "microsoft": "hireslot.calendars.providers.microsoft.MicrosoftCalendarProvider",
    "caldav": "hireslot.calendars.providers.caldav.CalDavCalendarProvider",
    "ics_feed": "hireslot.calendars.providers.ics_feed.IcsFeedCalendarProvider",
}


def _url(name: str, default: str) -> str:
    return (os.environ.get(name, "").strip() or default).rstrip("/")


HIRESLOT_GOOGLE_AUTH_URL = _url(
    "HIRESLOT_GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth"
)
HIRESLOT_GOOGLE_TOKEN_URL = _url("HIRESLOT_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
HIRESLOT_GOOGLE_REVOKE_URL = _url(
    "HIRESLOT_GOOGLE_REVOKE_URL", "https://oauth2.googleapis.com/revoke"
)
HIRESLOT_GOOGLE_API_URL = _url("HIRESLOT_GOOGLE_API_URL", "https://www.googleapis.com/calendar/v3")
HIRESLOT_MICROSOFT_LOGIN_URL = _url(
    "HIRESLOT_MICROSOFT_LOGIN_URL", "https://login.microsoftonline.com"
)
HIRESLOT_GRAPH_API_URL = _url("HIRESLOT_GRAPH_API_URL", "https://graph.microsoft.com/v1.0")
HIRESLOT_ZOOM_AUTH_URL = _url("HIRESLOT_ZOOM_AUTH_URL", "https://zoom.us/oauth/authorize")
HIRESLOT_ZOOM_TOKEN_URL = _url("HIRESLOT_ZOOM_TOKEN_URL", "https://zoom.us/oauth/token")
HIRESLOT_ZOOM_API_URL = _url("HIRESLOT_ZOOM_API_URL", "https://api.zoom.us/v2")
# Whether people may point HireSlot at addresses on private networks or this machine (CalDAV
# servers, ICS feeds). Off in production, so a feed URL cannot reach internal services.
HIRESLOT_ALLOW_PRIVATE_URLS = os.environ.get(
    "HIRESLOT_ALLOW_PRIVATE_URLS", "false" if PRODUCTION else "true"
).lower() in {"1", "true", "yes"}
# A connected calendar not read successfully for this long makes its owner busy (never free
# because a refresh failed).
HIRESLOT_BUSY_MAX_AGE_MINUTES = int(os.environ.get("HIRESLOT_BUSY_MAX_AGE_MINUTES", "30"))
# Seconds to wait for any provider before giving up (the effect is retried later).
HIRESLOT_PROVIDER_TIMEOUT = float(os.environ.get("HIRESLOT_PROVIDER_TIMEOUT", "15"))

# --- Text messages (optional) -----------------------------------------------------------------
# A provider by dotted path, like EMAIL_BACKEND; empty (the default) means this installation
# sends no texts and never offers them. Twilio:
# hireslot.messaging.text_messages.twilio.TwilioBackend with the three HIRESLOT_TWILIO_* values;
# development: hireslot.messaging.text_messages.console.ConsoleBackend (a log line per text).
HIRESLOT_TEXT_MESSAGE_BACKEND = os.environ.get("HIRESLOT_TEXT_MESSAGE_BACKEND", "").strip()
HIRESLOT_TWILIO_ACCOUNT_SID = os.environ.get("HIRESLOT_TWILIO_ACCOUNT_SID", "").strip()
HIRESLOT_TWILIO_AUTH_TOKEN = os.environ.get("HIRESLOT_TWILIO_AUTH_TOKEN", "").strip()
# The sending number in E.164 (+14155550123) or a Messaging Service SID (MG…).
HIRESLOT_TWILIO_FROM = os.environ.get("HIRESLOT_TWILIO_FROM", "").strip()
HIRESLOT_TWILIO_API_URL = _url("HIRESLOT_TWILIO_API_URL", "https://api.twilio.com/2010-04-01")
# Where a phone number typed without +country is read (ISO 3166 code such as US); empty: the
# country code is required.
HIRESLOT_PHONE_DEFAULT_REGION = os.environ.get("HIRESLOT_PHONE_DEFAULT_REGION", "").strip().upper()

# Every line goes through the root's one handler, whose filter redacts candidate link tokens
# (/s/<token> is a credential); Django's own handlers (a second console in DEBUG, mail to
# ADMINS, runserver's) are replaced by propagation to it. hireslot.core's ready() puts the
# same filter on handlers made outside LOGGING (gunicorn's).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"candidate_links": {"()": "hireslot.core.redaction.CandidateLinkFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["candidate_links"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {
            "handlers": [],
            "level": "WARNING" if PRODUCTION else "INFO",
            "propagate": True,
        },
        # At INFO these log whole request URLs: secret feed addresses, sync and page tokens.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
