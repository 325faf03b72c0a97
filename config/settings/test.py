"""Test settings: the same real PostGIS and Redis as development, faster password hashing."""

from .base import BASE_DIR, env
from .security import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests use their own Redis database so they never see a development worker's queue.
REDIS_URL = env.str("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env.str("TEST_CACHE_URL", default="redis://127.0.0.1:6379/14"),
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
        "KEY_PREFIX": "mm-test",
    }
}
# Tasks run in-process here; the notification tests start a real worker themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = BASE_DIR / ".run" / "test-media"
# No collectstatic before tests: WhiteNoise looks files up per request instead of warning
# about the missing STATIC_ROOT (as in development).
WHITENOISE_AUTOREFRESH = True
# The tests' webhook, Open311 and provider servers listen on loopback; core.net's own tests
# empty this list to show that internal addresses are refused.
OUTBOUND_ALLOWED_HOSTS = ["127.0.0.0/8", "localhost"]
# django-axes needs the request on every authenticate() call, which Client.login() does not pass;
# the brute-force tests (tests/config/test_brute_force.py) switch it on for themselves.
AXES_ENABLED = False

# Tests change map data and read tiles at once: no remembered base-map version.
MAP_BASE_VERSION_SECONDS = 0.0

# Tests create synonyms in bulk (no signals): the search reads them on every call.
SEARCH_SYNONYM_CACHE_SECONDS = 0.0
