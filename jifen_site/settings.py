"""Settings for jifen, read from the environment (see the table in README.md)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "simple_history",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "catalogue",
    "calculator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jifen_site.urls"
CSRF_FAILURE_VIEW = "jifen_site.views.csrf_failure"
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"  # where a sign-in lands when its `next` is missing or refused
WSGI_APPLICATION = "jifen_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
            "builtins": ["jifen_site.link_tag"],
        },
    },
    {  # the simulator's hot fragments only (*.jinja, rendered with using="jinja2"); see jifen_site/jinja.py
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "jifen_site.jinja.environment", "autoescape": True, "keep_trailing_newline": True},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        # Every transaction takes the write lock when it begins, so two never race from read to write
        # (the share limit relies on it) and a writer waits up to `timeout` seconds instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Readers (the site's pages) and the one writer (a roster worker, a share) do not block each other.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (roster scoring): the database is the queue; `manage.py db_worker` runs the tasks.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("JIFEN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

_cache_url = os.environ.get("DJANGO_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jifen"}
    )
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Proxies in front of the app that append the client address to X-Forwarded-For (0: none, the header
# is ignored). jifen_site.clients.client_address applies it for the share limit and the login lockout.
JIFEN_TRUSTED_PROXIES = int(os.environ.get("JIFEN_TRUSTED_PROXIES", "0"))

# Admin login throttling: lock a username at one address after 5 failures for one hour (other
# addresses can still sign in as that user, so one person cannot lock staff out).
AXES_CLIENT_IP_CALLABLE = "jifen_site.clients.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("JIFEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Security headers. DJANGO_SECURE=1 is for a deployment behind an HTTPS proxy.
SECURE = env_bool("DJANGO_SECURE")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    },
}

# Shared results (/r/<slug>).
JIFEN_SHARE_DAYS = int(os.environ.get("JIFEN_SHARE_DAYS", "365"))
JIFEN_SHARE_RATE = int(os.environ.get("JIFEN_SHARE_RATE", "30"))
# Keep rendered result fragments per process for repeated identical inputs (make bench measures with it off).
JIFEN_FRAGMENT_CACHE = env_bool("JIFEN_FRAGMENT_CACHE", default=True)

# Catalogue imports in the admin: a file above either bound is refused with a Chinese message.
JIFEN_IMPORT_MAX_ROWS = int(os.environ.get("JIFEN_IMPORT_MAX_ROWS", "2000"))
JIFEN_IMPORT_MAX_BYTES = int(os.environ.get("JIFEN_IMPORT_MAX_BYTES", str(2 * 1000 * 1000)))

# Rosters (/roster/): rows and results are deleted this many hours after the upload.
JIFEN_ROSTER_HOURS = int(os.environ.get("JIFEN_ROSTER_HOURS", "24"))
JIFEN_ROSTER_MAX_ROWS = int(os.environ.get("JIFEN_ROSTER_MAX_ROWS", "20000"))
JIFEN_ROSTER_MAX_BYTES = int(os.environ.get("JIFEN_ROSTER_MAX_BYTES", str(10 * 1024 * 1024)))
# A chunk (at most a few hundred rows) takes seconds; one still running after this was lost with its worker.
JIFEN_ROSTER_STALL_SECONDS = int(os.environ.get("JIFEN_ROSTER_STALL_SECONDS", "300"))
# Workers a chunk may take down (memory, a crash) before it is failed rather than queued once more.
JIFEN_ROSTER_MAX_ATTEMPTS = int(os.environ.get("JIFEN_ROSTER_MAX_ATTEMPTS", "3"))
JIFEN_ROSTER_RATE = int(os.environ.get("JIFEN_ROSTER_RATE", "20"))  # rosters one client may upload per hour

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
