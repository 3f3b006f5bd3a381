"""Settings shared by every environment. Differences come from environment variables only."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PARAGRAF_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    # TOTP as the optional second factor when approving a justering (core.reauth).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "meetings",
    "projects",
    "finance",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the user with a query compiled once (core/auth_middleware.py).
    "core.auth_middleware.AuthenticationMiddleware",
    # The session lasts SESSION_COOKIE_AGE from the last activity (core.sessions).
    "core.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.tenancy.CurrentOrganisationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# The name authenticator apps show next to the six-digit code.
OTP_TOTP_ISSUER = "Paragraf"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.navigation",
                "meetings.confidentiality.context_processor",
                "core.context_processors.session_timeout",
            ],
            "builtins": ["core.templatetags.sv_format"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'paragraf.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (dev server, in-process tasks) share the file; wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Swedish everywhere a user reads.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request when it is missing
# Uploaded and generated files: never served directly, only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Paragraf <noreply@paragraf.local>")

# Background work: Celery on Redis when REDIS_URL is set, otherwise tasks run in-process.
# docs/decisions/0002-job-state-on-rows.md explains the timeouts, the sweeper and the beat schedule.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None  # job state lives on our own rows, not in Redis
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "150"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "180"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A hung broker (accepts TCP, never answers) must cost a request about two seconds, never a minute.
BROKER_SOCKET_TIMEOUT = float(os.environ.get("CELERY_BROKER_SOCKET_TIMEOUT", "1.0"))
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A dead worker's unacknowledged message goes back to the queue this long after it was delivered: just
    # past the hard time limit, which ends any live render first.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 60,
    "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_keepalive": True,
    "health_check_interval": 10,
    "max_retries": 1,
}
# No publish retries: against a hung Redis each costs three socket timeouts (measured: 3.0 s, against 1.0 s
# without), and redis-py reconnects a pooled connection that Redis closed by itself. A send that fails leaves
# the job row queued, and the sweeper sends it again.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = "paragraf"
# The sweeper (reporting.sweep_services): resends lost messages, fails dead and poison jobs, makes missing
# archives. Celery beat runs it (`make beat`, or `celery worker -B` on a single machine).
RENDER_JOB_SWEEP_SECONDS = float(os.environ.get("RENDER_JOB_SWEEP_SECONDS", "30"))
CELERY_BEAT_SCHEDULE = {
    "sweep-render-jobs": {"task": "reporting.sweep_jobs", "schedule": RENDER_JOB_SWEEP_SECONDS},
    "make-missing-archives": {"task": "meetings.archive_missing_minutes", "schedule": RENDER_JOB_SWEEP_SECONDS},
    "sweep-ledger-imports": {"task": "finance.sweep_ledger_imports", "schedule": 300.0},
    # Gallring of the participant register (projects.register_gallring_services), once a day.
    "register-gallring": {"task": "projects.register_gallring", "schedule": 24 * 60 * 60},
}
# A ledger import still queued or running this long after its upload has lost both its worker and its message (a
# killed worker's import is handed out again long before): it is failed so that the file can be uploaded again.
FINANCE_IMPORT_STALE_SECONDS = int(os.environ.get("FINANCE_IMPORT_STALE_SECONDS", "1800"))
# A job claimed this many times without a worker handing it back is failed as a job that kills its worker.
RENDER_JOB_MAX_DELIVERIES = int(os.environ.get("RENDER_JOB_MAX_DELIVERIES", "3"))
# A render writes its heartbeat this often; one silent for the hard time limit plus the margin has lost its worker.
RENDER_JOB_HEARTBEAT_SECONDS = float(os.environ.get("RENDER_JOB_HEARTBEAT_SECONDS", "10"))
RENDER_JOB_STALE_MARGIN_SECONDS = int(os.environ.get("RENDER_JOB_STALE_MARGIN_SECONDS", "60"))
# A queued job whose message is in no queue this long after it was sent is sent again.
RENDER_JOB_RESEND_AFTER_SECONDS = int(os.environ.get("RENDER_JOB_RESEND_AFTER_SECONDS", "60"))
# A failed archive of a justerat protokoll is asked for again this long after it failed, at most this many times.
ARCHIVE_RETRY_AFTER_SECONDS = int(os.environ.get("ARCHIVE_RETRY_AFTER_SECONDS", "900"))
ARCHIVE_AUTO_ATTEMPTS = int(os.environ.get("ARCHIVE_AUTO_ATTEMPTS", "5"))

CACHES = {
    "default": (
        {
            # Django's, reusing its client (core/cache_backends.py).
            "BACKEND": "core.cache_backends.RedisCache",
            "LOCATION": REDIS_URL,
            # Bounded like the broker: a hung Redis must not hang every page that reads the cache.
            "OPTIONS": {"socket_connect_timeout": BROKER_SOCKET_TIMEOUT, "socket_timeout": BROKER_SOCKET_TIMEOUT},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login throttling (core.login_throttle): five failures lock the username + address pair for an hour, so
# wrong passwords from one address never lock the user out at another; AXES_ADDRESS_FAILURE_LIMIT failures
# from one address with any usernames (password spraying) lock that address. The address is the client's as
# the trusted proxies saw it (core.client_ip, PARAGRAF["PROXY_COUNT"]), never a header the client chose.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HANDLER = "core.login_throttle.AddressAwareAxesHandler"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "core.login_throttle.lockout_response"
# Password-reset e-mails per client address and per entered e-mail address, in a window of seconds.
PASSWORD_RESET_THROTTLE = {"per_address": 10, "per_account": 3, "window": 3600}

# No inline scripts or styles anywhere; every asset comes from our own host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Idle time before the session ends: it slides with activity (core.sessions) and the page warns first.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 10)))
# Django's database sessions, read with a query compiled once per process (core/session_store.py).
SESSION_ENGINE = "core.session_store"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

PARAGRAF = {
    # Upload rules shared by every file field.
    "MAX_UPLOAD_BYTES": int(os.environ.get("PARAGRAF_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024))),
    # Decompression bombs: images are refused above this many pixels (read from the header, before decoding),
    # Office files (zip packages) above this unpacked size, packing ratio or number of parts.
    "MAX_IMAGE_PIXELS": int(os.environ.get("PARAGRAF_MAX_IMAGE_PIXELS", str(40_000_000))),
    "MAX_UNPACKED_BYTES": int(os.environ.get("PARAGRAF_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024))),
    "MAX_COMPRESSION_RATIO": 100,
    "MAX_ARCHIVE_ENTRIES": 2000,
    # Reverse proxies in front of gunicorn that append to X-Forwarded-For (the nginx of docs/operations.md: 1).
    # 0: no proxy, REMOTE_ADDR is the client. Read by core.client_ip only.
    "PROXY_COUNT": int(os.environ.get("PARAGRAF_PROXY_COUNT", "0")),
    # The few queries every cached page runs (core.compiled_query) as server-side prepared statements on
    # PostgreSQL, planned once per connection. Off for a pgbouncer in transaction mode that does not keep them.
    "PREPARED_STATEMENTS": env_bool("DB_PREPARED_STATEMENTS", default=True),
    # Public base URL used in e-mails and documents.
    "BASE_URL": os.environ.get("PARAGRAF_BASE_URL", "http://127.0.0.1:8000"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}


def require_secret_key() -> None:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY måste sättas i miljön.")


# Register imports (projects.register_import_services): a file with more rows than this runs as a background
# job with a progress bar. Where tasks run in-process (no Redis), background imports run in a thread of the web
# process so the page can show their progress.
REGISTER_IMPORT_INLINE_ROWS = 300
IMPORT_JOBS_IN_THREAD = CELERY_TASK_ALWAYS_EAGER
# Task modules outside an app's tasks.py.
CELERY_IMPORTS = ["projects.register_import_tasks"]
