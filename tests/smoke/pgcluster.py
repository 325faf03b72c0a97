"""A throwaway PostgreSQL primary and a real streaming replica of it, on loopback ports, for the
scale-out tests (tests/smoke/test_scale_out.py).

Run as root (as `make test` is), the servers run as the `postgres` user (PostgreSQL refuses
root); as any other user, as that user. Both clusters live in a temporary directory and are
removed afterwards; the primary trusts loopback connections (nothing else can reach them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.smoke.conftest import _free_port


def _bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return str(versions[-1] / name)


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **kwargs: object) -> None:
    subprocess.run(_as_server_user(command), check=True, capture_output=True, timeout=300, **kwargs)  # type: ignore[call-overload]  # noqa: S603


@dataclass
class Server:
    data: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgis://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def start(self) -> None:
        _run(
            [_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log"), "-w",
             "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start"]
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(  # noqa: S603
            _as_server_user([_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )


class PrimaryWithReplica:
    """`start(dump)` restores a pg_dump (custom format) as database `mm` on a new primary and
    makes a streaming replica of it."""

    DATABASE = "mm"

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="mm-pg-", dir="/tmp"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.primary = Server(self.root / "primary", _free_port())
        self.replica = Server(self.root / "replica", _free_port())

    def start(self, dump: Path) -> None:
        _run([_bin("initdb"), "-D", str(self.primary.data), "-U", "postgres", "-E", "UTF8",
              "--auth-local=trust", "--auth-host=trust", "--locale=C.UTF-8"])  # fmt: skip
        self.primary.start()
        with self.primary.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {self.DATABASE}")
        subprocess.run(  # noqa: S603
            [_bin("pg_restore"), "--no-owner", "--no-privileges", "-h", "127.0.0.1",
             "-p", str(self.primary.port), "-U", "postgres", "-d", self.DATABASE, str(dump)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        _run([_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port),
              "-U", "postgres", "-D", str(self.replica.data), "-R", "-X", "stream",
              "-c", "fast"])  # fmt: skip
        self.replica.start()

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written."""
        with self.primary.connect(self.DATABASE) as primary:
            row = primary.execute("SELECT pg_current_wal_lsn()").fetchone()
        target = row[0] if row else None
        deadline = time.monotonic() + timeout
        with self.replica.connect(self.DATABASE) as replica:
            while True:
                done = replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()
                if done and done[0]:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError("the replica did not catch up")
                time.sleep(0.1)

    def pause_replay(self, paused: bool) -> None:
        with self.replica.connect(self.DATABASE) as replica:
            replica.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")

    def stop(self) -> None:
        self.replica.stop()
        self.primary.stop()
        shutil.rmtree(self.root, ignore_errors=True)
