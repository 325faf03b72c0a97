"""The Unterwegs page (/arbeit/unterwegs/, staff:offline): an empty frame that
js/crew-offline.js fills from the device; see tracker.staff.offline_config."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .offline_config import offline_config
from .views import staff_map_config, staff_required


@staff_required
@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """The Unterwegs page: an empty frame that js/crew-offline.js fills from the device."""
    context = {
        "crew_offline": offline_config(),
        "map_extra": staff_map_config(),
    }
    return render(request, "tracker/staff/offline.html", context)
