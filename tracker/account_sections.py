"""The tracker's parts of the Bürgerkonto pages (registered with accounts.sections in
TrackerConfig.ready): the citizen's reports on "Meine Anliegen", and how many reports stay
(anonymised) on the deletion page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from accounts.models import User

from .selectors import reports_of_user

REPORTS_PER_PAGE = 20


def my_reports(request: HttpRequest, user: User) -> dict[str, Any]:
    paginator = Paginator(reports_of_user(user.pk), REPORTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("seite"))
    return {"page": page, "reports": page.object_list, "paginator": paginator}


def deletion_facts(user: User) -> dict[str, Any]:
    return {"report_count": reports_of_user(user.pk).count()}
