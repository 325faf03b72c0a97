"""Forms of our own account pages. Sign-up, login, password and email forms are allauth's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]
        labels = {"display_name": _("Anzeigename"), "preferred_language": _("Bevorzugte Sprache")}
        help_texts = {
            "display_name": _("Freiwillig. So sprechen wir Sie in E-Mails an."),
            "preferred_language": _("Sprache der Seiten und der E-Mails, die wir Ihnen senden."),
        }
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "name"})}


class AccountDeleteForm(forms.Form):
    """Deleting the account needs the current password: a forgotten open session on a shared
    computer must not be enough to erase someone's account."""

    password = forms.CharField(
        label=_("Aktuelles Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("Das Passwort ist nicht korrekt. Ihr Konto wurde nicht gelöscht."),
                code="password_incorrect",
            )
        return password
