"""Settings shared by every environment. Everything deployment-specific comes from the environment.

See README.md ("Configuration") for the variables.
"""

from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Lets typed generics such as ModelForm[User] work at run time (django-stubs).
django_stubs_ext.monkeypatch()

env = environ.Env()
# A .env file is optional; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The development default is refused by the production settings (config/settings/production.py);
# scripts/setup.sh writes a random key into .env once. Rotation: docs/deployment.md.
INSECURE_DEFAULT_SECRET_KEY = "insecure-dev-key-change-me-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
# Old keys still accepted for signatures (sessions, tokens, unsubscribe links) while rotating.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # accounts before allauth: its templates override allauth's (our layout, formal German)
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "core",
    "outbox",
    "boundaries",
    "geo",
    "privacy",
    "tracker",
    "tracker.open311",
    "tracker.inspections",
    "notifications",
    "planning",
    "catalogue",
    "events",
    "waste",
    "participation",
    "frontend",
    "legal",
    "data",
    "axes",
]

MIDDLEWARE = [
    "config.middleware.RequestBodyCapMiddleware",  # refuses oversized bodies before reading
    "django.middleware.security.SecurityMiddleware",
    # After a write, this browser reads from the primary for a while (core/replica.py).
    "core.replica.ReplicaStickinessMiddleware",
    # Short paths past session/CSRF/login (core/fastpath): tiles, catalogue search, map pages,
    # the staff queue for a session seen before (its statement rechecks the session's rights).
    "core.fastpath.ShortPathMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "notifications.middleware.ReportSeenMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Error pages (404.html …) and overrides of third-party templates (axes, drf-spectacular).
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "boundaries.identity.portal",
            ],
        },
    },
]

# PostGIS only: GeoDjango's SpatiaLite backend is never used, not even in tests.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgis://maengelmelder:maengelmelder@127.0.0.1:5432/maengelmelder",
        engine="django.contrib.gis.db.backends.postgis",
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# JIT compilation costs 100+ ms on the map queries and never pays off for short OLTP queries.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A read replica (PostgreSQL streaming replication) for the read-only public views: the public
# map and its GeoJSON, tiles, planning and exports (core/replica.py, docs/deployment.md).
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url("DATABASE_REPLICA_URL", engine="django.contrib.gis.db.backends.postgis"),
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"options": "-c jit=off"},
        "TEST": {"MIRROR": "default"},
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Debian 12 ships GDAL 3.6, which cannot block file/network access from spatial reference strings.
# We only hand GDAL files that administrators import and SRIDs we name in code, never user input.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# German first, English second. LocaleMiddleware picks from Accept-Language / the language cookie.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end libraries come from npm (frontend/package.json) and are served by the app itself,
# straight out of node_modules: no CDN, no copies in the repository.
NODE_MODULES = BASE_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/leaflet-geoman", NODE_MODULES / "@geoman-io" / "leaflet-geoman-free" / "dist"),
    ("vendor/maplibre-gl", NODE_MODULES / "maplibre-gl" / "dist"),
    ("vendor/maplibre-gl-leaflet", NODE_MODULES / "@maplibre" / "maplibre-gl-leaflet"),
    # Workbox for the service worker (frontend/pwa.py): workbox-sw loads its modules from here.
    *(
        ("vendor/workbox", NODE_MODULES / package / "build")
        for package in (
            "workbox-sw",
            "workbox-core",
            "workbox-routing",
            "workbox-strategies",
            "workbox-precaching",
            "workbox-expiration",
            "workbox-cacheable-response",
            "workbox-background-sync",
        )
    ),
    # IndexedDB for the offline report queue (docs/offline.md).
    ("vendor/idb", NODE_MODULES / "idb" / "build"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads on S3-compatible object storage, shared by several web nodes (docs/deployment.md).
# Files are still served by the app (core.media checks who may see them).
if env.str("DJANGO_MEDIA_STORAGE", default="local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "core.storage.AppServedS3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
# After the app's permission check, let nginx (X-Accel-Redirect to this internal location) or
# Apache (X-Sendfile, local storage only) send the bytes.
MEDIA_X_ACCEL_REDIRECT = env.str("MEDIA_X_ACCEL_REDIRECT", default="")
MEDIA_X_SENDFILE = env.bool("MEDIA_X_SENDFILE", default=False)
# How long a signed link to one file (tracking page, Open311 copies) stays valid.
MEDIA_SIGNATURE_MAX_AGE = env.int("MEDIA_SIGNATURE_MAX_AGE", default=30 * 24 * 3600)

# Absolute base URL for links in emails (tracking, confirmation, unsubscribe).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="maengelmelder@localhost")
# SMTP (with DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend). A timeout, so a
# hanging mail server makes a delivery fail and retry instead of blocking a worker.
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)
# Notification outbox (docs/notifications.md): retries with exponential backoff.
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=6 * 3600)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=15)
NOTIFICATIONS_PUBLISH_GRACE_SECONDS = env.int("NOTIFICATIONS_PUBLISH_GRACE_SECONDS", default=60)
NOTIFICATIONS_BROKER_PAUSE_SECONDS = env.int("NOTIFICATIONS_BROKER_PAUSE_SECONDS", default=15)

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Planners' statistics and heatmaps read a materialised view; beat refreshes it (planning.tasks).
CELERY_BEAT_SCHEDULE = {
    "planning-refresh-facts": {
        "task": "planning.tasks.refresh_planning_facts",
        "schedule": env.int("PLANNING_REFRESH_SECONDS", default=300),
    },
    # The outbox: publish due rows (retries, Redis outages); notifications: daily digests.
    "outbox-publish-due": {
        "task": "outbox.publish_due",
        "schedule": env.int("NOTIFICATIONS_OUTBOX_SECONDS", default=30),
    },
    "notifications-overdue-digest": {
        "task": "notifications.overdue_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-area-alert-digest": {
        "task": "notifications.area_alert_digest",
        "schedule": crontab(hour=7, minute=15),
    },
    # The Abfallkalender: reminders the evening before a pickup (waste.tasks).
    "waste-queue-reminders": {
        "task": "waste.queue_reminders",
        "schedule": crontab(hour=env.int("WASTE_REMINDER_HOUR", default=18), minute=0),
    },
    # Council sessions: incremental OParl sync of every active system (events.tasks).
    "events-sync-oparl": {
        "task": "events.sync_oparl",
        "schedule": crontab(minute=env.int("OPARL_SYNC_MINUTE", default=20)),
    },
    "inspections-seal-ledger": {  # the sealer's safety net (scaling.py: LEDGER_SEAL_*)
        "task": "inspections.seal_ledger",
        "schedule": env.int("LEDGER_SEAL_SWEEP_SECONDS", default=60),
    },
    "outbox-purge": {
        "task": "outbox.purge",
        "schedule": crontab(hour=3, minute=30),
    },
    # Retention periods (docs/privacy.md): contact data, anonymisation, applications,
    # postbox messages and the access log, in batches; legal holds are skipped.
    "privacy-apply-retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(hour=2, minute=45),
    },
    # Idempotency keys of offline-sent reports (docs/offline.md), kept this many days.
    "tracker-purge-idempotency-keys": {
        "task": "tracker.purge_idempotency_keys",
        "schedule": crontab(hour=3, minute=40),
    },
}
IDEMPOTENCY_KEY_RETENTION_DAYS = env.int("IDEMPOTENCY_KEY_RETENTION_DAYS", default=30)

# Shared cache (rate limits, throttles) in Redis. A Redis outage must not fail requests:
# django-redis ignores connection errors, and rate limits fail open.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env.str("CACHE_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/1"),
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
        "KEY_PREFIX": "mm",
    }
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
RATELIMIT_FAIL_OPEN = True
RATELIMIT_VIEW = "tracker.views.rate_limited"

# Abuse protection: report creation and sign-up per IP and per account, planners' exports
# (each may stream millions of rows) per account (configurable).
REPORT_RATE_PER_IP = env.str("REPORT_RATE_PER_IP", default="20/h")
REPORT_RATE_PER_USER = env.str("REPORT_RATE_PER_USER", default="30/h")
PLANNING_EXPORT_RATE_PER_USER = env.str("PLANNING_EXPORT_RATE_PER_USER", default="30/h")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    # Token auth for the staff API (apps, back-office scripts); sessions for the pages.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Services' errors (Django ValidationError, PermissionDenied, domain errors) → API errors.
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "report_create_ip": REPORT_RATE_PER_IP,
        "report_create_user": REPORT_RATE_PER_USER,
        "support": env.str("SUPPORT_RATE_PER_IP", default="60/h"),
        "abuse": env.str("ABUSE_RATE_PER_IP", default="20/h"),
        "statement": env.str("STATEMENT_RATE_PER_IP", default="20/h"),
        # Up to five photos per report, REPORT_RATE_PER_IP reports: room for both plus retries.
        "photo_location": env.str("PHOTO_LOCATION_RATE_PER_IP", default="120/h"),
    },
    # No global PAGE_SIZE: the paged endpoints name their paginator and its page size
    # (tracker.api.FeaturePagination); a PAGE_SIZE without a paginator class only draws a warning.
    # Client IPs for throttling: trust X-Forwarded-For only behind this many proxies.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mängelmelder API",
    "DESCRIPTION": "Defect reports, routing and categories as JSON/GeoJSON. Coordinates are WGS84 "
    "(EPSG:4326), GeoJSON order lon, lat.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One enum name per choice set (several serializers expose the same choices).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "tracker.models.Status",
        "ReportEventKindEnum": "tracker.models.ReportEvent.Kind",
        "PhotoKindEnum": "tracker.models.Photo.Kind",
    },
}

# Photos of reports (core.images): size and pixel limits, stored size, moderation.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
# Memory the decoded pixels of one upload may take (core.images: ~150 MB per photo at most).
PHOTO_MAX_DECODED_BYTES = env.int("PHOTO_MAX_DECODED_BYTES", default=64 * 1024 * 1024)
# Faces and number plates found by OpenCV are blurred in the public version (docs/privacy.md).
PHOTO_REDACTION_DETECT = env.bool("PHOTO_REDACTION_DETECT", default=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Accounts (django-allauth): email login, verified email before the first login.
AUTHENTICATION_BACKENDS = [
    # First: refuses every login (admin, Bürgerkonto) while an account or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mängelmelder] "
ACCOUNT_RATE_LIMITS = {
    "signup": env.str("SIGNUP_RATE_PER_IP", default="20/h/ip"),
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy, rate limits must see the client's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("NUM_PROXIES", default=0)
LOGIN_REDIRECT_URL = "/konto/anliegen/"
# Staff (any membership) land on the work queue instead (frontend.account_adapter).
ACCOUNT_ADAPTER = "frontend.account_adapter.AccountAdapter"
LOGIN_URL = "/konto/login/"
# Verified identity (BundID, a Land's service account) via OpenID Connect with django-allauth's
# openid_connect provider; the provider's assurance claim raises User.assurance_level
# (catalogue.identity, docs/catalogue.md). Configured here from the environment, or in the
# admin as a "Social application" of type OpenID Connect.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env.str("OIDC_PROVIDER_ID", default="bundid"),
                "name": env.str("OIDC_PROVIDER_NAME", default="BundID"),
                "client_id": env.str("OIDC_CLIENT_ID", default=""),
                "secret": env.str("OIDC_CLIENT_SECRET", default=""),
                "settings": {
                    "server_url": OIDC_SERVER_URL,
                    "assurance_claim": env.str("OIDC_ASSURANCE_CLAIM", default="acr"),
                    "verified_values": env.list("OIDC_VERIFIED_VALUES", default=[]),
                },
            }
        ]
        if OIDC_SERVER_URL
        else [],
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# Base map (docs/import.md, "Base map"): by default our own vector tiles of the imported roads,
# boundaries, places and assets (/tiles/base/, boundaries.basemap), drawn in the browser; no
# outside server is needed. An operator may put a raster layer underneath: an XYZ tile URL
# (e.g. the county's orthophoto service) and/or a local PMTiles archive served by the portal
# itself (/tiles/extra/). Attribution per source.
# The portal's name in the installable web app's manifest (frontend/pwa.py).
SITE_NAME = env.str("SITE_NAME", default="Mängelmelder")
SITE_SHORT_NAME = env.str("SITE_SHORT_NAME", default="Mängelmelder")
MAP_VECTOR_BASE = env.bool("MAP_VECTOR_BASE", default=True)
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
MAP_PMTILES_PATH = env.str("MAP_PMTILES_PATH", default="")
MAP_PMTILES_ATTRIBUTION = env.str("MAP_PMTILES_ATTRIBUTION", default="")
MAP_ROADS_ATTRIBUTION = env.str(
    "MAP_ROADS_ATTRIBUTION", default="Straßen © OpenStreetMap-Mitwirkende (ODbL)"
)
MAP_BOUNDARIES_ATTRIBUTION = env.str(
    "MAP_BOUNDARIES_ATTRIBUTION", default="Grenzen © GeoBasis-DE / BKG (dl-de/by-2-0)"
)
# Browsers keep a base-map tile this long, then revalidate it (ETag = data version).
MAP_BASE_TILE_MAX_AGE = env.int("MAP_BASE_TILE_MAX_AGE", default=600)
# Each process reuses the base map's data version this long (no database query per tile).
MAP_BASE_VERSION_SECONDS = env.float("MAP_BASE_VERSION_SECONDS", default=2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Outbound calls to addresses authorities configure (webhooks, Open311 endpoints, core.net):
# internal addresses are refused unless listed here (host names, addresses or networks of
# on-premises back-office systems, e.g. "10.20.0.0/16,fachverfahren.kreis.local").
OUTBOUND_ALLOWED_HOSTS = env.list("OUTBOUND_ALLOWED_HOSTS", default=[])
# Council sessions from OParl (events/oparl): per page connect/read timeout, further tries.
OPARL_TIMEOUT = (5.0, env.float("OPARL_READ_TIMEOUT", default=30.0))
OPARL_RETRIES = env.int("OPARL_RETRIES", default=2)

# Live status on the tracking, report, "Meine Anliegen" and queue pages: seconds between the
# pages' conditional polls (tracker.live; stretched while nothing changes, paused when hidden).
LIVE_STATUS_INTERVAL = env.int("LIVE_STATUS_INTERVAL", default=20)
# The operating authority (slug) whose name, logo and colours brand the portal
# (boundaries.identity); empty or unknown: the first active Kreis, else plain "Mängelmelder".
OPERATING_AUTHORITY = env.str("OPERATING_AUTHORITY", default="demo-landkreis-heideland")
# How frontend (which imports no domain app) learns the identity outside templates (manifest).
PORTAL_IDENTITY = "boundaries.identity.current_identity"

# Read last: running on several machines (config/settings/scaling.py: replica lag rule,
# public-data fast path, task queues) and the Serviceportal's federal standards
# (config/settings/standards.py: XBezahldienste, FIT-Connect, BundID/SAML, XZuFi), whose beat
# entries, middleware and loggers join here.
from . import standards  # noqa: E402
from .scaling import *  # noqa: E402, F403
from .standards import *  # noqa: E402, F403

CELERY_BEAT_SCHEDULE.update(standards.STANDARDS_BEAT_SCHEDULE | SCALING_BEAT_SCHEDULE)  # noqa: F405
_sessions = MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
MIDDLEWARE.insert(_sessions + 1, standards.SAML_SESSION_MIDDLEWARE)
LOGGING.setdefault("loggers", {}).update(standards.STANDARDS_LOGGERS)  # type: ignore[attr-defined]
