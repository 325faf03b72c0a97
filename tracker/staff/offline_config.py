"""Crews on the road (issue 16, item 4): the configuration of js/crew-offline.js.

The work queue's button saves the crew's queue (the reports of the queue's current filters,
at most MAX_OFFLINE_REPORTS), each report's staff detail without the reporter's contact data,
its photos and the base-map tiles of the queue's area on the device (IndexedDB and the Cache
Storage; js/crew-offline.js). `/arbeit/unterwegs/` shows them from the device, also without a
connection (the service worker keeps the page once it was saved); status changes, notes and
"after" photos made there are queued on the device and sent in order through the staff API
with the version they were based on (tracker.staff.versions): a report changed meanwhile is
a conflict the crew decides (apply again or discard), nothing is overwritten.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from tracker.models import Status

MAX_OFFLINE_REPORTS = 200
# Base-map tiles saved for the queue's area: MapLibre zooms (Leaflet's minus one) from the
# county overview to street level; the deepest zooms are left out when the area would need
# more tiles than the cap.
TILE_MIN_ZOOM = 8
TILE_MAX_ZOOM = 16
MAX_TILES = 2500


def offline_config() -> dict[str, Any]:
    """What js/crew-offline.js needs: URLs, limits and its German strings."""
    return {
        "api": "/api/v1/staff/reports",
        "page": reverse("staff:offline"),
        "source": reverse("staff:map-data"),
        "me": "/api/v1/staff/me",
        "tiles": "/tiles/base/{z}/{x}/{y}.pbf",
        "media": settings.MEDIA_URL,
        "maxReports": MAX_OFFLINE_REPORTS,
        "tileZooms": [TILE_MIN_ZOOM, TILE_MAX_ZOOM],
        "maxTiles": MAX_TILES,
        "strings": offline_strings(),
        "statuses": {str(value): str(label) for value, label in Status.choices},
    }


def offline_strings() -> dict[str, str]:
    return {
        "saving": _("Wird gespeichert …"),
        "savingReports": _("Meldungen: %(done)s von %(total)s"),
        "savingTiles": _("Kartenkacheln: %(done)s von %(total)s (%(size)s)"),
        "saved": _(
            "Gespeichert: %(reports)s Meldungen, %(photos)s Fotos, %(tiles)s Kartenkacheln "
            "(%(size)s) bis Zoomstufe %(zoom)s."
        ),
        "tilesCapped": _(
            "Das Gebiet ist groß: Die Karte ist nur bis Zoomstufe %(zoom)s gespeichert "
            "(höchstens %(max)s Kacheln)."
        ),
        "saveFailed": _(
            "Speichern nicht möglich: Keine Verbindung zum Server. Bereits Gespeichertes bleibt."
        ),
        "savedAt": _("Stand vom %(when)s"),
        "nothingSaved": _(
            "Noch nichts gespeichert. Öffnen Sie die Arbeitsliste mit Verbindung und wählen "
            "Sie „Für unterwegs speichern“."
        ),
    } | sync_strings()


def sync_strings() -> dict[str, str]:
    """The strings of the queue of changes and the conflict view."""
    return {
        "online": _("Verbindung da: Änderungen werden sofort gesendet."),
        "offline": _("Keine Verbindung: Änderungen werden auf diesem Gerät gespeichert."),
        "waiting": _("wartet auf Senden"),
        "sent": _("gesendet"),
        "conflict": _("Konflikt"),
        "error": _("abgelehnt"),
        "blocked": _("wartet (vorherige Änderung dieser Meldung ist noch offen)"),
        "queued": _("Gespeichert – wird gesendet, sobald eine Verbindung besteht."),
        "queuedBackground": _(
            "Gespeichert – wird gesendet, sobald eine Verbindung besteht, auch wenn Sie die "
            "Seite schließen."
        ),
        "syncing": _("Wird gesendet …"),
        "syncDone": _("Alle Änderungen sind gesendet."),
        "syncOffline": _("Keine Verbindung: Die Änderungen warten auf diesem Gerät."),
        "syncLogin": _("Bitte melden Sie sich wieder an; die Änderungen warten so lange."),
        "pendingCount": _("%(count)s Änderungen warten auf Senden."),
        "pendingOne": _("1 Änderung wartet auf Senden."),
        "conflictCount": _("%(count)s Konflikte: bitte entscheiden."),
        "conflictOne": _("1 Konflikt: bitte entscheiden."),
        "yourChange": _("Ihre Änderung (unterwegs)"),
        "serverState": _("Aktueller Stand auf dem Server"),
        "basedOn": _("erfasst am %(when)s auf Grundlage des Stands vom %(based)s"),
        "changedAt": _("geändert am %(when)s"),
        "apply": _("Erneut anwenden"),
        "discard": _("Verwerfen"),
        "retry": _("Erneut versuchen"),
        "discarded": _("Verworfen."),
        "status": _("Status"),
        "assigned": _("Zugewiesen"),
        "lastEntries": _("Letzte Einträge"),
        "photoAfter": _("Foto nachher"),
        "note": _("Interne Notiz"),
        "publicNote": _("Notiz für die meldende Person"),
        "toStatus": _("Status → %(status)s"),
        "back": _("Zurück zur Liste"),
        "noSteps": _("Unterwegs ist hier keine Statusänderung möglich."),
        "open": _("Öffnen"),
        "overdue": _("überfällig"),
        "reportLocation": _("Ort der Meldung"),
        "markersLoaded": _("%(count)s Meldungen auf der Karte"),
        "saveChange": _("Änderung speichern"),
        "saveNote": _("Notiz speichern"),
        "clearConfirm": _(
            "Auf diesem Gerät warten noch Änderungen, die nicht gesendet sind. Trotzdem alles "
            "löschen?"
        ),
    }
