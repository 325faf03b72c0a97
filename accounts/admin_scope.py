"""Django admin for authority admins: each sees and edits only the objects of the authorities
where they hold the "admin" role (accounts.Membership); superusers see everything.

Authority admins get into the admin site through is_staff (set by
accounts.services.membership_grant); Django's model permissions are not used for them: the
scope below decides, so nobody has to maintain permission groups per authority.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .models import Membership, Role

_CACHE = "_admin_authority_ids"


def admin_authority_ids(request: HttpRequest) -> set[int]:
    """Authorities the request's user administers (cached for the request)."""
    cached: set[int] | None = getattr(request, _CACHE, None)
    if cached is None:
        user = request.user
        cached = (
            set(
                Membership.objects.filter(user_id=user.pk, role=Role.ADMIN).values_list(
                    "authority_id", flat=True
                )
            )
            if user.is_authenticated and user.is_active and user.is_staff
            else set()
        )
        setattr(request, _CACHE, cached)
    return cached


def is_superuser(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class AuthorityScopedAdmin(admin.ModelAdmin):
    """Objects with an authority (`authority_field`, a lookup path). Authority admins: their
    authorities only, and foreign keys to authorities offer only those. `read_only_for_scoped`
    makes the model view-only for them (superusers may still change it)."""

    authority_field = "authority"
    read_only_for_scoped = False

    def object_authority_id(self, obj: Any) -> int | None:
        value: Any = obj
        for part in self.authority_field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return int(value.pk)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        return queryset.filter(
            **{f"{self.authority_field}__in": admin_authority_ids(request)}
        ).distinct()

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        if is_superuser(request):
            return True
        ids = admin_authority_ids(request)
        if not ids:
            return False
        return obj is None or self.object_authority_id(obj) in ids

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._in_scope(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if self.read_only_for_scoped and not is_superuser(request):
            return False
        return self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "authority" and not is_superuser(request):
            from boundaries.models import Authority

            kwargs["queryset"] = Authority.objects.filter(pk__in=admin_authority_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
