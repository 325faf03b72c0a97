"""The portal's identity: name, logo, colours and banner come from the operating authority
(settings.OPERATING_AUTHORITY, a slug; admin-editable fields on Authority). A town with
`own_identity` brands its own pages (its /stelle/ page, reports routed to it) and the mails
about its reports.

* `portal(request)` is the template context processor (settings TEMPLATES): `{{ portal }}` on
  every page. A view that shows one authority's page calls `use_identity_of(request, authority)`
  first; frontend/base.html reads only `portal`, so the shell imports no domain app.
* `identity_for(authority)` for mails (notifications.emails.render) and the PWA manifest
  (`current_identity`, named in settings.PORTAL_IDENTITY).

Identities are cached (Django cache, a few minutes) and dropped when an authority is saved."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.translation import gettext as _

from core.urls import absolute_url

from .colours import shade
from .models import Authority, Level

CACHE_SECONDS = 300
_CACHE_KEY = "portal-identity:v1:{}"
_REQUEST_ATTRIBUTE = "_portal_authority"
DEFAULT_COLOUR = "#00508c"


@dataclass(frozen=True)
class Identity:
    name: str
    authority_name: str
    authority_slug: str
    logo_url: str
    colour: str
    colour_dark: str
    colour_soft: str
    secondary_colour: str
    banner_url: str
    banner_alt: str
    website: str
    is_town: bool = False

    @property
    def logo_absolute_url(self) -> str:
        return absolute_url(self.logo_url) if self.logo_url else ""


def _logo_url(authority: Authority) -> str:
    if authority.logo:
        return str(authority.logo.url)
    if authority.logo_static:
        return static(authority.logo_static)
    return ""


def _build(authority: Authority | None, *, name: str = "") -> Identity:
    if authority is None:
        colour = DEFAULT_COLOUR
        return Identity(
            name=name or _("Mängelmelder"),
            authority_name="",
            authority_slug="",
            logo_url="",
            colour=colour,
            colour_dark=shade(colour, 0.72),
            colour_soft=shade(colour, 1.9),
            secondary_colour=colour,
            banner_url="",
            banner_alt="",
            website="",
        )
    colour = authority.colour or DEFAULT_COLOUR
    return Identity(
        name=authority.portal_name or name or _("Mängelmelder"),
        authority_name=authority.name,
        authority_slug=authority.slug,
        logo_url=_logo_url(authority),
        colour=colour,
        colour_dark=shade(colour, 0.72),
        colour_soft=shade(colour, 1.9),
        secondary_colour=authority.secondary_colour or colour,
        banner_url=str(authority.banner.url) if authority.banner else "",
        banner_alt=authority.banner_alt,
        website=authority.website,
        is_town=authority.level != Level.KREIS,
    )


def operating_authority() -> Authority | None:
    slug = getattr(settings, "OPERATING_AUTHORITY", "")
    active = Authority.objects.filter(is_active=True)
    found = active.filter(slug=slug).first() if slug else None
    return found or active.filter(level=Level.KREIS).order_by("pk").first()


def _cached(key: str, build: Any) -> Identity:
    stored = cache.get(key)
    if stored is not None:
        return Identity(**stored)
    identity = build()
    cache.set(key, asdict(identity), CACHE_SECONDS)
    return identity


def current_identity(request: HttpRequest | None = None) -> Identity:
    """The operating authority's identity (the portal's own)."""
    site_name = getattr(settings, "SITE_NAME", "")
    return _cached(
        _CACHE_KEY.format("operator"), lambda: _build(operating_authority(), name=site_name)
    )


def identity_for(authority: Authority | None) -> Identity:
    """`authority`'s own identity where it has one, else the portal's; the portal name stays
    the operator's unless the town names its own."""
    if authority is None or not authority.own_identity:
        return current_identity()

    def build() -> Identity:
        return _build(authority, name=current_identity().name)

    return _cached(_CACHE_KEY.format(authority.pk), build)


def use_identity_of(request: HttpRequest, authority: Authority | None) -> None:
    """Let this request's pages carry `authority`'s identity (if it has its own)."""
    setattr(request, _REQUEST_ATTRIBUTE, authority)


def portal(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: `portal` (an Identity) and `portal_operator` (always the
    operating authority's, for the footer)."""
    operator = current_identity()
    chosen = identity_for(getattr(request, _REQUEST_ATTRIBUTE, None))
    return {"portal": chosen, "portal_operator": operator}


def forget(**kwargs: Any) -> None:
    """post_save/post_delete of Authority: drop every cached identity."""
    instance = kwargs.get("instance")
    keys = [_CACHE_KEY.format("operator")]
    # Towns' identities carry the operator's portal name: they go too.
    keys += [
        _CACHE_KEY.format(pk)
        for pk in Authority.objects.filter(own_identity=True).values_list("pk", flat=True)
    ]
    if instance is not None and instance.pk:
        keys.append(_CACHE_KEY.format(instance.pk))
    cache.delete_many(keys)


def connect() -> None:
    post_save.connect(forget, sender=Authority, dispatch_uid="portal-identity-save")
    post_delete.connect(forget, sender=Authority, dispatch_uid="portal-identity-delete")
