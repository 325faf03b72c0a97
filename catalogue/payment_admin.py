"""Admin of online payments: each authority's admins keep their own XBezahldienste account;
payment transactions are read-only for everyone (they change only through the platform)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import AuthorityScopedAdmin

from .models import PaymentTransaction, XBezahlAccount


def _https_by_default(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """URLs typed without a scheme are https (Django 6's default, without its warning)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class XBezahlAccountForm(forms.ModelForm[XBezahlAccount]):
    """The secret is never shown again; left empty, the stored one is kept."""

    secret = forms.CharField(
        label=_("Passwort / Client-Secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leer lassen, um das gespeicherte Geheimnis zu behalten."),
    )

    class Meta:
        model = XBezahlAccount
        exclude: list[str] = []
        formfield_callback = _https_by_default

    def clean_secret(self) -> str:
        secret: str = self.cleaned_data.get("secret") or ""
        return secret or (self.instance.secret if self.instance.pk else "")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        auth = data.get("auth")
        if auth in (XBezahlAccount.Auth.BASIC, XBezahlAccount.Auth.OAUTH2) and not (
            data.get("username") and data.get("secret")
        ):
            raise forms.ValidationError(_("Bitte Benutzer/Client-ID und Geheimnis angeben."))
        if auth == XBezahlAccount.Auth.OAUTH2 and not data.get("token_url"):
            raise forms.ValidationError(_("Für OAuth 2.0 wird die Token-URL gebraucht."))
        return data


@admin.register(XBezahlAccount)
class XBezahlAccountAdmin(AuthorityScopedAdmin):
    form = XBezahlAccountForm
    list_display = ("authority", "base_url", "originator_id", "endpoint_id", "auth", "is_active")
    list_filter = ("is_active", "auth")
    search_fields = ("authority__name", "originator_id", "endpoint_id")
    list_select_related = ("authority",)
    autocomplete_fields = ("authority",)


@admin.register(PaymentTransaction)
class PaymentTransactionAdmin(AuthorityScopedAdmin):
    authority_field = "payment__application__authority"
    read_only_for_scoped = True
    list_display = ("kassenzeichen", "payment", "status", "payment_method", "created_at")
    list_filter = ("status",)
    search_fields = ("kassenzeichen", "transaction_id", "payment__application__reference")
    readonly_fields = [field.name for field in PaymentTransaction._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
