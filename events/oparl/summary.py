"""What an OParl import did: counts per kind and outcome, and every page or object that
could not be read (with its URL)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

KIND_NAMES = {
    "body": "Körperschaften",
    "organization": "Gremien",
    "meeting": "Sitzungen",
    "agenda_item": "Tagesordnungspunkte",
    "file": "Dokumente",
    "paper": "Vorlagen",
}
OUTCOMES = ("created", "updated", "unchanged", "deleted")
OUTCOME_NAMES = {
    "created": "neu",
    "updated": "geändert",
    "unchanged": "unverändert",
    "deleted": "gelöscht",
}


@dataclass
class Summary:
    system_url: str
    commit: bool = False
    since: str = ""
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)
    pages: int = 0

    def add(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[(kind, outcome)] += number

    def error(self, url: str, reason: str) -> None:
        self.errors.append((url, reason))

    def count(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        mode = "übernommen" if self.commit else "Probelauf, nichts gespeichert (--commit speichert)"
        since = f", geändert seit {self.since}" if self.since else ", vollständig"
        out = [f"OParl-Import {self.system_url} ({mode}{since}): {self.pages} Seiten gelesen"]
        for kind, name in KIND_NAMES.items():
            numbers = [(o, self.counts[(kind, o)]) for o in OUTCOMES if self.counts[(kind, o)]]
            if numbers:
                text = ", ".join(f"{n} {OUTCOME_NAMES[o]}" for o, n in numbers)
                out.append(f"  {name}: {text}")
        if self.errors:
            out.append(f"Übersprungen wegen Fehlern ({len(self.errors)}):")
            out.extend(f"  {url}: {reason}" for url, reason in self.errors)
        else:
            out.append("Keine Fehler.")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())
