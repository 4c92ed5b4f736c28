"""Draw the tab bar icons (assets/tabbar/*.png, 81 px, grey and the active red) with Pillow.

Run from the repository root: .venv/bin/python miniprogram/scripts/tab_icons.py
Drawn 4x larger and scaled down for smooth edges; each file stays far under WeChat's 40 KB.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 81
SCALE = 4
GREY = (125, 126, 128, 255)
RED = (238, 10, 36, 255)
OUT = Path(__file__).resolve().parent.parent / "assets" / "tabbar"


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGBA", (SIZE * SCALE, SIZE * SCALE), (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def _xy(*points: float) -> list[float]:
    return [p * SCALE for p in points]


def home(color) -> Image.Image:
    image, draw = _canvas()
    width = 6 * SCALE
    draw.line([tuple(_xy(12, 40)), tuple(_xy(40.5, 14)), tuple(_xy(69, 40))], fill=color, width=width, joint="curve")
    draw.rounded_rectangle(_xy(20, 36, 61, 68), radius=4 * SCALE, outline=color, width=width)
    draw.rounded_rectangle(_xy(35, 50, 46, 68), radius=2 * SCALE, fill=color)
    return image


def category(color) -> Image.Image:
    image, draw = _canvas()
    for x, y in ((14, 14), (44, 14), (14, 44), (44, 44)):
        draw.rounded_rectangle(_xy(x, y, x + 23, y + 23), radius=5 * SCALE, outline=color, width=6 * SCALE)
    return image


def cart(color) -> Image.Image:
    image, draw = _canvas()
    path = [(8, 16), (18, 16), (26, 52), (64, 52), (70, 26), (21, 26)]
    draw.line([tuple(_xy(x, y)) for x, y in path], fill=color, width=6 * SCALE, joint="curve")
    for x in (30, 60):
        draw.ellipse(_xy(x - 5, 59, x + 5, 69), fill=color)
    return image


def me(color) -> Image.Image:
    image, draw = _canvas()
    width = 6 * SCALE
    draw.ellipse(_xy(27, 10, 54, 37), outline=color, width=width)
    draw.arc(_xy(13, 42, 68, 96), start=180, end=360, fill=color, width=width)
    draw.line([tuple(_xy(13, 69)), tuple(_xy(68, 69))], fill=color, width=width)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in (("home", home), ("category", category), ("cart", cart), ("me", me)):
        for suffix, color in (("", GREY), ("-active", RED)):
            draw(color).resize((SIZE, SIZE), Image.LANCZOS).save(OUT / f"{name}{suffix}.png", optimize=True)


if __name__ == "__main__":
    main()
