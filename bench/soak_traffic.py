"""The soak bench's traffic: a weighted mix of valid requests that looks like a day of the
portal, sent open-loop (each request has its time on a clock, whether or not the ones before
have come back) from several client processes, each with a pool of threads, each thread with
its own keep-alive session.

Every request is one the application must answer with 2xx or 3xx; anything else — a 5xx, an
unexpected 4xx, a timeout, a dropped connection — is an error of its kind.
"""

from __future__ import annotations

import io
import math
import queue
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from bench.soak_server import SoakData

TIMEOUT = 30  # seconds; a request that takes longer is an error ("timeout")
# A request that could not even be sent this long after its time (every thread waiting for
# the server) is not sent: an error of kind "overload". Without this an overloaded run would
# not end until the whole backlog had been worked off.
MAX_LAG = 10.0

# route → weight (shares of the traffic; /healthz is the same-run baseline).
MIX: dict[str, int] = {
    "map geojson bbox": 20,
    "report tile": 16,
    "report page": 12,
    "report api": 4,
    "catalogue search": 8,
    "open311 services.json": 4,
    "open311 requests.json bbox": 6,
    "open311 request": 5,
    "open311 POST request": 2,
    "report POST with photo": 3,
    "staff queue": 3,
    "staff status change": 2,
    "staff note": 2,
    "citizen comment": 3,
    "healthz": 5,
}


@dataclass
class ClientState:
    """One client process's view: the data, the staff cookies, its share of the work reports."""

    base: str
    data: SoakData
    cookies: dict[str, str]
    work: queue.Queue[tuple[int, str]]
    photos: list[bytes]
    local: threading.local = field(default_factory=threading.local)

    def session(self) -> requests.Session:
        session = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            self.local.session = session
        return session

    def staff_session(self) -> requests.Session:
        session = getattr(self.local, "staff", None)
        if session is None:
            session = requests.Session()
            session.cookies.update(self.cookies)
            session.headers["X-CSRFToken"] = self.cookies["csrftoken"]
            session.headers["Referer"] = self.base + "/arbeit/"
            self.local.staff = session
        return session


def make_photos(count: int, seed: int) -> list[bytes]:
    """JPEGs of a few hundred kB: a gradient under noise (noise does not compress away)."""
    from PIL import Image

    rng = random.Random(seed)
    photos = []
    for _ in range(count):
        size = (720, 540)
        noise = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
        base = Image.linear_gradient("L").resize(size).convert("RGB")
        image = Image.blend(base, noise, 0.35)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        photos.append(out.getvalue())
    return photos


def _tile(lon: float, lat: float, zoom: int) -> tuple[int, int, int]:
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return zoom, x, y


def _bbox_around(rng: random.Random, data: SoakData, span: float) -> str:
    _pk, _slug, lon, lat = rng.choice(data.public)
    return f"{lon - span:.5f},{lat - span / 2:.5f},{lon + span:.5f},{lat + span / 2:.5f}"


# ---- the routes: each sends one valid request and returns the response ------------------------

Route = Callable[[ClientState, random.Random], requests.Response]


def map_geojson(s: ClientState, rng: random.Random) -> requests.Response:
    span = rng.choice((0.01, 0.03, 0.1))
    params = {"bbox": _bbox_around(rng, s.data, span)}
    return s.session().get(f"{s.base}/api/v1/reports", params=params, timeout=TIMEOUT)


def report_tile(s: ClientState, rng: random.Random) -> requests.Response:
    _pk, _slug, lon, lat = rng.choice(s.data.public)
    z, x, y = _tile(lon, lat, rng.randint(10, 16))
    return s.session().get(f"{s.base}/tiles/reports/{z}/{x}/{y}.pbf", timeout=TIMEOUT)


def report_page(s: ClientState, rng: random.Random) -> requests.Response:
    pk = rng.choice(s.data.public)[0]
    return s.session().get(f"{s.base}/meldungen/{pk}/", timeout=TIMEOUT)


def report_api(s: ClientState, rng: random.Random) -> requests.Response:
    pk = rng.choice(s.data.public)[0]
    return s.session().get(f"{s.base}/api/v1/reports/{pk}", timeout=TIMEOUT)


def catalogue_search(s: ClientState, rng: random.Random) -> requests.Response:
    word = rng.choice(s.data.search_words)
    params = {"q": word[: rng.randint(4, max(4, len(word)))]}
    return s.session().get(f"{s.base}/api/v1/services", params=params, timeout=TIMEOUT)


def open311_services(s: ClientState, rng: random.Random) -> requests.Response:
    return s.session().get(f"{s.base}/open311/v2/services.json", timeout=TIMEOUT)


def open311_requests_bbox(s: ClientState, rng: random.Random) -> requests.Response:
    params = {"extensions": "true", "bbox": _bbox_around(rng, s.data, 0.05)}
    return s.session().get(f"{s.base}/open311/v2/requests.json", params=params, timeout=TIMEOUT)


def open311_request(s: ClientState, rng: random.Random) -> requests.Response:
    pk = rng.choice(s.data.public)[0]
    return s.session().get(f"{s.base}/open311/v2/requests/{pk}.json", timeout=TIMEOUT)


def _place(s: ClientState, rng: random.Random) -> tuple[str, float, float]:
    """A category and a point a few metres from a public report of that category: a place
    and a category the routing is known to accept."""
    _pk, slug, lon, lat = rng.choice([p for p in s.data.public if p[1] in s.data.service_codes])
    return slug, lon + rng.uniform(-0.0002, 0.0002), lat + rng.uniform(-0.0002, 0.0002)


def open311_post(s: ClientState, rng: random.Random) -> requests.Response:
    slug, lon, lat = _place(s, rng)
    data = {
        "api_key": s.data.api_key,
        "service_code": slug,
        "lat": f"{lat:.6f}",
        "long": f"{lon:.6f}",
        "description": "Soak: Meldung über eine App (Open311).",
        "email": f"soak-app-{rng.randrange(10**6)}@example.org",
    }
    return s.session().post(f"{s.base}/open311/v2/requests.json", data=data, timeout=TIMEOUT)


def report_post(s: ClientState, rng: random.Random) -> requests.Response:
    slug, lon, lat = _place(s, rng)
    data = {
        "category": slug,
        "lat": f"{lat:.6f}",
        "lon": f"{lon:.6f}",
        "description": "Soak: Schaden mit Foto.",
        "email": f"soak-buerger-{rng.randrange(10**6)}@example.org",
    }
    files = {"photos": ("foto.jpg", rng.choice(s.photos), "image/jpeg")}
    return s.session().post(f"{s.base}/api/v1/reports", data=data, files=files, timeout=TIMEOUT)


def staff_queue(s: ClientState, rng: random.Random) -> requests.Response:
    params = {"status": rng.choice(("new", "planned", "in_progress"))}
    return s.staff_session().get(f"{s.base}/api/v1/staff/reports", params=params, timeout=TIMEOUT)


def staff_status(s: ClientState, rng: random.Random) -> requests.Response:
    """Toggle one of this process's work reports between planned and in progress (start and
    pause: always allowed), so no two requests race for the same report."""
    try:
        pk, status = s.work.get_nowait()
    except queue.Empty:
        return staff_note(s, rng)  # every report is in flight: a note instead
    target = "planned" if status == "in_progress" else "in_progress"
    url = f"{s.base}/api/v1/staff/reports/{pk}/transition"
    response = s.staff_session().post(url, json={"status": target}, timeout=TIMEOUT)
    # after a failure the status is unknown: the report goes out of rotation
    if response.status_code < 400:
        s.work.put((pk, target))
    return response


def staff_note(s: ClientState, rng: random.Random) -> requests.Response:
    pk = rng.choice(s.data.work_reports)[0]
    body: dict[str, str | bool] = {"text": "Soak: interne Notiz.", "public": rng.random() < 0.3}
    url = f"{s.base}/api/v1/staff/reports/{pk}/note"
    return s.staff_session().post(url, json=body, timeout=TIMEOUT)


def citizen_comment(s: ClientState, rng: random.Random) -> requests.Response:
    """A citizen's comment through a FixMyStreet-style app (Open311 servicerequestupdates)."""
    pk = rng.choice(s.data.public)[0]
    data = {
        "api_key": s.data.api_key,
        "service_request_id": str(pk),
        "update_id": uuid.uuid4().hex,
        "status": "OPEN",
        "updated_datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "description": "Soak: Das ist immer noch so.",
    }
    url = f"{s.base}/open311/v2/servicerequestupdates.json"
    return s.session().post(url, data=data, timeout=TIMEOUT)


def healthz(s: ClientState, rng: random.Random) -> requests.Response:
    return s.session().get(f"{s.base}/healthz", timeout=TIMEOUT)


ROUTES: dict[str, Route] = {
    "map geojson bbox": map_geojson,
    "report tile": report_tile,
    "report page": report_page,
    "report api": report_api,
    "catalogue search": catalogue_search,
    "open311 services.json": open311_services,
    "open311 requests.json bbox": open311_requests_bbox,
    "open311 request": open311_request,
    "open311 POST request": open311_post,
    "report POST with photo": report_post,
    "staff queue": staff_queue,
    "staff status change": staff_status,
    "staff note": staff_note,
    "citizen comment": citizen_comment,
    "healthz": healthz,
}


# ---- one client process ----------------------------------------------------------------------


_LOCK = threading.Lock()


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # ms, send → answer
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (route, kind)
    samples: dict[str, str] = field(default_factory=dict)  # kind → first answer seen
    lag: list[float] = field(default_factory=list)  # ms, scheduled → sent
    sent: int = 0
    work: list[tuple[int, str]] = field(default_factory=list)  # the work reports' statuses after
    started: float = 0.0  # wall clock: the first request's due time
    finished: float = 0.0  # wall clock: the last answer


def _one(state: ClientState, route: str, due: float, seed: int, results: Results) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    if started - due > MAX_LAG:
        with _LOCK:
            results.errors[(route, f"overload (not sent within {MAX_LAG:.0f} s)")] += 1
        return
    kind = ""
    try:
        response = ROUTES[route](state, rng)
        if response.status_code >= 400:
            kind = f"HTTP {response.status_code}"
            results.samples.setdefault(f"{route}: {kind}", response.text[:300])
    except requests.Timeout:
        kind = "timeout"
    except requests.ConnectionError as exc:
        kind = "connection"
        results.samples.setdefault(f"{route}: {kind}", str(exc)[:300])
    elapsed = (time.perf_counter() - started) * 1000
    results.lag.append((started - due) * 1000)
    results.latencies.setdefault(route, []).append(elapsed)
    results.finished = max(results.finished, time.time())
    if kind:
        with _LOCK:
            results.errors[(route, kind)] += 1


def run_client(args: dict[str, Any], ready: Any, go: Any, out: Any) -> None:
    """Make ready (photos, sessions' data), say so on `ready`, take the start time (wall
    clock) from `go`, send this process's share (`rate` per second for `seconds`), then put
    the Results on `out`."""
    data = SoakData(**args["data"])
    work: queue.Queue[tuple[int, str]] = queue.Queue()
    for pk, status in data.work_reports[args["index"] :: args["processes"]]:
        work.put((pk, status))
    state = ClientState(
        args["base"], data, args["cookies"], work, make_photos(4, seed=args["index"])
    )
    rng = random.Random(args["seed"])
    names, weights = list(MIX), list(MIX.values())
    results = Results()
    interval = 1 / args["rate"]
    ready.put(args["index"])
    start = go.get()
    results.started = start
    clock_offset = time.perf_counter() - time.time()  # lag in perf_counter terms
    due = start + interval * args["index"] / args["processes"]
    with ThreadPoolExecutor(max_workers=args["threads"]) as pool:
        while due < start + args["seconds"]:
            wait = due - time.time()
            if wait > 0:
                time.sleep(wait)
            route = rng.choices(names, weights)[0]
            pool.submit(_one, state, route, due + clock_offset, rng.getrandbits(32), results)
            results.sent += 1
            due += interval
    while not work.empty():
        results.work.append(work.get_nowait())
    out.put(results)
