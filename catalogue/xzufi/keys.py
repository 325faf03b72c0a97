"""Finding our authority for an official key: an ARS (12 digits) or an AGS (2, 5 or 8 digits)
as XZuFi's gebietID and an Organisationseinheit's address carry them."""

from __future__ import annotations

from boundaries.models import Authority


def _ags_from_ars(ars: str) -> str:
    """The AGS an ARS stands for: Land (2), Kreis (5) or Gemeinde (8 digits; only when the
    Gemeindeverband part is 0000, i.e. not a Samtgemeinde/Amt member)."""
    if ars[2:] == "0" * 10:
        return ars[:2]
    if ars[5:] == "0" * 7:
        return ars[:5]
    if ars[5:9] == "0000":
        return ars[:5] + ars[9:]
    return ""


class AuthorityIndex:
    """All authorities that carry a key, looked up by ARS first, then AGS."""

    def __init__(self) -> None:
        self.by_ars: dict[str, Authority] = {}
        self.by_ags: dict[str, Authority] = {}
        for authority in Authority.objects.exclude(ars="", ags="").order_by("id"):
            if authority.ars:
                self.by_ars.setdefault(authority.ars.ljust(12, "0"), authority)
            if authority.ags:
                self.by_ags.setdefault(authority.ags, authority)

    def find(self, key: str) -> Authority | None:
        if not key:
            return None
        if len(key) == 12:
            return self.by_ars.get(key) or self.by_ags.get(_ags_from_ars(key))
        return self.by_ags.get(key) or self.by_ars.get(key.ljust(12, "0"))
