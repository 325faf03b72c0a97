"""Screenshots of the main pages for the README and docs/, desktop (1366x900) and phone (390x844).

Run against the demo that `make run` serves (rerun after UI changes):

    .venv/bin/python scripts/screenshots.py [--base-url URL] [--out docs/screenshots]

Staff pages need an account: the script gives the demo dispatcher and crew accounts of the
README (`add_staff`, password from MM_SCREENSHOT_PASSWORD or a random one) in the database the
settings point at, then logs in through the login form like a person would. Drives Debian's
chromium with Playwright; every other host is blocked, so the pictures show what the portal
serves by itself.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ViewportSize

ROOT = Path(__file__).resolve().parents[1]
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
DISPATCHER = "disposition@example.org"
CREW = "kolonne@example.org"
AUTHORITY = "demo-landkreis-heideland"
CREW_TEAM = "Straßenmeisterei Heideland (Demo)"


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    login: str | None = None  # staff account to use, None = anonymous citizen
    wait_for: str | None = None  # a selector that shows the page is drawn (maps, charts)


SHOTS = [
    Shot("start", "/"),
    Shot("melden", "/melden/", wait_for=".leaflet-container"),
    Shot("karte", "/karte/", wait_for=".leaflet-container"),
    Shot("dienstleistungen", "/dienstleistungen/"),
    Shot("veranstaltungen", "/veranstaltungen/"),
    Shot("abfall", "/abfall/"),
    Shot("beteiligung", "/beteiligung/"),
    Shot("arbeitsliste", "/arbeit/", login=CREW),
    Shot("planung", "/planung/", login=DISPATCHER, wait_for=".leaflet-container"),
    Shot("statistik", "/planung/statistik/", login=DISPATCHER, wait_for="canvas"),
]


def ensure_staff(password: str) -> None:
    """The demo staff accounts of the README, with a known password (Django's own command)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth import get_user_model

    call_command("add_staff", DISPATCHER, authority=AUTHORITY, role="dispatcher")
    call_command("add_staff", CREW, authority=AUTHORITY, role="crew", team=[CREW_TEAM])
    for email in (DISPATCHER, CREW):  # add_staff sets a password only for new accounts
        user = get_user_model().objects.get(email=email)
        user.set_password(password)
        user.save(update_fields=["password"])


def save_png(data: bytes, target: Path) -> None:
    """Store a screenshot as an optimised, palette PNG (a tenth of the raw size)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(target, format="PNG", optimize=True)


def take(base_url: str, out: Path, password: str, chromium: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    host = base_url.split("://", 1)[1].split("/", 1)[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--enable-unsafe-swiftshader", "--disable-background-networking"],
        )
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            sessions: dict[str | None, BrowserContext] = {}
            for shot in SHOTS:
                context = sessions.get(shot.login)
                if context is None:
                    context = browser.new_context(
                        viewport=viewport, locale="de-DE", is_mobile=label == "phone"
                    )
                    context.route(
                        "**/*",
                        lambda route: (
                            route.continue_() if host in route.request.url else route.abort()
                        ),
                    )
                    if shot.login:
                        login(context, base_url, shot.login, password)
                    sessions[shot.login] = context
                page = context.new_page()
                page.goto(base_url + shot.path, wait_until="networkidle")
                if shot.wait_for:
                    page.wait_for_selector(shot.wait_for, timeout=15_000)
                    page.wait_for_timeout(800)  # tiles and charts finish drawing
                target = out / f"{shot.name}-{label}.png"
                save_png(page.screenshot(), target)
                written.append(target)
                page.close()
            for context in sessions.values():
                context.close()
        browser.close()
    return written


def login(context: BrowserContext, base_url: str, email: str, password: str) -> None:
    page = context.new_page()
    page.goto(base_url + "/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state("networkidle")
    if "/konto/login/" in page.url:
        raise SystemExit(f"Login as {email} failed (locked by too many attempts?)")
    page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default=os.environ.get("MM_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    password = os.environ.get("MM_SCREENSHOT_PASSWORD") or secrets.token_urlsafe(18)
    ensure_staff(password)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for path in take(args.base_url.rstrip("/"), out, password, args.chromium):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
