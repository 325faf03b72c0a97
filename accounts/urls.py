"""The Bürgerkonto under /konto/: our own pages, then django-allauth's views.

allauth's URL names (account_login, account_signup, …) are global and looked up by allauth
itself, so allauth.urls is included without a namespace; our own pages live in the
`accounts` namespace next to them.
"""

from __future__ import annotations

from django.urls import include, path

from . import views

own_patterns = [
    path("", views.profile, name="profile"),
    path("anliegen/", views.my_reports, name="reports"),
    path("loeschen/", views.account_delete_confirm, name="delete"),
    path("geloescht/", views.account_deleted, name="deleted"),
]

urlpatterns = [
    path("", include((own_patterns, "accounts"))),
    path("benachrichtigungen/", include("notifications.urls")),
    # allauth's logout with a step at the identity provider after it (views.Logout).
    path("logout/", views.logout_view),
    # login/, logout/, signup/, confirm-email/, password/change/, password/reset/, email/ …
    path("", include("allauth.urls")),
]
