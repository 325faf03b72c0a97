"""Planner pages (/planung/): heatmap, hot spots and road ranking, statistics, and a printable
folium "Lagebild" per Gemeinde. Reads go through planning.selectors (SQL over the facts view)
and the same filter form as /api/v1/planning/; access follows planning.scope."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any
from urllib.parse import urlencode

import folium
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.geos import Polygon
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from boundaries.models import Authority, Boundary, Level
from core import params
from core.replica import read_from_replica
from geo.models import RoadClass
from planning import density, selectors
from planning.api import stats_payload
from planning.filters import PlanningFilterForm, PlanningFilters
from planning.scope import can_plan, planning_scope
from tracker.models import Category

View = Callable[..., HttpResponse]

EPS_CHOICES = (25, 50, 100, 200)
# folium's assets, served from our npm copy instead of its CDNs (see lagebild()).
LOCAL_ASSETS = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
}
LAGEBILD_LEVELS = (Level.KREIS, Level.SAMTGEMEINDE, Level.GEMEINDE)


def planning_required(view: View) -> View:
    """Signed in (else to the login page) and allowed to plan (else 403)."""

    reading = read_from_replica(view)  # planning only reads (core/replica.py)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_plan(request.user):
            raise PermissionDenied(_("Nur für die Planung einer zuständigen Stelle."))
        response = reading(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def _filters(request: HttpRequest) -> tuple[PlanningFilterForm, PlanningFilters | None]:
    form = PlanningFilterForm(request.GET, scope=planning_scope(request.user))
    return form, (form.filters() if form.is_valid() else None)


def _export_links(query: dict[str, Any]) -> list[dict[str, str]]:
    suffix = ("?" + urlencode(query)) if query else ""
    return [
        {
            "label": label,
            "url": reverse("api:planning-export", args=[fmt]) + suffix,
            "format": fmt,
        }
        for fmt, label in (
            ("csv", _("CSV (Tabelle)")),
            ("geojson", _("GeoJSON (GIS)")),
            ("gpkg", _("GeoPackage (GIS)")),
        )
    ]


def _lagebild_authorities(request: HttpRequest) -> list[Authority]:
    return list(
        planning_scope(request.user)
        .authorities()
        .filter(level__in=LAGEBILD_LEVELS)
        .only("name", "slug", "level")
    )


def report_link(report_id: int) -> str:
    """The staff report page when it exists (staff:report), else the public one."""
    try:
        return reverse("staff:report", args=[report_id])
    except NoReverseMatch:
        return reverse("tracker:report", args=[report_id])


def _common(request: HttpRequest, form: PlanningFilterForm, current: str) -> dict[str, Any]:
    query = form.query_params() if form.is_valid() else {}
    return {
        "form": form,
        "current_tab": current,
        "query": urlencode(query),
        "exports": _export_links(query),
        "lagebild_authorities": _lagebild_authorities(request),
        "refreshed_at": selectors.facts_refreshed_at(),
    }


@planning_required
def heatmap(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    shape = request.GET.get("shape", "square")
    config: dict[str, Any] = {
        "api": {"bins": reverse("api:planning-bins")},
        "filters": form.query_params() if filters else {},
        "shape": shape if shape in ("square", "hex") else "square",
        "strings": {
            "binsLoading": _("Dichte wird berechnet …"),
            "binsLoaded": _("%(total)s Meldungen in %(cells)s Zellen zu je %(size)s m."),
            "binsFailed": _("Die Dichte konnte nicht geladen werden."),
            "binTitle": _("%(count)s Meldungen"),
        },
    }
    context = _common(request, form, "heatmap")
    context.update({"map_extra": config, "shape": config["shape"]})
    return render(request, "planning/heatmap.html", context)


@planning_required
def hotspots(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    raw_eps = params.clean_text(request.GET.get("eps"))
    eps = int(raw_eps) if params.is_int(raw_eps) else 50
    eps = eps if eps in EPS_CHOICES else 50
    spots: list[dict[str, Any]] = []
    roads: list[Any] = []
    if filters is not None:
        found = selectors.hotspots(filters, eps_m=eps, min_points=5, limit=30)
        names = dict(
            Category.objects.filter(pk__in={s.category_id for s in found}).values_list("pk", "name")
        )
        spots = [
            {
                "spot": spot,
                "category": names.get(spot.category_id, ""),
                "reports": [(pk, report_link(pk)) for pk in spot.report_ids[:10]],
            }
            for spot in found
        ]
        labels = dict(RoadClass.choices)
        roads = [
            {**asdict(rank), "class_label": labels.get(rank.road_class, rank.road_class)}
            for rank in selectors.road_ranking(filters, limit=30)
        ]
    context = _common(request, form, "hotspots")
    context.update(
        {
            "spots": spots,
            "roads": roads,
            "eps": eps,
            "eps_choices": EPS_CHOICES,
        }
    )
    return render(request, "planning/hotspots.html", context)


def _days(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    days = seconds / 86400
    if days < 1:
        return _("%(hours)s Std.") % {"hours": f"{seconds / 3600:.1f}".replace(".", ",")}
    return _("%(days)s Tage") % {"days": f"{days:.1f}".replace(".", ",")}


@planning_required
def statistics(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    stats: dict[str, Any] | None = None
    chart_data: dict[str, Any] = {}
    if filters is not None:
        stats = stats_payload(filters)
        categories = dict(Category.objects.values_list("slug", "name"))
        authorities = dict(
            Authority.objects.filter(
                slug__in=[row["authority"] for row in stats["by_authority"]]
            ).values_list("slug", "name")
        )
        for row in stats["by_category"]:
            row["name"] = categories.get(row["category"], row["category"])
        for row in stats["by_authority"]:
            row["name"] = authorities.get(row["authority"], row["authority"])
        for row in stats["by_road"]:
            row["fix_median"] = _days(row["fix_median_seconds"])
            row["overdue_share"] = (
                f"{100 * row['overdue'] / row['open']:.0f} %" if row["open"] else "–"
            )
        stats["ack_median"] = _days(stats["time_to_acknowledge"]["median_seconds"])
        stats["ack_p90"] = _days(stats["time_to_acknowledge"]["p90_seconds"])
        stats["fix_median"] = _days(stats["time_to_fix"]["median_seconds"])
        stats["fix_p90"] = _days(stats["time_to_fix"]["p90_seconds"])
        share = stats["overdue_share"]
        stats["overdue_percent"] = f"{100 * share:.1f} %".replace(".", ",") if share else "0 %"
        chart_data = {
            "category": {
                "title": _("Meldungen nach Kategorie"),
                "labels": [row["name"] for row in stats["by_category"]],
                "values": [row["count"] for row in stats["by_category"]],
            },
            "status": {
                "title": _("Meldungen nach Status"),
                "labels": [row["label"] for row in stats["by_status"]],
                "values": [row["count"] for row in stats["by_status"]],
            },
            "month": {
                "title": _("Meldungen je Monat"),
                "labels": [row["month"] for row in stats["by_month"]],
                "values": [row["count"] for row in stats["by_month"]],
            },
            "label": _("Meldungen"),
        }
    context = _common(request, form, "statistics")
    context.update({"stats": stats, "chart_data": chart_data})
    return render(request, "planning/statistics.html", context)


def _localise_assets(element: Any) -> None:
    """Point folium's default JS/CSS at our static files (npm), dropping what we do not use
    (jQuery, Bootstrap, awesome-markers): no CDN is contacted, the map works offline."""
    for attribute in ("default_js", "default_css"):
        assets = getattr(element, attribute, None)
        if assets is not None:
            setattr(
                element,
                attribute,
                [
                    (name, static(LOCAL_ASSETS[name]))
                    for name, _url in assets
                    if name in LOCAL_ASSETS
                ],
            )
    for child in getattr(element, "_children", {}).values():
        _localise_assets(child)


def _colour(count: int, top: int) -> str:
    """Yellow → red by the share of the largest cell (log scale: a few busy cells would
    otherwise wash out everything else)."""
    share = math.log1p(count) / math.log1p(top) if top else 0.0
    palette = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
    return palette[min(len(palette) - 1, int(share * len(palette)))]


def _lagebild_map(boundary: Any, bins: dict[str, Any], spots: list[Any]) -> folium.Map:
    """The folium map: boundary outline, density cells (when there are any), hot spots."""
    extent = boundary.extent if boundary is not None else None
    centre = [extent[1] / 2 + extent[3] / 2, extent[0] / 2 + extent[2] / 2] if extent else [51, 10]
    fmap = folium.Map(location=centre, zoom_start=12, tiles=None, control_scale=True)
    if extent:
        fmap.fit_bounds([[extent[1], extent[0]], [extent[3], extent[2]]])
    if boundary is not None:
        folium.GeoJson(
            json.loads(boundary.geojson),
            name=_("Gebiet"),
            style_function=lambda _f: {"color": "#00335a", "weight": 3, "fill": False},
        ).add_to(fmap)
    top = int(bins.get("max") or 0)
    for feature in bins["features"]:
        feature["properties"]["style"] = {
            "color": "#7a2e00",
            "weight": 0.5,
            "fillColor": _colour(feature["properties"]["count"], top),
            "fillOpacity": 0.7,
        }
    # folium refuses a tooltip on an empty collection: a Gemeinde without reports gets no layer.
    if bins["features"]:
        folium.GeoJson(
            bins,
            name=_("Dichte"),
            style_function=lambda f: f["properties"]["style"],
            tooltip=folium.GeoJsonTooltip(fields=["count"], aliases=[_("Meldungen")]),
        ).add_to(fmap)
    for spot in spots:
        folium.CircleMarker(
            location=[spot.lat, spot.lon],
            radius=8 + min(20, spot.count / 5),
            color="#1d1d1b",
            weight=2,
            fill=False,
            tooltip=_("Brennpunkt %(rank)s: %(count)s Meldungen")
            % {"rank": spot.rank, "count": spot.count},
        ).add_to(fmap)
    _localise_assets(fmap)
    return fmap


def _cell_size(boundary: Any) -> int:
    """About 40 density cells across the authority's area."""
    if boundary is None:
        return 250
    min_x, min_y, max_x, max_y = boundary.extent
    width_m = (max_x - min_x) * 111_320 * math.cos(math.radians((min_y + max_y) / 2))
    return min(density.CELL_SIZES_M, key=lambda s: abs(width_m / 40 - s))


@planning_required
def lagebild(request: HttpRequest, slug: str) -> HttpResponse:
    """A printable situation map of one authority's reports, drawn by folium with our local
    Leaflet: boundary, density cells, hot spots; key figures and a table beside it."""
    scope = planning_scope(request.user)
    authority = Authority.objects.filter(slug=slug).first()
    if authority is None or not scope.covers(authority.pk):
        raise Http404(_("Diese Stelle gehört nicht zu Ihrem Bereich."))
    form = PlanningFilterForm(request.GET, scope=scope)
    filters = form.filters() if form.is_valid() else PlanningFilterForm({}, scope=scope).filters()
    filters = replace(filters, authority_ids=(authority.pk,))
    boundary = (
        Boundary.objects.filter(authority=authority, boundary_set__is_active=True)
        .values_list("geom", flat=True)
        .first()
    )
    bbox = Polygon.from_bbox(boundary.extent) if boundary is not None else None
    size = _cell_size(boundary)
    bins = json.loads(density.density_bins(filters, bbox=bbox, size_m=size))
    spots = selectors.hotspots(filters, bbox=bbox, eps_m=50, min_points=5, limit=10)
    fmap = _lagebild_map(boundary, bins, spots)
    root = fmap.get_root()
    root.render()
    context = {
        "authority": authority,
        "map_html": root.html.render(),  # type: ignore[attr-defined]
        "map_script": root.script.render(),  # type: ignore[attr-defined]
        "assets": {
            "js": [url for _name, url in fmap.default_js],
            "css": [url for _name, url in fmap.default_css],
        },
        "stats": stats_payload(filters),
        "spots": spots,
        "cell_size": size,
        "no_reports": not bins["features"],
        "refreshed_at": selectors.facts_refreshed_at(),
    }
    return render(request, "planning/lagebild.html", context)
