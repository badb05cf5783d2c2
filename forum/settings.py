"""The forum's one settings file, configured from the environment.

Every value that differs between a laptop, CI and production comes from an environment
variable; nothing secret is written here. See README.md for the variables.
"""

import base64
import hashlib
import ipaddress
import mimetypes
import os
import urllib.parse
from pathlib import Path
from typing import Any

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

_DEV_SECRET = "django-insecure-development-only-never-in-production"  # noqa: S105 - refused with DEBUG off
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the forum refuses to start without a "
            "real secret key (50+ random characters in the SECRET_KEY environment variable)."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY is too weak for DEBUG off: use 50+ random characters.")

# Keys (Fernet, comma-separated: the first encrypts, all decrypt, so a new key goes first and an
# old one leaves once nothing sealed with it remains) for the address an accountless asker leaves
# to be emailed (forum.questions.asker_mail). Kept outside the database: a copy of the database
# alone can't read an address. Make one with
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
ASKER_EMAIL_KEYS = env_list("ASKER_EMAIL_KEYS")
if not ASKER_EMAIL_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ASKER_EMAIL_KEYS is not set. With DEBUG off the forum refuses to start without the key "
            "that encrypts askers' email addresses (a Fernet key in the ASKER_EMAIL_KEYS environment "
            "variable; see README.md)."
        )
    # Development: a key derived from the (development) secret, stable across restarts.
    ASKER_EMAIL_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(f"asker-email:{SECRET_KEY}".encode()).digest()).decode()
    ]
for _number, _key in enumerate(ASKER_EMAIL_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            f"ASKER_EMAIL_KEYS: key number {_number} is not a Fernet key (32 bytes, url-safe base64)."
        ) from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The reverse proxies in front of the app (addresses or networks, e.g. "127.0.0.1,10.0.0.0/8").
# Only a request whose direct peer is one of them has its X-Forwarded-For read, to find the
# client's address for rate limits and source hashes (forum.core.privacy.client_address).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None

# --- applications ----------------------------------------------------------------------

INSTALLED_APPS = [
    # The admin, behind allauth's sign-in and MFA (forum/admin_site.py).
    "forum.admin_site.ForumAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "markdownx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "forum.core",
    "accounts",
    "forum.questions",
    "forum.answers",
    "forum.moderation",
    "forum.desk",
    "forum.people",
    # Demo and benchmark data, the bench's no-op view: the top floor, imported by nothing.
    "forum.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "forum.core.middleware.RejectMalformedRequestsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # With DATABASE_REPLICA_URLS: where this request's reads may go, and the browser's last write.
    "forum.core.replicas.ReplicaMiddleware",
    # Visitors' cached pages are answered here, before sessions, auth and CSRF run.
    "forum.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the language cookie, else the browser's Accept-Language, else English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "forum.core.middleware.PermissionsPolicyMiddleware",
    "forum.core.middleware.RateLimitedMiddleware",
    # Last: an error with an empty body (require_POST's 405) gets the site's page and every header above.
    "forum.core.middleware.ErrorPagesMiddleware",
]
# A refused form (an expired CSRF token) gets a page of the site's that gives back the text.
CSRF_FAILURE_VIEW = "forum.core.views.csrf_failure"

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.core.context_processors.site",
                "forum.questions.context_processors.member_space",
            ],
        },
    },
]

# --- data ------------------------------------------------------------------------------

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test` (they start a local "
        "PostgreSQL) or point DATABASE_URL at your PostgreSQL server."
    )
# DATABASE_URL is the web process's role, which must not own the tables. Migrations run as the
# owner: the Makefile runs `migrate` and `createcachetable` with DATABASE_URL set to
# DATABASE_OWNER_URL (README, "Database roles"); with no DATABASE_OWNER_URL one role does both.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# No JIT: our statements are short and planned fresh, and a plan whose cost passed
# jit_above_cost (a subplan never run, or a branch for a very common word) spent 1.2 s
# compiling before a 2 ms execution.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# The app's own role: migration moderation/0004 revokes UPDATE, DELETE and TRUNCATE on the audit
# log from it (and skips it quietly if no such role exists).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE") or "forum_app"
# Streaming replicas of the primary (comma-separated URLs, the same role as DATABASE_URL): reads
# go to them, writes and what decides who may do what to the primary, and a browser reads its
# own writes (forum/core/replicas.py). A replica more than REPLICA_MAX_LAG_SECONDS behind is
# skipped; a browser that wrote reads from a replica only once it has replayed that write.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True)
    # A replica that stopped answering is skipped after 2 s, not after the kernel's TCP timeout.
    DATABASES[_alias].setdefault("OPTIONS", {}).update({"options": "-c jit=off", "connect_timeout": 2})
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["forum.core.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "db://forum_cache")
# Two caches: "default" holds pages and fragments, which come and go; "counters" holds the
# small values that must not be pushed out by page churn: the content generation, list
# counts and rate-limit counters (evicting those would reset a limit).
CACHES: dict[str, dict[str, Any]]


def _next_redis_database(url: str) -> str:
    """The same Redis server's next database: redis://host:6379/0 -> redis://host:6379/1."""
    parts = urllib.parse.urlsplit(url)
    number = parts.path.strip("/") or "0"
    if not number.isdigit():
        raise ImproperlyConfigured(f"CACHE_URL: {number!r} is not a Redis database number")
    return urllib.parse.urlunsplit(parts._replace(path=f"/{int(number) + 1}"))


def redis_cache(name: str, location: str) -> dict[str, Any]:
    """A Redis cache (django-redis) that rides out a restart and never hangs a request.

    A refused connection (Redis restarting) is tried 3 more times within about 0.35 s; an answer
    is waited for half a second at most (a Redis on the same network answers in a millisecond).
    Then the pages' cache ("default") acts as an empty one and the counters' callers decide
    (forum.core.shared_cache): nothing fails."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": name,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": name == "default",
            "CONNECTION_POOL_KWARGS": {
                "retry": Retry(ExponentialBackoff(cap=0.2, base=0.05), 3, supported_errors=(RedisConnectionError,))
            },
        },
    }


if CACHE_URL.startswith(("redis://", "rediss://")):
    # Pages and counters in two Redis databases: forum.core.pagecache.forget_all_pages empties the
    # pages' (FLUSHDB) when an asker deletes their question, and that must never reset a rate
    # limit. COUNTERS_CACHE_URL puts the counters elsewhere (a Redis that never evicts them).
    _counters_url = os.environ.get("COUNTERS_CACHE_URL") or _next_redis_database(CACHE_URL)
    if _counters_url == CACHE_URL:
        raise ImproperlyConfigured(
            "COUNTERS_CACHE_URL must not be CACHE_URL: emptying the pages would reset the limits."
        )

    CACHES = {"default": redis_cache("default", CACHE_URL), "counters": redis_cache("counters", _counters_url)}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "forum.cache"
elif CACHE_URL.startswith("locmem://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "counters": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "counters",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
elif CACHE_URL.startswith("db://"):
    _table = CACHE_URL.removeprefix("db://") or "forum_cache"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": _table,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 3000)},
        },
        # Our own table (a migration creates it) with one-statement increments: Django's
        # DatabaseCache reads then writes, which loses rate-limit counts under concurrency.
        "counters": {"BACKEND": "forum.core.counter_cache.CounterCache"},
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, db:// or locmem://, not {CACHE_URL!r}")
if DATABASE_REPLICAS and not CACHE_URL.startswith(("redis://", "rediss://")):
    # The database cache would put every page and counter write on the primary, and its reads
    # would need the primary anyway: with replicas, pages, counters and rate limits live in Redis.
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URLS needs CACHE_URL=redis://… (pages, counters and rate limits in Redis)."
    )
# The site's chrome (header, navigation, footer: templates/base.html's `{% cache … using="fragments" %}`),
# rendered once per language in each process. Never shared between processes, whatever CACHE_URL
# says: it holds only words, links and static paths, which change with a deploy, and a new
# process starts empty (tests clear it whenever a setting changes: tests/conftest.py). Under DEBUG
# (`make run`) nothing is kept, so an edit of base.html shows at the next reload.
CACHES["fragments"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if DEBUG
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}
)
RATELIMIT_USE_CACHE = "counters"
# A counter that vanishes between django-ratelimit's add and incr (Redis restarted empty just then)
# lets the request through rather than refusing it: as when the counters can't be reached at all
# (forum.core.ratelimit). An evicted counter restarts its window anyway (docs/deploy.md).
RATELIMIT_FAIL_OPEN = True

# Slow or fallible work (email) runs in `manage.py db_worker`, not in the request. Jobs are rows
# in PostgreSQL (django-tasks-db), enqueued in the writer's transaction (forum.core.effects.task),
# retried by forum.core.tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- accounts --------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, each loading the member with their unread notices (one query).
AUTHENTICATION_BACKENDS = [
    "forum.people.auth.MemberModelBackend",
    "forum.people.auth.MemberAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_ADAPTER = "forum.people.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ask Freely] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ask Freely"

# --- email -----------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds; a mail server that stops answering fails the attempt (retried later), never hangs the worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ask Freely <noreply@askfreely.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- security --------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): our own scripts and styles only, nothing inline.
# `data:` images are allowed for the MFA QR code that allauth renders as a data URI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# --- static files ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# The web manifest (static/site.webmanifest) with its own type under runserver too (WhiteNoise knows it).
mimetypes.add_type("application/manifest+json", ".webmanifest")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- markdown --------------------------------------------------------------------------

MARKDOWNX_MARKDOWNIFY_FUNCTION = "forum.core.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_SERVER_CALL_LATENCY = 400
# markdownx's image upload (/markdownx/upload/) is never routed: posts take no uploads.

# --- uploads ------------------------------------------------------------------------------
# The one upload is an expert's photo, up to 5 MB (forum/people/photos.py checks its size before
# reading it). A body larger than this is refused by its Content-Length before a byte is read
# (a 400); one under it stays in memory, so no upload ever touches a host's disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- i18n ------------------------------------------------------------------------------

# The interface's languages (the language a *question* is written in is its own field, from a
# longer list). The reader's choice lives in a cookie, never in the URL, so each address has one
# cached page per language (forum/core/pagecache.py keys on it). Catalogs: locale/<code>/, compiled
# by `make run` / `make test` (scripts/messages.py); `make lint` fails on an untranslated string.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- the forum -------------------------------------------------------------------------

SITE_NAME = os.environ.get("SITE_NAME", "Ask Freely")
# Absolute links in emails; no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
FORUM_PREMODERATE_ANONYMOUS = env_bool("FORUM_PREMODERATE_ANONYMOUS", True)
FORUM_FLAGS_TO_HIDE = env_int("FORUM_FLAGS_TO_HIDE", 3)
# Whole pages for visitors who are not signed in (forum/core/pagecache.py); 0 turns it off.
FORUM_PAGE_CACHE_SECONDS = env_int("FORUM_PAGE_CACHE_SECONDS", 300)
# List pages' total counts are remembered until content changes (pagecache.count_for_generation).
FORUM_CACHE_COUNTS = env_bool("FORUM_CACHE_COUNTS", True)
# Each worker also keeps the pages it served last in its own memory, up to this many bytes.
FORUM_PAGE_CACHE_LOCAL_BYTES = env_int("FORUM_PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)

# --- logging: JSON lines to stdout, never an IP address or a request body --------------

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "forum.core.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
    },
}

if DEBUG and env_bool("DEBUG_TOOLBAR"):
    INSTALLED_APPS += ["debug_toolbar"]
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1"]
