"""Storefront home and hot search words."""

from __future__ import annotations

from flask import jsonify
from pydantic import BaseModel

from app.api import bp
from app.api.catalog import CategoryOut, ProductSummaryOut, summaries
from app.catalog import search
from app.catalog import services as catalog
from app.core.validation import documented


class HomeOut(BaseModel):
    banners: list[dict]
    modules: list[dict]
    categories: list[CategoryOut]
    recommended: list[ProductSummaryOut]


class HotWordsOut(BaseModel):
    words: list[str]
    configured: list[str]
    popular: list[str]


@bp.get("/home")
@documented(summary="The home page: banner and module slots (filled by marketing), categories, recommended",
            response=HomeOut, tags=("catalog",))
def home():
    from app.extensions import db

    rows = db.session.execute(catalog.home_recommended()).all()
    return jsonify(banners=[], modules=[], categories=catalog.category_tree(),
                   recommended=summaries(rows))


@bp.get("/search/hot-words")
@documented(summary="Hot search words: the merchant's list, then the most searched this week",
            response=HotWordsOut, tags=("catalog",))
def hot_words():
    return jsonify(search.hot_words())
