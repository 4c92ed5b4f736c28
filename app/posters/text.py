"""Text on posters: variables filled in, glyphs the font lacks dropped (an emoji in a nickname
must not become a tofu box), wrapped to the width, cut to max_lines with an ellipsis."""

from __future__ import annotations

import functools
import re
import unicodedata

from PIL import ImageFont

from app.media.fonts import cjk_font, cjk_font_path

ELLIPSIS = "…"
_MISSING_PROBE = "\U0010fffd"  # a private-use code point no font draws: its mask is the font's .notdef


@functools.cache
def _notdef_mask(font_path: str | None) -> bytes:
    return bytes(_font(40).getmask(_MISSING_PROBE))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return cjk_font(size)


@functools.lru_cache(maxsize=8192)
def font_has(char: str) -> bool:
    """True when the font draws `char` (whitespace counts as drawn; joiners and selectors do not)."""
    if char.isspace():
        return True
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return False
    mask = _font(40).getmask(char)
    return mask.getbbox() is not None and bytes(mask) != _notdef_mask(cjk_font_path())


def drawable(text: str) -> str:
    """`text` without the characters the font cannot draw; spaces left doubled collapse."""
    return re.sub(r" {2,}", " ", "".join(char for char in text if font_has(char))).strip()


def fill(template: str, values: dict[str, str]) -> str:
    return template.format_map({name: drawable(value) for name, value in values.items()})


def wrap(text: str, font, width: int, max_lines: int, ellipsis: bool = True) -> list[str]:
    """Lines no wider than `width`: Chinese breaks anywhere, Latin words stay whole when they fit."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if font.getlength(candidate) <= width or not line:
                if font.getlength(candidate) <= width:
                    line = candidate
                    continue
                for char in token:  # a single token wider than the line: break it
                    if line and font.getlength(line + char) > width:
                        lines.append(line)
                        line = ""
                    line += char
                continue
            lines.append(line.rstrip())
            line = token.lstrip()
        lines.append(line)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    if ellipsis:
        last = kept[-1]
        while last and font.getlength(last + ELLIPSIS) > width:
            last = last[:-1]
        kept[-1] = last.rstrip() + ELLIPSIS
    return kept


def _tokens(text: str) -> list[str]:
    """Words of ASCII letters/digits stay together (with their trailing space); others are single."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isascii() and char.isalnum():
            word += char
            continue
        if word:
            tokens.append(word)
            word = ""
        if char == " " and tokens:
            tokens[-1] += " "
        else:
            tokens.append(char)
    if word:
        tokens.append(word)
    return tokens
