"""The console's look, chosen per shop: light or dark, and a brand colour from a small named set.

Named colours rather than free hex: each one is a palette in admin.css tuned for contrast in
both modes (a typed colour could make white button text unreadable), and the console's CSP
allows no inline style, so the page only names the palette (`data-brand`) and the stylesheet
does the rest.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core.labels import labels


class ThemeMode(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class BrandColour(StrEnum):
    BLUE = "blue"
    GREEN = "green"
    RED = "red"
    ORANGE = "orange"
    PURPLE = "purple"
    TEAL = "teal"


THEME_MODE_LABELS = labels(ThemeMode, {ThemeMode.LIGHT: _l("Light"), ThemeMode.DARK: _l("Dark")})
BRAND_COLOUR_LABELS = labels(BrandColour, {
    BrandColour.BLUE: _l("Classic blue"), BrandColour.GREEN: _l("WeChat green"),
    BrandColour.RED: _l("Festive red"), BrandColour.ORANGE: _l("Bright orange"),
    BrandColour.PURPLE: _l("Elegant purple"), BrandColour.TEAL: _l("Jade teal"),
})
