"""Go-live hardening on top of base (docs/deployment.md): error pages, request size, CSP,
Permissions-Policy, HTTPS behind a proxy, brute-force protection. production and test build on
this module."""

from datetime import timedelta
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF

from .base import *  # noqa: F403
from .base import MAP_TILE_URL, PHOTO_MAX_BYTES, SILENCED_SYSTEM_CHECKS, env

# Error pages: German (or the visitor's language) on base.html, see config/errors.py.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Request bodies larger than this are refused with 413 before they are read (a report carries at
# most 5 photos of PHOTO_MAX_BYTES each, plus its form fields).
REQUEST_BODY_MAX_BYTES = env.int(
    "REQUEST_BODY_MAX_BYTES", default=5 * PHOTO_MAX_BYTES + 1024 * 1024
)


def _tile_origin(url: str) -> list[str]:
    """The origin of the configured base-map tiles, for the CSP image sources ({s} subdomains
    become a wildcard; a relative URL means our own origin, already allowed)."""
    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Content-Security-Policy (django-csp): our scripts come from our own static files; the few inline
# scripts that must stay (the folium Lagebild) carry the per-request nonce. Styles allow inline
# because templates set colours per authority and folium/Leaflet write style attributes; CSS
# cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *_tile_origin(MAP_TILE_URL)],
        "font-src": [SELF, "data:"],
        # MapLibre fetches raster tiles with fetch(); its worker is our own static file.
        "connect-src": [SELF, *_tile_origin(MAP_TILE_URL)],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Reporting uses the device's position and camera; nothing else is granted.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": ["self"],
    "display-capture": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Behind a TLS-terminating reverse proxy (DJANGO_HTTPS=true): trust its X-Forwarded-Proto, send
# HSTS, mark cookies Secure and redirect plain HTTP (except the health check of the proxy itself).
HTTPS = env.bool("DJANGO_HTTPS", default=False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Preloading commits the whole registrable domain (the county's, not only the portal's) to
    # HTTPS in every browser: the domain owner's decision, so off unless asked for.
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# Brute-force protection for every password login (admin and Bürgerkonto): django-axes. Locked
# per account and per address; staff unlock in the admin ("Access attempts"), or the lock ends
# after AXES_COOLOFF_MINUTES. allauth's own rate limits (ACCOUNT_RATE_LIMITS) stay in place.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "config.axes.login_name"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
# The client address as the rate limits see it: X-Forwarded-For only behind NUM_PROXIES proxies.
if env.int("NUM_PROXIES", default=0):
    AXES_IPWARE_PROXY_COUNT = env.int("NUM_PROXIES", default=0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
