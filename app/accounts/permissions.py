"""Console permission areas and the built-in roles.

A permission is an area of the console; a role grants a set of areas. Every console page
and action names the area it belongs to, and the shell only shows what a role may use.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AREAS: dict[str, object] = {
    "products": _l("Products"),
    "orders": _l("Orders"),
    "distribution": _l("Distribution"),
    "finance": _l("Finance"),
    "marketing": _l("Marketing"),
    "wechat": _l("WeChat"),
    "members": _l("Members"),
    "settings": _l("Settings"),
    "reports": _l("Reports"),
}

BUILTIN_ROLES: dict[str, tuple[object, tuple[str, ...]]] = {
    "owner": (_l("Owner"), tuple(AREAS)),
    "operator": (_l("Operator"), ("products", "orders", "distribution", "marketing", "wechat", "members", "reports")),
    "finance": (_l("Finance"), ("finance", "orders", "distribution", "reports")),
    "service": (_l("Customer service"), ("orders", "members", "wechat")),
}
