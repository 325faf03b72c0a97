"""`{% live_attrs url mode %}`: the attributes that switch on frontend/static/js/live-status.js
for a page's root element (endpoint, interval from settings.LIVE_STATUS_INTERVAL, the
translated announcements). The script itself is loaded with `{% live_script %}`."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def live_attrs(url: str, mode: str = "report") -> SafeString:
    return format_html(
        'data-live-url="{}" data-live-mode="{}" data-live-interval="{}" '
        'data-live-msg-status="{}" data-live-msg-update="{}" data-live-msg-item="{}"',
        url,
        mode,
        getattr(settings, "LIVE_STATUS_INTERVAL", 20),
        _("Neuer Stand: {status}"),
        _("Neue Aktualisierung: {text}"),
        _("Meldung {ref}: jetzt {status}"),
    )


@register.simple_tag
def live_script() -> SafeString:
    return format_html('<script src="{}" defer></script>', static("js/live-status.js"))
