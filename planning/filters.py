"""The planners' filters (category, status, period, road class/ref, authority), parsed once by
a form that both the pages and the API use, and turned into SQL for the facts view
(planning.selectors) or into a queryset filter on live reports (planning.exports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Func, Q, QuerySet, Value
from django.db.models.functions import Upper
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from boundaries.models import Authority
from core import params
from core.errors import add_errors_to_form
from geo.models import RoadClass
from tracker.models import OPEN_STATUSES, Category, Report, Status

from .scope import PlanningScope

MULTI_FIELDS = ("category", "status", "road_class", "authority")
# The facts' month is the month in this time zone (see the facts view).
FACTS_TIME_ZONE = ZoneInfo("Europe/Berlin")
OPEN = "open"


@dataclass(frozen=True)
class PlanningFilters:
    """Validated filters. Empty tuples mean "all"; the scope always applies."""

    scope: PlanningScope
    category_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    since: dt.datetime | None = None  # inclusive, aware
    until: dt.datetime | None = None  # exclusive, aware (the day after "bis")
    road_classes: tuple[str, ...] = ()
    road_ref: str = ""  # normalised: upper case without spaces
    authority_ids: tuple[int, ...] = ()
    query: dict[str, Any] = field(default_factory=dict, compare=False)

    def sql(self, alias: str = "f") -> tuple[str, list[Any]]:
        """A WHERE clause (without the keyword) over planning_report_facts."""
        clauses: list[str] = []
        params: list[Any] = []
        if not self.scope.everything:
            clauses.append(f"{alias}.authority_id = ANY(%s)")
            params.append(sorted(self.scope.authority_ids))
        if self.authority_ids:
            clauses.append(f"{alias}.authority_id = ANY(%s)")
            params.append(list(self.authority_ids))
        if self.category_ids:
            clauses.append(f"{alias}.category_id = ANY(%s)")
            params.append(list(self.category_ids))
        if self.statuses:
            clauses.append(f"{alias}.status = ANY(%s)")
            params.append(list(self.statuses))
        if self.since is not None:
            clauses.append(f"{alias}.created_at >= %s")
            params.append(self.since)
        if self.until is not None:
            clauses.append(f"{alias}.created_at < %s")
            params.append(self.until)
        if self.road_classes:
            clauses.append(f"{alias}.road_class = ANY(%s)")
            params.append(list(self.road_classes))
        if self.road_ref:
            clauses.append(f"{alias}.road_ref_key = %s")
            params.append(self.road_ref)
        return (" AND ".join(clauses) or "TRUE"), params

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        """The same filters on live reports (exports)."""
        if not self.scope.everything:
            reports = reports.filter(authority_id__in=sorted(self.scope.authority_ids))
        q = Q()
        if self.authority_ids:
            q &= Q(authority_id__in=self.authority_ids)
        if self.category_ids:
            q &= Q(category_id__in=self.category_ids)
        if self.statuses:
            q &= Q(status__in=self.statuses)
        if self.since is not None:
            q &= Q(created_at__gte=self.since)
        if self.until is not None:
            q &= Q(created_at__lt=self.until)
        if self.road_classes:
            q &= Q(road__road_class__in=self.road_classes)
        reports = reports.filter(q)
        if self.road_ref:
            reports = reports.annotate(
                _road_ref_key=Func(Upper("road__ref"), Value(" "), Value(""), function="replace")
            ).filter(_road_ref_key=self.road_ref)
        return reports


def month_start(moment: dt.datetime | None) -> dt.date | None:
    """The first day of the month `moment` starts (None when it is not a month's start):
    the stored aggregates hold whole months of the facts."""
    if moment is None:
        return None
    local = moment.astimezone(FACTS_TIME_ZONE)
    return local.date() if local.day == 1 and local.time() == dt.time(0) else None


def status_choices() -> list[tuple[str, Any]]:
    return [(OPEN, _("alle offenen")), *Status.choices]


class PlanningFilterForm(forms.Form):
    """GET filters of the planning pages and API. Multi-value fields accept repeated
    parameters and comma-separated lists (`category=a,b`)."""

    category = forms.ModelMultipleChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.order_by("sort_order", "name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=status_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    since = forms.DateField(label=_("von"), required=False)
    until = forms.DateField(label=_("bis"), required=False)
    road_class = forms.MultipleChoiceField(
        label=_("Straßenklasse"),
        choices=RoadClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    road_ref = forms.CharField(label=_("Straßennummer"), max_length=100, required=False)
    authority = forms.ModelMultipleChoiceField(
        label=_("Stelle"),
        queryset=Authority.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: QueryDict | dict[str, Any] | None, *, scope: PlanningScope) -> None:
        super().__init__(_split_lists(data) if data is not None else None)
        self.scope = scope
        authority_field = cast(forms.ModelMultipleChoiceField, self.fields["authority"])
        authority_field.queryset = scope.authorities()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("since", "until"):
            # Dates near year 1 or 9999 would overflow the day added to "bis".
            if cleaned.get(name):
                try:
                    params.check_date(cleaned[name], name)
                except ValidationError as exc:
                    del cleaned[name]
                    add_errors_to_form(self, exc)
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("„bis“ muss nach „von“ liegen."))
        return cleaned

    def filters(self) -> PlanningFilters:
        """The validated filters (call after is_valid())."""
        data = self.cleaned_data
        statuses: set[str] = set()
        for value in data.get("status") or []:
            statuses |= set(OPEN_STATUSES) if value == OPEN else {value}
        zone = ZoneInfo(settings.TIME_ZONE)
        since = data.get("since")
        until = data.get("until")
        return PlanningFilters(
            scope=self.scope,
            category_ids=tuple(sorted(c.pk for c in data.get("category") or [])),
            statuses=tuple(sorted(str(s) for s in statuses)),
            since=dt.datetime.combine(since, dt.time(), zone) if since else None,
            until=(
                dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
                if until
                else None
            ),
            road_classes=tuple(sorted(data.get("road_class") or [])),
            road_ref=(data.get("road_ref") or "").replace(" ", "").upper(),
            authority_ids=tuple(sorted(a.pk for a in data.get("authority") or [])),
            query=self.query_params(),
        )

    def query_params(self) -> dict[str, Any]:
        """The filters as query parameters (for export links and the map's API calls)."""
        data = self.cleaned_data
        params: dict[str, Any] = {}
        if data.get("category"):
            params["category"] = ",".join(c.slug for c in data["category"])
        if data.get("status"):
            params["status"] = ",".join(data["status"])
        for name in ("since", "until"):
            if data.get(name):
                params[name] = data[name].isoformat()
        if data.get("road_class"):
            params["road_class"] = ",".join(data["road_class"])
        if data.get("road_ref"):
            params["road_ref"] = data["road_ref"]
        if data.get("authority"):
            params["authority"] = ",".join(a.slug for a in data["authority"])
        return params


def _split_lists(data: QueryDict | dict[str, Any]) -> QueryDict:
    """`category=a,b&category=c` → category=[a, b, c]; other fields unchanged."""
    result = QueryDict(mutable=True)
    items: list[tuple[str, list[Any]]]
    if isinstance(data, QueryDict):
        items = [(key, data.getlist(key)) for key in data]
    else:
        items = [(k, v if isinstance(v, list) else [v]) for k, v in data.items()]
    for key, values in items:
        if key in MULTI_FIELDS:
            parts = [p.strip() for v in values for p in str(v).split(",") if p.strip()]
            result.setlist(key, parts)
        else:
            result.setlist(key, [str(v) for v in values])
    return result
