"""Draw the web app's PNG icons (manifest, home screen) from the favicon's design.

    .venv/bin/python scripts/make_icons.py

frontend/static/img/favicon.svg is a white map pin on a rounded blue square (24 x 24 units).
Pillow cannot read SVG, so the same shapes are drawn here, 8x oversampled and scaled down:
`icon-192.png`, `icon-512.png` (rounded, "any"), `maskable-512.png` (full bleed, pin inside
the 80 % safe zone) and `apple-touch-icon.png` (180 px, full bleed). The PNGs are committed;
run this again after changing the design.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "frontend" / "static" / "img" / "icons"
BLUE = (0, 80, 140, 255)
WHITE = (255, 255, 255, 255)
OVERSAMPLE = 8


def draw(size: int, *, rounded: bool, pin_scale: float) -> Image.Image:
    big = size * OVERSAMPLE
    unit = big / 24
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=5 * unit, fill=BLUE)
    else:
        pen.rectangle((0, 0, big - 1, big - 1), fill=BLUE)

    def at(x: float, y: float) -> tuple[float, float]:
        # favicon units around the centre (12, 12), scaled by pin_scale
        return (big / 2 + (x - 12) * unit * pin_scale, big / 2 + (y - 12) * unit * pin_scale)

    r = 6 * unit * pin_scale
    cx, cy = at(12, 9.5)
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    pen.polygon([at(6.35, 11.6), at(17.65, 11.6), at(12, 20.5)], fill=WHITE)
    hole = 2.2 * unit * pin_scale
    pen.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=BLUE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, rounded=True, pin_scale=1).save(OUT / "icon-192.png", optimize=True)
    draw(512, rounded=True, pin_scale=1).save(OUT / "icon-512.png", optimize=True)
    draw(512, rounded=False, pin_scale=0.75).save(OUT / "maskable-512.png", optimize=True)
    draw(180, rounded=False, pin_scale=0.85).convert("RGB").save(
        OUT / "apple-touch-icon.png", optimize=True
    )
    for path in sorted(OUT.glob("*.png")):
        print(path.name, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
