"""SAML single logout with BundID under /konto/saml/: djangosaml2's logout views with the
checks pysaml2 leaves out and German messages.

SP-initiated: our normal logout (/konto/logout/, accounts.views.Logout) ends the portal
session first and then, for a session that came from a SAML login, continues at
/konto/saml/logout/ (`logout_step`, registered with accounts.sections). That view sends the
signed LogoutRequest (HTTP-Redirect) for the SAML session to the IdP; its LogoutResponse comes
back to /konto/saml/ls/ (Redirect or POST) and must be signed by the IdP: pysaml2 neither
checks the signature of a Redirect-bound message nor insists on one at all, so we do
(`_require_signature`). Without an SLO endpoint in the IdP's metadata, with the metadata
unreadable or with a refused answer the citizen stays logged out here and is told that her
BundID session may still be open.

IdP-initiated: a signed LogoutRequest to /konto/saml/ls/ for the NameID of this browser's SAML
login ends the portal session that login opened (its key is kept in the SAML state cookie,
which is SameSite=None and so also arrives with a cross-site POST that leaves out the Lax
session cookie) and is answered with a signed LogoutResponse. A back-channel (SOAP) request
carries no cookie; djangosaml2 has no SOAP endpoint, so our metadata offers none.
"""

from __future__ import annotations

import base64
import logging
from importlib import import_module
from typing import Any
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib import auth, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from djangosaml2 import views as saml2_views
from saml2 import BINDING_HTTP_REDIRECT, samlp
from saml2.ident import code, decode
from saml2.response import IncorrectlySigned, StatusError, UnsolicitedResponse
from saml2.sigver import (
    SIGNER_ALGS,
    SigverError,
    extract_rsa_key_from_x509_cert,
    pem_format,
)

from accounts.models import User

from .saml import is_configured, sp_config

logger = logging.getLogger(__name__)

SUBJECT_KEY = "_saml2_subject_id"  # djangosaml2's key for the NameID of the SAML login
USER_KEY = "mm_saml_user"  # the account that SAML login opened
PORTAL_SESSION_KEY = "mm_saml_portal_session"  # the portal session it opened
PENDING_KEY = "mm_saml_logout"  # set by our logout form: go on to the IdP, then to this URL
RETURN_KEY = "mm_saml_logout_next"  # where the IdP's answer lets the citizen land
_OUR_KEYS = (SUBJECT_KEY, USER_KEY, PORTAL_SESSION_KEY, PENDING_KEY, RETURN_KEY)
_WEAK_ALGORITHMS = ("sha1",)


def remember_login(request: HttpRequest, user: User, name_id: Any) -> None:
    """After a SAML login: what a later logout (ours or the IdP's) needs to find it."""
    saml_session = request.saml_session  # type: ignore[attr-defined]
    saml_session[SUBJECT_KEY] = code(name_id)
    saml_session[USER_KEY] = user.pk
    saml_session[PORTAL_SESSION_KEY] = request.session.session_key


def logout_step(request: HttpRequest, next_url: str) -> str | None:
    """accounts.sections logout step: a session from a SAML login goes on to the IdP."""
    saml_session = getattr(request, "saml_session", None)
    user = request.user
    if saml_session is None or not is_configured() or not user.is_authenticated:
        return None
    if saml_session.get(USER_KEY) != user.pk or SUBJECT_KEY not in saml_session:
        return None
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    saml_session[PENDING_KEY] = next_url
    return reverse("catalogue:saml-logout")


def _forget(request: HttpRequest) -> None:
    """The SAML login is over: drop its identity, state and our keys."""
    saml_session = request.saml_session  # type: ignore[attr-defined]
    for key in (*_OUR_KEYS, "_saml2_identities", "_saml2_state"):
        saml_session.pop(key, None)


def _provider() -> str:
    return str(settings.SAML_PROVIDER_NAME)


def _may_still_be_open() -> str:
    return _(
        "Ihre %(provider)s-Sitzung ist möglicherweise noch offen. Schließen Sie den Browser, "
        "um sie sicher zu beenden."
    ) % {"provider": _provider()}


class SamlLogoutInit(saml2_views.LogoutInitView):
    """/konto/saml/logout/ — only after our logout form (PENDING_KEY): the portal session is
    already gone, so djangosaml2's login requirement is skipped; the SAML state cookie still
    knows the SAML login. A plain visit goes to the logout page, which asks first (a link
    can't log anyone out)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_configured():
            raise Http404
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        saml_session = request.saml_session  # type: ignore[attr-defined]
        next_url = saml_session.pop(PENDING_KEY, None)
        if next_url is None:
            return redirect("account_logout")
        auth.logout(request)  # done by the form already; never leave anyone logged in here
        saml_session[RETURN_KEY] = next_url
        try:
            sp_config(request)
            response: HttpResponse = super().get(request, *args, **kwargs)
        except Exception:  # metadata unreadable, SOAP endpoint unreachable, …
            logger.exception("SAML logout request could not be sent")
            return self._idp_not_reached(request)
        if response.status_code >= 400:  # djangosaml2: no identity, unknown binding
            return self._idp_not_reached(request)
        return response

    def handle_unsupported_slo_exception(
        self, request: HttpRequest, exception: Exception, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return self._idp_not_reached(request)  # no SLO endpoint in the IdP's metadata

    def _idp_not_reached(self, request: HttpRequest) -> HttpResponse:
        next_url = request.saml_session.get(RETURN_KEY) or "/"  # type: ignore[attr-defined]
        return _logged_out_here_only(
            request,
            next_url,
            _("Bei %(provider)s konnten wir Sie nicht abmelden.") % {"provider": _provider()},
        )


def _logged_out_here_only(request: HttpRequest, next_url: str, why: str) -> HttpResponse:
    """The portal session is over but the IdP's may not be: say why, and go on."""
    _forget(request)
    messages.warning(request, why + " " + _may_still_be_open())
    return redirect(next_url)


@method_decorator(csrf_exempt, name="dispatch")
class SamlLogoutService(saml2_views.LogoutView):
    """/konto/saml/ls/ — the IdP's LogoutResponse to our request, or its own LogoutRequest
    (HTTP-Redirect or HTTP-POST); both must carry a valid signature of the IdP."""

    def do_logout_service(
        self, request: HttpRequest, data: QueryDict, binding: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if not is_configured():
            raise Http404
        if "SAMLResponse" in data:
            return self._logout_response(request, data, binding)
        if "SAMLRequest" in data:
            return self._logout_request(request, data, binding)
        return _page(request, _("Die Abmeldenachricht ist unvollständig."), 400)

    def _logout_response(self, request: HttpRequest, data: QueryDict, binding: str) -> HttpResponse:
        next_url = request.saml_session.get(RETURN_KEY)  # type: ignore[attr-defined]
        if next_url is None:  # no logout of ours waits for an answer: a link changes nothing
            return _page(request, _refusal(UnsolicitedResponse()), 403)
        auth.logout(request)  # whatever the IdP answers, the portal session is over
        try:
            state, client = self.get_state_client(request)
            _require_signature(request, client, data, "SAMLResponse", binding)
            response = client.parse_logout_request_response(data["SAMLResponse"], binding)
            if response is None or response.in_response_to not in state:
                raise UnsolicitedResponse("no logout of ours is waiting for this answer")
            client.handle_logout_response(response)  # forgets the SAML login
            state.sync()
        except StatusError:
            logger.warning("The IdP did not confirm the logout", exc_info=True)
            return _logged_out_here_only(
                request,
                next_url,
                _("%(provider)s hat die Abmeldung nicht bestätigt.") % {"provider": _provider()},
            )
        except Exception as exc:
            logger.warning("SAML logout response refused", exc_info=True)
            _forget(request)
            message = " ".join(
                (_refusal(exc), _("Im Portal sind Sie abgemeldet."), _may_still_be_open())
            )
            return _page(request, message, 403)
        _forget(request)
        messages.success(
            request, _("Sie wurden auch bei %(provider)s abgemeldet.") % {"provider": _provider()}
        )
        return redirect(next_url)

    def _logout_request(self, request: HttpRequest, data: QueryDict, binding: str) -> HttpResponse:
        saml_session = request.saml_session  # type: ignore[attr-defined]
        try:
            state, client = self.get_state_client(request)
            _require_signature(request, client, data, "SAMLRequest", binding)
            asked = client.parse_logout_request(data["SAMLRequest"], binding).message.name_id
        except Exception as exc:
            logger.warning("SAML logout request refused", exc_info=True)
            return _page(request, _refusal(exc), 403)
        subject = saml_session.get(SUBJECT_KEY)
        subject_id = decode(subject) if subject else None
        try:  # Success for this browser's NameID, else UnknownPrincipal; signed
            http_info = client.handle_logout_request(
                data["SAMLRequest"], subject_id, binding, relay_state=data.get("RelayState", "")
            )
            state.sync()
        except Exception:
            logger.exception("SAML logout response could not be made")
            http_info = None
        if subject_id is not None and asked == subject_id:
            _end_portal_session(request)
        if http_info is None:
            return _page(request, _("Die Abmeldung konnte nicht beantwortet werden."), 502)
        return _answer(http_info)


def _end_portal_session(request: HttpRequest) -> None:
    """The IdP ended the SAML login: end the portal session it opened, also when this request
    came without the portal's session cookie."""
    saml_session = request.saml_session  # type: ignore[attr-defined]
    session_key = saml_session.get(PORTAL_SESSION_KEY)
    if session_key:
        engine = import_module(settings.SESSION_ENGINE)
        engine.SessionStore(session_key=session_key).delete()
    if request.user.is_authenticated and request.user.pk == saml_session.get(USER_KEY):
        auth.logout(request)
    _forget(request)


def _answer(http_info: dict[str, Any]) -> HttpResponse:
    """pysaml2's signed LogoutResponse as the browser carries it back to the IdP."""
    if http_info.get("method", "GET") == "POST" and "data" in http_info:
        return HttpResponse(http_info["data"])  # auto-submitting form
    location = dict(http_info.get("headers") or []).get("Location", "")
    return redirect(location or http_info.get("url", "/"))


def _refusal(exc: Exception) -> str:
    if isinstance(exc, SigverError | IncorrectlySigned):
        return _(
            "Die Abmeldenachricht von %(provider)s trägt keine gültige Signatur und wurde "
            "abgewiesen."
        ) % {"provider": _provider()}
    if isinstance(exc, UnsolicitedResponse):
        return _("Zu dieser Abmeldenachricht gehört keine Abmeldung aus diesem Browser.")
    return _("Die Abmeldenachricht von %(provider)s konnte nicht verarbeitet werden.") % {
        "provider": _provider()
    }


def _page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"message": message, "provider": _provider()}
    return render(request, "catalogue/saml_logout_failed.html", context, status=status)


def _require_signature(
    request: HttpRequest, client: Any, data: QueryDict, kind: str, binding: str
) -> None:
    """pysaml2 accepts unsigned logout messages and never checks the signature of a
    Redirect-bound response: insist on the IdP's signature. Redirect: over the query exactly
    as received (SAML bindings 3.4.4.1); POST: an XML signature, which pysaml2 then checks
    against the IdP's metadata."""
    if binding == BINDING_HTTP_REDIRECT:
        if not _query_signature_ok(request.META.get("QUERY_STRING", ""), kind, _idp_certs(client)):
            raise SigverError("Redirect signature missing or not valid")
        return
    try:
        xml = base64.b64decode(str(data[kind])).decode()
    except ValueError as exc:
        raise SigverError("not base64") from exc
    if kind == "SAMLResponse":
        message = samlp.logout_response_from_string(xml)
    else:
        message = samlp.logout_request_from_string(xml)
    if message is None or message.signature is None:
        raise SigverError("POST-bound logout message without signature")


def _idp_certs(client: Any) -> list[str]:
    certs = []
    for entity_id in client.metadata.with_descriptor("idpsso"):
        certs += [cert for _name, cert in client.metadata.certs(entity_id, "idpsso", "signing")]
    return certs


def _query_signature_ok(query: str, kind: str, certs: list[str]) -> bool:
    raw = dict(part.partition("=")[::2] for part in query.split("&") if part)
    sigalg = unquote_plus(raw.get("SigAlg", ""))
    signer = SIGNER_ALGS.get(sigalg)
    if not raw.get(kind) or not raw.get("Signature") or signer is None:
        return False
    if sigalg.endswith(_WEAK_ALGORITHMS):
        return False
    signed = "&".join(
        f"{name}={raw[name]}" for name in (kind, "RelayState", "SigAlg") if name in raw
    )
    try:
        signature = base64.b64decode(unquote_plus(raw["Signature"]))
    except ValueError:
        return False
    for cert in certs:
        key = extract_rsa_key_from_x509_cert(pem_format(cert))
        try:
            if signer.verify(signed.encode("ascii"), signature, key):
                return True
        except Exception:  # noqa: S112 - a key that doesn't fit; try the next one
            continue
    return False


logout_init = SamlLogoutInit.as_view()
logout_service = SamlLogoutService.as_view()
