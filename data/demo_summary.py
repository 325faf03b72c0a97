"""What a demo run did, per kind of row: the summary `load_demo` prints and returns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from boundaries.models import Level

from .demo_spec import BOUNDARY_SETS, REGION_NAME


@dataclass
class Tally:
    """Rows of one kind: created, updated, left alone, removed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def describe(self, *, committed: bool) -> str:
        if committed:
            text = f"{self.created} created, {self.updated} updated"
            removed = f", {self.deleted} removed"
        else:
            text = f"would create {self.created}, update {self.updated}"
            removed = f", remove {self.deleted}"
        return f"{text}{removed if self.deleted else ''}; {self.unchanged} unchanged"


class SetState(StrEnum):
    ACTIVE = "active"
    ACTIVATED = "activated"
    SHADOWED = "shadowed"  # stored, but another set of the level is active and stays so


@dataclass
class DemoSummary:
    """What a run changed, or for a dry run (`committed` False) would have changed."""

    committed: bool = False
    tallies: dict[str, Tally] = field(default_factory=dict)
    # Demo set name → its state, and the active set that shadows it, if any.
    set_states: dict[str, tuple[SetState, str]] = field(default_factory=dict)
    boundaries_repaired: int = 0
    categories_kept: list[str] = field(default_factory=list)  # differ from demo, not overwritten
    contents: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def tally(self, label: str) -> Tally:
        return self.tallies.setdefault(label, Tally())

    @property
    def is_live(self) -> bool:
        """The demo's Kreis and Gemeinde boundaries are the active ones (the tiers that own its
        roads and assets)."""
        return all(
            self.set_states.get(BOUNDARY_SETS[level], (SetState.SHADOWED, ""))[0]
            != SetState.SHADOWED
            for level in (Level.KREIS, Level.GEMEINDE)
        )

    @property
    def changed(self) -> bool:
        activated = any(state == SetState.ACTIVATED for state, _ in self.set_states.values())
        return activated or any(t.changed for t in self.tallies.values())

    def lines(self) -> list[str]:
        """A human-readable report, one line per entry."""
        if self.committed:
            head = "written" if self.changed else "up to date, nothing written"
        else:
            head = "DRY RUN, nothing written (add --commit to write)"
        out = [f"Demo region {REGION_NAME}: {head}"]
        out.extend(
            f"  {label:<16} {tally.describe(committed=self.committed)}"
            for label, tally in self.tallies.items()
        )
        for name, (state, other) in self.set_states.items():
            if state == SetState.SHADOWED:
                text = f"not activated: {other!r} is active for this level and stays active"
            elif state == SetState.ACTIVATED and not self.committed:
                text = "would be activated"
            else:
                text = state.value
            out.append(f"  set {name:<18} {text}")
        if self.set_states and not self.is_live:
            out.append(
                "  demo roads and assets are withdrawn while other Kreis/Gemeinde boundaries "
                "are active, so fictional roads cannot catch reports on real ground"
            )
        if self.boundaries_repaired:
            out.append(f"  {self.boundaries_repaired} boundaries were repaired by ST_MakeValid")
        if self.categories_kept:
            out.append(
                "  categories that differ from the demo were left as configured "
                f"(--overwrite-categories resets them): {', '.join(self.categories_kept)}"
            )
        for label, counts in self.contents.items():
            detail = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
            out.append(f"  demo {label}: {sum(counts.values())} ({detail})")
        out.append(f"  took {self.seconds:.2f} s")
        return out
