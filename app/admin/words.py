"""The console's two ways of turning stored values into what a merchant reads: `|label(kind)`
for a code (its enum's word, see app.core.labels) and `|beijing` for a stored UTC time."""

from __future__ import annotations

from app.admin import bp
from app.core.china_time import format_beijing
from app.core.labels import label


@bp.app_template_filter("label")
def label_filter(code, kind: str) -> str:
    return label(code, kind)


@bp.app_template_filter("beijing")
def beijing_filter(moment, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    return format_beijing(moment, pattern)
