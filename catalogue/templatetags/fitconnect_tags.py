"""`{% fitconnect_handover_of application as handover %}`: the application's FIT-Connect
hand-over (or None) for the application page, shown to citizen and staff."""

from __future__ import annotations

from django import template

from catalogue.models import Application, Handover

register = template.Library()


@register.simple_tag
def fitconnect_handover_of(application: Application) -> Handover | None:
    return Handover.objects.filter(application=application).first()
