"""The web page a link-type poster code opens (`/h5/?scene=…`).

A phone camera or a browser opens the link, not the mini-program: the page says whose
invitation it is and to which shop (and product), shows the mini-program code for the same
scene — long-pressed in WeChat it opens the shop and binds the visitor to the agent — and
counts the visit for the poster once per visitor, scene and day (anonymously: the visitor
has no account yet).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.accounts.models import User
from app.catalog import services as catalog
from app.core.errors import NotFound
from app.core.models import utcnow
from app.distribution.agent_models import Agent
from app.extensions import db
from app.posters.attribution import record_scan, template_key_for
from app.posters.codes import build_scene, parse_scene
from app.posters.services import shop_name
from app.wechat.wxacode import mini_program_code

HOME_PAGE = "pages/home/index"
PRODUCT_PAGE = "pages/product/index"


@dataclass(frozen=True)
class Landing:
    shop_name: str
    agent_nickname: str | None
    agent_avatar_url: str | None
    product_title: str | None
    product_price_fen: int | None
    product_cover_url: str | None
    code_url: str
    counted: bool


def open_landing(raw_scene: str | None, visitor: str, *, now: datetime | None = None) -> Landing:
    """What the page shows for `raw_scene`, counting the visit when it names a poster."""
    now = (now or utcnow()).replace(microsecond=0)
    parsed = parse_scene(raw_scene)
    agent = None
    if parsed.invite_code:
        agent = db.session.execute(select(User.id, User.nickname, User.avatar_url).join(Agent, Agent.user_id == User.id)
                                   .where(Agent.invite_code == parsed.invite_code)).first()
    product = None
    if parsed.product_id:
        try:
            product, _skus = catalog.visible_product(parsed.product_id)
        except NotFound:
            product = None
    product_id = product.id if product is not None else None
    scene = build_scene(parsed.short_id, parsed.invite_code if agent else None, product_id) or "from=h5"
    code_url = mini_program_code(scene, PRODUCT_PAGE if product_id else HOME_PAGE)
    counted = False
    key = template_key_for(parsed.short_id)
    if key is not None:
        who = hashlib.sha256(visitor.encode()).hexdigest()[:24]
        counted = record_scan(template_key=key, agent_user_id=agent.id if agent else None, user_id=None,
                              product_id=product_id, source="link", new_fan=False,
                              dedup_key=f"link:{who}:{scene}:{now.date().isoformat()}", scanned_at=now)
    return Landing(shop_name(), (agent.nickname or None) if agent else None,
                   (agent.avatar_url or None) if agent else None,
                   product.title if product is not None else None,
                   product.min_price_fen if product is not None else None,
                   product.cover_url if product is not None else None, code_url, counted)
