from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin_scope import AuthorityScopedAdmin
from .models import ADMIN_SITE_ROLES, Membership, User
from .services import membership_grant, membership_revoke


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "assurance_level", "is_staff", "is_active")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profil"), {"fields": ("display_name", "preferred_language", "assurance_level")}),
        (
            _("Rechte"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipForm(forms.ModelForm[Membership]):
    """Who gets a role is entered by email: authority admins never see a list of all users."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse der Person"),
        help_text=_("Die Person braucht ein Konto im Portal."),
    )

    class Meta:
        model = Membership
        fields = ("email", "authority", "role")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Kein Konto mit dieser E-Mail-Adresse. Die Person muss sich zuerst registrieren.")
            )
        self.instance.user = user
        return email


@admin.register(Membership)
class MembershipAdmin(AuthorityScopedAdmin):
    form = MembershipForm
    list_display = ("user", "authority", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "authority__name")
    list_select_related = ("user", "authority")

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            if obj.role in ADMIN_SITE_ROLES and not obj.user.is_staff:
                membership_grant(obj.user, obj.authority, obj.role)
            return
        saved = membership_grant(obj.user, obj.authority, obj.role)
        obj.pk = saved.pk
        obj.created_at = saved.created_at

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_revoke(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user"):
            membership_revoke(membership)
