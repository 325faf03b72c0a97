"""The Bürgerkonto's allauth adapter: where people land after signing in.

Citizens land on "Meine Anliegen" (settings.LOGIN_REDIRECT_URL); people who work for an
authority (any staff membership, or superusers) land on the work queue. A `next` parameter
(e.g. from a staff page that asked for the login) always wins — allauth only asks the adapter
when there is none.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import Membership


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if user.is_authenticated and (
            user.is_superuser or Membership.objects.filter(user=user).exists()
        ):
            return reverse("staff:queue")
        return str(super().get_login_redirect_url(request))
