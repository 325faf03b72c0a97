from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from . import extras, markup, selectors
from .models import LegalPage


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    text, is_default = selectors.page_text(kind, get_language() or "de")
    context = {
        "kind": kind,
        "title": LegalPage.Kind(kind).label,
        "body": markup.render(text),
        "is_default": is_default,
        "extras": extras.render(kind, request),
        "can_edit": request.user.is_authenticated
        and request.user.has_perm("legal.change_legalpage"),
    }
    return render(request, "legal/page.html", context)
