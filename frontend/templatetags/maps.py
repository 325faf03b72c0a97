"""`{% map_config_script map_extra %}`: the map configuration as a JSON data block (id
"map-config") that the map scripts read; see frontend.maps."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from frontend.maps import map_config

register = template.Library()


@register.simple_tag
def map_config_script(extra: dict[str, Any] | None = None) -> SafeString:
    return json_script(map_config(extra if isinstance(extra, dict) else None), "map-config")
