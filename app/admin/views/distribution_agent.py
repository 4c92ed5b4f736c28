"""One agent in the console: account totals, level, referrer chain, direct team, commission
lines and entries, withdrawals, binding history, and the merchant's actions on them
(appoint, disable, re-enable, remove, set level) — linked from the agents list and the tree."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.actions import run_action
from app.admin.distribution_forms import AppointForm
from app.admin.security import actor, area
from app.distribution import agents, binding, entry_refs, queries, rollups, team
from app.distribution.commission_models import CommissionEntry
from app.distribution.ledger import account_of
from app.distribution.settings_models import AgentLevel
from app.extensions import db

SHOWN = 20


@bp.get("/distribution/agents/<int:user_id>")
@area("distribution")
def agent_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    agent = agents.agent_of(user.id)
    chain = binding.ancestors(user.id)
    direct = db.session.scalars(queries.team_members(user.id, 1).limit(SHOWN)).all()
    lines = queries.commissions_out(list(db.session.scalars(queries.commission_lines(user.id).limit(SHOWN))))
    entries = db.session.scalars(select(CommissionEntry).where(CommissionEntry.agent_user_id == user.id)
                                 .order_by(CommissionEntry.id.desc()).limit(SHOWN)).all()
    withdrawals = db.session.scalars(queries.withdrawals_of(user.id).limit(SHOWN)).all()
    history = queries.binding_history(user.id, SHOWN)
    levels = db.session.scalars(select(AgentLevel).order_by(AgentLevel.rank, AgentLevel.id)).all()
    shown_ids = {*chain, *(row.user_id for row in direct), *(row.user_id for row in history),
                 *(row.referrer_user_id for row in history if row.referrer_user_id),
                 *(row.previous_referrer_user_id for row in history if row.previous_referrer_user_id)}
    names = dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(shown_ids))).all()) \
        if shown_ids else {}
    return render_template("admin/distribution/agent_detail.html", user=user, agent=agent, chain=chain,
                           account=account_of(user.id), size=team.team_size(user.id),
                           periods=rollups.current_periods(user.id), direct=direct, lines=lines,
                           entries=entries, refs=entry_refs.references(entries), withdrawals=withdrawals,
                           history=history, levels=levels,
                           level_names={level.id: level.name for level in levels}, names=names,
                           appoint_form=AppointForm(user_id=user.id))


@bp.post("/distribution/agents/<int:user_id>/level")
@area("distribution")
def agent_set_level(user_id: int):
    text = request.form.get("level_id", "").strip()
    level_id = int(text) if text.isdigit() else None
    run_action(lambda: agents.set_level(actor(), user_id, level_id), _("Saved."))
    return redirect(url_for("admin.agent_detail", user_id=user_id))
