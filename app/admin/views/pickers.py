"""What the console's pickers list (app/admin/static/pickers.js): members, agents, products,
a product's SKUs, categories, the shop's pages and the official account's WeChat materials
and published articles (read from WeChat, its offsets as the cursor), as JSON for the picker dialog, so that no
form asks the merchant for an id; and the typed link (app/shop/links.py) of what was picked.
Each list is the console list's own query (the same keyword rules: an id
or an exact code, or the start of a name or phone — indexed, never a scan for text in the
middle), a keyset page at a time, and answers the same item shape: {id, title, subtitle,
image}. Each needs the permission of the page its items belong to."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.admin import bp
from app.admin.security import any_staff, area
from app.catalog import manage
from app.catalog.models import Category, Product
from app.core.money import fen_to_yuan
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.distribution import agent_listing
from app.distribution.states import AGENT_STATUS_LABELS
from app.extensions import db
from app.members import services as members
from app.officialaccount import materials
from app.shop import links

PICKER_PAGE_SIZE = 20


def _page(statement, serialise) -> dict:
    """A picker's page: its items and the cursor of the next (no count: a picker never shows one)."""
    query = validate(PageQuery, {**request.args.to_dict(), "size": PICKER_PAGE_SIZE})
    page = paginate(statement, query, serialise, count=0)
    return {"items": page["items"], "next_cursor": page.get("next_cursor")}


def _keyword() -> str:
    return request.args.get("q", "").strip()[:64]


@bp.get("/pick/members")
@area("members")
def pick_members():
    def item(user: User) -> dict:
        return {"id": user.id, "title": f"#{user.id} {user.nickname or _('(no nickname)')}",
                "subtitle": user.phone or "", "image": user.avatar_url}

    return jsonify(_page(members.search_members(_keyword() or None), item))


@bp.get("/pick/agents")
@area("distribution")
def pick_agents():
    page = _page(agent_listing.agent_ids(_keyword(), request.args.get("status", "")), lambda agent_id: agent_id)
    page["items"] = [{"id": user.id, "title": f"#{user.id} {user.nickname or _('(no nickname)')}",
                      "subtitle": f"{agent.invite_code} · {AGENT_STATUS_LABELS[agent.status]}",
                      "image": user.avatar_url}
                     for agent, user, _team, _account in agent_listing.agent_rows(page["items"])]
    return jsonify(page)


@bp.get("/pick/products")
@area("products")
def pick_products():
    statement = manage.product_list(keyword=_keyword() or None, category_id=request.args.get("category_id", type=int),
                                    shelf=request.args.get("shelf") or None)

    def item(product: Product) -> dict:
        return {"id": product.id, "title": product.title,
                "subtitle": _("From ¥%(price)s · %(state)s", price=fen_to_yuan(product.min_price_fen),
                              state=_("On shelf") if product.is_on_shelf else _("Off shelf")),
                "image": product.cover_url}

    return jsonify(_page(statement, item))


@bp.get("/pick/products/<int:product_id>/skus")
@area("products")
def pick_skus(product_id: int):
    product = db.get_or_404(Product, product_id, options=[selectinload(Product.skus)])
    items = [{"id": sku.id, "title": f"{product.title} {'/'.join(sku.specs.values()) or _('Default')}",
              "subtitle": _("¥%(price)s · stock %(stock)s", price=fen_to_yuan(sku.price_fen), stock=sku.stock),
              "image": sku.image_url or product.cover_url}
             for sku in sorted(product.skus, key=lambda sku: sku.id)]
    return jsonify({"items": items, "next_cursor": None})


@bp.get("/pick/skus")
@area("products")
def pick_all_skus():
    """SKUs, found by their product (the product list's keyword rules), each product's SKUs
    together: an activity sells one SKU."""
    statement = manage.product_list(keyword=_keyword() or None, category_id=None, shelf=None)
    page = _page(statement.options(selectinload(Product.skus)), lambda product: product)
    page["items"] = [{"id": sku.id, "title": f"{product.title} {'/'.join(sku.specs.values()) or _('Default')}",
                      "subtitle": _("¥%(price)s · stock %(stock)s", price=fen_to_yuan(sku.price_fen), stock=sku.stock),
                      "image": sku.image_url or product.cover_url}
                     for product in page["items"] for sku in sorted(product.skus, key=lambda sku: sku.id)]
    return jsonify(page)


@bp.get("/pick/categories")
@area("products")
def pick_categories():
    """Every category, parents before their children (a shop has tens, not thousands)."""
    rows = db.session.scalars(select(Category).order_by(Category.sort.desc(), Category.id)).all()
    names = {category.id: category.name for category in rows}
    top = [category for category in rows if category.parent_id is None]
    ordered = []
    for parent in top:
        ordered.append(parent)
        ordered.extend(category for category in rows if category.parent_id == parent.id)
    items = [{"id": category.id, "image": category.icon_url, "parent_id": category.parent_id,
              "title": category.name if category.parent_id is None else f"{names.get(category.parent_id, '')} / "
                                                                       f"{category.name}",
              "subtitle": ""} for category in ordered]
    return jsonify({"items": items, "next_cursor": None})



@bp.get("/pick/pages")
@any_staff
def pick_pages():
    items = [{"id": path, "title": str(title), "subtitle": path, "image": ""} for path, title in links.PAGES]
    return jsonify({"items": items, "next_cursor": None})


@bp.get("/pick/wechat-materials")
@area("wechat")
def pick_wechat_materials():
    page = materials.material_page(request.args.get("cursor"), only=request.args.get("type"))
    return jsonify({"items": page.items, "next_cursor": page.next_cursor})


@bp.get("/pick/wechat-articles")
@area("wechat")
def pick_wechat_articles():
    page = materials.published_article_page(request.args.get("cursor"))
    return jsonify({"items": page.items, "next_cursor": page.next_cursor})


@bp.get("/pick/link")
@any_staff
def pick_link():
    """The stored form of a picked or typed link, checked (422 naming the field when it is not
    one), with the mini-program path it opens."""
    args = request.args
    identifier = args.get("id", "")
    link = links.resolve(args.get("type", ""), id=int(identifier) if identifier.isascii() and identifier.isdigit()
                         and len(identifier) < 10 else None, path=args.get("path", ""), url=args.get("url", ""))
    return jsonify({"link": link, "path": links.mini_path(link)})
