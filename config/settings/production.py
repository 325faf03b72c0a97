"""Production settings: secure by default, everything from the environment.

The documented production environment (docs/deployment.md) makes `manage.py check --deploy` silent.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import INSECURE_DEFAULT_SECRET_KEY, env
from .security import *  # noqa: F403
from .security import HTTPS

# Keys anyone could know: the old development default, and the placeholders of our docs.
KNOWN_INSECURE_SECRET_KEYS = frozenset(
    {INSECURE_DEFAULT_SECRET_KEY, "change-me", "changeme", "secret", "django-insecure"}
)
MIN_SECRET_KEY_LENGTH = 50


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, refused when missing, published or short: with a known key anyone can
    forge sessions, unsubscribe links and email-confirmation keys."""
    key = env.str("DJANGO_SECRET_KEY", default="").strip()
    hint = (
        " Run `scripts/setup.sh run` (writes a random key into .env once) or set one, e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. See docs/deployment.md."
    )
    if not key:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is not set." + hint)
    if key in KNOWN_INSECURE_SECRET_KEYS or key.startswith("django-insecure"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is a published, insecure value." + hint)
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too short or too simple (at least {MIN_SECRET_KEY_LENGTH} "
            "characters of random text)." + hint
        )
    return key


SECRET_KEY = _secret_key()
# Without TLS (e.g. `make run` on loopback) cookies cannot be Secure; DJANGO_HTTPS=true sets them.
SESSION_COOKIE_SECURE = HTTPS or env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = HTTPS or env.bool("DJANGO_SECURE_COOKIES", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
