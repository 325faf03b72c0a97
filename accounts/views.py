"""Our own Bürgerkonto pages. Everything about authentication (sign-up, login, logout, email
confirmation, passwords) is django-allauth's views under the same /konto/ prefix."""

from __future__ import annotations

from allauth.account.views import LogoutView
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import sections
from .forms import AccountDeleteForm, ProfileForm
from .models import User
from .services import account_delete, user_profile_update


class AuthenticatedHttpRequest(HttpRequest):
    """What a @login_required view receives."""

    user: User


@login_required
@require_GET
def my_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Meine Anliegen: the citizen's own reports and applications (catalogue) with their
    current status in one vocabulary, newest first. The parts come from the apps that own
    them (accounts.sections)."""
    return render(
        request, "accounts/my_reports.html", sections.my_items_context(request, request.user)
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        # Persist through the service, not form.save(): state changes go through services.
        language = form.cleaned_data["preferred_language"]
        user_profile_update(
            user,
            display_name=form.cleaned_data["display_name"],
            preferred_language=language,
        )
        # The confirmation already speaks the newly chosen language.
        translation.activate(language)
        messages.success(request, _("Ihre Angaben wurden gespeichert."))
        response = redirect("accounts:profile")
        # The saved language becomes the page language at once (LocaleMiddleware reads it).
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
    return render(request, "accounts/profile.html", {"form": form, "profile_user": user})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """DSGVO Art. 17: the citizen erases their account. Reports stay, anonymised, because the
    authorities keep working on them; accounts.services.account_delete does the erasure."""
    user = request.user
    has_password = user.has_usable_password()
    form = AccountDeleteForm(request.POST or None, user=user)
    rate_limited = False
    if request.method == "POST" and has_password:
        # Guessing the password through this form is limited like allauth's reauthentication;
        # once limited, the password is not even checked, so the answer reveals nothing.
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            rate_limited = True
            form = AccountDeleteForm(user=user)
        elif form.is_valid():
            account_delete(user)
            logout(request)
            return redirect("accounts:deleted")
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "has_password": has_password,
            "rate_limited": rate_limited,
            **sections.deletion_facts(user),
        },
        status=429 if rate_limited else 200,
    )


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/deleted.html")


class Logout(LogoutView):
    """allauth's logout (/konto/logout/), followed by a registered step that ends the session
    at the identity provider the citizen logged in with (accounts.sections.logout_step). The
    portal session always ends here first, whatever the provider answers later."""

    def post(self, *args: object, **kwargs: object) -> HttpResponse:
        follow = sections.logout_step(self.request, self.get_redirect_url())
        response: HttpResponse = super().post(*args, **kwargs)
        if follow and response.status_code == 302:
            return redirect(follow)
        return response


logout_view = Logout.as_view()
