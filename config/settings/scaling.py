"""Settings for running on several machines (docs/deployment.md, "From one machine to several"):
the read replica's lag rule (core/replica.py), the short paths (core/fastpath.py),
Celery task routes, what /healthz shows monitoring, the ledger sealer's timing and the report
tiles' cells (cost as the reports grow). Read at the end of config/settings/base.py."""

from __future__ import annotations

import environ

env = environ.Env()  # base.py has read .env into the environment already

# Only paths under these prefixes, or equal to these URLs, are looked up for views with a short
# path (`@public_data`, `@short_path`: core/fastpath.py).
SHORT_PATH_PREFIXES = ["/tiles/base/", "/tiles/extra/", "/api/v1/services"]
SHORT_PATH_URL_NAMES = ["api:reports", "api:staff-reports"]
# Views answered by the WSGI front before Django's handler (core/wsgi_front.py): URL name →
# the answer function. `{}` switches the front off.
WSGI_FRONT = {"api:services": "catalogue.search_answer.front_answer"}
# The hot statements (catalogue search, intake's lookups and write) as prepared statements,
# planned once per connection (core/dbread.py). Off behind a pooler in transaction mode
# older than PgBouncer 1.21.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)

# The lag rule: a browser that has just written reads from the primary this long; a replica
# whose replay lags more than REPLICA_MAX_LAG_SECONDS is not used (checked per process at most
# every REPLICA_CHECK_SECONDS).
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=10)
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=2.0)

# Celery's Django fixup closes the database connections around every task unless this is set;
# the worker keeps them as requests do instead (CONN_MAX_AGE, health checks: config/celery.py),
# and the fixup's own close comes only after this many tasks.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)

# Tasks onto queues of their own (docs/deployment.md). Photo redaction (OpenCV, 0.4–1.3 s of
# CPU per photo) goes to the queue "images", which the Procfile's `images` worker serves at a
# lower CPU priority: a burst of photos waits there instead of slowing every page and mail
# down. A deployment must run a worker for "images" (`-Q images`, or `-Q celery,images`).
IMAGES_QUEUE = "images"
CELERY_TASK_ROUTES = env.json(
    "CELERY_TASK_ROUTES", default={"tracker.redact_photo": {"queue": IMAGES_QUEUE}}
)

# /healthz for monitoring (config/health.py): a monitoring system sending
# `Authorization: Bearer <HEALTHZ_TOKEN>` sees what staff see (versions, backlogs); empty: only
# staff. A backlog whose oldest item waits longer than HEALTHZ_BACKLOG_WARN_MINUTES is named
# under "warnings" (outbox deliveries due, photos not yet redacted).
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")
HEALTHZ_BACKLOG_WARN_MINUTES = env.int("HEALTHZ_BACKLOG_WARN_MINUTES", default=30)

# The ledger's sealer (docs/inspections.md, "Ledger"): entries unsealed for longer than
# LEDGER_SEAL_ALARM_SECONDS are an alarm (verify_liability_chain, the record); the beat sweep
# runs every LEDGER_SEAL_SWEEP_SECONDS (base.py, default 60); LEDGER_SEAL_FLAG_SECONDS: how long
# a queued run keeps commits from queueing another (a lost run is requested again after it).
LEDGER_SEAL_ALARM_SECONDS = env.int("LEDGER_SEAL_ALARM_SECONDS", default=300)
LEDGER_SEAL_FLAG_SECONDS = env.int("LEDGER_SEAL_FLAG_SECONDS", default=30)

# Vector tiles of the reports (tracker/tiles.py): a tile with more reports than this carries
# counted cells instead of points; beat recounts the cells this often.
MAP_TILE_MAX_POINTS = env.int("MAP_TILE_MAX_POINTS", default=2000)
MAP_TILE_CELLS_REFRESH_SECONDS = env.int("MAP_TILE_CELLS_REFRESH_SECONDS", default=300)
SCALING_BEAT_SCHEDULE = {
    "tracker-refresh-tile-cells": {
        "task": "tracker.refresh_tile_cells",
        "schedule": MAP_TILE_CELLS_REFRESH_SECONDS,
    },
}
