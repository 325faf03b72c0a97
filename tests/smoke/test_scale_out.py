"""Past one machine (docs/deployment.md, "From one machine to several"), as `make run` serves:
two gunicorn "nodes" on different ports share one PostgreSQL primary with a real streaming
replica, one Redis and S3-compatible media (moto's server), with production settings.

* One user is served alternately by both nodes without a difference: the login made on one
  node holds on the other, the CSRF token of one node's page is accepted by the other, a photo
  uploaded through one is served by the other, and the rate limit counts across both.
* The public map reads from the replica (shown by pausing the replica's replay: a report filed
  meanwhile is not on the public map yet), except for the browser that has just written (it
  reads from the primary: the lag rule), and except when the replica lags too far behind.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image

from tests.smoke.conftest import ROOT, _start, _stop
from tests.smoke.pgcluster import PrimaryWithReplica, _bin

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "buergerin@example.org"
NEIGHBOUR = "nachbarin@example.org"
PASSWORD = "geheim-Passwort-42"
BBOX = "10.0,53.0,10.2,53.1"
MAX_LAG = 8  # REPLICA_MAX_LAG_SECONDS of the nodes
# moto keeps its buckets per process: a name of our own, whatever other tests created.
BUCKET = f"scale-out-{secrets.token_hex(4)}"
SEED = f"""
import django
django.setup()
from allauth.account.models import EmailAddress
from boundaries.models import Level
from tests.factories import CategoryFactory, UserFactory, box, territory
territory("Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001",
          email="kreis@example.org")
CategoryFactory.create(slug="wilder-muell", name="Wilder Müll", level=Level.KREIS)
for email in ("{EMAIL}", "{NEIGHBOUR}"):
    user = UserFactory.create(email=email)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
"""


def _dump_test_database(tmp: Path, django_db_blocker: Any) -> Path:
    """The migrated test database (schema and what migrations put in), as a pg_dump."""
    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
    dump = tmp / "schema.dump"
    subprocess.run(  # noqa: S603
        [_bin("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-h", db["HOST"] or "127.0.0.1",
         "-p", str(db["PORT"] or 5432), "-U", db["USER"], "-f", str(dump), db["NAME"]],
        env={**os.environ, "PGPASSWORD": db["PASSWORD"]}, check=True, timeout=300,
    )  # fmt: skip
    return dump


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-central-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    ).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )  # fmt: skip
    yield endpoint
    server.stop()


@pytest.fixture(scope="module")
def cluster(
    served_env: tuple[dict[str, str], Path], django_db_blocker: Any, s3: str
) -> Iterator[Cluster]:
    """The database pair, seeded, a Celery worker and two nodes on it."""
    import redis

    base_env, tmp = served_env
    pg = PrimaryWithReplica()
    pg.start(_dump_test_database(tmp, django_db_blocker))
    redis_base = base_env["REDIS_URL"].rsplit("/", 1)[0]
    env = {
        **base_env,
        "DJANGO_HTTPS": "false",
        "DATABASE_URL": pg.primary.url(pg.DATABASE),
        "DATABASE_REPLICA_URL": pg.replica.url(pg.DATABASE),
        # Own Redis databases: no Celery worker of the test run takes the nodes' tasks.
        "REDIS_URL": f"{redis_base}/7",
        "CACHE_URL": f"{redis_base}/8",
        "DJANGO_MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": s3,
        "MEDIA_S3_ACCESS_KEY_ID": "test",
        "MEDIA_S3_SECRET_ACCESS_KEY": "test",
        "MEDIA_S3_REGION": "eu-central-1",
        "REPORT_RATE_PER_IP": "3/h",
        "REPORT_RATE_PER_USER": "3/h",
        "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
        "REPLICA_CHECK_SECONDS": "0",
        "REPLICA_STICKY_SECONDS": "300",
    }
    for number in (7, 8):
        redis.Redis.from_url(f"{redis_base}/{number}").flushdb()
    subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, timeout=120)  # noqa: S603
    nodes = []
    # The nodes' Celery worker for both queues (mails; photo redaction on "images"): a third
    # process on the same services.
    worker = subprocess.Popen(  # noqa: S603 - the Procfile's command
        [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "--pool", "solo",
         "-Q", "celery,images", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=(tmp / "worker.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for name in ("a", "b"):
            (tmp / f"node-{name}").mkdir(exist_ok=True)
            nodes.append(_start(env, tmp / f"node-{name}"))
        yield Cluster(pg, [base_url for _process, base_url, _log in nodes], env["CACHE_URL"])
    finally:
        for process, _url, _log in nodes:
            _stop(process)
        _stop(worker)
        pg.stop()


@dataclass
class Cluster:
    pg: PrimaryWithReplica
    nodes: list[str]
    cache_url: str

    def forget_rate_limits(self) -> None:
        import redis

        redis.Redis.from_url(self.cache_url).flushdb()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def csrf(session: requests.Session) -> str:
    return str(session.cookies["csrftoken"])


def file_report(session: requests.Session, node: str, text: str, photo: bool = False) -> Any:
    files = {"photos": ("schaden.jpg", jpeg(), "image/jpeg")} if photo else None
    return session.post(
        f"{node}/api/v1/reports",
        data={
            "lat": "53.05",
            "lon": "10.1",
            "category": "wilder-muell",
            "description": text,
            "email": "nachbar@example.org",
        },
        files=files,
        headers={"X-CSRFToken": csrf(session), "Referer": node + "/", "Accept-Language": "de"},
        timeout=60,
    )


def on_public_map(session: requests.Session, node: str, reference: str) -> bool:
    listed = session.get(f"{node}/api/v1/reports", params={"bbox": BBOX}, timeout=30).json()
    return any(f["properties"]["reference"] == reference for f in listed["features"])


def sign_in(session: requests.Session, form_node: str, post_node: str, email: str) -> None:
    """The login form of one node, sent to the other."""
    login_page = session.get(f"{form_node}/konto/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)
    assert token, login_page.text[:500]
    signed_in = session.post(
        f"{post_node}/konto/login/",
        data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{form_node}/konto/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]


def test_one_user_is_served_by_two_nodes_alternately(
    cluster: Cluster,
) -> None:
    a, b = cluster.nodes
    user = requests.Session()
    sign_in(user, a, b, EMAIL)
    account = user.get(f"{a}/konto/", timeout=30)
    assert account.status_code == 200 and EMAIL in account.text  # the session holds on node A

    filed = file_report(user, b, "Sperrmüll am Waldrand", photo=True)
    assert filed.status_code == 201, filed.text[:500]
    # Her tracking page on node A shows the photo node B stored (in S3), once the worker has
    # made its public version; node B serves it.
    tracking_path = urlsplit(filed.json()["tracking_url"]).path
    photos: list[str] = []
    for _ in range(120):
        tracking = user.get(a + tracking_path, timeout=30)
        assert tracking.status_code == 200, tracking.text[:500]
        photos = re.findall(r'src="(?:https?://[^/"]+)?(/media/[^"]+)"', tracking.text)
        if photos:
            break
        time.sleep(0.5)
    assert photos, tracking.text[:2000]
    served = user.get(b + photos[0].replace("&amp;", "&"), timeout=30)
    assert served.status_code == 200 and served.content[:2] == b"\xff\xd8"

    # The rate limit (3 per hour) counts across both nodes.
    assert file_report(user, a, "Zweite Meldung").status_code == 201
    assert file_report(user, b, "Dritte Meldung").status_code == 201
    refused = file_report(user, a, "Vierte Meldung")
    assert refused.status_code == 429
    assert "gedrosselt" in refused.json()["detail"]


def test_public_map_reads_from_the_replica_but_a_writer_reads_her_own_report(
    cluster: Cluster,
) -> None:
    pg, (a, b) = cluster.pg, cluster.nodes
    cluster.forget_rate_limits()
    writer, reader = requests.Session(), requests.Session()
    sign_in(writer, b, a, NEIGHBOUR)
    first = file_report(writer, a, "Vor der Pause")
    assert first.status_code == 201, first.text[:500]
    pg.caught_up()
    assert on_public_map(reader, b, first.json()["reference"])
    pg.pause_replay(True)
    try:
        paused_at = time.monotonic()
        filed = file_report(writer, b, "Während der Pause")
        assert filed.status_code == 201, filed.text[:500]
        reference = filed.json()["reference"]
        # The replica has not replayed it: a reader does not see it yet...
        assert not on_public_map(reader, a, reference)
        assert not on_public_map(reader, b, reference)
        assert time.monotonic() - paused_at < MAX_LAG  # (the replica was still fresh enough)
        # ...the writer does (her reads go to the primary after a write).
        assert on_public_map(writer, a, reference)
        # A replica that lags too far behind is left out: then readers read the primary.
        time.sleep(max(0.0, MAX_LAG + 1 - (time.monotonic() - paused_at)))
        assert on_public_map(reader, b, reference)
    finally:
        pg.pause_replay(False)
