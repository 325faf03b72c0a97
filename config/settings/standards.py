"""Settings of the Serviceportal's federal standards (docs/catalogue.md): e-payment through
XBezahldienste, the FIT-Connect hand-over, BundID (SAML) login and the XZuFi catalogue import.
Read at the end of config/settings/base.py; everything comes from the environment."""

from __future__ import annotations

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()  # base.py has read .env into the environment already
# Beat entries of the standards; base.py adds them to CELERY_BEAT_SCHEDULE.
STANDARDS_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# E-payment through FITKO's XBezahldienste interface (catalogue.xbezahl, docs/catalogue.md,
# "E-Payment (XBezahldienste)"). The first provider available for the responsible authority
# takes new fees: online where the authority has an account (admin: "E-Payment-Zugänge") or
# where XBEZAHL_BASE_URL below is set for the whole installation; else the invoice.
CATALOGUE_PAYMENT_PROVIDERS = env.list(
    "CATALOGUE_PAYMENT_PROVIDERS",
    default=["catalogue.xbezahl.XBezahlProvider", "catalogue.payments.InvoiceProvider"],
)
XBEZAHL_BASE_URL = env.str("XBEZAHL_BASE_URL", default="")
XBEZAHL_ORIGINATOR_ID = env.str("XBEZAHL_ORIGINATOR_ID", default="")
# Empty: each authority's AGS is its endpoint ID.
XBEZAHL_ENDPOINT_ID = env.str("XBEZAHL_ENDPOINT_ID", default="")
XBEZAHL_AUTH = env.str("XBEZAHL_AUTH", default="basic")  # none | basic | oauth2
XBEZAHL_USERNAME = env.str("XBEZAHL_USERNAME", default="")
XBEZAHL_SECRET = env.str("XBEZAHL_SECRET", default="")
XBEZAHL_TOKEN_URL = env.str("XBEZAHL_TOKEN_URL", default="")
# Connect and read timeout of every call (seconds): a slow platform gives a clear message.
XBEZAHL_TIMEOUT = (
    env.float("XBEZAHL_CONNECT_TIMEOUT", default=5.0),
    env.float("XBEZAHL_READ_TIMEOUT", default=20.0),
)
# An unconfirmed transaction is read back by beat until it is this old, then given up.
XBEZAHL_EXPIRE_HOURS = env.int("XBEZAHL_EXPIRE_HOURS", default=72)
STANDARDS_BEAT_SCHEDULE["catalogue-reconcile-payments"] = {
    "task": "catalogue.reconcile_payments",
    "schedule": env.int("XBEZAHL_RECONCILE_SECONDS", default=600),
}

# --- FIT-Connect hand-over (catalogue.fitconnect, docs/catalogue.md "FIT-Connect") ----------
# Online applications of authorities with a FitConnectRoute are sent through FIT-Connect's
# Submission API. Defaults point at FITKO's test environment; the client is a "sender" client
# from the FIT-Connect self-service portal (OAuth2 client credentials).
FITCONNECT_TOKEN_URL = env.str(
    "FITCONNECT_TOKEN_URL", default="https://auth-testing.fit-connect.fitko.dev/token"
)
FITCONNECT_SUBMISSION_API = env.str(
    "FITCONNECT_SUBMISSION_API", default="https://submission-api-testing.fit-connect.fitko.dev"
)
FITCONNECT_ROUTING_API = env.str(
    "FITCONNECT_ROUTING_API", default="https://routing-api-testing.fit-connect.fitko.dev"
)
# Submission API version: "v1" (paths /v1/…, metadata schema 1.0.0) or "v2" (/v2/…,
# "publicService" when creating a submission, metadata schema 2.1.0).
FITCONNECT_API_VERSION = env.str("FITCONNECT_API_VERSION", default="v1")
FITCONNECT_CLIENT_ID = env.str("FITCONNECT_CLIENT_ID", default="")
FITCONNECT_CLIENT_SECRET = env.str("FITCONNECT_CLIENT_SECRET", default="")
FITCONNECT_SCOPE = env.str("FITCONNECT_SCOPE", default="")
FITCONNECT_TIMEOUT = (5.0, env.float("FITCONNECT_READ_TIMEOUT", default=60.0))
# The destinations' encryption keys must have at least this many bits (FIT-Connect: 4096).
FITCONNECT_MIN_KEY_BITS = env.int("FITCONNECT_MIN_KEY_BITS", default=4096)
# Trust in a destination's key (catalogue/fitconnect/pki.py, docs/catalogue.md "Keys and
# certificates"): its x5c chain must lead to one of these roots (PEM bundle of the
# Verwaltungs-PKI roots). Empty: every hand-over is refused, unless the keys are explicitly
# taken untrusted, which only FITKO's test environment (self-made certificates) needs.
FITCONNECT_TRUST_ANCHORS = env.str("FITCONNECT_TRUST_ANCHORS", default="")
FITCONNECT_ALLOW_UNTRUSTED_KEYS = env.bool("FITCONNECT_ALLOW_UNTRUSTED_KEYS", default=False)
# Revocation of the key's certificate (OCSP, else CRL): "require" (no answer: retried later),
# "best-effort" (no answer: used, logged) or "off". Decisive answers are cached.
FITCONNECT_REVOCATION_CHECK = env.str("FITCONNECT_REVOCATION_CHECK", default="require")
if FITCONNECT_REVOCATION_CHECK not in {"require", "best-effort", "off"}:
    raise ImproperlyConfigured(
        f"FITCONNECT_REVOCATION_CHECK={FITCONNECT_REVOCATION_CHECK!r}: "
        "use require, best-effort or off (docs/catalogue.md)."
    )
FITCONNECT_REVOCATION_TIMEOUT = env.float("FITCONNECT_REVOCATION_TIMEOUT", default=5.0)
FITCONNECT_REVOCATION_CACHE_SECONDS = env.int("FITCONNECT_REVOCATION_CACHE_SECONDS", default=3600)
# A Routing API answer is used only signed: the self-service portal's keys verify its
# destinationSignature, the routing service's keys its destinationParametersSignature.
FITCONNECT_DESTINATION_SIGNATURE_JWKS = env.str(
    "FITCONNECT_DESTINATION_SIGNATURE_JWKS",
    default="https://portal.auth-testing.fit-connect.fitko.dev/.well-known/jwks.json",
)
FITCONNECT_ROUTING_JWKS = env.str(
    "FITCONNECT_ROUTING_JWKS", default=f"{FITCONNECT_ROUTING_API.rstrip('/')}/.well-known/jwks.json"
)
# Retries of a hand-over the platform did not answer: base * 2^n seconds, capped; the beat
# task below re-runs due hand-overs and reads the event log of submitted ones.
FITCONNECT_RETRY_BASE_SECONDS = env.int("FITCONNECT_RETRY_BASE_SECONDS", default=60)
FITCONNECT_RETRY_MAX_SECONDS = env.int("FITCONNECT_RETRY_MAX_SECONDS", default=6 * 3600)
FITCONNECT_POLL_SECONDS = env.int("FITCONNECT_POLL_SECONDS", default=300)
STANDARDS_BEAT_SCHEDULE["catalogue-fitconnect-sync"] = {
    "task": "catalogue.fitconnect_sync",
    "schedule": FITCONNECT_POLL_SECONDS,
}

# SAML 2.0 login (BundID / DeutschlandID) beside OpenID Connect: djangosaml2 + pysaml2 (needs
# xmlsec1), catalogue.saml, docs/catalogue.md "BundID (SAML)". Off while SAML_IDP_METADATA (file
# or https URL; SAML_IDP_METADATA_CERT verifies it) is empty. Our key pair signs AuthnRequests
# and decrypts assertions (a separate encryption pair is optional).
SAML_IDP_METADATA = env.str("SAML_IDP_METADATA", default="")
SAML_IDP_METADATA_CERT = env.str("SAML_IDP_METADATA_CERT", default="")
SAML_IDP_METADATA_TTL = env.int("SAML_IDP_METADATA_TTL", default=3600)
SAML_SP_ENTITY_ID = env.str("SAML_SP_ENTITY_ID", default="")  # default: …/konto/saml/metadata/
SAML_SP_BASE_URL = env.str("SAML_SP_BASE_URL", default="")  # default: the request's host
SAML_SP_KEY_FILE = env.str("SAML_SP_KEY_FILE", default="")
SAML_SP_CERT_FILE = env.str("SAML_SP_CERT_FILE", default="")
SAML_SP_ENCRYPTION_KEY_FILE = env.str("SAML_SP_ENCRYPTION_KEY_FILE", default="")
SAML_SP_ENCRYPTION_CERT_FILE = env.str("SAML_SP_ENCRYPTION_CERT_FILE", default="")
SAML_PROVIDER_NAME = env.str("SAML_PROVIDER_NAME", default="BundID")
# Shown by BundID before it returns the citizen (akdb DisplayInformation).
SAML_ORGANIZATION_DISPLAY_NAME = env.str("SAML_ORGANIZATION_DISPLAY_NAME", default="")
SAML_ONLINE_SERVICE_ID = env.str("SAML_ONLINE_SERVICE_ID", default="")
# urn:oid names, "!" = required; empty: bPK2 (required), given/family name, e-mail, level.
SAML_REQUESTED_ATTRIBUTES = env.list("SAML_REQUESTED_ATTRIBUTES", default=[])
# The lowest level (basic / substantial / high) that makes an account "verified".
SAML_VERIFIED_LEVEL = env.str("SAML_VERIFIED_LEVEL", default="substantial")
# BundID confirms the e-mail addresses of its accounts; a new account starts confirmed.
SAML_EMAIL_VERIFIED = env.bool("SAML_EMAIL_VERIFIED", default=True)
SAML_ACCEPTED_TIME_DIFF = env.int("SAML_ACCEPTED_TIME_DIFF", default=60)
SAML_CONFIG_LOADER = "catalogue.saml.sp_config"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_IGNORE_AUTHENTICATED_USERS_ON_LOGIN = False
# The IdP posts its answer cross-site: the SAML state lives in its own SameSite=None cookie.
SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_SESSION_COOKIE_SAMESITE = env.str("SAML_SESSION_COOKIE_SAMESITE", default="None")
# base.py puts it right after SessionMiddleware.
SAML_SESSION_MIDDLEWARE = "djangosaml2.middleware.SamlSessionMiddleware"
# pysaml2's schema library reports every schema it loads at INFO: not worth a log line.
STANDARDS_LOGGERS = {"xmlschema": {"level": "WARNING"}}
# ---------------------------------------------------------------- XZuFi catalogue import
# Scheduled re-sync of the service catalogue (catalogue.tasks.xzufi_resync, docs/catalogue.md
# "XZuFi import"): the URL of a full XZuFi 2.2 export (state editorial system, PVOG); empty
# switches the re-sync off. Beat runs it daily at XZUFI_SYNC_HOUR:XZUFI_SYNC_MINUTE.
XZUFI_SOURCE_URL = env.str("XZUFI_SOURCE_URL", default="")
XZUFI_SYNC_HOUR = env.int("XZUFI_SYNC_HOUR", default=4)
XZUFI_SYNC_MINUTE = env.int("XZUFI_SYNC_MINUTE", default=10)
# Largest export read (bytes) and the read timeout (seconds) of one download.
XZUFI_MAX_BYTES = env.int("XZUFI_MAX_BYTES", default=200 * 1024 * 1024)
XZUFI_READ_TIMEOUT = env.float("XZUFI_READ_TIMEOUT", default=120.0)
STANDARDS_BEAT_SCHEDULE["catalogue-xzufi-resync"] = {
    "task": "catalogue.xzufi_resync",
    "schedule": crontab(hour=XZUFI_SYNC_HOUR, minute=XZUFI_SYNC_MINUTE),
}
# The search reads its synonym table (admin: Suchsynonyme) once per process and period
# (seconds); an edit reaches every worker within this time.
SEARCH_SYNONYM_CACHE_SECONDS = env.float("SEARCH_SYNONYM_CACHE_SECONDS", default=60.0)
