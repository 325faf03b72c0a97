"""The base map's endpoints: our own vector tiles and, when configured, an operator's PMTiles
archive (an orthophoto or any raster extract), both served by the portal itself.

* `GET /tiles/base/{z}/{x}/{y}.pbf` — boundaries.basemap, cached per data version (each
  process reuses the version for MAP_BASE_VERSION_SECONDS); answers `If-None-Match` with 304,
  so browsers revalidate cheaply after `max-age`.
* `GET /tiles/extra/{z}/{x}/{y}` — a tile of settings.MAP_PMTILES_PATH (read with the
  `pmtiles` package), 404 where the archive has none or no archive is configured.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
)
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from core.conditional import etag_matches
from core.fastpath import public_data
from core.replica import read_from_replica

from .basemap import BadTile, cached_tile, current_version, parse_tile

MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
# PMTiles tile types (pmtiles.tile.TileType) and their content types.
PMTILES_CONTENT_TYPES = {1: MVT_CONTENT_TYPE, 2: "image/png", 3: "image/jpeg", 4: "image/webp"}
PMTILES_GZIP = 2


def _bad_tile(exc: BadTile) -> HttpResponse:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


# A tile is data, not a document: no Content-Security-Policy to build per tile (django-csp
# built it twice per response, about a sixth of a cached tile's time in Python).
@public_data
@csp_exempt()  # type: ignore[arg-type]  # its stubs know views without URL arguments only
@require_GET
@read_from_replica
def base_tile_view(request: HttpRequest, z: str, x: str, y: str) -> HttpResponse:
    try:
        zi, xi, yi = parse_tile(z, x, y)
    except BadTile as exc:
        return _bad_tile(exc)
    version = current_version()
    etag = f'"{version}"'
    if etag_matches(request, etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(cached_tile(zi, xi, yi, version), content_type=MVT_CONTENT_TYPE)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.MAP_BASE_TILE_MAX_AGE)
    return response


@lru_cache(maxsize=4)
def _pmtiles_archive(path: str) -> tuple[Any, dict[str, Any]]:
    """The opened archive (memory-mapped, kept open per process) and its header."""
    from pmtiles.reader import MmapSource, Reader

    handle = Path(path).open("rb")  # noqa: SIM115 - kept open for the process's lifetime
    reader = Reader(MmapSource(handle))
    return reader, reader.header()


def pmtiles_info() -> dict[str, Any] | None:
    """Type and zoom range of the configured archive (for the map configuration), or None."""
    path = settings.MAP_PMTILES_PATH
    if not path:
        return None
    _reader, header = _pmtiles_archive(str(path))
    tile_type = int(getattr(header["tile_type"], "value", header["tile_type"]))
    return {
        "type": tile_type,
        "raster": tile_type in (2, 3, 4),
        "minzoom": int(header["min_zoom"]),
        "maxzoom": int(header["max_zoom"]),
    }


@public_data
@csp_exempt()  # type: ignore[arg-type]  # its stubs know views without URL arguments only
@require_GET
def pmtiles_tile_view(request: HttpRequest, z: str, x: str, y: str) -> HttpResponse:
    if not settings.MAP_PMTILES_PATH:
        raise Http404("Keine PMTiles-Karte eingerichtet.")
    try:
        zi, xi, yi = parse_tile(z, x, y)
    except BadTile as exc:
        return _bad_tile(exc)
    reader, header = _pmtiles_archive(str(settings.MAP_PMTILES_PATH))
    data = reader.get(zi, xi, yi)
    if data is None:
        raise Http404("Diese Kachel gibt es in der PMTiles-Karte nicht.")
    tile_type = int(getattr(header["tile_type"], "value", header["tile_type"]))
    response = HttpResponse(
        data, content_type=PMTILES_CONTENT_TYPES.get(tile_type, "application/octet-stream")
    )
    compression = int(getattr(header["tile_compression"], "value", header["tile_compression"]))
    if compression == PMTILES_GZIP:
        response["Content-Encoding"] = "gzip"
    patch_cache_control(response, public=True, max_age=settings.MAP_BASE_TILE_MAX_AGE)
    return response
