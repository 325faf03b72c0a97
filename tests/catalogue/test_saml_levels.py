"""How the levels BundID and eIDAS IdPs state map onto basic/substantial/high and onto the
account levels the services require."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from catalogue.saml import account_level, asserted_level, level_of


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("STORK-QAA-Level-1", "basic"),
        ("STORK-QAA-Level-2", "basic"),
        ("STORK-QAA-Level-3", "substantial"),
        ("STORK-QAA-Level-4", "high"),
        ("http://eidas.europa.eu/LoA/low", "basic"),
        ("http://eidas.europa.eu/LoA/substantial", "substantial"),
        ("http://eidas.europa.eu/LoA/high", "high"),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:Password", None),
        ("", None),
    ],
)
def test_level_of(value: str, expected: str | None) -> None:
    assert level_of(value) == expected


@pytest.mark.parametrize(
    ("session_info", "expected"),
    [
        ({"authn_info": [("STORK-QAA-Level-4", [], "")]}, "high"),
        # Context and attribute disagree: the lower one counts.
        (
            {
                "authn_info": [("STORK-QAA-Level-4", [], "")],
                "ava": {"urn:oid:1.2.40.0.10.2.1.1.261.94": ["STORK-QAA-Level-1"]},
            },
            "basic",
        ),
        ({"ava": {"EID-CITIZEN-QAA-LEVEL": ["STORK-QAA-Level-3"]}}, "substantial"),
        ({"authn_info": [("urn:unknown", [], "")]}, "basic"),
        ({}, "basic"),
    ],
)
def test_asserted_level(session_info: dict[str, Any], expected: str) -> None:
    assert asserted_level(session_info) == expected


@pytest.mark.parametrize(
    ("needed", "level", "expected"),
    [
        ("substantial", "basic", User.AssuranceLevel.REGISTERED),
        ("substantial", "substantial", User.AssuranceLevel.VERIFIED),
        ("substantial", "high", User.AssuranceLevel.VERIFIED),
        ("high", "substantial", User.AssuranceLevel.REGISTERED),
        ("high", "high", User.AssuranceLevel.VERIFIED),
    ],
)
def test_account_level(settings: Any, needed: str, level: str, expected: str) -> None:
    settings.SAML_VERIFIED_LEVEL = needed
    assert account_level(level) == expected
