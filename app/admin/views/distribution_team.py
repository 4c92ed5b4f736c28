"""Distribution console, continued: the applications queue, agent levels, products' own
commission, the referral-tree browser (an agent's chain upwards and team downwards) and the
commission ledger."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.actions import run_action
from app.admin.distribution_forms import AgentLevelForm, RejectForm
from app.admin.security import actor, area
from app.catalog.models import Product, Sku
from app.core.errors import DomainError
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.distribution import agents, binding, entry_refs, levels, product_rules, queries, team
from app.distribution.agent_models import AgentApplication
from app.distribution.commission_models import CommissionEntry
from app.distribution.ledger import account_of
from app.distribution.settings_models import AgentLevel
from app.extensions import db


@bp.get("/distribution/applications")
@area("distribution")
def application_list():
    statement = select(AgentApplication).where(AgentApplication.status == "pending").order_by(AgentApplication.id)
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda row: row)
    return render_template("admin/distribution/applications.html", page=page, names=_names(
        {row.user_id for row in page["items"]}), reject_form=RejectForm())


@bp.post("/distribution/applications/<int:application_id>/approve")
@area("distribution")
def application_approve(application_id: int):
    return _review(lambda: agents.approve(actor(), application_id), _("Approved."))


@bp.post("/distribution/applications/<int:application_id>/reject")
@area("distribution")
def application_reject(application_id: int):
    form = RejectForm()
    form.validate()
    return _review(lambda: agents.reject(actor(), application_id, form.reason.data or ""), _("Rejected."))


def _review(step, done: str):
    run_action(step, done)
    return redirect(url_for("admin.application_list"))


@bp.get("/distribution/levels")
@area("distribution")
def agent_level_list():
    rows = db.session.scalars(select(AgentLevel).order_by(AgentLevel.rank, AgentLevel.id)).all()
    return render_template("admin/distribution/levels.html", levels=rows)


@bp.route("/distribution/levels/new", methods=["GET", "POST"], defaults={"agent_level_id": None})
@bp.route("/distribution/levels/<int:agent_level_id>", methods=["GET", "POST"])
@area("distribution")
def agent_level_form(agent_level_id: int | None):
    level = db.get_or_404(AgentLevel, agent_level_id) if agent_level_id else None
    form = AgentLevelForm(data=AgentLevelForm.values_of(level) if level and request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            levels.save_level(actor(), level, name=form.name.data, rank=form.rank.data, rates=form.rates_bp(),
                              upgrade_rules=form.upgrade_rules())
        except DomainError as refusal:
            db.session.rollback()
            for name, message in refusal.fields.items():
                getattr(form, {"rates": "rate1", "upgrade_rules": "match"}.get(name, name)).errors.append(message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.agent_level_list"))
    return render_template("admin/distribution/level_form.html", form=form, level=level)


@bp.get("/distribution/tree/<int:user_id>")
@area("distribution")
def referral_tree(user_id: int):
    """One shopper in the referral tree: their chain of referrers up to the root, their team
    sizes, and the shoppers they brought in (each a link one level down)."""
    user = db.get_or_404(User, user_id)
    chain = binding.ancestors(user.id)
    statement = queries.team_members(user.id, 1)  # newest first, down (referrer_user_id, bound_at)
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda row: row)
    sizes = team.team_sizes({row.user_id for row in page["items"]})
    members = [(row, sizes[row.user_id]) for row in page["items"]]
    return render_template("admin/distribution/tree.html", user=user, agent=agents.agent_of(user.id),
                           chain=chain, size=team.team_size(user.id), members=members, page=page,
                           names=_names({*chain, *(row.user_id for row in page["items"])}),
                           bound=binding.binding_of(user.id))


@bp.get("/distribution/entries")
@area("distribution")
def commission_entries():
    statement = select(CommissionEntry).order_by(CommissionEntry.id.desc())
    agent_id = request.args.get("user_id", type=int)
    if agent_id:
        statement = statement.where(CommissionEntry.agent_user_id == agent_id)
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda row: row)
    return render_template("admin/distribution/entries.html", page=page, agent_id=agent_id,
                           account=account_of(agent_id) if agent_id else None,
                           names=_names({row.agent_user_id for row in page["items"]} | {agent_id} - {None}),
                           refs=entry_refs.references(page["items"]))


def _names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(user_ids))).all())


@bp.route("/distribution/products/<int:product_id>/commission", methods=["GET", "POST"])
@area("distribution")
def product_commission(product_id: int):
    """A product's own commission: none (inherit), excluded, its own rates, or fixed amounts."""
    product = db.get_or_404(Product, product_id)
    skus = db.session.scalars(select(Sku).where(Sku.product_id == product.id).order_by(Sku.id)).all()
    errors: dict[str, str] = {}
    if request.method == "POST":
        mode = request.form.get("mode", "")
        try:
            if mode == "inherit":
                product_rules.remove(actor(), product.id)
            else:
                product_rules.save(actor(), product.id, mode=mode,
                                   rates_bp=[_hundredths(request.form.get(f"rate{level}")) for level in (1, 2, 3)],
                                   fixed_fen={sku.id: [_hundredths(request.form.get(f"fixed-{sku.id}-{level}"))
                                                       for level in (1, 2, 3)] for sku in skus})
        except DomainError as refusal:
            db.session.rollback()
            errors = refusal.fields or {"mode": refusal.message}
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.product_commission", product_id=product.id))
    return render_template("admin/distribution/product_commission.html", product=product, skus=skus,
                           rule=product_rules.rule_of(product.id), errors=errors)


def _hundredths(text: str | None) -> int | None:
    """"12.5" (percent or yuan) → 1250 (basis points or fen); None when empty or not a number."""
    try:
        value = Decimal((text or "").strip() or "0") * 100
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else None
