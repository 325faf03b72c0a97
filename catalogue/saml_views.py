"""SAML endpoints under /konto/saml/ (BundID): login (AuthnRequest), the assertion consumer
service and our SP metadata; single logout is in catalogue.saml_logout. djangosaml2's views
with our account linking, BundID's request additions and clear German messages on failure.
All answer 404 while SAML is not configured."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import auth, messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from djangosaml2 import views as saml2_views
from saml2.response import StatusAuthnFailed, StatusRequestDenied, UnsolicitedResponse
from saml2.sigver import SignatureError

from accounts.models import User

from .identity_models import SamlLevel
from .saml import LEVEL_RANK, authn_request_kwargs, is_configured, level_of, sp_config
from .saml_accounts import SamlRefused, saml_sign_in
from .saml_logout import remember_login

logger = logging.getLogger(__name__)

CONNECT_KEY = "mm_saml_connect"  # the logged-in account that asked to link BundID
LEVEL_KEY = "mm_saml_level"  # the minimum level that login asked for


def _require_configured() -> None:
    if not is_configured():
        raise Http404


def _failure(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "catalogue/saml_failed.html", {"message": message}, status=status)


class SamlLogin(saml2_views.LoginView):
    """/konto/saml/login/?next=…&level=substantial — sends the browser to the IdP. A logged-in
    citizen comes here from the step-up page: the answer is linked to her account."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_configured()
        try:
            sp_config(request)
        except Exception:  # metadata unreachable or unreadable: nothing a citizen can fix
            logger.exception("SAML configuration could not be loaded")
            return _failure(
                request,
                _("Die Anmeldung mit BundID ist zurzeit nicht möglich. Bitte später erneut."),
                503,
            )
        self.minimum = level_of(request.GET.get("level")) or SamlLevel.BASIC
        saml_session = request.saml_session  # type: ignore[attr-defined]
        saml_session[LEVEL_KEY] = self.minimum
        user = request.user
        if user.is_authenticated:
            saml_session[CONNECT_KEY] = user.pk
        else:
            saml_session.pop(CONNECT_KEY, None)
        return super().get(request, *args, **kwargs)

    def should_prevent_auth(self, request: HttpRequest) -> bool:
        return False  # logged in: this is the step-up, not a second login

    def load_sso_kwargs(self, sso_kwargs: dict[str, Any]) -> None:
        sso_kwargs.update(authn_request_kwargs(self.minimum))


@method_decorator(csrf_exempt, name="dispatch")
class SamlAssertionConsumer(saml2_views.AssertionConsumerServiceView):
    """/konto/saml/acs/ — the IdP's signed answer (HTTP-POST). pysaml2 checks signature,
    audience, time and that we asked; then saml_sign_in finds or links the account."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_configured()
        return super().post(request)

    def authenticate_user(
        self,
        request: HttpRequest,
        session_info: dict[str, Any],
        attribute_mapping: Any,
        create_unknown_user: Any,
        assertion_info: Any,
    ) -> User:
        saml_session = request.saml_session  # type: ignore[attr-defined]
        connect_pk = saml_session.pop(CONNECT_KEY, None)
        minimum = level_of(saml_session.pop(LEVEL_KEY, None)) or SamlLevel.BASIC
        connect_to = None
        if connect_pk is not None:
            connect_to = User.objects.filter(pk=connect_pk).first()
        user, level = saml_sign_in(session_info, connect_to=connect_to)
        auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        remember_login(request, user, session_info["name_id"])
        label = SamlLevel(level).label
        if LEVEL_RANK[level] < LEVEL_RANK[minimum]:
            messages.warning(
                request,
                _(
                    "Sie haben sich mit BundID auf dem Vertrauensniveau „%(level)s“ angemeldet. "
                    "Für diese Leistung ist mindestens „%(needed)s“ nötig – bitte weisen Sie "
                    "Ihre Identität mit dem Online-Ausweis oder einem ELSTER-Zertifikat nach."
                )
                % {"level": label, "needed": SamlLevel(minimum).label},
            )
        else:
            messages.success(
                request,
                _("Sie sind mit BundID angemeldet (Vertrauensniveau: %(level)s).")
                % {"level": label},
            )
        return user

    def handle_acs_failure(
        self,
        request: HttpRequest,
        exception: Exception | None = None,
        status: int = 403,
        **kwargs: Any,
    ) -> HttpResponse:
        return _failure(request, _failure_message(exception), status)


def _failure_message(exception: Exception | None) -> str:
    if isinstance(exception, SamlRefused):
        return exception.message
    if isinstance(exception, SignatureError):
        return _(
            "Die Antwort des Identitätsanbieters trägt keine gültige Signatur und wurde "
            "abgewiesen. Sie wurden nicht angemeldet."
        )
    if isinstance(exception, StatusAuthnFailed | StatusRequestDenied):
        return _("Die Anmeldung wurde beim Identitätsanbieter abgebrochen oder abgelehnt.")
    if isinstance(exception, UnsolicitedResponse):
        return _(
            "Diese Anmeldung wurde nicht hier begonnen oder ist abgelaufen. "
            "Bitte starten Sie die Anmeldung erneut."
        )
    return _("Die Anmeldung mit BundID ist fehlgeschlagen. Sie wurden nicht angemeldet.")


class SamlMetadata(saml2_views.MetadataView):
    """/konto/saml/metadata/ — our SP metadata for registering with BundID."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_configured()
        return super().get(request, *args, **kwargs)


login = SamlLogin.as_view()
acs = SamlAssertionConsumer.as_view()
metadata = SamlMetadata.as_view()
