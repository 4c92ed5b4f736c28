"""Demo subscribe-message templates, in sandbox mode only (real template ids are the merchant's)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import SubscribeTemplate
from app.notifications.services import configure_template

DEMO_TEMPLATES = {
    "order_shipped": ("sandbox-tpl-order-shipped", "pages/order/detail?id={order_id}", {
        "character_string1": "order_no", "thing2": "goods", "thing3": "express_company",
        "character_string4": "tracking_no", "time5": "shipped_at"}),
    "commission_credited": ("sandbox-tpl-commission-credited", "pages/agent/commissions", {
        "amount1": "amount", "character_string2": "order_no", "thing3": "buyer", "time4": "credited_at"}),
    "withdrawal_result": ("sandbox-tpl-withdrawal-result", "pages/agent/withdrawals", {
        "amount1": "amount", "phrase2": "result", "thing3": "reason", "time4": "decided_at"}),
}


def seed_subscribe_templates() -> list[str]:
    if not current_app.config.get("WECHAT_SANDBOX"):
        return ["subscribe templates: set them in the console (real template ids are yours)"]
    created = 0
    for kind, (template_id, page, fields) in DEMO_TEMPLATES.items():
        if db.session.scalar(select(SubscribeTemplate.id).where(SubscribeTemplate.kind == kind)) is None:
            configure_template(kind, template_id, page=page, fields=fields)
            created += 1
    return [f"subscribe templates: {created} created, {len(DEMO_TEMPLATES) - created} already there"]
