"""Fixtures for the Bürgerkonto tests: a small region to report in, verified users, guest
reports, and helpers for allauth's sign-up and confirmation emails."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point
from django.core import mail
from django.test import Client

from accounts.models import User
from boundaries.models import Authority, Level
from tests.factories import CategoryFactory, box, territory
from tracker.models import Category, Report
from tracker.services import Contact, report_create

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PASSWORD = "Sicheres-Passwort-2025"
INSIDE = Point(10.1, 53.05, srid=4326)
CONFIRM_URL = re.compile(r"https?://[^/\s]+(/konto/confirm-email/[^/\s]+/)")
RESET_URL = re.compile(r"https?://[^/\s]+(/konto/password/reset/key/[^/\s]+/)")


@dataclass(frozen=True)
class Region:
    kreis: Authority
    category: Category


@pytest.fixture
def region() -> Region:
    kreis = territory("Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001")
    category = CategoryFactory.create(slug="wilder-muell", name="Wilder Müll", level=Level.KREIS)
    return Region(kreis=kreis, category=category)


GuestReport = Callable[..., Report]


@pytest.fixture
def guest_report(region: Region) -> GuestReport:
    """A report made without an account, routed through the real intake service."""

    def make(email: str, description: str = "Sperrmüll am Waldrand", **kwargs: object) -> Report:
        return report_create(
            category=region.category,
            point=INSIDE,
            description=description,
            contact=Contact(email=email, name="Erika Mustermann", phone="0151 2345678"),
            **kwargs,  # type: ignore[arg-type]
        )

    return make


MakeUser = Callable[..., User]


@pytest.fixture
def make_user() -> MakeUser:
    """A citizen who signed up and confirmed the address (as allauth leaves them)."""

    def make(email: str = "buerger@example.org", *, verified: bool = True) -> User:
        user = User.objects.create_user(email, PASSWORD)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        return user

    return make


def signup(client: Client, email: str, password: str = PASSWORD, **extra: str) -> TestResponse:
    return client.post(
        "/konto/signup/",
        {"email": email, "password1": password, "password2": password},
        **extra,  # type: ignore[arg-type]
    )


def url_in_mail(pattern: re.Pattern[str], recipient: str) -> str:
    """The path of the (last) link matching `pattern` in a mail to `recipient`."""
    for message in reversed(mail.outbox):
        if recipient in message.to:
            match = pattern.search(str(message.body))
            if match:
                return match.group(1)
    raise AssertionError(f"no matching link in a mail to {recipient}")


class PageStructure(HTMLParser):
    """What the accessibility checks need from server-rendered HTML: lang, skip link,
    landmarks, headings, and whether every visible input has a label."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.h1_count = 0
        self.landmarks: set[str] = set()
        self.skip_link_target: str | None = None
        self.input_ids: list[str] = []
        self.unlabelled_inputs = 0
        self.label_targets: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "h1":
            self.h1_count += 1
        elif tag in {"header", "nav", "main", "footer"}:
            self.landmarks.add(tag)
        elif tag == "a" and "skip-link" in (attributes.get("class") or ""):
            self.skip_link_target = attributes.get("href")
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(str(attributes["for"]))
        elif tag in {"input", "select", "textarea"}:
            if attributes.get("type") in {"hidden", "submit", "button"}:
                return
            if attributes.get("id"):
                self.input_ids.append(str(attributes["id"]))
            elif not attributes.get("aria-label"):
                self.unlabelled_inputs += 1

    def unlabelled(self) -> list[str]:
        return [i for i in self.input_ids if i not in self.label_targets]


def page_structure(html: str) -> PageStructure:
    parser = PageStructure()
    parser.feed(html)
    return parser


def assert_page_structure(html: str) -> None:
    page = page_structure(html)
    assert page.lang == "de"
    assert page.skip_link_target == "#main"
    assert {"header", "nav", "main", "footer"} <= page.landmarks
    assert page.h1_count == 1, f"{page.h1_count} h1 elements"
    assert not page.unlabelled(), f"inputs without a label: {page.unlabelled()}"
    assert page.unlabelled_inputs == 0
