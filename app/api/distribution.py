"""The agent's side of distribution in the mini-program: summary, bind through a share,
apply, commission and team lists, withdrawals, and an order's commission as it concerns
them. An agent reaches only their own team, lines and withdrawals (others' ids are 404)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.errors import NotFound
from app.core.pagination import Page, PageQuery, paginate
from app.core.request_models import MAX_FEN, Body, Query, Text
from app.core.transactions import commit_with_retry
from app.core.validation import documented, use_body, use_query
from app.distribution import agents, binding, centre, estimate, queries, withdrawals
from app.distribution.agent_models import Agent
from app.extensions import db

TAGS = ("distribution",)


class SummaryOut(BaseModel):
    is_agent: bool
    agent_status: str | None
    invite_code: str | None
    level: str | None
    account: dict[str, int]
    commission: dict
    team: dict[str, int]


class BindIn(Body):
    code: str = Field(min_length=6, max_length=8, pattern=r"^[A-Za-z0-9]+$",
                      description="the referrer's invite code (from a share link, a wxacode scene r=<code>, or typed)")
    source: Literal["link", "wxacode", "oa_qr", "invite_code"] = "link"


class BindOut(BaseModel):
    result: str
    reason: str


class ApplyIn(Body):
    real_name: Text = Field("", max_length=32)
    phone: str = Field("", pattern=r"^(1[3-9][0-9]{9})?$", description="a mainland mobile number")


class ApplyOut(BaseModel):
    status: str = Field(description="agent (already one) | pending (waiting for review)")


class LinesQuery(PageQuery):
    status: Literal["pending", "frozen", "available", "cancelled"] | None = None


class TeamQuery(PageQuery):
    level: int = Field(1, ge=1, le=2, description="1: bound to me; 2: bound to those")


class RankingQuery(Query):
    by: Literal["commission", "invites"] = "commission"
    period: Literal["week", "month"] = "week"


class EstimateQuery(Query):
    product_ids: str = Field(pattern=r"^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,49}$",
                             description="comma-separated product ids, at most 50")


class EstimatesOut(BaseModel):
    items: dict[str, int] = Field(description="product id → fen earned on one unit; empty for non-agents")


class WithdrawIn(Body):
    amount_fen: int = Field(gt=0, le=MAX_FEN)
    method: Literal["wechat", "balance", "bank", "alipay"]
    idempotency_key: str = Field(min_length=8, max_length=64)
    account_name: Text = Field("", max_length=32)
    account_no: Text = Field("", max_length=64)
    bank_name: Text = Field("", max_length=64)


class WithdrawalOut(BaseModel):
    id: int
    withdrawal_no: str
    method: str
    amount_fen: int
    fee_fen: int
    net_fen: int
    status: str
    reject_reason: str
    created_at: datetime
    paid_at: datetime | None


class PromotionOrderOut(BaseModel):
    order_id: int
    order_no: str
    buyer_nickname: str = Field(description="masked: 小明 → 小*")
    order_status: str
    paid_fen: int
    refunded_fen: int
    paid_at: datetime | None
    levels: list[int] = Field(description="the levels at which this order pays me")
    commission_fen: int = Field(description="what the order pays me, before refunds")
    commission_net_fen: int = Field(description="after refunds took some back")
    commission_status: str = Field(description="pending | frozen | available | cancelled (the least advanced line)")


class PromotionOrdersOut(Page[PromotionOrderOut]):
    """A page of promotion orders; the paging fields are every list's (see Page)."""


class WithdrawalConfigOut(BaseModel):
    methods: list[str] = Field(description="wechat | balance | bank | alipay, as the shop enabled them")
    min_fen: int
    max_fen: int = Field(description="per request")
    fee_bp: int = Field(description="fee rate in basis points, except for fee_free_methods")
    fee_free_methods: list[str]
    daily_limit: int = Field(description="requests per Beijing day")
    today_left: int
    auto_approve_below_fen: int = Field(description="0: every request is reviewed")
    available_fen: int
    wechat_ready: bool = Field(description="whether I logged in through the mini-program (needed for WeChat)")


class ApplicationOut(BaseModel):
    status: str = Field(description="agent | pending | rejected | none | disabled | removed")
    become_agent: str = Field(description="the shop's rule: auto | apply | product | spend")
    can_apply: bool
    become_spend_fen: int | None
    become_product_ids: list[int]
    application: dict | None = Field(description="my latest application: id, status, reject_reason, dates")


class TransferParamsOut(BaseModel):
    params: dict[str, str] | None = Field(description="for wx.requestMerchantTransfer; null when nothing to confirm")


@bp.get("/distribution/me")
@documented(summary="My distribution summary: status, invite code, account, commission, team", response=SummaryOut,
            auth=True, tags=TAGS)
@login_required
def distribution_me():
    result = queries.summary(current_user().id)
    db.session.commit()
    return jsonify(result)


@bp.post("/distribution/bind")
@documented(summary="Bind me to the agent whose invite code I arrived with", response=BindOut, auth=True, tags=TAGS)
@login_required
@use_body(BindIn)
def distribution_bind(body: BindIn):
    user_id = current_user().id
    outcome = commit_with_retry(lambda: binding.bind(user_id, body.code, body.source))
    return jsonify(result=outcome.result, reason=outcome.reason)


@bp.post("/distribution/apply")
@documented(summary="Apply to become an agent", response=ApplyOut, auth=True, tags=TAGS)
@login_required
@use_body(ApplyIn)
def distribution_apply(body: ApplyIn):
    result = agents.apply(current_user().id, real_name=body.real_name, phone=body.phone)
    db.session.commit()
    return jsonify(status="agent" if isinstance(result, Agent) else result.status)


@bp.get("/distribution/application")
@documented(summary="Where my application to become an agent stands, and whether I may apply",
            response=ApplicationOut, auth=True, tags=TAGS)
@login_required
def distribution_application():
    result = centre.application_status(current_user().id)
    db.session.commit()
    return jsonify(result)


@bp.get("/distribution/promotion-orders")
@documented(summary="Orders that paid me commission, newest first (buyers' nicknames masked)",
            response=PromotionOrdersOut, auth=True, tags=TAGS)
@login_required
@use_query(PageQuery)
def distribution_promotion_orders(query: PageQuery):
    user_id = current_user().id
    page = paginate(centre.promotion_order_ids(user_id), query, lambda order_id: order_id)
    page["items"] = centre.promotion_orders_out(user_id, page["items"])
    return jsonify(page)


@bp.get("/distribution/withdrawal-config")
@documented(summary="The rules of the withdrawal form: methods, minimum, maximum, fee, daily limit",
            response=WithdrawalConfigOut, auth=True, tags=TAGS)
@login_required
def distribution_withdrawal_config():
    result = centre.withdrawal_config(current_user().id)
    db.session.commit()
    return jsonify(result)


@bp.get("/distribution/commissions")
@documented(summary="My commission lines (promotion orders), newest first", auth=True, tags=TAGS)
@login_required
@use_query(LinesQuery)
def distribution_commissions(query: LinesQuery):
    page = paginate(queries.commission_lines(current_user().id, query.status), query, lambda line: line)
    page["items"] = queries.commissions_out(page["items"])
    return jsonify(page)


@bp.get("/distribution/team")
@documented(summary="My team at level 1 or 2, with each member's paid orders and spend", auth=True, tags=TAGS)
@login_required
@use_query(TeamQuery)
def distribution_team(query: TeamQuery):
    page = paginate(queries.team_members(current_user().id, query.level), query, lambda row: row)
    page["items"] = queries.team_out(page["items"])
    return jsonify(page)


@bp.get("/distribution/rankings")
@documented(summary="The agents' leaderboard this week or month, by commission or by new shoppers brought in",
            auth=True, tags=TAGS)
@login_required
@use_query(RankingQuery)
def distribution_rankings(query: RankingQuery):
    return jsonify(items=queries.rankings(query.by, query.period))


@bp.post("/distribution/withdrawals")
@documented(summary="Withdraw available commission (the amount is held at once)", response=WithdrawalOut,
            auth=True, tags=TAGS, status=201)
@login_required
@use_body(WithdrawIn)
def distribution_withdraw(body: WithdrawIn):
    user_id = current_user().id
    withdrawal = commit_with_retry(lambda: withdrawals.apply(user_id, **body.model_dump()))
    return jsonify(queries.withdrawal_out(withdrawal)), 201


@bp.get("/distribution/withdrawals")
@documented(summary="My withdrawals, newest first", auth=True, tags=TAGS)
@login_required
@use_query(PageQuery)
def distribution_withdrawals(query: PageQuery):
    return jsonify(paginate(queries.withdrawals_of(current_user().id), query, queries.withdrawal_out))


@bp.get("/distribution/withdrawals/<int:withdrawal_id>/transfer")
@documented(summary="What wx.requestMerchantTransfer needs to confirm my WeChat withdrawal",
            response=TransferParamsOut, auth=True, tags=TAGS)
@login_required
def distribution_transfer(withdrawal_id: int):
    prompt = withdrawals.transfer_prompt(current_user().id, withdrawal_id)
    db.session.commit()
    return jsonify(params=prompt.params if prompt else None)


@bp.get("/distribution/orders/<int:order_id>/commission")
@documented(summary="My commission on one order, with the rule, base and rate of each line", auth=True, tags=TAGS)
@login_required
def distribution_order_commission(order_id: int):
    items = queries.explain_for(current_user().id, order_id)
    if items is None:
        raise NotFound(_("The requested resource does not exist."), code="order_not_found")
    return jsonify(items=items)


@bp.get("/distribution/estimates")
@documented(summary="What I would earn on one unit of each product (the storefront's 赚 badge)",
            response=EstimatesOut, auth=True, tags=TAGS)
@login_required
@use_query(EstimateQuery)
def distribution_estimates(query: EstimateQuery):
    ids = [int(part) for part in query.product_ids.split(",")]
    found = estimate.product_estimates(current_user().id, ids)
    return jsonify(items={str(product_id): fen for product_id, fen in found.items()})
