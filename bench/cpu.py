"""CPU time of a server's processes, for benches on a shared machine: other sessions' load
changes how many requests per second a run gets, much less how many CPU milliseconds one
request costs. Linux only (/proc)."""

from __future__ import annotations

import os
from pathlib import Path

from django.db import connection

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == parent:
                pids.append(int(entry.name))
    return pids


def database_backends() -> list[int]:
    """The PostgreSQL backends connected to this process's database, except our own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def snapshot(pids: list[int]) -> dict[int, float]:
    return {pid: _cpu_seconds(pid) for pid in pids}


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two snapshots of processes that lived through both."""
    return sum(after[pid] - before[pid] for pid in after if pid in before and after[pid])


def own_backend() -> int:
    """The PostgreSQL backend of this process's connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])
