"""The sidebar: one entry per console page group, shown only to roles that may use it.

Later issues add their pages here; an entry whose endpoint does not exist is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from app.admin import bp
from app.admin.security import ANY_STAFF
from app.shop import services as shop


@dataclass(frozen=True)
class MenuEntry:
    area: str
    label: object
    icon: str
    endpoint: str
    prefix: str
    group: object = None  # entries of one group are listed under its heading
    any_of: tuple[str, ...] = ()  # shown to whoever may use one of these areas (area is then ANY_STAFF)
    config_flag: str | None = None  # shown only when this config setting is on


WECHAT = _l("WeChat official account")
MARKETING = _l("Marketing")
DISTRIBUTION = _l("Distribution")
SETTINGS = _l("Settings")

ENTRIES = (
    MenuEntry(ANY_STAFF, _l("Dashboard"), "speedometer2", "admin.dashboard", "/admin/"),
    MenuEntry("products", _l("Products"), "box-seam", "admin.product_list", "/admin/products"),
    MenuEntry("products", _l("Categories"), "diagram-3", "admin.category_list", "/admin/categories"),
    MenuEntry("products", _l("Media library"), "images", "admin.media_library", "/admin/media"),
    MenuEntry("orders", _l("Orders"), "receipt", "admin.order_list", "/admin/orders"),
    MenuEntry("orders", _l("Exports"), "download", "admin.export_list", "/admin/exports"),
    MenuEntry("orders", _l("After-sales"), "arrow-counterclockwise", "admin.after_sale_list", "/admin/after-sales"),
    MenuEntry("members", _l("Members"), "person-vcard", "admin.member_list", "/admin/members"),
    MenuEntry("marketing", _l("Coupons"), "ticket-perforated", "admin.coupon_templates", "/admin/marketing/coupons",
              MARKETING),
    MenuEntry("marketing", _l("Coupon centre order"), "sort-down", "admin.coupon_centre_order",
              "/admin/marketing/coupon-centre", MARKETING),
    MenuEntry("marketing", _l("New-user gift pack"), "gift", "admin.new_user_pack", "/admin/marketing/new-user-pack",
              MARKETING),
    MenuEntry("marketing", _l("Full-reduction"), "percent", "admin.full_reductions",
              "/admin/marketing/full-reductions", MARKETING),
    MenuEntry("marketing", _l("Flash sale sessions"), "clock", "admin.flash_sessions",
              "/admin/marketing/flash-sessions", MARKETING),
    MenuEntry("marketing", _l("Flash sales"), "lightning", "admin.flash_sales", "/admin/marketing/flash-sales",
              MARKETING),
    MenuEntry("marketing", _l("Group buy"), "people", "admin.group_activities", "/admin/marketing/groups",
              MARKETING),
    MenuEntry("marketing", _l("Bargain"), "scissors", "admin.bargain_activities", "/admin/marketing/bargains",
              MARKETING),
    MenuEntry("marketing", _l("Points rules"), "coin", "admin.points_rules", "/admin/marketing/points", MARKETING),
    MenuEntry("marketing", _l("Sign-in"), "calendar-check", "admin.sign_in_rules", "/admin/marketing/sign-in",
              MARKETING),
    MenuEntry("members", _l("Member levels"), "award", "admin.level_list", "/admin/members/levels"),
    MenuEntry("distribution", _l("Agents"), "diagram-3", "admin.agent_list", "/admin/distribution/agents",
              DISTRIBUTION),
    MenuEntry("distribution", _l("Agent applications"), "person-plus", "admin.application_list",
              "/admin/distribution/applications", DISTRIBUTION),
    MenuEntry("distribution", _l("Agent levels"), "award", "admin.agent_level_list", "/admin/distribution/levels",
              DISTRIBUTION),
    MenuEntry("distribution", _l("Commission ledger"), "journal-richtext", "admin.commission_entries",
              "/admin/distribution/entries", DISTRIBUTION),
    MenuEntry("finance", _l("Withdrawals"), "cash-coin", "admin.withdrawal_list", "/admin/distribution/withdrawals",
              DISTRIBUTION),
    MenuEntry("distribution", _l("Poster templates"), "image", "admin.poster_templates", "/admin/posters",
              DISTRIBUTION),
    MenuEntry("distribution", _l("Poster performance"), "bar-chart", "admin.poster_report", "/admin/posters/report",
              DISTRIBUTION),
    MenuEntry("distribution", _l("Distribution settings"), "sliders", "admin.distribution_settings",
              "/admin/distribution/settings", DISTRIBUTION),
    MenuEntry("wechat", _l("Auto replies"), "chat-dots", "admin.wechat_rules", "/admin/wechat/replies", WECHAT),
    MenuEntry("wechat", _l("Custom menu"), "menu-button-wide", "admin.wechat_menu", "/admin/wechat/menu", WECHAT),
    MenuEntry("wechat", _l("Fans"), "people-fill", "admin.wechat_fans", "/admin/wechat/fans", WECHAT),
    MenuEntry("wechat", _l("Official account settings"), "shield-lock", "admin.wechat_settings",
              "/admin/wechat/settings", WECHAT),
    MenuEntry(ANY_STAFF, _l("WeChat simulator"), "phone", "admin.simulator", "/admin/simulator", WECHAT,
              any_of=("wechat", "finance"), config_flag="WECHAT_SANDBOX"),
    MenuEntry("settings", _l("Shop settings"), "gear", "admin.shop_settings", "/admin/settings/shop", SETTINGS),
    MenuEntry("settings", _l("Staff and roles"), "people", "admin.staff_list", "/admin/settings/staff", SETTINGS),
    MenuEntry("settings", _l("Audit log"), "journal-text", "admin.audit_log", "/admin/settings/audit", SETTINGS),
)


@bp.app_context_processor
def sidebar():
    def console_menu():
        staff = g.get("staff")
        items = []
        # the entry with the longest prefix of the path is the page's (/admin/posters/report
        # is 海报效果, not 海报模板)
        deepest = max((entry.prefix for entry in ENTRIES
                       if entry.prefix != "/admin/" and request.path.startswith(entry.prefix)), key=len, default=None)
        for entry in ENTRIES:
            if entry.endpoint not in current_app.view_functions or staff is None:
                continue
            if entry.area != ANY_STAFF and not staff.can(entry.area):
                continue
            if entry.any_of and not any(staff.can(name) for name in entry.any_of):
                continue
            if entry.config_flag and not current_app.config.get(entry.config_flag):
                continue
            if entry.prefix == "/admin/":
                active = request.path == entry.prefix
            else:
                active = entry.prefix == deepest
            items.append({"label": entry.label, "icon": entry.icon, "url": url_for(entry.endpoint), "active": active,
                          "group": entry.group})
        return items

    return {"console_menu": console_menu, "console_look": _console_look}


def _console_look() -> dict[str, str]:
    """The shop's look for the page; the defaults when the database cannot say, so the error
    page of a database outage still renders."""
    try:
        return shop.console_look()
    except SQLAlchemyError:
        return shop.default_look()
