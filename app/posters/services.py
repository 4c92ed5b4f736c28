"""Posters for the API, the console and the render job: choose the template, gather what the
poster shows, derive its cache key, and render it once into storage.

The cache key is a digest of everything drawn: the template's version (file and images) and
uploaded background, the agent and invite code, the product's title, price and picture, the
avatar URL and the nickname. A poster whose inputs did not change is served from storage;
any change makes a new key, so a new poster.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from PIL import Image

from app.accounts.models import User
from app.catalog.models import Product
from app.catalog.visibility import why_not_visible
from app.core.errors import Forbidden, NotFound
from app.distribution import agents
from app.extensions import db, redis_client
from app.marketing.coupon_gifts import new_user_pack
from app.media.storage import storage
from app.posters import renderer
from app.posters.codes import target_for
from app.posters.renderer import PosterInputs
from app.posters.template_settings import TemplateState, enabled
from app.shop.models import ShopSettings

RENDERER_VERSION = "1"  # bump when drawing changes, so every cached poster is drawn again
PENDING_TTL = 120
LOCK_TIMEOUT = 60


@dataclass(frozen=True)
class PosterPlan:
    """One poster, fully described before anything is drawn."""

    state: TemplateState
    user_id: int
    product_id: int | None
    inputs: PosterInputs
    digest: str

    @property
    def template(self):
        return self.state.template

    @property
    def storage_key(self) -> str:
        return f"posters/{self.template.key}/{self.digest[:2]}/{self.digest}.png"

    @property
    def size(self) -> tuple[int, int]:
        return self.template.spec.width, self.template.spec.height


def shop_name() -> str:
    """Read without creating the settings row: concurrent poster requests must not race to insert it."""
    settings = db.session.get(ShopSettings, 1)
    return settings.name if settings is not None else ShopSettings.__table__.c.name.default.arg


def price_text(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def choose(kind: str, key: str | None) -> TemplateState:
    """The template asked for (enabled, of this kind), else the kind's default, else the first."""
    candidates = enabled(kind)
    if key:
        for state in candidates:
            if state.template.key == key:
                return state
        raise NotFound(_("This poster template does not exist or is not enabled."), code="template_not_found")
    if not candidates:
        raise NotFound(_("No poster template is enabled."), code="template_not_found")
    return candidates[0]


def visible_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or why_not_visible(product):
        raise NotFound(_("The product does not exist or is no longer on sale."), code="product_not_found")
    return product


def _digest(state: TemplateState, user_id: int, product_id: int | None, inputs: PosterInputs) -> str:
    material = {
        "renderer": RENDERER_VERSION, "template": state.template.key, "version": state.template.version,
        "background": state.background_key, "user": user_id, "product": product_id, "values": inputs.values,
        "avatar": inputs.avatar_url, "picture": inputs.product_image_url,
        "code": inputs.code.identity() if inputs.code else "",
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def invite_promise() -> str:
    """What an invite poster promises: a new-user gift only while the shop has a pack to give."""
    return _("Scan to visit the shop and get a new-user gift") if new_user_pack() else _("Scan to visit the shop")


def plan(state: TemplateState, user: User, invite_code: str | None, product: Product | None) -> PosterPlan:
    values = {"nickname": user.nickname or _("A friend"), "shop_name": shop_name(),
              "invite_code": invite_code or "", "product_title": product.title if product else "",
              "product_subtitle": product.subtitle if product else "",
              "price": price_text(product.min_price_fen) if product else "", "invite_promise": invite_promise()}
    picture = (product.share_image_url or product.cover_url or (product.image_urls or [""])[0]) if product else ""
    spec = state.template.spec
    inputs = PosterInputs(values=values, avatar_url=user.avatar_url or "", product_image_url=picture,
                          code=target_for(spec.code, spec.short_id, invite_code, product.id if product else None))
    product_id = product.id if product else None
    return PosterPlan(state, user.id, product_id, inputs, _digest(state, user.id, product_id, inputs))


def invite_plan(user_id: int, template_key: str | None = None) -> PosterPlan:
    agent = agents.agent_of(user_id)
    if agent is None or not agents.is_active(user_id):
        raise Forbidden(_("Only active agents have an invite poster."), code="not_agent")
    user = db.session.get(User, user_id)
    return plan(choose("invite", template_key), user, agent.invite_code, None)


def product_plan(user_id: int, product_id: int, template_key: str | None = None) -> PosterPlan:
    """Any shopper may share a product; an active agent's poster carries their invite code."""
    product = visible_product(product_id)
    agent = agents.agent_of(user_id)
    code = agent.invite_code if agent is not None and agents.is_active(user_id) else None
    user = db.session.get(User, user_id)
    return plan(choose("product", template_key), user, code, product)


def plan_for(kind: str, user_id: int, product_id: int | None, template_key: str | None) -> PosterPlan:
    if kind == "invite":
        return invite_plan(user_id, template_key)
    return product_plan(user_id, product_id or 0, template_key)


# -- drawing and storing ------------------------------------------------------------------------
def background_image(state: TemplateState) -> Image.Image | None:
    if not state.background_key:
        return None
    try:
        with storage().open(state.background_key) as handle:
            return Image.open(io.BytesIO(handle.read())).convert("RGBA")
    except (OSError, ValueError):
        return None  # the uploaded file is gone: the template's own background


def draw(poster: PosterPlan) -> Image.Image:
    return renderer.render(poster.template, poster.inputs, background=background_image(poster.state),
                           background_id=poster.state.background_key)


def is_ready(poster: PosterPlan) -> bool:
    return storage().exists(poster.storage_key)


def render_and_store(poster: PosterPlan) -> str:
    """Draw and store the poster unless it is there; one process draws it, the others wait."""
    files = storage()
    try:
        if not files.exists(poster.storage_key):
            with redis_client.lock(f"fenxiao:poster:lock:{poster.digest}", timeout=LOCK_TIMEOUT,
                                   blocking_timeout=LOCK_TIMEOUT):
                if not files.exists(poster.storage_key):
                    files.save(poster.storage_key, renderer.png_bytes(draw(poster)))
    finally:
        redis_client.delete(pending_key(poster))  # a failed render may be asked for again at once
    return files.url(poster.storage_key)


def pending_key(poster: PosterPlan) -> str:
    return f"fenxiao:poster:pending:{poster.digest}"


def claim_render(poster: PosterPlan) -> bool:
    """True for the one caller that should enqueue the render; the others just wait for it."""
    return bool(redis_client.set(pending_key(poster), "1", nx=True, ex=PENDING_TTL))


def wait_until_ready(poster: PosterPlan, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if is_ready(poster):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))


def public_url(poster: PosterPlan) -> str:
    url = storage().url(poster.storage_key)
    if url.startswith("/"):
        return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url
    return url

