"""A real `celery worker -B` for the ledger's sealer, against the real Redis and the test
database (tests/tracker/inspections/test_sealing.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    queue: str
    log: Path

    def runs(self, task: str) -> int:
        """How many runs of `task` the worker finished so far."""
        return sum(
            1
            for line in self.log.read_text(errors="replace").splitlines()
            if f"Task {task}[" in line and "succeeded" in line
        )


def _start(db_name: str, queue: str, tmp: Path) -> Worker:
    log = tmp / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.tracker.inspections.worker_settings",
        "MM_TEST_DB_NAME": db_name,
        "MM_TEST_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    command = [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-B"]
    command += ["--pool", "solo", "-Q", queue, "--loglevel", "INFO"]
    command += ["-s", str(tmp / "beat-schedule"), "-n", f"{queue}@%h"]
    process = subprocess.Popen(  # noqa: S603 (our own celery, arguments from this file)
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    return Worker(process, queue, log)


@pytest.fixture(scope="module")
def sealer_worker(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Worker]:
    from celery import current_app
    from django.db import connection

    with django_db_blocker.unblock():
        db_name = connection.settings_dict["NAME"]
    queue = f"mm-ledger-test-{uuid.uuid4().hex[:8]}"
    worker = _start(db_name, queue, tmp_path_factory.mktemp("sealer"))
    # The test process publishes to the same Redis, on the worker's queue, for real.
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.task_default_queue)
    conf.task_always_eager, conf.task_default_queue = False, queue
    try:
        wait_until(lambda: b"ready." in worker.log.read_bytes(), 60, "the worker", worker)
        yield worker
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        worker.process.terminate()
        try:
            worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def wait_until(
    check: Callable[[], bool], timeout: float, what: str, worker: Worker | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker is not None and worker.process.poll() is not None:
            raise RuntimeError(f"worker died:\n{worker.log.read_text()}")
        if check():
            return
        time.sleep(0.1)
    log = worker.log.read_text()[-3000:] if worker else ""
    raise AssertionError(f"timed out waiting for {what}\n{log}")
