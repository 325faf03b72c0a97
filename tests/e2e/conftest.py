"""Browser tests: Playwright for Python driving Debian's chromium (Playwright's own browser
download cannot work offline), with axe-core from npm injected for accessibility checks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

AXE_JS = (
    Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
)

# Playwright's sync API runs an event loop in this thread; the live server and the test's own
# ORM calls are ordinary synchronous code, so Django's async-safety guard must stand aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `expect(...)` waits until the page shows what is expected; its 5 s default was too short on
# a loaded 2-core machine (a live-server round trip behind other sessions' benches). Waiting
# longer changes nothing for a passing test and only delays a failing one.
expect.set_options(timeout=15_000)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """Run axe-core (WCAG 2.x A/AA rules) on the page; return violations of these impacts."""
    # Evaluated through the DevTools protocol, not as an inline <script>: our
    # Content-Security-Policy (rightly) blocks inline scripts, also the tests' own.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, "axe-core found accessibility violations:\n" + "\n".join(summary)


def dispatch_sync(context: BrowserContext, page: Page, tag: str) -> None:
    """Fire the worker's Background Sync event, as the browser does when the network returns."""
    cdp = context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(r["registrationId"] for r in event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(300)
    assert registrations, "no service worker registration"
    origin = page.evaluate("() => location.origin")
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": origin,
            "registrationId": registrations[-1],
            "tag": tag,
            "lastChance": False,
        },
    )
