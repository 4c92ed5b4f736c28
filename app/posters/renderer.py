"""Drawing a poster with Pillow from a template and the values of one agent (and product).

The layers before the first one that depends on the agent (background, panels, pictures,
fixed text) are the same for every poster of a template version, so they are drawn once per
process and copied; only the avatar, the texts with variables, the product picture and the
code are drawn per poster.
"""

from __future__ import annotations

import functools
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageDraw

from app.media.fonts import cjk_font
from app.posters import sources, text
from app.posters.codes import CodeTarget, code_image
from app.posters.template_schema import Avatar, Picture, ProductImage, Rect, Text
from app.posters.templates import Template

SUPERSAMPLE = 4  # masks for round shapes are drawn bigger and scaled down: smooth edges
BASES_KEPT = 32


@dataclass(frozen=True)
class PosterInputs:
    values: dict[str, str] = field(default_factory=dict)  # nickname, shop_name, product_title, price, …
    avatar_url: str = ""
    product_image_url: str = ""
    code: CodeTarget | None = None


def hex_colour(value: str) -> tuple[int, int, int, int]:
    value = value.lstrip("#")
    alpha = int(value[6:8], 16) if len(value) == 8 else 255
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha


def is_static(element) -> bool:
    return isinstance(element, Rect | Picture) or (isinstance(element, Text) and element.is_static)


# -- the static base, once per template version ------------------------------------------------
_bases: OrderedDict[tuple, Image.Image] = OrderedDict()
_bases_lock = threading.Lock()


def static_base(template: Template, background: Image.Image | None, background_id: str) -> tuple[Image.Image, int]:
    """(the canvas with the leading static layers drawn, how many elements that covered)."""
    key = (template.key, template.version, background_id)
    elements = template.spec.elements
    covered = 0
    while covered < len(elements) and is_static(elements[covered]):
        covered += 1
    with _bases_lock:
        if key in _bases:
            _bases.move_to_end(key)
            return _bases[key], covered
    canvas = draw_background(template, background)
    for element in elements[:covered]:
        draw_element(canvas, template, element, PosterInputs())
    with _bases_lock:
        _bases[key] = canvas
        while len(_bases) > BASES_KEPT:
            _bases.popitem(last=False)
    return canvas, covered


def draw_background(template: Template, override: Image.Image | None) -> Image.Image:
    spec = template.spec
    size = (spec.width, spec.height)
    background = spec.background
    if override is not None:
        return cover(override, size)
    if background.image:
        return cover(_template_picture(str(template.image_path(background.image))), size)
    if background.color:
        return Image.new("RGBA", size, hex_colour(background.color))
    return gradient(size, hex_colour(background.gradient[0]), hex_colour(background.gradient[1]), background.angle)


def gradient(size: tuple[int, int], start: tuple, end: tuple, angle: int) -> Image.Image:
    """A linear gradient: 0 left→right, 90 top→bottom, 45 and 135 from the top corners, 180 right→left."""
    down = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)  # 0 at the top, 255 at the bottom
    across = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size, Image.Resampling.BILINEAR)
    mask = {
        0: across,
        90: down,
        180: across.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        45: ImageChops.add(across, down, scale=2),
        135: ImageChops.add(across.transpose(Image.Transpose.FLIP_LEFT_RIGHT), down, scale=2),
    }[angle]
    return Image.composite(Image.new("RGBA", size, end), Image.new("RGBA", size, start), mask)


@functools.lru_cache(maxsize=32)
def _template_picture(path: str) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGBA")


def cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale to fill `size`, cropping the overflow evenly (CSS object-fit: cover)."""
    width, height = size
    scale = max(width / image.width, height / image.height)
    resized = image.resize((max(width, round(image.width * scale)), max(height, round(image.height * scale))),
                           Image.Resampling.LANCZOS)
    left, top = (resized.width - width) // 2, (resized.height - height) // 2
    return resized.crop((left, top, left + width, top + height)).convert("RGBA")


@functools.lru_cache(maxsize=64)
def rounded_mask(width: int, height: int, radius: int) -> Image.Image:
    big = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    ImageDraw.Draw(big).rounded_rectangle((0, 0, big.width - 1, big.height - 1), radius=radius * SUPERSAMPLE,
                                          fill=255)
    return big.resize((width, height), Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=32)
def circle_mask(size: int) -> Image.Image:
    return rounded_mask(size, size, size // 2 + 1)


class _Kept:
    """A small least-recently-used store of drawn pieces, shared by the threads of a process."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        if value is not None:
            with self.lock:
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        return value


_pictures = _Kept(32)  # product pictures from our storage, fitted to a template's box
_codes = _Kept(64)  # a code never changes for its target (wxacode and permanent QR alike)


def fitted_picture(url: str, size: tuple[int, int]) -> Image.Image | None:
    """The picture at `url` covering `size`; our own media files are fitted once per version."""
    local = sources.local_version(url)
    if local is None:
        picture = sources.load_picture(url)
        return cover(picture, size) if picture is not None else None

    def make():
        picture = sources.load_picture(url)
        return cover(picture, size) if picture is not None else None

    return _pictures.get((local, size), make)


def code_picture(target: CodeTarget, size: int) -> Image.Image:
    return _codes.get((target.identity(), size), lambda: code_image(target, size))


# -- elements ---------------------------------------------------------------------------------
def draw_element(canvas: Image.Image, template: Template, element, inputs: PosterInputs) -> None:
    if isinstance(element, Rect):
        _rect(canvas, element)
    elif isinstance(element, Picture):
        picture = cover(_template_picture(str(template.image_path(element.src))), (element.width, element.height))
        canvas.alpha_composite(picture, (element.x, element.y))
    elif isinstance(element, Avatar):
        _avatar(canvas, element, inputs.avatar_url)
    elif isinstance(element, ProductImage):
        size = (element.width, element.height)
        picture = fitted_picture(inputs.product_image_url, size) or sources.placeholder(*size)
        _paste_masked(canvas, picture, (element.x, element.y), rounded_mask(*size, element.radius))
    elif isinstance(element, Text):
        _text(canvas, element, inputs.values)


def _rect(canvas: Image.Image, element: Rect) -> None:
    layer = Image.new("RGBA", (element.width, element.height), (0, 0, 0, 0))
    ImageDraw.Draw(layer).rounded_rectangle(
        (0, 0, element.width - 1, element.height - 1), radius=element.radius, fill=hex_colour(element.fill),
        outline=hex_colour(element.outline) if element.outline else None, width=element.outline_width)
    if element.radius:  # Pillow's own corners are jagged: trim them with a smooth mask
        layer.putalpha(Image.composite(layer.getchannel("A"), Image.new("L", layer.size, 0),
                                       rounded_mask(element.width, element.height, element.radius)))
    canvas.alpha_composite(layer, (element.x, element.y))


def _paste_masked(canvas: Image.Image, picture: Image.Image, at: tuple[int, int], mask: Image.Image) -> None:
    picture = picture.copy()
    alpha = picture.getchannel("A")
    picture.putalpha(Image.composite(alpha, Image.new("L", picture.size, 0), mask))
    canvas.alpha_composite(picture, at)


def _avatar(canvas: Image.Image, element: Avatar, url: str) -> None:
    size = element.size
    if element.border_width and element.border_color:
        ring = Image.new("RGBA", (size, size), hex_colour(element.border_color))
        _paste_masked(canvas, ring, (element.x, element.y), circle_mask(size))
    inner = size - 2 * element.border_width if element.border_color else size
    picture = fitted_picture(url, (inner, inner)) or sources.default_avatar(inner)
    offset = (size - inner) // 2
    _paste_masked(canvas, picture, (element.x + offset, element.y + offset), circle_mask(inner))


def _text(canvas: Image.Image, element: Text, values: dict[str, str]) -> None:
    content = text.fill(element.text, values) if not element.is_static else text.drawable(element.text)
    if not content.strip():
        return
    font = cjk_font(element.size)
    lines = text.wrap(content, font, element.width, element.max_lines, element.ellipsis)
    draw = ImageDraw.Draw(canvas)
    step = round(element.size * element.line_height)
    colour = hex_colour(element.color)
    for index, line in enumerate(lines):
        width = font.getlength(line)
        if element.align == "center":
            x = element.x + (element.width - width) / 2
        elif element.align == "right":
            x = element.x + element.width - width
        else:
            x = element.x
        draw.text((x, element.y + index * step), line, font=font, fill=colour)


def _code(canvas: Image.Image, template: Template, target: CodeTarget) -> None:
    code = template.spec.code
    if code.background:
        plate = code.size + 2 * code.padding
        _rect(canvas, Rect(type="rect", x=code.x - code.padding, y=code.y - code.padding, width=plate, height=plate,
                           fill=code.background, radius=max(8, code.padding)))
    canvas.alpha_composite(code_picture(target, code.size), (code.x, code.y))


# -- a whole poster ---------------------------------------------------------------------------
def render(template: Template, inputs: PosterInputs, *, background: Image.Image | None = None,
           background_id: str = "") -> Image.Image:
    base, covered = static_base(template, background, background_id)
    canvas = base.copy()
    for element in template.spec.elements[covered:]:
        draw_element(canvas, template, element, inputs)
    if inputs.code is not None:
        _code(canvas, template, inputs.code)
    return canvas


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()
