"""The soak bench's server side: its data, the `make run` processes, and their memory.

The data (demo region, catalogue, demo reports, as `make run` loads them; plus a staff account
with a password, an Open311 key and reports for the staff actions) go into the bench database
`<name>_bench_soak` (bench/common.py), or, with --url, into the database of the environment,
which is the one `make run` serves. Everything here is idempotent except the Open311 key, which
is issued anew per run (only its hash is stored, so an old one cannot be read back).
"""

from __future__ import annotations

import http.client
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import ROOT

STAFF_EMAIL = "soak-leitstelle@example.org"
WORK_REPORTER = "soak-arbeit-{n:03d}@example.org"
# Raised throttles for the bench's own server: every request comes from 127.0.0.1, and the
# bench files reports at a rate no single citizen would. The names are the settings' own
# (config/settings/base.py).
RAISED_LIMITS = {
    "REPORT_RATE_PER_IP": "10000000/h",
    "REPORT_RATE_PER_USER": "10000000/h",
    "SUPPORT_RATE_PER_IP": "10000000/h",
    "ABUSE_RATE_PER_IP": "10000000/h",
    "PHOTO_LOCATION_RATE_PER_IP": "10000000/h",
}


@dataclass
class SoakData:
    """What the clients need to send valid requests; plain data, handed to each process."""

    staff_email: str
    staff_password: str
    api_key: str
    bbox: tuple[float, float, float, float]
    # (report id, category slug, lon, lat) of public reports
    public: list[tuple[int, str, float, float]]
    work_reports: list[tuple[int, str]]  # (id, status) of reports the staff actions toggle
    service_codes: list[str]
    search_words: list[str] = field(default_factory=list)


def load_like_make_run() -> None:
    """The set-up steps of scripts/setup.sh run that fill the database (all idempotent)."""
    from django.core.management import call_command

    quiet = io.StringIO()
    for command in ("load_demo", "load_catalogue", "load_demo_reports"):
        call_command(command, commit=True, verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)


def forget_earlier_runs() -> None:
    """With a new bench database: the queues, cache and media of the runs before it go too
    (a task queued at the end of an earlier run would meet rows of the new database under the
    same ids). Call after bench_env() is in the environment, before the server starts."""
    import redis

    for name in ("REDIS_URL", "CACHE_URL"):
        redis.Redis.from_url(os.environ[name]).flushdb()
    media = Path(os.environ["DJANGO_MEDIA_ROOT"])
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True, exist_ok=True)


def forget_lost_photos() -> None:
    """Delete the bench data's photos whose files are gone: with a new checkout `.run/` (and
    the media directory in it) is new while the bench database is not, and the redaction
    still due for a photo of an earlier run would fail on the missing file — the bench's
    doing, not the server's, but counted among the errors in its log."""
    from django.core.files.storage import default_storage

    from tracker.models import Photo

    lost = [
        photo.pk
        for photo in Photo.objects.only("pk", "image", "original")
        if not default_storage.exists((photo.original or photo.image).name)
    ]
    if lost:
        Photo.objects.filter(pk__in=lost).delete()
        print(f"bench data: {len(lost)} photos of earlier runs without their files removed")


def _staff_account(password: str) -> Any:
    """A dispatcher at every demo authority who can log in (a verified address)."""
    from allauth.account.models import EmailAddress

    from accounts.models import Role, User
    from accounts.services import membership_grant
    from boundaries.models import Authority

    user = User.objects.filter(email=STAFF_EMAIL).first()
    if user is None:
        user = User.objects.create_user(STAFF_EMAIL, password)
    user.set_password(password)
    user.is_active = True
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=STAFF_EMAIL, defaults={"verified": True, "primary": True}
    )
    for authority in Authority.objects.filter(slug__startswith="demo-"):
        membership_grant(user, authority, Role.DISPATCHER)
    return user


def _work_reports(user: Any, public: list[tuple[int, str, float, float]], count: int) -> list:
    """`count` confirmed reports, each planned or in progress, for the staff actions to toggle
    between those two (a transition that is always allowed, so every action succeeds)."""
    from django.contrib.gis.geos import Point

    from tracker.models import Category, Report
    from tracker.services import Contact, report_confirm, report_create, report_transition
    from tracker.statuses import Status

    result = []
    for n in range(count):
        email = WORK_REPORTER.format(n=n)
        report = Report.objects.filter(reporter_email=email).first()
        if report is None:
            _pk, slug, lon, lat = public[n % len(public)]
            report = report_create(
                category=Category.objects.get(slug=slug),
                point=Point(lon + 0.0001 * (n % 7), lat + 0.0001 * (n % 5), srid=4326),
                description=f"Soak: Arbeitsmeldung {n}",
                contact=Contact(email=email, name="Soak", phone=""),
            )
            report = report_confirm(report)
        if report.status not in (Status.PLANNED, Status.IN_PROGRESS):
            if report.status not in (Status.NEW, Status.FORWARDED, Status.IN_REVIEW):
                continue  # closed by hand: leave it alone
            report = report_transition(report, Status.PLANNED, by=user)
        if user.memberships.filter(authority_id=report.authority_id).exists():
            result.append((report.pk, str(report.status)))
    return result


def prepare(*, work_reports: int) -> SoakData:
    """Accounts, key and the lists of valid ids and places (Django is set up already)."""
    from django.db.models import Q

    from catalogue.models import Service
    from tracker.models import Category, Report
    from tracker.open311.services import api_key_issue

    password = secrets.token_urlsafe(16)
    user = _staff_account(password)
    _key, raw_key = api_key_issue(name="Soak-Bench", contact="bench/soak.py")
    rows = (
        Report.objects.filter(confirmed_at__isnull=False)  # public (tracker.selectors)
        .filter(~Q(reporter_email__startswith="soak-"))
        .order_by("pk")
        .values_list("pk", "category__slug", "location")[:200]
    )
    public = [(pk, slug, point.x, point.y) for pk, slug, point in rows]
    if not public:
        raise SystemExit("No public reports in the database: load the demo data first.")
    lons, lats = [p[2] for p in public], [p[3] for p in public]
    bbox = (min(lons) - 0.01, min(lats) - 0.01, max(lons) + 0.01, max(lats) + 0.01)
    codes = list(
        Category.objects.filter(is_active=True, slug__in={p[1] for p in public})
        .exclude(open311_attributes__required=True)  # Open311 POSTs send no attributes
        .values_list("slug", flat=True)
    )
    words = [name.split()[0] for name in Service.objects.values_list("name", flat=True)[:40]]
    return SoakData(
        staff_email=STAFF_EMAIL,
        staff_password=password,
        api_key=raw_key,
        bbox=bbox,
        public=public,
        work_reports=_work_reports(user, public, work_reports),
        service_codes=codes,
        search_words=[w for w in words if len(w) > 3] or ["Ausweis"],
    )


# ---- the processes of `make run` -------------------------------------------------------------


@dataclass
class Server:
    honcho: subprocess.Popen[bytes]
    url: str
    workdir: Path
    log: Path


def _procfile(workdir: Path) -> Path:
    """Our Procfile with the beat schedule in the bench's own directory, so a development
    server's beat beside us keeps its file."""
    text = (ROOT / "Procfile").read_text()
    text = text.replace(".run/celerybeat-schedule", str(workdir / "celerybeat-schedule"))
    path = workdir / "Procfile"
    path.write_text(text)
    return path


def bench_env() -> dict[str, str]:
    """The environment of the bench's own server — and of the set-up, so that what it queues
    lands on the same broker: our own Redis databases (broker and results, cache and rate
    limits; not the development data's), its own media directory, raised throttles."""
    redis_base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    # One media directory for the bench database, kept like it: tasks queued at the end of
    # one run (photo redaction) may run at the start of the next.
    media = ROOT / ".run" / "soak-media"
    media.mkdir(parents=True, exist_ok=True)
    return {
        **RAISED_LIMITS,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "REDIS_URL": f"{redis_base}/10",
        "CACHE_URL": f"{redis_base}/11",
        "DJANGO_MEDIA_ROOT": str(media),
    }


def make_workdir() -> Path:
    (ROOT / ".run").mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="soak-", dir=ROOT / ".run"))


def start(port: int, workdir: Path) -> Server:
    """`honcho -f Procfile start` as `make run` does (web, worker, beat), on `port`, with the
    current environment (bench_env applied by the caller). Honcho gets an empty env file: the
    worktree's .env names the development database, and honcho would let it win."""
    env_file = workdir / "env"
    env_file.write_text("")
    log = workdir / "server.log"
    env = {**os.environ, "PORT": str(port), "PORTAL_URL": f"http://127.0.0.1:{port}"}
    command = [str(ROOT / ".venv/bin/honcho"), "-f", str(_procfile(workdir))]
    command += ["-e", str(env_file), "-d", str(ROOT), "start"]
    with log.open("wb") as out:
        # our own honcho from the venv, arguments from this module only
        honcho = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(honcho, f"http://127.0.0.1:{port}", workdir, log)
    wait_healthy(server.url, timeout=120)
    return server


def wait_healthy(url: str, timeout: float) -> None:
    host, _sep, port = url.split("//", 1)[1].rstrip("/").partition(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection(host, int(port or 80), timeout=10)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url}/healthz did not answer 200 within {timeout:.0f} s")


def stop(server: Server) -> None:
    """SIGTERM to honcho's process group (honcho passes it on), then wait."""
    try:
        os.killpg(server.honcho.pid, signal.SIGTERM)
        server.honcho.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.honcho.pid, signal.SIGKILL)
        server.honcho.wait(timeout=10)
    except ProcessLookupError:
        pass


# ---- memory ----------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found


def process_tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += _children(pid)
    return pids


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _group(cmd: str) -> str | None:
    """Which of the server's processes a command line is: "gunicorn", "celery worker",
    "images worker" (the images queue's, photo redaction), "celery beat", or None."""
    if "gunicorn" in cmd:
        return "gunicorn"
    if "celery" in cmd and " worker" in cmd:
        return "images worker" if " -Q images" in cmd else "celery worker"
    if "celery" in cmd and " beat" in cmd:
        return "celery beat"
    return None


def memory(roots: list[int]) -> dict[str, int]:
    """RSS in KiB of the gunicorn processes (master and workers) and the celery worker
    processes (main and pool children; the images queue's worker apart) under the given
    process trees; beat apart."""
    totals = {"gunicorn": 0, "celery worker": 0, "images worker": 0, "celery beat": 0}
    for root in roots:
        for pid in process_tree(root):
            group = _group(_cmdline(pid))
            if group is not None:
                totals[group] += _rss_kib(pid)
    return totals


# ---- the server's log ------------------------------------------------------------------------

LOG_ERROR = re.compile(r"\b(ERROR|CRITICAL)\b|WORKER TIMEOUT|Worker .* was sent SIG")


def log_errors(log: Path, since: int) -> Counter[str]:
    """Errors the processes logged after byte `since` of their log (failed Celery tasks,
    Django's logged 500s, gunicorn worker timeouts), counted by their first line."""
    found: Counter[str] = Counter()
    with log.open("rb") as handle:
        handle.seek(since)
        for raw in handle:
            line = raw.decode(errors="replace")
            if LOG_ERROR.search(line):
                text = line.split("|", 1)[-1].strip()
                text = re.sub(r"^\[[^]]*\]\s*", "", text)  # Celery's time stamp and level
                text = re.sub(r"\[[0-9a-f-]{36}\]", "[…]", text)  # task ids
                found[text[:200]] += 1
    return found


def _cpu_ticks(pid: int, children: bool = False) -> int:
    """utime + stime of the process; with `children`, of its ended children too."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    ended = int(fields[13]) + int(fields[14]) if children else 0  # cutime, cstime
    return int(fields[11]) + int(fields[12]) + ended


def cpu_seconds(roots: list[int]) -> dict[str, float]:
    """CPU time used so far by the gunicorn ("web"), celery worker ("worker") and images
    worker ("images", photo redaction) processes under the roots."""
    ticks = {"web": 0, "worker": 0, "images": 0}
    kinds = {"gunicorn": "web", "celery worker": "worker", "images worker": "images"}
    for root in roots:
        for pid in process_tree(root):
            kind = kinds.get(_group(_cmdline(pid)) or "")
            if kind is not None:
                ticks[kind] += _cpu_ticks(pid)
    return {kind: count / os.sysconf("SC_CLK_TCK") for kind, count in ticks.items()}


def other_cpu_seconds(roots: list[int]) -> dict[str, float]:
    """CPU time used so far by what else serves the traffic: honcho (which relays every line the
    processes log) and beat under the roots, and the machine's PostgreSQL (live processes and the
    postmaster's ended backends) and Redis."""
    ticks = {"honcho": 0, "beat": 0, "postgres": 0, "redis": 0}
    for root in roots:
        for pid in process_tree(root):
            group = _group(_cmdline(pid))
            if group is None:
                ticks["honcho"] += _cpu_ticks(pid)
            elif group == "celery beat":
                ticks["beat"] += _cpu_ticks(pid)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if name == "postgres":
            ticks["postgres"] += _cpu_ticks(int(entry.name), children=True)
        elif name.startswith("redis-server"):
            ticks["redis"] += _cpu_ticks(int(entry.name))
    return {kind: count / os.sysconf("SC_CLK_TCK") for kind, count in ticks.items()}


def machine_busy_seconds() -> float:
    """CPU seconds all cores have been busy since boot (/proc/stat: all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def redaction_backlog() -> tuple[int, int]:
    """(photos not redacted yet, redaction tasks waiting in the images queue): the work the
    images worker, at its lower CPU priority, has not done by now."""
    import redis
    from django.conf import settings

    from tracker.selectors import redaction_backlog as photos_waiting

    waiting, _since = photos_waiting()
    queued = redis.Redis.from_url(os.environ["REDIS_URL"]).llen(settings.IMAGES_QUEUE)
    return waiting, int(queued)
