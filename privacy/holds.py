"""Legal holds: the kinds of records that can be held are registered by the apps that own them
(tracker: "report", catalogue: "application"), each with a lookup by the number staff quote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import LegalHold


@dataclass(frozen=True)
class Target:
    object_id: int
    authority_id: int
    reference: str


@dataclass(frozen=True)
class HoldKind:
    key: str
    label: Any  # a (lazy) translated string
    # reference ("2026-000042", "A-2026-000001") → the record, None if there is none
    resolve: Callable[[str], Target | None]


_KINDS: dict[str, HoldKind] = {}


def register_kind(kind: HoldKind) -> None:
    _KINDS[kind.key] = kind


def kinds() -> list[HoldKind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)


def resolve(kind: str, reference: str) -> Target:
    """The record a hold is for, or a ValidationError that says what is wrong."""
    holder = _KINDS.get(kind)
    if holder is None:
        raise ValidationError({"kind": _("Diese Art von Datensatz kann nicht gesperrt werden.")})
    target = holder.resolve(reference.strip())
    if target is None:
        raise ValidationError(
            {
                "reference": _(
                    "%(kind)s „%(ref)s“ gibt es nicht (mehr) – eine Sperre für einen gelöschten "
                    "Datensatz ist nicht möglich."
                )
                % {"kind": holder.label, "ref": reference.strip()}
            }
        )
    return target


def hold_place(*, kind: str, reference: str, reason: str, by: User | None) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie den Grund der Sperre an.")})
    target = resolve(kind, reference)
    return LegalHold.objects.create(
        kind=kind,
        object_id=target.object_id,
        reference=target.reference,
        authority_id=target.authority_id,
        reason=reason.strip(),
        created_by=by,
    )


def hold_release(hold: LegalHold, *, by: User | None) -> None:
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if locked.released_at is not None:
            raise ValidationError(_("Diese Sperre ist bereits aufgehoben."))
        locked.released_at = hold.released_at = timezone.now()
        locked.released_by = hold.released_by = by
        locked.save(update_fields=["released_at", "released_by"])
