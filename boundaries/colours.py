"""WCAG 2.x contrast for the authorities' colours (portal identity, boundaries.identity).

The primary colour carries white text (header, primary buttons) and is used as the colour of
links on white, so it needs 4.5:1 against white; the secondary colour only draws stripes and
borders, so 3:1 (WCAG 1.4.11, non-text contrast) is enough."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WHITE = "#ffffff"
TEXT_MINIMUM = 4.5
GRAPHICS_MINIMUM = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    raw = colour.lstrip("#")
    r, g, b = (int(raw[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _is_hex(colour: str) -> bool:
    raw = colour.lstrip("#")
    return (
        colour.startswith("#") and len(raw) == 6 and all(c in "0123456789abcdefABCDEF" for c in raw)
    )


def _check(colour: str, minimum: float, use: str) -> None:
    if not colour or not _is_hex(colour):
        return  # the format validator reports that
    ratio = contrast(colour, WHITE)
    if ratio < minimum:
        raise ValidationError(
            _(
                "Die Farbe %(colour)s hat auf Weiß nur ein Kontrastverhältnis von %(ratio).1f:1; "
                "für %(use)s sind mindestens %(minimum).1f:1 nötig (WCAG AA). Bitte eine "
                "dunklere Farbe wählen."
            ),
            code="low_contrast",
            params={"colour": colour, "ratio": ratio, "minimum": minimum, "use": use},
        )


def text_contrast(colour: str) -> None:
    """Validator: usable for white text on the colour and for links on white."""
    _check(colour, TEXT_MINIMUM, str(_("Schrift und Links")))


def graphics_contrast(colour: str) -> None:
    """Validator: usable for stripes, borders and icons on white."""
    _check(colour, GRAPHICS_MINIMUM, str(_("Linien und Flächen")))


def shade(colour: str, factor: float) -> str:
    """The colour mixed towards black (factor < 1) or white (factor > 1, as 2 - share)."""
    raw = colour.lstrip("#")
    rgb = [int(raw[i : i + 2], 16) for i in (0, 2, 4)]
    if factor <= 1:
        mixed = [round(c * factor) for c in rgb]
    else:
        share = factor - 1
        mixed = [round(c + (255 - c) * share) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)
