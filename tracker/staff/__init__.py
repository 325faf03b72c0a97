"""Staff work on reports: the pages under /arbeit/ and the API under /api/v1/staff/, both on
one action layer (actions.py) and the staff selectors in tracker.selectors. Plain tracker
modules never import this package."""
