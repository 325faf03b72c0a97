"""The map configuration every map page's JavaScript reads (the shared shell's part).

Pages render it with the `{% map_config_script map_extra %}` tag (frontend.templatetags.maps):
the base (tiles, first view, API endpoints, translated strings) plus what the page adds in
`map_extra`; "strings" and "api" are merged key by key, other keys are set.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.core.cache import cache
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boundaries.basemap_views import pmtiles_info
from boundaries.models import Boundary

# Germany, for a portal without any active boundary yet.
FALLBACK_BOUNDS = [[47.27, 5.87], [55.06, 15.04]]
SERVICE_AREA_CACHE_KEY = "frontend:service-area-bounds"
SERVICE_AREA_CACHE_SECONDS = 600


def service_area_bounds() -> list[list[float]]:
    """[[south, west], [north, east]] of all active boundaries: the map's first view."""
    bounds = cache.get(SERVICE_AREA_CACHE_KEY)
    if bounds is None:
        extent = Boundary.objects.filter(boundary_set__is_active=True).aggregate(
            extent=Extent("geom")
        )["extent"]
        if extent:
            min_x, min_y, max_x, max_y = extent
            bounds = [[min_y, min_x], [max_y, max_x]]
        else:
            bounds = FALLBACK_BOUNDS
        cache.set(SERVICE_AREA_CACHE_KEY, bounds, SERVICE_AREA_CACHE_SECONDS)
    return list(bounds)


def _tile_template(name: str) -> str:
    return reverse(name, args=["0", "1", "2"]).replace("/0/1/2", "/{z}/{x}/{y}")


def basemap_config() -> dict[str, Any]:
    """The base map: our own vector tiles (boundaries.basemap) over optional raster layers
    (settings.MAP_TILE_URL, a raster PMTiles archive), each with its attribution, and the
    MapLibre files maps.js loads when a map is drawn."""
    raster: list[dict[str, Any]] = []
    if settings.MAP_TILE_URL:
        raster.append(
            {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
        )
    info = pmtiles_info()
    if info and info["raster"]:
        raster.append(
            {
                "tiles": _tile_template("extra-tile"),
                "minzoom": info["minzoom"],
                "maxzoom": info["maxzoom"],
                "attribution": settings.MAP_PMTILES_ATTRIBUTION,
            }
        )
    vector = _tile_template("base-tile") if settings.MAP_VECTOR_BASE else ""
    vector_attribution = [settings.MAP_ROADS_ATTRIBUTION, settings.MAP_BOUNDARIES_ATTRIBUTION]
    return {
        "vector": vector,
        "vectorAttribution": " | ".join(a for a in vector_attribution if a) if vector else "",
        "raster": raster,
        "scripts": [
            static("vendor/maplibre-gl/maplibre-gl-csp.js"),
            static("vendor/maplibre-gl-leaflet/leaflet-maplibre-gl.js"),
            static("js/basemap.js"),
        ],
        "css": static("vendor/maplibre-gl/maplibre-gl.css"),
        "worker": static("vendor/maplibre-gl/maplibre-gl-csp-worker.js"),
    }


def map_config(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What every map page's JavaScript needs, with the page's own `extra` merged in."""
    config: dict[str, Any] = {
        "basemap": basemap_config(),
        "bounds": service_area_bounds(),
        "api": {
            "boundaries": reverse("api:boundaries"),
            "roads": reverse("api:roads"),
            "assets": reverse("api:assets"),
            "places": reverse("api:places"),
            "locate": reverse("api:locate"),
            "reverse": reverse("api:reverse"),
            "categories": reverse("api:categories"),
            "reports": reverse("api:reports"),
            "nearby": reverse("api:reports-nearby"),
            "photoLocation": reverse("api:photo-location"),
            # "0" is replaced with a report id in JavaScript.
            "support": reverse("api:report-support", args=[0]),
        },
        "strings": js_strings(),
    }
    for key, value in (extra or {}).items():
        if key in ("strings", "api") and isinstance(value, dict):
            config[key].update(value)
        else:
            config[key] = value
    return config


# Texts the scripts show, translated per request like every other string of the pages.
JS_STRINGS: dict[str, Any] = {
    "mapLabel": _("Karte: mit den Pfeiltasten verschieben, mit Plus und Minus zoomen"),
    "zoomIn": _("Vergrößern"),
    "zoomOut": _("Verkleinern"),
    "searching": _("Suche läuft …"),
    "noPlaces": _(
        "Keinen passenden Ort gefunden. Tippen Sie auf die Karte oder ändern Sie die Suche."
    ),
    "placesFound": _("%(count)s Orte gefunden. Bitte wählen Sie einen aus der Liste."),
    "onePlaceFound": _("Ein Ort gefunden."),
    "searchFailed": _("Die Suche ist gerade nicht möglich."),
    "locationSet": _("Ort gewählt: %(place)s. Sie können die Markierung verschieben."),
    "locationCoords": _("Position %(lat)s, %(lon)s"),
    "findingPlace": _("Straße wird gesucht …"),
    "zoomedIn": _(
        "Die Karte zeigt die Stelle jetzt näher. Tippen Sie genau auf den Ort des Problems "
        "oder übernehmen Sie die markierte Stelle."
    ),
    "tapExactSpot": _(
        "%(place)s ist auf der Karte zu sehen. Tippen Sie jetzt genau auf die Stelle, an der "
        "das Problem ist."
    ),
    "myLocationSet": _("Ihr Standort: %(place)s. Sie können die Markierung verschieben."),
    "photoLocationSet": _(
        "Ort aus dem Foto übernommen: %(place)s. Bitte prüfen Sie die Markierung auf der Karte."
    ),
    "photoWithoutLocation": _(
        "Das Foto enthält keinen Aufnahmeort. Bitte suchen Sie den Ort oder tippen Sie auf "
        "die Karte."
    ),
    "markerTitle": _("Gewählter Ort (verschiebbar)"),
    "chooseCategory": _("Wählen Sie eine Kategorie, dann sehen Sie, wer zuständig ist."),
    "responsible": _("Zuständig: %(authority)s"),
    "locating": _("Zuständigkeit wird ermittelt …"),
    "locateFailed": _("Die Zuständigkeit konnte gerade nicht ermittelt werden."),
    "categoryNotHere": _(
        "Die gewählte Kategorie wird an diesem Ort nicht angeboten. Bitte wählen Sie eine andere."
    ),
    "needLocation": _(
        "Bitte wählen Sie den Ort: Tippen Sie auf die Karte oder wählen Sie ein Suchergebnis."
    ),
    "needCategory": _("Bitte wählen Sie eine Kategorie."),
    "needDescription": _("Bitte beschreiben Sie das Problem."),
    "needEmail": _("Ohne Konto brauchen wir Ihre E-Mail-Adresse für die Bestätigung."),
    "badEmail": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
    "geolocating": _("Ihr Standort wird ermittelt …"),
    "geolocationFailed": _(
        "Ihr Standort konnte nicht ermittelt werden. Bitte suchen Sie den Ort oder tippen "
        "Sie auf die Karte."
    ),
    "myLocation": _("Mein Standort"),
    "mapCentre": _("Kartenmitte"),
    "assetChosen": _("%(type)s %(id)s gewählt."),
    "nearbyHeading": _("Schon gemeldet? Offene Meldungen in der Nähe"),
    "nearbyIntro": _(
        "Wenn Ihr Anliegen schon dabei ist, unterstützen Sie die bestehende Meldung, statt "
        "eine neue zu erstellen."
    ),
    "metresAway": _("%(m)s m entfernt"),
    "reportedOn": _("gemeldet am %(date)s"),
    "supporters": _("%(count)s Personen betroffen"),
    "supportersOne": _("1 Person betroffen"),
    "alsoAffected": _("Ich bin auch betroffen"),
    "viewReport": _("Meldung ansehen (neuer Tab)"),
    "supportEmail": _("Ihre E-Mail-Adresse für Nachrichten zu dieser Meldung"),
    "supportNeedsEmail": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
    "supportDone": _(
        "Danke! Sie unterstützen jetzt die Meldung %(ref)s. Betroffene Personen: %(count)s. "
        "Sie erhalten Nachrichten zum Bearbeitungsstand. Eine neue Meldung ist dafür nicht "
        "nötig."
    ),
    "supportFailed": _("Das hat nicht geklappt. Bitte versuchen Sie es erneut."),
    "newReportAnyway": _("Doch eine neue Meldung erstellen"),
    "photoLimit": _("Höchstens %(max)s Fotos pro Meldung."),
    "photoAlt": _("Ausgewähltes Foto %(n)s: %(name)s"),
    "removePhoto": _("Foto %(n)s entfernen"),
    "photoHasLocation": _("Ort aus Foto übernehmen"),
    "photoLocationUsed": _("Ort aus dem Foto übernommen."),
    "sending": _("Meldung wird gesendet …"),
    "errorSummary": _("Bitte prüfen Sie Ihre Angaben"),
    "tooMany": _("Zu viele Meldungen in kurzer Zeit. Bitte versuchen Sie es später erneut."),
    "sendFailed": _(
        "Die Meldung konnte nicht gesendet werden. Bitte prüfen Sie Ihre Verbindung und "
        "versuchen Sie es erneut."
    ),
    "reportsInView": _("%(count)s Meldungen im Kartenausschnitt"),
    "reportsInViewOne": _("1 Meldung im Kartenausschnitt"),
    "reportsCapped": _(
        "Es werden die neuesten %(count)s angezeigt. Vergrößern Sie die Karte für mehr."
    ),
    "noReports": _("Keine Meldungen im Kartenausschnitt für diese Auswahl."),
    "loading": _("Meldungen werden geladen …"),
    "loadFailed": _("Die Meldungen konnten nicht geladen werden."),
    "details": _("Details"),
    "reportNumber": _("Nr. %(ref)s"),
    "reportsCount": _("%(count)s Meldungen"),
}


def js_strings() -> dict[str, str]:
    """JS_STRINGS in the active language."""
    return {key: str(text) for key, text in JS_STRINGS.items()}
