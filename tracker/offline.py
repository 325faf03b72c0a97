"""Texts of the report page's offline queue (frontend/static/js/offline-reports.js,
docs/offline.md): reports filed without a connection wait on the device and are sent later."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STRINGS = {
    "waiting": _("Wartet auf Verbindung"),
    "saved": _(
        "Keine Verbindung: Ihre Meldung ist auf diesem Gerät gespeichert. Wir senden sie "
        "automatisch, sobald wieder eine Verbindung besteht."
    ),
    "savedAt": _("gespeichert am %(date)s"),
    "photos": _("%(count)s Fotos"),
    "photosOne": _("1 Foto"),
    "sendingNow": _("Wird gesendet …"),
    "stillOffline": _("Noch keine Verbindung. Wir versuchen es weiter."),
    "sentOne": _("Ihre gespeicherte Meldung wurde gesendet."),
    "sent": _("gesendet"),
    "sentAs": _("Vorgangsnummer %(ref)s"),
    "authority": _("Zuständig: %(authority)s"),
    "track": _("Bearbeitungsstand verfolgen"),
    "confirm": _(
        "Bitte bestätigen Sie die Meldung über den Link in der E-Mail, die wir Ihnen "
        "geschickt haben."
    ),
    "nearby": _(
        "In der Nähe gibt es schon ähnliche offene Meldungen. Die zuständige Stelle führt "
        "doppelte Meldungen zusammen:"
    ),
    "failed": _("Nicht angenommen:"),
    "discard": _("Verwerfen"),
    "hide": _("Aus der Liste entfernen"),
    "discardWaiting": _("Nicht senden und löschen"),
    "routingOffline": _(
        "Keine Verbindung: Welche Stelle zuständig ist und ob es schon eine gleiche Meldung "
        "gibt, ermitteln wir, wenn die Meldung gesendet wird."
    ),
    "noStorage": _(
        "Keine Verbindung, und dieser Browser kann die Meldung nicht speichern. Bitte senden "
        "Sie sie später erneut."
    ),
}


def strings() -> dict[str, str]:
    return {key: str(text) for key, text in STRINGS.items()}
