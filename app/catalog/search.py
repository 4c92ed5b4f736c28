"""Hot search words: the merchant's own list first, then what shoppers search most.

Searches are counted in a Redis sorted set per day (kept SEARCH_DAYS days), so "most
searched" means the last week, not all time, and one word can't stay on top forever.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog.models import HotSearchWord
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.extensions import db, redis_client

KEY = "fenxiao:search:day:{day}"
SEARCH_DAYS = 7
MAX_WORD = 32
MAX_HOT_WORDS = 20


def _day_key(days_ago: int = 0) -> str:
    return KEY.format(day=(utcnow() - timedelta(days=days_ago)).strftime("%Y%m%d"))


def count_search(keyword: str) -> None:
    word = " ".join(keyword.split())[:MAX_WORD].lower()
    if not word:
        return
    key = _day_key()
    pipe = redis_client.pipeline()
    pipe.zincrby(key, 1, word)
    pipe.expire(key, (SEARCH_DAYS + 1) * 86400)
    pipe.execute()


def most_searched(limit: int = 10) -> list[str]:
    keys = [_day_key(days) for days in range(SEARCH_DAYS)]
    totals: dict[str, float] = {}
    pipe = redis_client.pipeline()
    for key in keys:
        pipe.zrevrange(key, 0, 49, withscores=True)
    for day in pipe.execute():
        for word, score in day:
            text = word.decode() if isinstance(word, bytes) else word
            totals[text] = totals.get(text, 0) + score
    return [word for word, _score in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]]


def configured_words() -> list[str]:
    return list(db.session.scalars(select(HotSearchWord.word).where(HotSearchWord.is_active.is_(True))
                                   .order_by(HotSearchWord.sort.desc(), HotSearchWord.id)))


def hot_words(limit: int = 10) -> dict[str, list[str]]:
    configured = configured_words()
    popular = [word for word in most_searched(limit) if word not in configured]
    return {"configured": configured, "popular": popular[:limit],
            "words": (configured + popular)[:limit]}


def set_hot_words(actor: Actor, words: list[Any]) -> list[str]:
    """Replace the merchant's list (in display order); audited."""
    clean = list(dict.fromkeys(" ".join(str(word).split()) for word in words if str(word).strip()))
    if len(clean) > MAX_HOT_WORDS or any(len(word) > MAX_WORD for word in clean):
        raise ValidationError(_("Some fields are invalid."), fields={
            "words": _("At most %(n)s words of at most %(m)s characters.", n=MAX_HOT_WORDS, m=MAX_WORD)})
    before = configured_words()
    for row in db.session.scalars(select(HotSearchWord)):
        db.session.delete(row)
    db.session.flush()
    for position, word in enumerate(clean):
        db.session.add(HotSearchWord(word=word, sort=len(clean) - position))
    db.session.flush()
    audit.record(actor, area="products", action="search.hot_words", target_type="shop", target_id=1,
                 summary="hot search words", before={"words": before}, after={"words": clean})
    return clean
