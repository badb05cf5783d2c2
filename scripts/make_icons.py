"""Draw the site's mark (templates/includes/mark.svg, static/favicon.svg) as the PNG and ICO icons
browsers and phones ask for, and write the web manifest. Run once when the mark changes:

    .venv/bin/python scripts/make_icons.py

The outputs are committed (static/favicon.ico, static/icons/*.png, static/site.webmanifest): small
source assets, not build products. The shapes are the SVG's, on its 32-unit grid: a rounded speech
bubble with a tail, and a heart of two circles and a triangle. Drawn 8x larger, then scaled down,
for smooth edges.
"""

import json
from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "static"
TEAL = (15, 110, 110, 255)  # --accent (light scheme)
WHITE = (255, 255, 255, 255)
PAPER = "#faf8f5"  # --bg
SUPER = 8


def mark(size: int, *, bubble=TEAL, heart=WHITE, background=None, inset: float = 0.0) -> Image.Image:
    """The mark on a `size` square; `inset` (a fraction of the side) leaves room around it."""
    big = size * SUPER
    image = Image.new("RGBA", (big, big), background or (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    scale = big * (1 - 2 * inset) / 32
    offset = big * inset

    def p(x: float, y: float) -> tuple[float, float]:
        return (offset + x * scale, offset + y * scale)

    def circle(cx: float, cy: float, r: float, fill) -> None:
        draw.ellipse([p(cx - r, cy - r), p(cx + r, cy + r)], fill=fill)

    draw.rounded_rectangle([p(3, 4), p(29, 24)], radius=7 * scale, fill=bubble)
    draw.polygon([p(9, 21), p(9, 29), p(17, 23.5)], fill=bubble)
    circle(13.2, 12.6, 3.1, heart)
    circle(18.8, 12.6, 3.1, heart)
    draw.polygon([p(10.27, 13.6), p(21.73, 13.6), p(16, 19.6)], fill=heart)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    icons = STATIC / "icons"
    icons.mkdir(exist_ok=True)
    # The tab icon: the mark alone, on nothing (browsers that take the SVG get its dark variant too).
    favicon = mark(64)
    favicon.save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32)])
    # Home-screen icons: white on a full teal square (iOS fills transparency with black; Android
    # may crop "maskable" icons to a circle, so the mark stays inside the middle 80%).
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)):
        image = mark(size, bubble=WHITE, heart=TEAL, background=TEAL, inset=0.14)
        image.convert("RGB").save(icons / name, optimize=True)
    manifest = {
        "name": "Ask Freely",
        "short_name": "Ask Freely",
        "description": "Anonymous questions about sex and relationships, answered by verified experts.",
        "start_url": "/",
        "display": "standalone",
        "background_color": PAPER,
        "theme_color": "#0f6e6e",
        "icons": [
            {"src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": "icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    (STATIC / "site.webmanifest").write_text(json.dumps(manifest, indent=2) + "\n")
    for path in sorted([STATIC / "favicon.ico", STATIC / "site.webmanifest", *icons.glob("*.png")]):
        print(f"{path.relative_to(STATIC.parent)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
