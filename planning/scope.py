"""Who sees which reports in the planning views (heatmap, hot spots, statistics, exports).

Rule
----
* Planning is open to staff with the role planner, dispatcher or admin at an authority
  (crews work their queue and do not plan) and to superusers.
* A member of a **Landkreis** (level ``kreis``) sees the reports of the Kreis itself and of
  every authority below it (``Authority.parent`` chain: Samtgemeinden, Gemeinden, their
  members). The county shares the picture of its whole region with its own planners.
* A member of any other authority (Gemeinde, Samtgemeinde, operator …) sees only the reports
  whose current ``report.authority`` is that authority — a Gemeinde never sees its
  neighbours' data.
* Superusers see everything.

The authority of a report is its *current* authority, as in tracker.permissions: forwarded
reports move with their responsibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from accounts.models import Role
from boundaries.models import Authority, Level
from tracker import permissions

PLANNING_ROLES = frozenset({Role.PLANNER, Role.DISPATCHER, Role.ADMIN})


@dataclass(frozen=True)
class PlanningScope:
    """The authorities whose reports a viewer may analyse; `everything` for superusers."""

    everything: bool
    authority_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.authority_ids

    def covers(self, authority_id: int) -> bool:
        return self.everything or authority_id in self.authority_ids

    def authorities(self) -> Any:
        """The authorities of the scope as a queryset (for filter choices)."""
        authorities = Authority.objects.order_by("name")
        if self.everything:
            return authorities
        return authorities.filter(pk__in=self.authority_ids)


def can_plan(user: Any) -> bool:
    """May use the planning pages and API at all (one query, cached on the user)."""
    return permissions.is_superuser(user) or bool(permissions.authority_ids(user, PLANNING_ROLES))


def _regions(own_ids: set[int]) -> set[int]:
    """The Landkreise among these authorities and every authority below them (parent
    chain), in one recursive query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE region(id) AS (
                SELECT id FROM boundaries_authority WHERE id = ANY(%s) AND level = %s
                UNION
                SELECT a.id FROM boundaries_authority a JOIN region r ON a.parent_id = r.id
            )
            SELECT id FROM region
            """,
            [sorted(own_ids), Level.KREIS.value],
        )
        return {row[0] for row in cursor.fetchall()}


def planning_scope(user: Any) -> PlanningScope:
    """The viewer's scope (see the module docstring for the rule)."""
    if permissions.is_superuser(user):
        return PlanningScope(everything=True, authority_ids=frozenset())
    return scope_for_authorities(permissions.authority_ids(user, PLANNING_ROLES))


def scope_for_authorities(own: set[int]) -> PlanningScope:
    """The scope of someone planning for these authorities (the rule above)."""
    if not own:
        return PlanningScope(everything=False, authority_ids=frozenset())
    return PlanningScope(everything=False, authority_ids=frozenset(own | _regions(own)))
