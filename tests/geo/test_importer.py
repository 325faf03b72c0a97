"""Reading road files (geo.importer): the road class from the ref or the highway tag."""

from __future__ import annotations

import pytest

from geo.importer import road_class_of


@pytest.mark.parametrize(
    ("ref", "highway", "expected"),
    [
        ("K 45", "tertiary", "K"),
        ("K45", "", "K"),
        ("B 37;B 38", "primary", "B"),
        ("L 216;B 209", "primary", "B"),
        ("St 2047", "secondary", "L"),
        ("A 7", "motorway", "A"),
        ("", "motorway_link", "A"),
        ("", "residential", "G"),
        ("", "service", "O"),
        ("E 45", "trunk", "O"),
    ],
)
def test_road_class_from_ref_and_highway(ref: str, highway: str, expected: str) -> None:
    assert road_class_of(ref, highway) == expected
