"""The Sofortmaßnahmen a crew can record with a finding (what made the spot safe at once)."""

from django.utils.translation import gettext_lazy as _

MEASURES = {
    "warning_sign": _("Warnschild aufgestellt (Z 101/112)"),
    "speed_limit": _("Geschwindigkeit beschränkt (Z 274)"),
    "barrier": _("Abgesperrt (Bake/Absperrschranke)"),
    "marked": _("Markiert (Sprühfarbe)"),
    "fixed": _("sofort beseitigt"),
    "none": _("keine Sofortmaßnahme nötig"),
}
