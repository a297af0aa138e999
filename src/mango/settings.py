"""Django settings, read from environment variables.

Every setting that differs between a laptop and production comes from the environment through
the typed helpers below, which fail loudly on a bad value. SQLite is the default so a fresh
clone runs with nothing installed; ``DATABASE_URL`` switches to PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("MANGO_DEBUG", False)
SECRET_KEY = os.environ.get("MANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("MANGO_REQUIRE_SECRET", False):
        raise ImproperlyConfigured("Set MANGO_SECRET_KEY in production.")
    SECRET_KEY = "insecure-development-key-set-MANGO_SECRET_KEY"  # noqa: S105
ALLOWED_HOSTS = env_list("MANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("MANGO_CSRF_TRUSTED_ORIGINS", "")
# The address printed on posters and QR codes; must be reachable from the teller's phone.
PUBLIC_URL = env_str("MANGO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
DATA_DIR = Path(env_str("MANGO_DATA_DIR", str(PROJECT_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "huey.contrib.djhuey",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mango.accounts",
    "mango.organisations",
    "mango.stories",
    "mango.posters",
    "mango.api",
    "mango.research",
    "mango.qualitative",
    "mango.classify",
    "mango.analysis",
    "mango.audit",
    "mango.lifecycle",
    "mango.culture",
    "mango.recognition",
    "mango.pulse",
    "mango.consensus",
    "mango.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so its answer comes last: no cache keeps staff pages, the API or a receipt.
    "mango.security.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "mango.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in (optional per user): marks verified sessions, then guards staff pages.
    "django_otp.middleware.OTPMiddleware",
    "mango.accounts.twofactor.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mango.security.SlidingSessionMiddleware",
    # Last, as axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins that are locked out; the next backend checks the password.
    "mango.security.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# mango.urls plus the account pages (landing, people, password reset): see the module.
ROOT_URLCONF = "mango.urls"
WSGI_APPLICATION = "mango.wsgi.application"

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
                "mango.context.roles",
                "mango.accounts.context.people",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'mango.sqlite3'}"
try:  # var/ holds the SQLite database and collected static files
    (DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
except OSError:
    pass  # a read-only install configures MANGO_DATA_DIR or DATABASE_URL instead
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at the start
    # of a transaction, so concurrent submissions queue on busy_timeout instead of failing
    # with "database is locked" when a read lock cannot be upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Reusing the connection saves opening the file and running the pragmas on every request.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("MANGO_DB_CONN_MAX_AGE", 60)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("MANGO_DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
        if _redis
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background jobs (de-identification, training, reports) run on huey: a queue in SQLite next to
# the database by default, in Redis when REDIS_URL is set. Start a worker with `mango run_huey`.
# MANGO_TASKS_IMMEDIATE runs jobs in the web process instead (the demo does; tests do).
HUEY = {
    "name": "mango",
    "immediate": env_bool("MANGO_TASKS_IMMEDIATE", False),
    "consumer": {"workers": env_int("MANGO_WORKERS", 2), "worker_type": "thread"},
    **(
        {"huey_class": "huey.RedisHuey", "url": _redis}
        if _redis
        else {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "queue.sqlite3")}
    ),
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Each role lands on a page meant for it (mango.accounts.people.landing_url).
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("MANGO_TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Security ---------------------------------------------------------------------------------
# mango.settings_production adds what only makes sense behind https (HSTS, the redirect,
# cookies always Secure) and refuses to start without a real secret key and host names.

# Sessions: a signed-in session ends after MANGO_SESSION_IDLE_MINUTES without a request.
# mango.security.SlidingSessionMiddleware renews it at most every MANGO_SESSION_RENEW_AFTER
# seconds rather than SESSION_SAVE_EVERY_REQUEST's database write on every request.
SESSION_COOKIE_AGE = env_int("MANGO_SESSION_IDLE_MINUTES", 8 * 60) * 60
MANGO_SESSION_RENEW_AFTER = min(300, SESSION_COOKIE_AGE // 10)
SESSION_COOKIE_HTTPONLY = True
# Two-factor sign-in: the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Mango"
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF cookie stays readable by scripts: making it HttpOnly gains nothing (Django's docs).
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool(
    "MANGO_SECURE_COOKIES", not DEBUG and PUBLIC_URL.startswith("https")
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Headers: nosniff, Referrer-Policy and Cross-Origin-Opener-Policy come from SecurityMiddleware,
# X-Frame-Options from XFrameOptionsMiddleware, Permissions-Policy from mango.security.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
MANGO_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

# Content-Security-Policy (django-csp): Mango's own scripts, styles and images only. No inline
# script or style and no eval: the JavaScript lives in static files, and htmx needs no eval as
# long as templates use no hx-on attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Login throttling (django-axes): 5 failed sign-ins for one username from one client lock that
# pair out for 15 minutes (further tries during the lockout do not extend it); a successful
# sign-in resets the count. MANGO_LOGIN_FAILURES_PER_CLIENT failures from one client across
# usernames (password spraying) lock that client out for the same time (mango.security).
# Client addresses are personal data: axes only ever sees a keyed hash
# (mango.security.client_address) and its log lines mask even that; usernames stay in the logs
# to trace attacks on an account; passwords are never logged or stored. Successful sign-ins
# are not recorded (no AccessLog).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "mango.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mango.security.client_address"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["ip_address"]
AXES_DISABLE_ACCESS_LOG = True
# ------------------------------------------------------------------------------------------

# Story intake: how many submissions one client may make, and whether to read the client's
# address from X-Forwarded-For (only behind reverse proxies that append to it): it is the
# address MANGO_TRUSTED_PROXIES places from the right (mango.lib.ratelimit.client_address).
MANGO_SUBMIT_RATE = env_str("MANGO_SUBMIT_RATE", "20/h")
MANGO_RECEIPT_RATE = env_str("MANGO_RECEIPT_RATE", "30/h")
MANGO_TRUST_X_FORWARDED_FOR = env_bool("MANGO_TRUST_X_FORWARDED_FOR", False)
MANGO_TRUSTED_PROXIES = env_int("MANGO_TRUSTED_PROXIES", 1)
if MANGO_TRUSTED_PROXIES < 1:
    raise ImproperlyConfigured("MANGO_TRUSTED_PROXIES must be at least 1.")
# Failed sign-ins one client may make across all usernames within the cool-off (password
# spraying); the lock per username and client stays at AXES_FAILURE_LIMIT. Clients behind one
# hospital's address share it, hence a higher number.
MANGO_LOGIN_FAILURES_PER_CLIENT = env_int("MANGO_LOGIN_FAILURES_PER_CLIENT", 30)
MANGO_STAFF_PAGE_SIZE = env_int("MANGO_STAFF_PAGE_SIZE", 25)
MANGO_IMPORT_MAX_BYTES = env_int("MANGO_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Shared stories may keep a staff member's first name when the teller consented to sharing and
# the organisation allows it (Organisation.keep_staff_first_names); this switch turns it off
# network-wide.
MANGO_ALLOW_STAFF_FIRST_NAMES = env_bool("MANGO_ALLOW_STAFF_FIRST_NAMES", True)

# Story text and personal data never go to logs: only event names and ids.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("MANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# ---- E-mail ------------------------------------------------------------------------------
# Real delivery through SMTP by default. MANGO_EMAIL_BACKEND=console prints mail to the
# terminal (the demo), =file writes each message under MANGO_DATA_DIR/mail.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_email_backend = env_str("MANGO_EMAIL_BACKEND", "smtp")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"MANGO_EMAIL_BACKEND must be one of {', '.join(_EMAIL_BACKENDS)}, not {_email_backend!r}."
    )
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("MANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("MANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("MANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MANGO_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = env_bool("MANGO_EMAIL_SSL", False)
EMAIL_TIMEOUT = env_int("MANGO_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("MANGO_EMAIL_FROM", "Mango <mango@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
