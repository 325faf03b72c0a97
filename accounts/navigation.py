"""Session keys the navigation reads, shared by the shell (frontend) and the domain pages.

Kept in accounts, the lowest app that knows about people signing in, so that domain apps can
set them without importing the shell.
"""

from __future__ import annotations

# Whether the navigation shows the "Arbeitsliste" link: set at login (frontend.signals), by
# the staff pages when someone became staff during the session, read by the template tags.
STAFF_NAV_SESSION_KEY = "frontend_staff_nav"
