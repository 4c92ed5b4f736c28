"""Every action the audit log records and every kind of thing it records it on, with the words
a merchant reads in the log (the codes are what callers pass to `audit.record`)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core.labels import labels


class AuditAction(StrEnum):
    PRODUCT_CREATE = "product.create"
    PRODUCT_UPDATE = "product.update"
    PRODUCT_DELETE = "product.delete"
    PRODUCT_SHELF = "product.shelf"
    PRODUCT_SKUS = "product.skus"
    PRODUCT_BATCH_PRICE = "product.batch_price_fen"
    PRODUCT_BATCH_ORIGINAL_PRICE = "product.batch_original_price_fen"
    PRODUCT_BATCH_COST = "product.batch_cost_fen"
    PRODUCT_BATCH_STOCK = "product.batch_stock"
    PRODUCT_BATCH_WEIGHT = "product.batch_weight_g"
    CATEGORY_CREATE = "category.create"
    CATEGORY_UPDATE = "category.update"
    CATEGORY_DELETE = "category.delete"
    SEARCH_HOT_WORDS = "search.hot_words"
    SHIPPING_TEMPLATE_CREATE = "shipping_template.create"
    SHIPPING_TEMPLATE_UPDATE = "shipping_template.update"
    SHIPPING_TEMPLATE_DELETE = "shipping_template.delete"
    ORDERS_EXPORT = "orders.export"
    AFTER_SALE_APPROVE = "after_sale.approve"
    AFTER_SALE_REJECT = "after_sale.reject"
    AFTER_SALE_RECEIVE = "after_sale.receive"
    AFTER_SALE_REFUND_OFFLINE = "after_sale.refund_offline"
    AFTER_SALE_AUTO_REFUND = "after_sale.auto_refund"
    BALANCE_ADJUST = "balance.adjust"
    POINTS_ADJUST = "points.adjust"
    MEMBER_DISABLE = "member.disable"
    MEMBER_ENABLE = "member.enable"
    MEMBER_LEVEL_SET = "member.level"
    LEVEL_SAVE = "level.save"
    GROWTH_SETTINGS_SAVE = "growth.settings"
    COUPON_TEMPLATE_SAVE = "coupon_template.save"
    COUPON_TEMPLATE_SEND = "coupon_template.send"
    COUPON_SETTINGS_SAVE = "coupon_settings.save"
    COUPON_CENTRE_ORDER = "coupon_centre.order"
    FULL_REDUCTION_CREATE = "full_reduction.create"
    FULL_REDUCTION_UPDATE = "full_reduction.update"
    FULL_REDUCTION_ENABLE = "full_reduction.enable"
    FULL_REDUCTION_DISABLE = "full_reduction.disable"
    BARGAIN_CREATE = "bargain.create"
    BARGAIN_UPDATE = "bargain.update"
    BARGAIN_STOP = "bargain.stop"
    GROUP_ACTIVITY_CREATE = "group_activity.create"
    GROUP_ACTIVITY_UPDATE = "group_activity.update"
    GROUP_ACTIVITY_STOP = "group_activity.stop"
    FLASH_SESSION_CREATE = "flash_session.create"
    FLASH_SESSION_UPDATE = "flash_session.update"
    FLASH_SESSION_DELETE = "flash_session.delete"
    FLASH_SALE_CREATE = "flash_sale.create"
    FLASH_SALE_UPDATE = "flash_sale.update"
    FLASH_SALE_STOP = "flash_sale.stop"
    FLASH_SALE_END = "flash_sale.end"
    POINTS_RULES_UPDATE = "points_rules.update"
    SIGN_IN_RULES_UPDATE = "sign_in_rules.update"
    SETTINGS_SAVE = "settings.save"
    AGENT_APPOINT = "agent.appoint"
    AGENT_APPROVE = "agent.approve"
    AGENT_REJECT = "agent.reject"
    AGENT_LEVEL = "agent.level"
    AGENT_DISABLE = "agent.disable"
    AGENT_ENABLE = "agent.enable"
    AGENT_REMOVE = "agent.remove"
    AGENT_UPGRADE = "agent.upgrade"
    PRODUCT_RULE_SAVE = "product_rule.save"
    PRODUCT_RULE_REMOVE = "product_rule.remove"
    WITHDRAWAL_APPROVE = "withdrawal.approve"
    WITHDRAWAL_REJECT = "withdrawal.reject"
    WITHDRAWAL_PAID = "withdrawal.paid"
    POSTER_TEMPLATE_ENABLE = "poster_template.enable"
    POSTER_TEMPLATE_DISABLE = "poster_template.disable"
    POSTER_TEMPLATE_DEFAULT = "poster_template.default"
    POSTER_TEMPLATE_BACKGROUND = "poster_template.background"
    MENU_SAVE = "menu.save"
    MENU_PUBLISH = "menu.publish"
    MENU_PULL = "menu.pull"
    REPLY_RULE_CREATE = "reply_rule.create"
    REPLY_RULE_UPDATE = "reply_rule.update"
    REPLY_RULE_DELETE = "reply_rule.delete"
    SPECIAL_REPLY_SAVE = "special_reply.save"
    SPECIAL_REPLY_DELETE = "special_reply.delete"
    OA_SETTINGS_SAVE = "oa_settings.save"
    SHOP_UPDATE = "shop.update"
    STAFF_CREATE = "staff.create"
    STAFF_UPDATE = "staff.update"
    ROLE_SAVE = "role.save"


AUDIT_ACTION_LABELS = labels(AuditAction, {
    AuditAction.PRODUCT_CREATE: _l("Product created"), AuditAction.PRODUCT_UPDATE: _l("Product changed"),
    AuditAction.PRODUCT_DELETE: _l("Product deleted"), AuditAction.PRODUCT_SHELF: _l("Product put on or off shelf"),
    AuditAction.PRODUCT_SKUS: _l("Product specs changed"),
    AuditAction.PRODUCT_BATCH_PRICE: _l("Prices set in bulk"),
    AuditAction.PRODUCT_BATCH_ORIGINAL_PRICE: _l("Original prices set in bulk"),
    AuditAction.PRODUCT_BATCH_COST: _l("Costs set in bulk"), AuditAction.PRODUCT_BATCH_STOCK: _l("Stock set in bulk"),
    AuditAction.PRODUCT_BATCH_WEIGHT: _l("Weights set in bulk"),
    AuditAction.CATEGORY_CREATE: _l("Category created"), AuditAction.CATEGORY_UPDATE: _l("Category changed"),
    AuditAction.CATEGORY_DELETE: _l("Category deleted"), AuditAction.SEARCH_HOT_WORDS: _l("Hot search words changed"),
    AuditAction.SHIPPING_TEMPLATE_CREATE: _l("Shipping template created"),
    AuditAction.SHIPPING_TEMPLATE_UPDATE: _l("Shipping template changed"),
    AuditAction.SHIPPING_TEMPLATE_DELETE: _l("Shipping template deleted"),
    AuditAction.ORDERS_EXPORT: _l("Orders exported"),
    AuditAction.AFTER_SALE_APPROVE: _l("After-sale approved"), AuditAction.AFTER_SALE_REJECT: _l("After-sale rejected"),
    AuditAction.AFTER_SALE_RECEIVE: _l("Return received"),
    AuditAction.AFTER_SALE_REFUND_OFFLINE: _l("Refunded offline"),
    AuditAction.AFTER_SALE_AUTO_REFUND: _l("Order refunded automatically"),
    AuditAction.BALANCE_ADJUST: _l("Balance adjusted"), AuditAction.POINTS_ADJUST: _l("Points adjusted"),
    AuditAction.MEMBER_DISABLE: _l("Member disabled"), AuditAction.MEMBER_ENABLE: _l("Member enabled"),
    AuditAction.MEMBER_LEVEL_SET: _l("Member level set"),
    AuditAction.LEVEL_SAVE: _l("Member level saved"), AuditAction.GROWTH_SETTINGS_SAVE: _l("Growth rules saved"),
    AuditAction.SETTINGS_SAVE: _l("Distribution settings saved"),
    AuditAction.AGENT_APPOINT: _l("Agent appointed"), AuditAction.AGENT_APPROVE: _l("Agent application approved"),
    AuditAction.AGENT_REJECT: _l("Agent application rejected"), AuditAction.AGENT_LEVEL: _l("Agent level set"),
    AuditAction.AGENT_UPGRADE: _l("Agent upgraded"), AuditAction.AGENT_DISABLE: _l("Agent disabled"),
    AuditAction.AGENT_ENABLE: _l("Agent re-enabled"), AuditAction.AGENT_REMOVE: _l("Agent removed"),
    AuditAction.PRODUCT_RULE_SAVE: _l("Product commission saved"),
    AuditAction.PRODUCT_RULE_REMOVE: _l("Product commission removed"),
    AuditAction.WITHDRAWAL_APPROVE: _l("Withdrawal approved"), AuditAction.WITHDRAWAL_REJECT: _l("Withdrawal rejected"),
    AuditAction.WITHDRAWAL_PAID: _l("Withdrawal marked as paid"),
    AuditAction.POSTER_TEMPLATE_ENABLE: _l("Poster template enabled"),
    AuditAction.POSTER_TEMPLATE_DISABLE: _l("Poster template disabled"),
    AuditAction.POSTER_TEMPLATE_DEFAULT: _l("Default poster template set"),
    AuditAction.POSTER_TEMPLATE_BACKGROUND: _l("Poster background changed"),
    AuditAction.MENU_SAVE: _l("Menu saved"), AuditAction.MENU_PUBLISH: _l("Menu published"),
    AuditAction.MENU_PULL: _l("Menu loaded from WeChat"),
    AuditAction.REPLY_RULE_CREATE: _l("Auto reply created"), AuditAction.REPLY_RULE_UPDATE: _l("Auto reply changed"),
    AuditAction.REPLY_RULE_DELETE: _l("Auto reply deleted"),
    AuditAction.SPECIAL_REPLY_SAVE: _l("Special reply saved"),
    AuditAction.SPECIAL_REPLY_DELETE: _l("Special reply deleted"),
    AuditAction.OA_SETTINGS_SAVE: _l("Official account settings saved"),
    AuditAction.SHOP_UPDATE: _l("Shop settings saved"), AuditAction.STAFF_CREATE: _l("Staff added"),
    AuditAction.STAFF_UPDATE: _l("Staff changed"), AuditAction.ROLE_SAVE: _l("Role saved"),
    AuditAction.COUPON_TEMPLATE_SAVE: _l("Coupon saved"), AuditAction.COUPON_TEMPLATE_SEND: _l("Coupons sent"),
    AuditAction.COUPON_SETTINGS_SAVE: _l("Coupon settings saved"),
    AuditAction.COUPON_CENTRE_ORDER: _l("Coupon centre reordered"),
    AuditAction.FULL_REDUCTION_CREATE: _l("Full-reduction activity created"),
    AuditAction.FULL_REDUCTION_UPDATE: _l("Full-reduction activity changed"),
    AuditAction.FULL_REDUCTION_ENABLE: _l("Full-reduction activity enabled"),
    AuditAction.FULL_REDUCTION_DISABLE: _l("Full-reduction activity stopped"),
    AuditAction.BARGAIN_CREATE: _l("Bargain activity created"),
    AuditAction.BARGAIN_UPDATE: _l("Bargain activity changed"),
    AuditAction.BARGAIN_STOP: _l("Bargain activity stopped early"),
    AuditAction.GROUP_ACTIVITY_CREATE: _l("Group-buy activity created"),
    AuditAction.GROUP_ACTIVITY_UPDATE: _l("Group-buy activity changed"),
    AuditAction.GROUP_ACTIVITY_STOP: _l("Group-buy activity stopped early"),
    AuditAction.FLASH_SESSION_CREATE: _l("Flash sale session created"),
    AuditAction.FLASH_SESSION_UPDATE: _l("Flash sale session changed"),
    AuditAction.FLASH_SESSION_DELETE: _l("Flash sale session deleted"),
    AuditAction.FLASH_SALE_CREATE: _l("Flash sale created"),
    AuditAction.FLASH_SALE_UPDATE: _l("Flash sale changed"),
    AuditAction.FLASH_SALE_STOP: _l("Flash sale stopped early"),
    AuditAction.FLASH_SALE_END: _l("Flash sale ended, unsold stock returned"),
    AuditAction.POINTS_RULES_UPDATE: _l("Points rules saved"),
    AuditAction.SIGN_IN_RULES_UPDATE: _l("Sign-in rules saved"),
})


class AuditTarget(StrEnum):
    PRODUCT = "product"
    CATEGORY = "category"
    SHIPPING_TEMPLATE = "shipping_template"
    SHOP = "shop"
    EXPORT = "export"
    AFTER_SALE = "after_sale"
    ORDER = "order"
    USER = "user"
    MEMBER_LEVEL = "member_level"
    GROWTH_SETTINGS = "growth_settings"
    COUPON_TEMPLATE = "coupon_template"
    COUPON_SETTINGS = "coupon_settings"
    COUPON_CENTRE = "coupon_centre"
    FULL_REDUCTION = "full_reduction"
    BARGAIN_ACTIVITY = "bargain_activity"
    GROUP_ACTIVITY = "group_activity"
    FLASH_SESSION = "flash_session"
    FLASH_SALE = "flash_sale"
    POINTS_RULES = "points_rules"
    SIGN_IN_RULES = "sign_in_rules"
    AGENT_LEVEL = "agent_level"
    DISTRIBUTION_SETTINGS = "distribution_settings"
    WITHDRAWAL = "withdrawal"
    POSTER_TEMPLATE = "poster_template"
    OA_MENU = "oa_menu"
    OA_KEYWORD_RULE = "oa_keyword_rule"
    OA_SPECIAL_REPLY = "oa_special_reply"
    OA_SETTINGS = "oa_settings"
    STAFF = "staff"
    ROLE = "role"


AUDIT_TARGET_LABELS = labels(AuditTarget, {
    AuditTarget.PRODUCT: _l("Product"), AuditTarget.CATEGORY: _l("Category"),
    AuditTarget.SHIPPING_TEMPLATE: _l("Shipping template"), AuditTarget.SHOP: _l("Shop"),
    AuditTarget.EXPORT: _l("Export"), AuditTarget.AFTER_SALE: _l("After-sale"),
    AuditTarget.ORDER: _l("Order"), AuditTarget.USER: _l("Member"),
    AuditTarget.MEMBER_LEVEL: _l("Member level"),
    AuditTarget.GROWTH_SETTINGS: _l("Growth rules"), AuditTarget.AGENT_LEVEL: _l("Agent level"),
    AuditTarget.DISTRIBUTION_SETTINGS: _l("Distribution settings"), AuditTarget.WITHDRAWAL: _l("Withdrawal"),
    AuditTarget.POSTER_TEMPLATE: _l("Poster template"), AuditTarget.OA_MENU: _l("Custom menu"),
    AuditTarget.OA_KEYWORD_RULE: _l("Auto reply"), AuditTarget.OA_SPECIAL_REPLY: _l("Special reply"),
    AuditTarget.OA_SETTINGS: _l("Official account settings"),
    AuditTarget.STAFF: _l("Staff"), AuditTarget.ROLE: _l("Role"),
    AuditTarget.COUPON_TEMPLATE: _l("Coupon"), AuditTarget.COUPON_SETTINGS: _l("Coupon settings"),
    AuditTarget.COUPON_CENTRE: _l("Coupon centre"),
    AuditTarget.FULL_REDUCTION: _l("Full-reduction activity"),
    AuditTarget.BARGAIN_ACTIVITY: _l("Bargain activity"),
    AuditTarget.GROUP_ACTIVITY: _l("Group-buy activity"),
    AuditTarget.FLASH_SESSION: _l("Flash sale session"), AuditTarget.FLASH_SALE: _l("Flash sale"),
    AuditTarget.POINTS_RULES: _l("Points rules"),
    AuditTarget.SIGN_IN_RULES: _l("Sign-in rules"),
})
