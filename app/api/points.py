"""The shopper's points in the mini-program: balance and what expires when, the points ledger
newest first, and the daily sign-in with its month calendar."""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.pagination import Page, PageQuery, paginate
from app.core.request_models import Query
from app.core.transactions import commit_with_retry
from app.core.validation import documented, use_query
from app.extensions import db
from app.marketing import points_detail, sign_in

TAGS = ("points",)


class ExpiringOut(BaseModel):
    points: int
    expires_on: str = Field(description="the Beijing day they expire at the end of, YYYY-MM-DD")


class PointsOut(BaseModel):
    balance: int
    expiring: list[ExpiringOut] = Field(description="what of the balance expires when, soonest first; "
                                                    "empty when the shop's points do not expire")
    deduction_enabled: bool = Field(description="whether points can be spent at checkout")
    points_per_yuan: int = Field(description="at checkout, this many points take ¥1 off")
    earning_enabled: bool
    earn_points_per_yuan: int = Field(description="points earned per ¥1 of goods paid, when an order completes")


class PointsEntryOut(BaseModel):
    id: int
    kind: str = Field(description="sign_in | order_points_spent | order_points_returned | order_points_earned | "
                                  "order_points_clawed_back | points_expired | admin_adjust | fan_reward | …")
    label: str = Field(description="the kind in Chinese, e.g. 每日签到")
    reason: str = Field(description="e.g. the order number")
    delta: int
    points_after: int
    created_at: str


class PointsEntriesOut(Page[PointsEntryOut]):
    """A page of my points ledger, newest first; the paging fields are every list's (see Page)."""


class SignInQuery(Query):
    month: str | None = Field(None, pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$",
                              description="YYYY-MM of the calendar; this month if omitted")


class SignInStatusOut(BaseModel):
    signed_today: bool
    streak: int = Field(description="days in a row up to today (or yesterday, before today's sign-in); 0: broken")
    today_points: int = Field(description="what today's sign-in gives (or gave)")
    tomorrow_points: int = Field(description="what signing in tomorrow gives, the streak kept")
    month: str = Field(description="YYYY-MM of the calendar")
    signed_days: list[int] = Field(description="the days of that month I signed in")
    enabled: bool
    rewards: list[dict] = Field(description='streak rewards: [{"day": 3, "points": 5}]: extra on day N of a streak')


class SignedInOut(BaseModel):
    signed_in: bool = Field(description="false: I had already signed in today (nothing more given)")
    points: int = Field(description="the points today's sign-in gave")
    streak: int
    balance: int


@bp.get("/points")
@documented(summary="My points: balance, what expires when, and the shop's points rules", response=PointsOut,
            auth=True, tags=TAGS)
@login_required
def points_summary():
    return jsonify(points_detail.summary(current_user().id))


@bp.get("/points/entries")
@documented(summary="My points ledger, newest first, each change with its reason", response=PointsEntriesOut,
            auth=True, tags=TAGS)
@login_required
@use_query(PageQuery)
def points_entries(query: PageQuery):
    return jsonify(paginate(points_detail.entries_of(current_user().id), query, points_detail.entry_out))


@bp.get("/sign-in")
@documented(summary="My sign-in: today, the streak, the rewards and the month's calendar",
            response=SignInStatusOut, auth=True, tags=TAGS)
@login_required
@use_query(SignInQuery)
def sign_in_status(query: SignInQuery):
    return jsonify(asdict(sign_in.status(current_user().id, query.month)))


@bp.post("/sign-in")
@documented(summary="Sign in for today (once per Beijing day; a second tap gives nothing more)",
            response=SignedInOut, auth=True, tags=TAGS, status=201)
@login_required
def sign_in_today():
    user_id = current_user().id
    row, created = commit_with_retry(lambda: sign_in.sign_in(user_id))
    balance = points_detail.summary(user_id)["balance"]
    db.session.commit()
    return jsonify(signed_in=created, points=row.points, streak=row.streak, balance=balance), 201 if created else 200
