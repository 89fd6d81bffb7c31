"""Opora settings. Everything that differs between installations comes from the environment
through the strict helpers of opora.lib.env: a bad value stops the start with a clear message.

OPORA_HOME        folder for the SQLite file and the generated secret key (default ./opora-data)
DATABASE_URL      sqlite:///path or postgresql://user@host:port/db (default: SQLite in OPORA_HOME)
OPORA_SECRET_KEY  secret key (default: generated once into OPORA_HOME/secret_key)
OPORA_DEBUG       1/0 (default 0)
OPORA_ALLOWED_HOSTS  comma-separated (default 127.0.0.1,localhost)
"""

from __future__ import annotations

import datetime
import importlib.util
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from opora.lib.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_path, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
#: django-ninja's own templates and static files (the API's docs page, served from here, never from a CDN:
#: api/v1/app.py `LocalSwagger`), found without importing ninja. ninja is not an installed app: Django imports every
#: installed app at start-up, and ninja with pydantic was about a third of the start-up of every command (`opora
#: report` included); the API imports it when its URLs are loaded.
NINJA_DIR = Path(importlib.util.find_spec("ninja").origin or "").parent  # type: ignore[union-attr]
OPORA_HOME = env_path("OPORA_HOME", Path.cwd() / "opora-data")


def _secret_key() -> str:
    key = env_str("OPORA_SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfiguredEnv("OPORA_SECRET_KEY must be at least 32 characters long")
        return key
    path = OPORA_HOME / "secret_key"
    if path.exists():
        return path.read_text().strip()
    OPORA_HOME.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", "")
    if not url:
        OPORA_HOME.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{OPORA_HOME / 'opora.sqlite3'}"
    scheme = url.split(":", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise ImproperlyConfiguredEnv(f"DATABASE_URL must be sqlite:/// or postgresql://, got {scheme!r}")
    # Persistent connections (issue 18), checked before reuse: a connection per server thread, kept 10 minutes.
    # On SQLite too: a new connection per request re-reads the schema and starts with an empty page cache (a person's
    # card 530 → 145 ms on the centre demo under load).
    config: dict[str, Any] = dj_database_url.parse(  # type: ignore[assignment]
       url, conn_max_age=env_int("OPORA_DB_CONN_MAX_AGE", 600), conn_health_checks=True)
    if scheme == "sqlite":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
            ),
        }
    else:
        # No JIT compilation on PostgreSQL: Opora's queries are short, and the planner's estimate of a correlated
        # sum (the balances of a centre's people) passed JIT's threshold and spent 370 ms compiling a query that runs
        # in 60 ms; the region's annual report showed no gain from it either (docs/benchmarks.md).
        config["OPTIONS"] = {"options": "-c jit=off"}
    config["TEST"] = {"NAME": env_str("OPORA_TEST_DB_NAME", "") or None}
    return config


DEBUG = env_bool("OPORA_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("OPORA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("OPORA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "opora.accounts",
    "opora.audit",
    "opora.org",
    "opora.people",
    "opora.catalogue",
    "opora.intake",
    "opora.programmes",
    "opora.delivery",
    "opora.billing",
    "opora.money",
    "opora.indicators",
    "opora.plans",
    "opora.fieldwork",
    "opora.quality",
    "opora.activities",
    "opora.exchange",
    "opora.reports",
    "opora.core",
    "opora.demo",
    "axes",  # login protection: failed attempts, lockout (see docs/operations.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "opora.core.security.SecurityHeadersMiddleware",  # no-store and the Content-Security-Policy (privacy)
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login with the lockout page
]

ROOT_URLCONF = "opora.urls"
WSGI_APPLICATION = "opora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opora.dashboard.context_processors.actor",
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out user/address before the password is checked
    # Django's ModelBackend, reading the user of a session with their memberships in one query (issue 18)
    "opora.accounts.backends.ModelBackend",
]

# Login protection (django-axes): after OPORA_LOGIN_FAILURE_LIMIT failed logins of one user name from one address,
# that pair is locked for OPORA_LOGIN_COOLOFF_MINUTES (every further attempt restarts the wait). The page says when.
AXES_FAILURE_LIMIT = env_int("OPORA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("OPORA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "opora.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The address a lockout counts is the client's behind OPORA_TRUSTED_PROXIES reverse proxies (lib/http.py), the
# address the login audit and the public pages' rate limits use; not the proxy's, which would lock every user out.
AXES_CLIENT_IP_CALLABLE = "opora.lib.http.client_ip"

# Limits of an imported exchange file (exchange/reader.py): its size, and the size an XLSX unpacks to.
OPORA_IMPORT_MAX_FILE_MB = env_int("OPORA_IMPORT_MAX_FILE_MB", 200)
OPORA_IMPORT_MAX_XLSX_MB = env_int("OPORA_IMPORT_MAX_XLSX_MB", 500)

# Many users at once (issue 18). `opora serve` runs several processes, so Django's cache (the public survey's rate
# limit, built reports) lives in files under OPORA_HOME that every process shares. Built reports are kept, keyed
# by a version of the data, for at most OPORA_REPORT_CACHE_SECONDS (0: never kept; reports/cache.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(OPORA_HOME / "cache"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
OPORA_REPORT_CACHE_SECONDS = env_int("OPORA_REPORT_CACHE_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("uk", _("Ukrainian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("OPORA_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static", NINJA_DIR / "static"]
STATIC_ROOT = OPORA_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served straight from the installed package: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# Sessions in the database (they survive a restart; a logout or expiry ends them there) read through the cache
# (issue 18): a page reads its session from OPORA_HOME/cache instead of a query; written to both, so a session the
# cache lost (culled, cleared) is read from the database again.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("OPORA_SESSION_AGE", 8 * 3600)
# The public survey page (quality/public.py): answers per address per hour, and how many reverse proxies stand in
# front of Opora (0: the address is REMOTE_ADDR; N: the N-th address from the right of X-Forwarded-For).
OPORA_SURVEY_RATE_LIMIT = env_int("OPORA_SURVEY_RATE_LIMIT", 20)
OPORA_TRUSTED_PROXIES = env_int("OPORA_TRUSTED_PROXIES", 0)
# The public page of electronic applications (intake/public.py): applications per address per hour.
OPORA_APPLY_RATE_LIMIT = env_int("OPORA_APPLY_RATE_LIMIT", 5)
SESSION_COOKIE_SECURE = env_bool("OPORA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("OPORA_LOG_LEVEL", "WARNING")},
}
