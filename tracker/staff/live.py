"""The work queue's live status (see tracker.live): `/arbeit/stand.json?ids=1,2` answers the
status of those reports the user may see as staff, with an ETag, so the open queue updates
its status badges in place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from core.conditional import json_with_etag
from tracker import selectors
from tracker.live import ids_from, list_states

from .views import staff_required


@staff_required
@require_GET
def queue_states(request: HttpRequest) -> HttpResponse:
    ids = ids_from(request)
    states = list_states(selectors.staff_reports(request.user), ids)
    return json_with_etag(request, {"reports": states})
