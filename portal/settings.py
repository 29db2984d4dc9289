"""Settings for the Energy AI Proving Ground.

One module for every environment. Everything that differs between a laptop
and production comes from environment variables read by the strict parsers
in ``portal.lib.env``; see docs/deploy.md for the full list.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (SQLite database, uploaded files, the filesystem broker).
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
_secret = env_secret("DJANGO_SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required when "
            "DJANGO_DEBUG is off."
        )
    _secret = "insecure-local-development-key-never-use-in-production"  # noqa: S105 - DEBUG only
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("PORTAL_SITE_URL", "http://127.0.0.1:8000")
DEMO_MODE = env_bool("PORTAL_DEMO_MODE", DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    # Unused since personal access tokens (accounts.ApiToken) replaced it;
    # kept installed because migration accounts.0005 reads its table.
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "portal",
    "portal.accounts",
    "portal.ledger",
    "scenarios",
    "evaluations",
    "reviews",
    "lifecycle",
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
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands otherwise
# (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        # URLs carrying passwords may also come from a *_FILE secret.
        env_secret("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create its file in a missing folder; a fresh checkout
    # has no var/ yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" on lock upgrades inside transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "scenarios:workspace"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
EMAIL_VERIFICATION_TIMEOUT = 60 * 60 * 24 * 3

# Login throttling (django-axes): lock a username+address pair after repeated
# failures.
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORTAL_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("PORTAL_LOGIN_THROTTLING", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("PORTAL_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
# Files (datasets, later solution packages) go through Django's storage API,
# so a shared or S3-compatible backend can replace the local folder.
_STORAGE_BACKEND = env_str(
    "PORTAL_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
S3_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
_storage_options: dict[str, object] = {}
if _STORAGE_BACKEND == S3_STORAGE_BACKEND:
    # S3-compatible object storage (AWS S3, MinIO, Ceph RGW, OSS/COS in S3
    # mode) through django-storages: docs/deploy.md section 7. Objects stay
    # private; the portal streams downloads itself after checking access.
    _bucket = env_str("PORTAL_S3_BUCKET", "")
    if not _bucket:
        raise ImproperlyConfigured(
            "PORTAL_STORAGE_BACKEND is S3 storage but PORTAL_S3_BUCKET is not set."
        )
    _storage_options = {
        "bucket_name": _bucket,
        "location": env_str("PORTAL_S3_PREFIX", ""),
        "endpoint_url": env_str("PORTAL_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("PORTAL_S3_REGION", "") or None,
        # Credentials: these two, or boto3's own chain (AWS_* variables,
        # an instance role) when they are unset.
        "access_key": env_secret("PORTAL_S3_ACCESS_KEY"),
        "secret_key": env_secret("PORTAL_S3_SECRET_KEY"),
        "default_acl": "private",
        "querystring_auth": True,
        # Content-addressed names: never overwrite, never rename silently.
        "file_overwrite": False,
    }
STORAGES = {
    "default": {
        "BACKEND": _STORAGE_BACKEND,
        "OPTIONS": _storage_options,
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATASET_FILE_MAX_BYTES = env_int(
    "PORTAL_DATASET_FILE_MAX_BYTES", 512 * 1024 * 1024, minimum=1
)
# A suite's data bundle (evaluations.suite_bundles), uploaded by the owner.
SUITE_BUNDLE_MAX_BYTES = env_int(
    "PORTAL_SUITE_BUNDLE_MAX_BYTES", 512 * 1024 * 1024, minimum=1
)

# E-mail: printed to the console locally, SMTP in production.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "-")
EMAIL_HOST_PASSWORD = env_secret("DJANGO_EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
if EMAIL_HOST_USER == "-":
    EMAIL_HOST_USER = ""
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "noreply@proving-ground.local"
)

# Security headers. HTTPS-only settings are on unless explicitly disabled or
# DEBUG, so a production deployment cannot forget them.
_https = env_bool("PORTAL_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("PORTAL_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("PORTAL_HSTS_SECONDS", 0, minimum=0)
# Only for a domain whose every subdomain is served over HTTPS; preloading
# also needs the domain submitted to the browsers' list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PORTAL_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("PORTAL_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("PORTAL_BEHIND_PROXY", False)
    else None
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): no inline scripts, no third-party
# hosts; all front-end assets are vendored under static/vendor.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a bad token gets 401 with WWW-Authenticate.
        "portal.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("PORTAL_API_ANON_RATE", "120/minute"),
        "user": env_str("PORTAL_API_USER_RATE", "600/minute"),
        "auth_token": env_str("PORTAL_API_TOKEN_RATE", "10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Energy AI Proving Ground API",
    "DESCRIPTION": (
        "Scenarios, high-value lists, datasets and data access of the Energy AI "
        "Proving Ground. Authenticate with a session or with a personal access "
        "token, `Authorization: Token <key>` (from `POST /api/v1/auth/token/` "
        "or the API tokens page). A read-only token may only send GET, HEAD "
        "and OPTIONS requests; other methods get 403."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # portal.lib.converters: ids are integers of at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.lib.api_schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SectorEnum": "portal.lib.taxonomy.Sector",
        "StageEnum": "portal.lib.taxonomy.Stage",
        "TaskTypeEnum": "portal.lib.taxonomy.TaskType",
        "SolutionStageEnum": "lifecycle.models.Stage",
        "PilotModeEnum": "lifecycle.models.Pilot.Mode",
        "IncidentSeverityEnum": "lifecycle.models.PilotIncident.Severity",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal",
    }
}
# The lifecycle dashboards' figures (every solution, submission and run in
# scope) are counted once and shared for this long; the page says when.
DASHBOARD_CACHE_SECONDS = env_int("PORTAL_DASHBOARD_CACHE_SECONDS", 60, minimum=0)
_redis_cache_url = env_secret("REDIS_CACHE_URL")
if _redis_cache_url:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis_cache_url,
    }

# Celery. With no broker configured, kombu's filesystem transport passes
# messages through folders under var/, so a laptop needs no server.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_secret("CELERY_BROKER_URL") or "filesystem://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcast (remote control) messages; kombu's default is a folder
        # named "control" in the current directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # How often an idle worker lists the queue folder. kombu's default,
        # 1 s, adds half a second on average to every hop (bench/); 100 ms
        # costs a directory listing ten times a second.
        "polling_interval": env_int("CELERY_BROKER_POLLING_MS", 100, minimum=10) / 1000,
    }
else:
    # Above the longest sandbox run plus a margin, so Redis never re-delivers
    # a task that is still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 7200, minimum=60)
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Ride out a broker restart of a few seconds when enqueueing: up to 6 tries
# over about 7 s (Celery's default gives up after about 0.6 s). A message
# that still cannot be sent is not fatal: the run stays queued in the
# database and the sweeper sends it again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 6,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 2,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process whose peak RSS passed this is replaced after its task. A
# worker's pool process holds about 145 MiB and grows by a few KiB per run
# (allocator fragmentation in native code, not Python objects: see
# docs/PERFORMANCE.md, "Worker memory"); host-side scoring of a large
# prediction file can raise the peak for good. In KiB, as Celery wants.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = (
    env_int("CELERY_WORKER_MAX_MEMORY_MB", 512, minimum=64) * 1024
)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ROUTES = {
    "evaluations.tasks.evaluation_run": {"queue": "evaluation"},
}
# The whole ledger is verified once per interval; a new break alerts every
# operator (portal.ledger.services.ledger_check_scheduled).
LEDGER_VERIFY_INTERVAL_SECONDS = env_int(
    "PORTAL_LEDGER_VERIFY_INTERVAL_SECONDS", 3600, minimum=60
)
CELERY_BEAT_SCHEDULE = {
    # Every minute by default: https://crontab.guru/#*_*_*_*_*. A run whose
    # worker died is re-queued within the lease plus one sweep interval.
    "sweep-evaluation-runs": {
        "task": "evaluations.tasks.evaluation_sweep",
        "schedule": env_int("PORTAL_EVALUATION_SWEEP_SECONDS", 60, minimum=1),
    },
    # Every 6 hours: SQLite's planner statistics (a no-op on PostgreSQL).
    "refresh-database-statistics": {
        "task": "portal.tasks.database_statistics_refresh",
        "schedule": 6 * 60 * 60,
    },
    # Every 15 minutes: https://crontab.guru/#*/15_*_*_*_*
    "close-expired-scenarios": {
        "task": "scenarios.tasks.close_expired_scenarios",
        "schedule": 15 * 60,
    },
    # Every 15 minutes: https://crontab.guru/#*/15_*_*_*_*
    "review-deadline-reminders": {
        "task": "reviews.tasks.review_deadline_reminders",
        "schedule": 15 * 60,
    },
    # Hourly by default: https://crontab.guru/#0_*_*_*_*
    "verify-ledger": {
        "task": "portal.ledger.tasks.ledger_verify_scheduled",
        "schedule": LEDGER_VERIFY_INTERVAL_SECONDS,
    },
    # Every hour: https://crontab.guru/#0_*_*_*_*; each reminder is sent once.
    "pilot-deadline-reminders": {
        "task": "lifecycle.tasks.pilot_deadline_reminders",
        "schedule": 60 * 60,
    },
}
# Pilots ending within this many days are reminded to the owner's writers.
PILOT_REMINDER_DAYS = env_int("PORTAL_PILOT_REMINDER_DAYS", 7, minimum=1)

# Evaluation engine (see evaluations/services.py and docs/deploy.md).
EVALUATION_WORK_DIR = Path(
    env_str("PORTAL_EVALUATION_WORK_DIR", str(VAR_DIR / "evaluation"))
)
EVALUATION_LEASE_SECONDS = env_int("PORTAL_EVALUATION_LEASE_SECONDS", 120, minimum=10)
EVALUATION_HEARTBEAT_SECONDS = env_int(
    "PORTAL_EVALUATION_HEARTBEAT_SECONDS", 30, minimum=1
)
EVALUATION_QUEUED_STALE_SECONDS = env_int(
    "PORTAL_EVALUATION_QUEUED_STALE_SECONDS", 600, minimum=30
)
# Upload caps of submissions: solution packages and prediction files. The
# upload page checks them in the browser too, before sending anything.
EVALUATION_PACKAGE_MAX_BYTES = env_int(
    "PORTAL_EVALUATION_PACKAGE_MAX_BYTES", 200 * 1024 * 1024, minimum=1024
)
# Sized for 10 million rows of CSV (about 35 bytes a row). Scoring streams
# the file: memory grows with the suite's ids, not with the file's bytes
# (docs/metrics.md, "Prediction files").
EVALUATION_PREDICTION_FILE_MAX_BYTES = env_int(
    "PORTAL_EVALUATION_PREDICTION_FILE_MAX_BYTES", 512 * 1024 * 1024, minimum=1024
)
# Rows a prediction file may have; a suite with more ids raises it to its own
# size. Row numbers are counted in int64 and stored per id.
EVALUATION_PREDICTION_FILE_MAX_ROWS = env_int(
    "PORTAL_EVALUATION_PREDICTION_FILE_MAX_ROWS", 10_000_000, minimum=1
)
# Energy is estimated from CPU time when it cannot be measured.
EVALUATION_WATTS_PER_CORE = float(
    env_int("PORTAL_EVALUATION_WATTS_PER_CORE", 15, minimum=1)
)
# China's national average grid emission factor for 2023, kgCO2/kWh.
EVALUATION_GRID_FACTOR_KG_PER_KWH = 0.5306
EVALUATION_GRID_FACTOR_SOURCE = "China national average grid emission factor, 2023"

# The sandbox (evaluations/runners). "bubblewrap" is the only runner for
# real use; "local" runs vendor code unsandboxed and is refused unless DEBUG
# and PORTAL_ALLOW_UNSANDBOXED are both on (local development only).
PORTAL_SANDBOX_RUNNER = env_str("PORTAL_SANDBOX_RUNNER", "bubblewrap")
PORTAL_ALLOW_UNSANDBOXED = env_bool("PORTAL_ALLOW_UNSANDBOXED", False)
PORTAL_SANDBOX_DIR = env_str("PORTAL_SANDBOX_DIR", "/var/lib/portal-sandbox")
PORTAL_SANDBOX_SLOTS = env_int("PORTAL_SANDBOX_SLOTS", 8, minimum=1)
PORTAL_SANDBOX_UID_BASE = env_int("PORTAL_SANDBOX_UID_BASE", 61000, minimum=1000)
PORTAL_SANDBOX_SLOT_WAIT_SECONDS = env_int(
    "PORTAL_SANDBOX_SLOT_WAIT_SECONDS", 60, minimum=0
)
# Cores each run is pinned to (cpuset cgroup), round robin by sandbox slot.
PORTAL_SANDBOX_CPU_CORES = env_int("PORTAL_SANDBOX_CPU_CORES", 1, minimum=1)
# One warm harness per pass serves all its calls (evaluations/runners/session.py);
# off, every call starts a fresh sandbox.
PORTAL_SANDBOX_WARM_HARNESS = env_bool("PORTAL_SANDBOX_WARM_HARNESS", True)
# How many passes of one hidden run (the clean pass and its robustness probes,
# each in its own sandbox) may run at once. 2 uses a spare core while a
# worker is alone on the machine; 1 when workers already fill the cores.
PORTAL_EVALUATION_PARALLEL_PASSES = env_int(
    "PORTAL_EVALUATION_PARALLEL_PASSES", 2, minimum=1
)
# "auto" uses a seccomp deny-list when python3-seccomp is installed.
PORTAL_SANDBOX_SECCOMP = env_str("PORTAL_SANDBOX_SECCOMP", "auto")
PORTAL_SANDBOX_ADDRESS_SPACE_LIMIT = env_bool(
    "PORTAL_SANDBOX_ADDRESS_SPACE_LIMIT", False
)
PORTAL_SANDBOX_BWRAP = env_str("PORTAL_SANDBOX_BWRAP", "/usr/bin/bwrap")
# The system Python that launches bwrap and builds the evaluation venv.
PORTAL_SANDBOX_PYTHON = env_str("PORTAL_SANDBOX_PYTHON", "/usr/bin/python3")
# The read-only virtualenv solutions run with (requirements-eval.txt),
# bound at /venv; built by scripts/lib.sh (ensure_eval_env). Like .venv it
# is an installation, not state, so it does not follow PORTAL_VAR_DIR.
PORTAL_SANDBOX_EVAL_VENV = env_str(
    "PORTAL_SANDBOX_EVAL_VENV", str(BASE_DIR / "var" / "eval-env")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PORTAL_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

NAV_LANGUAGES = LANGUAGES
PORTAL_NAME = _("Energy AI Proving Ground")
