"""An authority's page on the shared portal (/stelle/<slug>/): its identity (a town with its
own carries it on this page, boundaries.identity), address, opening hours, contact, the
services it is responsible for (catalogue.responsibility.services_of) and its start-page
texts (AuthorityPage). It lives in the catalogue, the layer that may read both."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from boundaries.identity import use_identity_of
from boundaries.models import Authority

from .models import AuthorityPage
from .responsibility import services_of


@require_GET
def authority_page(request: HttpRequest, slug: str) -> HttpResponse:
    authority = get_object_or_404(Authority.objects.filter(is_active=True), slug=slug)
    use_identity_of(request, authority)
    page = AuthorityPage.objects.filter(authority=authority).first()
    featured = list(page.featured.filter(is_active=True)) if page else []
    return render(
        request,
        "catalogue/authority_page.html",
        {
            "authority": authority,
            "page": page,
            "featured": featured,
            "services": services_of(authority),
        },
    )
