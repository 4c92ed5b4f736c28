"""The shopper's member level in the mini-program: where they stand and the next level's
threshold and benefits, every level on the growth ladder, and their growth and level
history in keyset pages."""

from __future__ import annotations

from flask import jsonify
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.pagination import PageQuery, paginate
from app.core.validation import documented, use_query
from app.members import level_summary, queries

TAGS = ("members",)


class BenefitsOut(BaseModel):
    discount_bp: int = Field(description="goods price multiplier in basis points: 9500 = 95折")
    points_multiplier_bp: int = Field(description="points earned × this / 10000")
    free_shipping: bool
    monthly_coupon: bool = Field(description="a coupon is given every month")
    words: list[str] = Field(description="the benefits in words, for display")
    text: str = Field(description="the merchant's own description")


class LevelOut(BaseModel):
    id: int
    name: str
    growth_threshold: int | None = Field(description="growth that reaches it; null: given by the merchant only")
    badge_url: str = Field(description="the level's badge picture (empty: none)")
    benefits: BenefitsOut


class MyLevelOut(BaseModel):
    growth: int = Field(description="成长值")
    level: LevelOut | None = Field(description="null: a regular member")
    next_level: LevelOut | None = Field(description="the next level up the growth ladder; null at the top")
    growth_to_next: int | None = Field(description="growth still needed for next_level")


class LevelsOut(BaseModel):
    items: list[LevelOut]


@bp.get("/members/level")
@documented(summary="My member level, growth, and the next level's threshold and benefits", response=MyLevelOut,
            auth=True, tags=TAGS)
@login_required
def my_member_level():
    return jsonify(level_summary.my_level(current_user().id))


@bp.get("/members/levels")
@documented(summary="The member levels reached by growth, lowest first, with their benefits", response=LevelsOut,
            auth=True, tags=TAGS)
@login_required
def member_levels():
    return jsonify(items=level_summary.levels_out())


@bp.get("/members/growth")
@documented(summary="My growth (成长值) changes, newest first", auth=True, tags=TAGS)
@login_required
@use_query(PageQuery)
def my_growth(query: PageQuery):
    return jsonify(paginate(queries.entries(current_user().id), query, level_summary.entry_out))


@bp.get("/members/level-changes")
@documented(summary="My level changes, newest first", auth=True, tags=TAGS)
@login_required
@use_query(PageQuery)
def my_level_changes(query: PageQuery):
    return jsonify(paginate(queries.level_changes(current_user().id), query, level_summary.change_out))
