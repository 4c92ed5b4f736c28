"""Official account: keyword auto-replies (list, create, edit, enable/disable, delete), audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.nested_form import describe
from app.admin.security import actor, area
from app.admin.wechat_forms import MATCH_TYPES, REPLY_KINDS, rule_from_form, rule_snapshot
from app.audit import services as audit
from app.core.errors import DomainError
from app.core.pagination import PageQuery, paginate_list
from app.core.validation import validate
from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.models import KeywordRule
from app.shop.models import ShopSettings

NEW_RULE = {"name": "", "keywords": [{"text": "", "match": "exact"}], "priority": 0, "kind": "text",
            "content": {}, "is_enabled": True}


def account_name() -> str:
    """The name the preview shows at the top of the chat: the shop's."""
    settings = db.session.get(ShopSettings, 1)
    return settings.name if settings is not None else ShopSettings.name.default.arg


@bp.context_processor
def wechat_page_helpers():
    return {"describe_path": describe, "account_name": account_name}


def _record(action: str, rule_id: int, name: str, before: dict | None, after: dict | None) -> None:
    if before is not None and after is not None:
        before, after = audit.changed_fields(before, after)
    audit.record(actor(), area="wechat", action=f"reply_rule.{action}", target_type="oa_keyword_rule",
                 target_id=rule_id, summary=name, before=before, after=after)


@bp.get("/wechat/replies")
@area("wechat")
def wechat_replies():
    return redirect(url_for("admin.wechat_rules"))


@bp.get("/wechat/replies/keywords")
@area("wechat")
def wechat_rules():
    args = request.args
    enabled = {"1": True, "0": False}.get(args.get("enabled", ""))
    match = args.get("match") if args.get("match") in MATCH_TYPES else None
    sort = args.get("sort") if args.get("sort") in replies.RULE_SORTS else "priority"
    rules = replies.search_keyword_rules(args.get("q"), match=match, enabled=enabled, sort=sort)
    page = paginate_list(rules, validate(PageQuery, args.to_dict()))
    return render_template("admin/wechat/rules.html", page=page, args=args, match_types=MATCH_TYPES,
                           kinds=REPLY_KINDS, sorts=replies.RULE_SORTS)


@bp.route("/wechat/replies/keywords/new", methods=["GET", "POST"])
@bp.route("/wechat/replies/keywords/<int:rule_id>", methods=["GET", "POST"])
@area("wechat")
def wechat_rule_edit(rule_id: int | None = None):
    rule = db.get_or_404(KeywordRule, rule_id) if rule_id else None
    values = rule_snapshot(rule) if rule else NEW_RULE
    errors: dict[str, str] = {}
    if request.method == "POST":
        data, values = rule_from_form(request.form)
        try:
            if rule is None:
                created = replies.create_keyword_rule(**data)
                _record("create", created.id, created.name, None, rule_snapshot(created))
            else:
                before = rule_snapshot(rule)
                replies.update_keyword_rule(rule.id, **data)
                _record("update", rule.id, rule.name, before, rule_snapshot(rule))
        except DomainError as refusal:
            db.session.rollback()
            errors = refusal.fields or {"__all__": refusal.message}
        else:
            db.session.commit()
            flash(_("Saved. Fans get the new reply from now on."), "success")
            return redirect(url_for("admin.wechat_rules"))
    return render_template("admin/wechat/rule_form.html", rule=rule, values=values, errors=errors,
                           match_types=MATCH_TYPES, kinds=REPLY_KINDS), 422 if errors else 200


@bp.post("/wechat/replies/keywords/<int:rule_id>/toggle")
@area("wechat")
def wechat_rule_toggle(rule_id: int):
    rule = db.get_or_404(KeywordRule, rule_id)
    before = rule_snapshot(rule)
    replies.update_keyword_rule(rule.id, is_enabled=not rule.is_enabled)
    _record("update", rule.id, rule.name, before, rule_snapshot(rule))
    db.session.commit()
    flash(_("Enabled %(name)s.", name=rule.name) if rule.is_enabled else _("Disabled %(name)s.", name=rule.name),
          "success")
    return redirect(request.referrer if _same_page(request.referrer) else url_for("admin.wechat_rules"))


@bp.post("/wechat/replies/keywords/<int:rule_id>/delete")
@area("wechat")
def wechat_rule_delete(rule_id: int):
    rule = db.get_or_404(KeywordRule, rule_id)
    before, name = rule_snapshot(rule), rule.name
    replies.delete_keyword_rule(rule.id)
    _record("delete", rule_id, name, before, None)
    db.session.commit()
    flash(_("Deleted %(name)s.", name=name), "success")
    return redirect(url_for("admin.wechat_rules"))


def _same_page(referrer: str | None) -> bool:
    """Go back to the filtered list the toggle was pressed on, never to another site."""
    if not referrer:
        return False
    root = request.host_url.rstrip("/")
    return referrer.startswith(root + url_for("admin.wechat_rules"))
