"""Products in the console: the list with batch shelf and delete, the editor with its spec
matrix, image uploads — and who may do them."""

from __future__ import annotations

import io
import json
from datetime import datetime

from PIL import Image

from app.audit.models import AuditEntry
from app.catalog.models import Product, Sku
from app.extensions import db
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post

COLOURS_SIZES = [{"name": "颜色", "values": ["红", "蓝"]}, {"name": "尺码", "values": ["S", "M"]}]


def _client_as(app, role: str):
    make_staff(f"u_{role}", role=role)
    client = app.test_client()
    log_in(client, f"u_{role}")
    return client


def _row(specs: dict, price: str = "19.90", stock: str = "5", **fields) -> dict:
    return {"specs": specs, "price": price, "original_price": "", "cost": "", "stock": stock, "weight_g": "300",
            "code": "", "image_url": "", **fields}


def _rows(matrix: list[dict], **fields) -> list[dict]:
    from app.catalog.skus import combinations

    return [_row(combo, **fields) for combo in combinations(matrix)]


def _form(category, matrix: list[dict], rows: list[dict], **changes) -> dict:
    """What the editor posts: the detail fields and the spec table as JSON (yuan, as typed)."""
    return {"title": "纯棉T恤", "subtitle": "", "category_id": str(category.id), "image_urls": "", "detail_html": "",
            "sort": "0", "virtual_sales": "0", "stock_alert_threshold": "10", "share_title": "",
            "share_image_url": "", "shipping_template_id": "", "on_shelf_at": "", "off_shelf_at": "",
            "matrix_json": json.dumps({"spec_matrix": matrix, "skus": rows}), **changes}


def _save(client, path: str, form: dict):
    return post(client, path, form, token_path="/admin/products/new")


def _skus(product_id: int) -> dict[str, Sku]:
    db.session.expire_all()
    return {"/".join(sku.specs.values()): sku for sku in db.session.get(Product, product_id).skus}


def test_a_finance_user_cannot_reach_products_or_categories(app):
    product = factories.product(factories.category(), "坚果礼盒")
    client = _client_as(app, "finance")
    for path in ("/admin/products", "/admin/products/new", f"/admin/products/{product.id}", "/admin/categories"):
        assert client.get(path).status_code == 403, path
    for path, data in ((f"/admin/products/{product.id}/shelf", {"on_shelf": "0"}),
                       ("/admin/products/batch", {"action": "delete", "product_ids": str(product.id)}),
                       (f"/admin/products/{product.id}", _form(product.category, [], [_row({})], title="改名"))):
        assert post(client, path, data).status_code == 403, path
    db.session.expire_all()
    fresh = db.session.get(Product, product.id)
    assert fresh.is_on_shelf and fresh.title == "坚果礼盒" and fresh.deleted_at is None


def test_an_operator_takes_a_product_off_the_shelf_and_it_leaves_the_storefront(app, client):
    product = factories.product(factories.category(), "坚果礼盒")
    console = _client_as(app, "operator")
    response = post(console, f"/admin/products/{product.id}/shelf", {"on_shelf": "0"}, token_path="/admin/products")
    assert response.status_code == 302
    assert client.get(f"/api/v1/products/{product.id}").status_code == 404
    entry = db.session.query(AuditEntry).filter_by(action="product.shelf").one()
    assert entry.before == {"is_on_shelf": True} and entry.after == {"is_on_shelf": False}


def test_list_filters_by_shelf_and_keyword_and_says_why_a_product_is_hidden(app):
    shelf = factories.category("零食")
    factories.product(shelf, "牛肉干")
    factories.product(shelf, "鸡蛋糕", on_shelf=False)
    client = _client_as(app, "owner")
    off = client.get("/admin/products?shelf=off").get_data(as_text=True)
    assert "鸡蛋糕" in off and "牛肉干" not in off
    assert "not-visible-reason" in off
    assert "鸡蛋糕" not in client.get("/admin/products?q=牛肉").get_data(as_text=True)


def test_the_list_says_when_a_hidden_category_hides_a_product(app):
    factories.product(factories.category("隐藏的分类", visible=False), "看不见的商品")
    html = _client_as(app, "owner").get("/admin/products").get_data(as_text=True)
    assert "隐藏的分类" in html and "not-visible-reason" in html


def _home_column(html: str) -> dict[str, str]:
    """Each listed product's title → what its 首页展示 cell says."""
    import re

    cells = {}
    for row in html.split("<tr>")[2:]:
        title = re.search(r'<a href="/admin/products/\d+">([^<]+)</a>', row).group(1)
        cell = re.search(r'<td class="home-page small"[^>]*>(.*?)</td>', row, re.S).group(1)
        cells[title] = re.sub(r"<[^>]+>|\s+", "", cell)
    return cells


def test_the_list_says_which_products_are_on_the_home_page_and_why_the_others_are_not(app):
    # given a recommended product, an ordinary one, a recommended one off shelf, and one
    # recommended product more than the home page holds (the lowest sort value)
    from app.catalog.services import HOME_RECOMMENDED

    shelf = factories.category("零食")
    factories.product(shelf, "普通饼干", sort=50)
    factories.product(shelf, "下架的推荐", is_recommended=True, on_shelf=False, sort=50)
    factories.product(shelf, "排在后面的推荐", is_recommended=True, sort=0)
    for index in range(HOME_RECOMMENDED - 1):
        factories.product(shelf, f"推荐{index}", is_recommended=True, sort=10)
    factories.product(shelf, "推荐的牛肉干", is_recommended=True, sort=20)
    # when the merchant opens the product list
    html = _client_as(app, "owner").get("/admin/products?size=50").get_data(as_text=True)
    # then the page says the home page shows only 推荐 products and how to mark one, and each row
    # says whether it is on the home page and, if not, why
    assert (f"首页“为你推荐”只展示勾选了“推荐”且顾客可见的商品，按排序值取前 {HOME_RECOMMENDED} 个。"
            "要让商品上首页，请在商品编辑页勾选“推荐”。") in html
    home = _home_column(html)
    assert home["推荐的牛肉干"] == home["推荐0"] == "展示中（推荐）"
    assert home["普通饼干"] == "不展示：未勾选“推荐”"
    assert home["下架的推荐"] == "不展示：已勾选“推荐”，但顾客看不到"
    assert home["排在后面的推荐"] == f"不展示：已勾选“推荐”，但首页只展示排序前{HOME_RECOMMENDED}个"
    on_home = {item["title"] for item in app.test_client().get("/api/v1/home").get_json()["recommended"]}
    assert on_home == {title for title, said in home.items() if said == "展示中（推荐）"}


def test_creating_a_product_with_a_matrix_makes_every_combination_in_fen(app, client):
    shelf = factories.category("服装")
    console = _client_as(app, "owner")
    rows = _rows(COLOURS_SIZES)
    rows[3]["price"] = "25.50"
    response = _save(console, "/admin/products/new", _form(shelf, COLOURS_SIZES, rows, on_shelf="1",
                                                          detail_html='<p onclick="x()">好<script>1</script></p>'))
    assert response.status_code == 302
    product = db.session.query(Product).filter_by(title="纯棉T恤").one()
    assert response.headers["Location"].endswith(f"/admin/products/{product.id}")
    skus = _skus(product.id)
    assert sorted(skus) == sorted(["红/S", "红/M", "蓝/S", "蓝/M"])
    assert skus["红/S"].price_fen == 1990 and skus["蓝/M"].price_fen == 2550 and skus["红/M"].weight_g == 300
    assert product.detail_html == "<p>好</p>" and product.is_on_shelf
    assert db.session.query(AuditEntry).filter_by(action="product.create").count() == 1
    shown = client.get(f"/api/v1/products/{product.id}").get_json()
    assert len(shown["skus"]) == 4 and shown["spec_matrix"] == COLOURS_SIZES


def test_a_new_product_stays_off_shelf_unless_asked(app):
    console = _client_as(app, "owner")
    assert _save(console, "/admin/products/new", _form(factories.category(), [], [_row({})])).status_code == 302
    assert db.session.query(Product).filter_by(title="纯棉T恤").one().is_on_shelf is False


def test_adding_a_value_keeps_the_existing_skus_and_adds_the_new_combinations(app):
    console = _client_as(app, "owner")
    shelf = factories.category()
    _save(console, "/admin/products/new", _form(shelf, COLOURS_SIZES, _rows(COLOURS_SIZES, stock="7")))
    product = db.session.query(Product).one()
    before = {label: sku.id for label, sku in _skus(product.id).items()}
    bigger = [COLOURS_SIZES[0], {"name": "尺码", "values": ["S", "M", "XL"]}]
    rows = _rows(bigger, price="30.00", stock="3")
    assert _save(console, f"/admin/products/{product.id}", _form(shelf, bigger, rows)).status_code == 302
    after = _skus(product.id)
    assert sorted(after) == sorted(["红/S", "红/M", "红/XL", "蓝/S", "蓝/M", "蓝/XL"])
    assert {label: after[label].id for label in before} == before
    assert after["红/XL"].price_fen == 3000 and after["红/S"].stock == 3


def test_adding_a_dimension_keeps_each_old_sku_as_its_first_value(app):
    product = factories.product(factories.category(), skus=2)  # 规格: 款1, 款2
    old_ids = [sku.id for sku in product.skus]
    console = _client_as(app, "owner")
    matrix = [{"name": "规格", "values": ["款1", "款2"]}, {"name": "尺码", "values": ["S", "M"]}]
    assert _save(console, f"/admin/products/{product.id}",
                 _form(product.category, matrix, _rows(matrix))).status_code == 302
    skus = _skus(product.id)
    assert [skus["款1/S"].id, skus["款2/S"].id] == old_ids and len(skus) == 4


def test_a_combination_that_is_in_an_order_cannot_be_removed(app):
    product = factories.product(factories.category(), skus=2)
    sold = product.skus[1]
    factories.order(factories.shopper(), [(sold, 1)])
    console = _client_as(app, "owner")
    smaller = [{"name": "规格", "values": ["款1"]}]
    response = _save(console, f"/admin/products/{product.id}", _form(product.category, smaller, _rows(smaller)))
    assert response.status_code == 422
    assert "已在订单中，不能删除：款2" in response.get_data(as_text=True)
    assert len(_skus(product.id)) == 2 and db.session.get(Product, product.id).title != "纯棉T恤"
    smaller_ok = [{"name": "规格", "values": ["款2"]}]
    assert _save(console, f"/admin/products/{product.id}",
                 _form(product.category, smaller_ok, _rows(smaller_ok))).status_code == 302
    assert list(_skus(product.id)) == ["款2"] and _skus(product.id)["款2"].id == sold.id


def test_removing_a_combination_in_a_cart_keeps_the_line_flagged_as_gone(app, client, login):
    product = factories.product(factories.category(), skus=2)
    gone = product.skus[1]
    shopper = login("cart-owner")
    added = client.post("/api/v1/cart", headers=shopper, json={"sku_id": gone.id, "quantity": 1})
    assert added.status_code in (200, 201)
    console = _client_as(app, "owner")
    smaller = [{"name": "规格", "values": ["款1"]}]
    saved = _save(console, f"/admin/products/{product.id}", _form(product.category, smaller, _rows(smaller)))
    assert saved.status_code == 302 and list(_skus(product.id)) == ["款1"]
    lines = client.get("/api/v1/cart", headers=shopper).get_json()["items"]
    assert [line["flags"] for line in lines] == [["sku_gone"]]
    placed = client.post("/api/v1/orders", headers=shopper, json={"from_cart": True, "idempotency_key": "gone-sku-1"})
    assert placed.status_code == 422 and placed.get_json()["error"]["code"] in ("items_unavailable", "address_required")


def test_errors_are_shown_per_field_and_per_row_and_nothing_is_saved(app):
    product = factories.product(factories.category(), "原标题")
    console = _client_as(app, "owner")
    rows = _rows(COLOURS_SIZES)
    rows[1]["price"] = "0"
    rows[2]["stock"] = "-1"
    rows[3]["price"] = "1.234"
    response = _save(console, f"/admin/products/{product.id}",
                     _form(product.category, COLOURS_SIZES, rows, title=" ", sort="abc"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "第 2 行（红/M）" in html and "第 3 行（蓝/S）" in html and "第 4 行（蓝/M）" in html
    data = json.loads(html.split('id="editor-data">')[1].split("</script>")[0])
    assert {"title", "sort", "skus.1.price_fen", "skus.2.stock", "skus.3.price_fen"} <= set(data["errors"])
    assert data["matrix"]["skus"][1]["price"] == "0"  # what was typed comes back
    db.session.expire_all()
    fresh = db.session.get(Product, product.id)
    assert fresh.title == "原标题" and len(fresh.skus) == 1


def test_a_matrix_beyond_the_limits_or_unreadable_is_refused(app):
    product = factories.product(factories.category())
    console = _client_as(app, "owner")
    four = [{"name": f"维{n}", "values": ["a"]} for n in range(4)]
    assert _save(console, f"/admin/products/{product.id}",
                 _form(product.category, four, _rows(four))).status_code == 422
    for garbage in ("not json", "[1, 2]", json.dumps({"spec_matrix": [5], "skus": [7]})):
        response = _save(console, f"/admin/products/{product.id}", _form(product.category, [], [],
                                                                          matrix_json=garbage))
        assert response.status_code == 422
    assert len(_skus(product.id)) == 1


def test_scheduled_times_are_typed_in_beijing_time_and_stored_in_utc(app):
    product = factories.product(factories.category())
    console = _client_as(app, "owner")
    form = _form(product.category, [], [_row({})], on_shelf_at="2030-01-01T08:00", off_shelf_at="2030-01-02T08:00")
    assert _save(console, f"/admin/products/{product.id}", form).status_code == 302
    db.session.expire_all()
    fresh = db.session.get(Product, product.id)
    assert fresh.on_shelf_at == datetime(2030, 1, 1, 0, 0) and fresh.off_shelf_at == datetime(2030, 1, 2, 0, 0)
    assert 'value="2030-01-01T08:00"' in console.get(f"/admin/products/{product.id}").get_data(as_text=True)


def test_batch_shelf_and_delete_act_on_the_ticked_products(app, client):
    shelf = factories.category()
    first, second, third = (factories.product(shelf, title) for title in ("一号", "二号", "三号"))
    console = _client_as(app, "operator")
    ids = [str(first.id), str(second.id)]
    response = console.post("/admin/products/batch", data={"action": "off", "product_ids": ids,
                                                            "csrf_token": csrf_token(console, "/admin/products")})
    assert response.status_code == 302
    db.session.expire_all()
    assert [p.is_on_shelf for p in (first, second, third)] == [False, False, True]
    console.post("/admin/products/batch", data={"action": "delete", "product_ids": [str(third.id)],
                                                 "csrf_token": csrf_token(console, "/admin/products")})
    db.session.expire_all()
    assert third.deleted_at is not None and db.session.get(Sku, third.skus[0].id) is not None
    assert client.get(f"/api/v1/products/{third.id}").status_code == 404
    assert "三号" not in console.get("/admin/products").get_data(as_text=True)
    assert console.get(f"/admin/products/{third.id}").status_code == 404
    assert db.session.query(AuditEntry).filter_by(action="product.delete").count() == 1


def test_batch_actions_need_the_csrf_token(app):
    product = factories.product(factories.category())
    console = _client_as(app, "owner")
    response = console.post("/admin/products/batch", data={"action": "delete", "product_ids": [str(product.id)]})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Product, product.id).deleted_at is None


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_image_addresses_must_be_web_or_own_paths(app):
    product = factories.product(factories.category())
    console = _client_as(app, "owner")
    response = _save(console, f"/admin/products/{product.id}",
                     _form(product.category, [], [_row({}, image_url="javascript:alert(1)")],
                           image_urls="/media/a.png\njavascript:alert(1)", share_image_url="//evil.example/x.png"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    data = json.loads(html.split('id="editor-data">')[1].split("</script>")[0])
    assert {"image_urls", "share_image_url", "skus.0.image_url"} <= set(data["errors"])
    assert _save(console, f"/admin/products/{product.id}",
                 _form(product.category, [], [_row({}, image_url="/media/s.png")],
                       image_urls="/media/a.png\nhttps://img.example/b.jpg")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).cover_url == "/media/a.png"


def test_a_head_request_to_the_editor_only_reads(app):
    """HEAD skips the CSRF check, so it must never be taken for a save."""
    client = _client_as(app, "operator")
    product = factories.product(factories.category(), title="原样")

    for url in ("/admin/products/new", f"/admin/products/{product.id}"):
        assert client.head(url).status_code == 200

    db.session.expire_all()
    assert db.session.get(Product, product.id).title == "原样"
    assert db.session.query(Product).count() == 1
