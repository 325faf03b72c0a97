from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .defaults import DEFAULTS
from .models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin[LegalPage]):
    list_display = ["kind", "updated_at"]
    readonly_fields = ["updated_at"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new page starts from the shipped text, so the operator edits rather than writes."""
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind")
        if isinstance(kind, str) and kind in DEFAULTS:
            initial.setdefault("text_de", DEFAULTS[kind]["de"])
            initial.setdefault("text_en", DEFAULTS[kind]["en"])
        return initial
