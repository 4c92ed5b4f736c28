"""Draws the pictures some poster templates use (run once; the PNGs are committed).

    .venv/bin/python scripts/draw_poster_art.py
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent / "poster_templates"


def stars(path: Path, size=(750, 700), count=90, seed=7) -> None:
    """Soft white dots of a few sizes on transparency, thinning out towards the bottom."""
    rng = random.Random(seed)
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for _ in range(count):
        x, y = rng.uniform(0, size[0]), rng.triangular(0, size[1], 0)
        radius = rng.choice((1.2, 1.6, 2.2, 3.2))
        alpha = int(255 * rng.uniform(0.35, 0.95) * (1 - y / size[1] * 0.7))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, alpha))
    glow = image.filter(ImageFilter.GaussianBlur(3))
    Image.alpha_composite(glow, image).save(path, optimize=True)


if __name__ == "__main__":
    stars(ROOT / "invite-starry" / "stars.png")
