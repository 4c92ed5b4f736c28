"""Posters in the mini-program: my invite poster, a product's share poster, the templates to
choose from, and reporting the scene the mini-program was opened with (counts the scan and
binds the shopper to the agent whose poster it was).

A poster already drawn answers 200 at once. Otherwise the render job goes to the `media`
queue and we wait up to POSTER_WAIT_SECONDS for it; past that the answer is 202 with the
URL to call again.
"""

from __future__ import annotations

from typing import Literal

from flask import current_app, jsonify, redirect, request
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.errors import NotFound
from app.core.request_models import Body, Query
from app.core.transactions import commit_with_retry
from app.core.validation import documented, use_body, use_query
from app.extensions import db
from app.posters import attribution, jobs, preview, services
from app.posters.template_settings import enabled

TAGS = ("posters",)
TEMPLATE_KEY = r"^[a-z0-9_-]{1,32}$"


class PosterQuery(Query):
    template: str | None = Field(None, pattern=TEMPLATE_KEY, description="a template key; default: the kind's default")


class PosterOut(BaseModel):
    url: str = Field(description="the PNG, to download and save to the album")
    template: str
    width: int
    height: int


class RenderingOut(BaseModel):
    status: Literal["rendering"]
    poll: str = Field(description="call this URL again for the poster")


class TemplatesQuery(Query):
    kind: Literal["invite", "product"]


class TemplateOut(BaseModel):
    key: str
    name: str
    is_default: bool
    thumbnail_url: str


class ScanIn(Body):
    scene: str = Field(min_length=1, max_length=64, description="the scene the mini-program was opened with")
    source: Literal["wxacode", "link"] = "wxacode"


class ScanOut(BaseModel):
    recorded: bool
    template: str | None
    bind_result: str = Field(description="bound | rebound | unchanged | refused | none (no agent in the scene)")


def _absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _poster_answer(poster: services.PosterPlan, kind: str):
    if not services.is_ready(poster):
        if services.claim_render(poster):
            jobs.render_poster.delay(kind, poster.user_id, poster.product_id, poster.template.key)
        db.session.commit()  # the job is enqueued after this commit (run at once in embedded mode)
        if not services.wait_until_ready(poster, current_app.config["POSTER_WAIT_SECONDS"]):
            response = jsonify(status="rendering", poll=_absolute(request.full_path.rstrip("?")))
            response.status_code = 202
            response.headers["Retry-After"] = "1"
            return response
    db.session.commit()
    width, height = poster.size
    return jsonify(url=services.public_url(poster), template=poster.template.key, width=width, height=height)


@bp.get("/posters/invite")
@documented(summary="My invite poster (active agents); 202 with a URL to poll while it is drawn",
            response=PosterOut, auth=True, tags=TAGS)
@login_required
@use_query(PosterQuery)
def poster_invite(query: PosterQuery):
    return _poster_answer(services.invite_plan(current_user().id, query.template), "invite")


@bp.get("/posters/products/<int:product_id>")
@documented(summary="A share poster of a product, with my invite code if I am an agent; 202 while it is drawn",
            response=PosterOut, auth=True, tags=TAGS)
@login_required
@use_query(PosterQuery)
def poster_product(product_id: int, query: PosterQuery):
    return _poster_answer(services.product_plan(current_user().id, product_id, query.template), "product")


@bp.get("/posters/templates")
@documented(summary="The enabled poster templates of a kind, the default first", auth=True, tags=TAGS)
@login_required
@use_query(TemplatesQuery)
def poster_templates(query: TemplatesQuery):
    items = [TemplateOut(key=state.template.key, name=state.template.spec.name, is_default=state.is_default,
                         thumbnail_url=_absolute(f"/api/v1/posters/templates/{state.template.key}/thumbnail"))
             .model_dump() for state in enabled(query.kind)]
    return jsonify(items=items)


@bp.get("/posters/templates/<key>/thumbnail")
def poster_template_thumbnail(key: str):
    """A small picture of an enabled template (an <image> tag sends no token, so no login)."""
    for kind in ("invite", "product"):
        for state in enabled(kind):
            if state.template.key == key:
                url = preview.thumbnail_url(state)
                db.session.commit()
                return redirect(url, code=302)
    raise NotFound(_("The requested resource does not exist."), code="template_not_found")


@bp.post("/posters/scans")
@documented(summary="The mini-program was opened from a poster: count the scan and bind me to its agent",
            response=ScanOut, auth=True, tags=TAGS)
@login_required
@use_body(ScanIn)
def poster_scan(body: ScanIn):
    user_id = current_user().id
    outcome = commit_with_retry(lambda: attribution.open_scene(user_id, body.scene, body.source))
    return jsonify(recorded=outcome.recorded, template=outcome.template_key, bind_result=outcome.bind_result)
