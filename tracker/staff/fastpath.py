"""A short way for the staff work queue's reads (`GET /api/v1/staff/reports`), with the
authorisation checked inside the page's own statement.

The queue's page is one SQL statement (tracker.staff.queue_json). On the full path three more
round trips come before it — the session, the user, the memberships — plus the whole middleware
stack and DRF, which together cost about half of what the statement costs (bench/queue_read.py).
Here, for a browser session or an API token (`Authorization: Token …`, the field apps and
scripts) this process has seen before, the request is answered right after SecurityMiddleware
(core.fastpath's dispatcher hands it over) with one statement:

* What the session, the user and the memberships said the last time (checked the way
  Django's AuthenticationMiddleware and the `IsStaffMember` permission check them) is kept
  per process, keyed by the session key: the session row's digest, the user's id, password
  hash and superuser flag, and the memberships ("authority id:role"). For a token (checked
  the way DRF's TokenAuthentication checks it) the same without the session and password:
  a token outlives a password change, as on the full way.
* The page is built from the queryset those memberships give (the same selectors.staff_queue
  as the full path; its statement text and parameters are kept per user, rights, language and
  query string, so a polled or paged queue is not compiled again), and the same statement —
  in the same snapshot that reads the page — checks that every one of those facts still
  holds: the session row exists unexpired with the same data (or the token row, for the same
  user), the user is active with the same password hash and superuser flag, the memberships
  are exactly those. If anything changed (logout, password change, a token deleted,
  deactivation, a membership revoked or added), the page
  is thrown away unseen, the kept facts forgotten, and the request goes the full way (403,
  or the page with the new scope).
  So nothing is answered from a permission that no longer holds, whichever process or
  machine changed it, and no invalidation signal is needed.

Everything else goes the full way unchanged: other methods and paths, other `Authorization`
schemes, a session cookie and a token at once, requests without either, a session or token
seen for the first time (then its facts are learnt for the next request), bad query strings
(DRF's 400) and a session Django would change while reading it (old secret key, broken hash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import APIException

from accounts.models import User
from tracker import permissions

from . import queue_json
from .api import queue_statement

# Session engines whose sessions are rows of django_session (the guard reads the row).
DB_SESSION_ENGINES = frozenset(
    {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}
)
MAX_KEPT_SESSIONS = 10_000
TOKEN_KEYWORD = TokenAuthentication.keyword.lower()
MAX_KEPT_STATEMENTS = 2_000

# The user is active with the same superuser flag and exactly the kept memberships: the part
# both guards share.
_USER_HOLDS = """g_u.id = %(g_user)s AND g_u.is_active AND g_u.is_superuser = %(g_superuser)s
      AND ARRAY(SELECT g_m.authority_id::text || ':' || g_m.role AS g_r
                FROM accounts_membership g_m WHERE g_m.user_id = g_u.id
                ORDER BY (g_m.authority_id::text || ':' || g_m.role) COLLATE "C")
          = %(g_roles)s::text[]"""
# Holds only while the session, the user and the memberships are what was kept. Evaluated
# by the queue's statement itself (queue_json.Guard), in the snapshot that reads the page.
GUARD_SQL = f"""EXISTS (
    SELECT 1 FROM accounts_user g_u, django_session g_s
    WHERE {_USER_HOLDS} AND g_u.password = %(g_password)s
      AND g_s.session_key = %(g_key)s AND g_s.expire_date > statement_timestamp()
      AND md5(g_s.session_data) = %(g_digest)s
)"""  # noqa: S608 - constants only; the values are parameters
# The same for an API token (DRF's TokenAuthentication: the token row and an active user; a
# token outlives a password change, so the password hash is not part of it).
GUARD_TOKEN_SQL = f"""EXISTS (
    SELECT 1 FROM accounts_user g_u, authtoken_token g_t
    WHERE {_USER_HOLDS} AND g_t.key = %(g_key)s AND g_t.user_id = g_u.id
)"""  # noqa: S608 - constants only; the values are parameters
GUARDS = {"session": GUARD_SQL, "token": GUARD_TOKEN_SQL}
# ("session", session key) or ("token", token key): what identifies the caller.
Credential = tuple[str, str]


@dataclass(frozen=True)
class Known:
    """What a session's last full check found: enough to build its queue and to check, in
    the same statement, that it still holds."""

    user_id: int
    digest: str  # md5 of the session row's data, as PostgreSQL's md5() writes it
    password: str
    superuser: bool
    roles: tuple[tuple[int, str], ...]  # (authority id, role), the memberships

    def user(self) -> User:
        """A stand-in for the user, enough for selectors.staff_queue and the query string
        ("me"): id, superuser flag and the memberships as permissions caches them."""
        user = User(id=self.user_id, is_superuser=self.superuser, is_active=True)
        permissions.assume_roles(user, self.roles)
        return user

    def guard_params(self, credential: Credential) -> dict[str, Any]:
        """The guard's parameters (GUARDS[kind]): the kept facts."""
        kind, key = credential
        values = sorted(f"{authority}:{role}" for authority, role in self.roles)
        params = {
            "g_user": self.user_id,
            "g_superuser": self.superuser,
            "g_key": key,
            "g_roles": values,
        }
        if kind == "session":
            params |= {"g_password": self.password, "g_digest": self.digest}
        return params


class _SessionSnapshot(dict[str, Any]):
    """A session's data as read once, for django.contrib.auth.get_user: where Django would
    change the session (flush after a failed check, new key for an old secret) only note it."""

    changed = False

    def flush(self) -> None:
        self.changed = True

    def cycle_key(self) -> None:
        self.changed = True


def learn(credential: Credential) -> Known | None:
    """The caller's facts, or None where the full path has to answer."""
    kind, key = credential
    return learn_session(key) if kind == "session" else learn_token(key)


def learn_token(key: str) -> Known | None:
    """A token's facts as TokenAuthentication and IsStaffMember establish them."""
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None:
        return None
    user = token.user
    if not user.is_active or not permissions.is_staff_member(user):
        return None
    return _known(user, digest="")


def _known(user: Any, *, digest: str) -> Known:
    roles = permissions.staff_roles(user)
    return Known(
        user_id=user.pk,
        digest=digest,
        password=user.password,
        superuser=bool(user.is_superuser),
        roles=tuple(sorted((a, r) for a, have in roles.items() for r in have)),
    )


def learn_session(session_key: str) -> Known | None:
    """The session's facts as AuthenticationMiddleware and IsStaffMember establish them, or
    None where the full path has to answer (no such session, not a staff member, a session
    Django would change)."""
    data = (
        Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now())
        .values_list("session_data", flat=True)
        .first()
    )
    if data is None:
        return None
    snapshot = _SessionSnapshot(SessionStore().decode(data))
    probe = HttpRequest()
    probe.session = snapshot  # type: ignore[assignment]
    user = auth.get_user(probe)
    if snapshot.changed or not user.is_authenticated or not permissions.is_staff_member(user):
        return None
    digest = hashlib.md5(data.encode()).hexdigest()  # noqa: S324 - a digest, not a secret
    return _known(user, digest=digest)


def _credential(request: HttpRequest) -> Credential | None:
    """A browser session's key (a session row: the DB session engines) or an API token's, as
    DRF's SessionAuthentication or TokenAuthentication would take it; None for anything else
    (both at once, another scheme, no credential): the full way."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is None:
        if session_key and settings.SESSION_ENGINE in DB_SESSION_ENGINES:
            return ("session", session_key)
        return None
    parts = header.split()
    if session_key or len(parts) != 2 or parts[0].lower() != TOKEN_KEYWORD:
        return None
    return ("token", parts[1])


class StaffQueueShortPath:
    """Answers the work queue for known browser sessions and API tokens (see the module's
    docstring); the short-path handler of the queue's view (core.fastpath), one per process."""

    def __init__(self) -> None:
        self.known: dict[Credential, Known] = {}
        self.statements: dict[tuple[Any, ...], queue_json.Statement] = {}

    def __call__(
        self,
        request: HttpRequest,
        match: ResolverMatch,
        get_response: Callable[[HttpRequest], HttpResponse],
    ) -> HttpResponse:
        credential = _credential(request) if request.method == "GET" else None
        if credential is None:
            return get_response(request)
        known = self.known.get(credential)
        response = None
        if known is not None:
            try:
                response = self.answer(request, credential, known)
            except queue_json.Refused:
                del self.known[credential]
                known = None
        if response is None:
            response = get_response(request)
            if known is None and response.status_code == 200:
                self.keep(credential, learn(credential))
        return response

    def keep(self, credential: Credential, known: Known | None) -> None:
        if known is None:
            return
        if len(self.known) >= MAX_KEPT_SESSIONS:
            self.known = {}
        self.known[credential] = known

    def answer(
        self, request: HttpRequest, credential: Credential, known: Known
    ) -> HttpResponse | None:
        """The page; None where the full path must answer (a bad query string: DRF's 400);
        Refused where the kept facts no longer hold."""
        language = translation.get_language_from_request(request)
        with translation.override(language):
            statement = self.statement(request, credential[0], known, language)
            if statement is None:
                return None
            page = queue_json.queue_page(statement, known.guard_params(credential))
        response = queue_json.page_response(request, statement, page)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
        return response

    def statement(
        self, request: HttpRequest, kind: str, known: Known, language: str
    ) -> queue_json.Statement | None:
        """The page's statement, as tracker.staff.api builds it for this user and query
        string; kept for the same user, rights, language and query string (a queue polled or
        paged back and forth is not compiled again). None for a bad query string."""
        key = (
            kind,
            known.user_id,
            known.superuser,
            known.roles,
            language,
            timezone.get_current_timezone_name(),
            request.META.get("QUERY_STRING", ""),
        )
        statement = self.statements.get(key)
        if statement is None:
            try:
                statement = queue_statement(request.GET, known.user(), guard_sql=GUARDS[kind])
            except (APIException, DjangoValidationError):
                return None
            if len(self.statements) >= MAX_KEPT_STATEMENTS:
                self.statements = {}
            self.statements[key] = statement
        return statement


# The handler named on the queue's view (tracker.staff.api.StaffReportListView).
staff_queue = StaffQueueShortPath()
