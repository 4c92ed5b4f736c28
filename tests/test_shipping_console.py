"""Console: shipping templates are listed, created and edited with region rules, audited."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.extensions import db
from app.shipping.models import ShippingTemplate
from tests import factories
from tests.admin_helpers import log_in, make_staff, post


def _form(**changes) -> dict:
    form = {"name": "按件快递", "method": "count", "first_amount": "1", "first_fee": "8.00",
            "additional_amount": "1", "additional_fee": "2", "rule_rows": "2", "free_rows": "2",
            "rule-0-regions": ["650000", "540000"], "rule-0-first_amount": "1", "rule-0-first_fee": "20",
            "rule-0-additional_amount": "1", "rule-0-additional_fee": "10",
            "rule-1-regions": [], "rule-1-first_fee": "", "rule-1-additional_fee": "",
            "free-0-regions": [], "free-0-condition": "amount", "free-0-threshold": "99",
            "free-1-condition": "count", "free-1-threshold": ""}
    form.update(changes)
    return form


def _logged_in(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    return client


def test_a_template_with_region_and_free_rules_is_created_and_audited(app):
    client = _logged_in(app)
    response = post(client, "/admin/products/shipping/new", _form(), token_path="/admin/products/shipping/new")
    assert response.status_code == 302
    template = db.session.query(ShippingTemplate).one()
    assert (template.first_fee_fen, template.additional_fee_fen) == (800, 200)
    assert [(r.region_codes, r.first_fee_fen) for r in template.region_rules] == [(["650000", "540000"], 2000)]
    assert [(f.condition, f.threshold) for f in template.free_rules] == [("amount", 9900)]
    assert db.session.query(AuditEntry).filter_by(action="shipping_template.create").count() == 1
    page = client.get("/admin/products/shipping").get_data(as_text=True)
    assert "按件快递" in page and "新疆维吾尔自治区" in page


def test_weights_are_typed_in_kg_and_stored_in_grams(app):
    client = _logged_in(app)
    post(client, "/admin/products/shipping/new",
         _form(method="weight", first_amount="1.5", additional_amount="0.5", **{"free-0-condition": "weight",
                                                                                  "free-0-threshold": "10"}),
         token_path="/admin/products/shipping/new")
    template = db.session.query(ShippingTemplate).one()
    assert (template.first_amount, template.additional_amount) == (1500, 500)
    assert template.free_rules[0].threshold == 10_000
    edit = client.get(f"/admin/products/shipping/{template.id}").get_data(as_text=True)
    assert 'value="1.5"' in edit


def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(app):
    client = _logged_in(app)
    response = post(client, "/admin/products/shipping/new",
                    _form(first_fee="8.001", **{"rule-0-regions": [], "rule-0-first_fee": "20"}),
                    token_path="/admin/products/shipping/new")
    assert response.status_code == 422
    assert db.session.query(ShippingTemplate).count() == 0
    response = post(client, "/admin/products/shipping/new", _form(**{"rule-0-regions": []}),
                    token_path="/admin/products/shipping/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "is-invalid" in html
    assert db.session.query(ShippingTemplate).count() == 0


def test_editing_replaces_the_rules(app):
    client = _logged_in(app)
    post(client, "/admin/products/shipping/new", _form(), token_path="/admin/products/shipping/new")
    template = db.session.query(ShippingTemplate).one()
    path = f"/admin/products/shipping/{template.id}"
    response = post(client, path, _form(name="新名字", **{"rule-0-regions": ["440300"]}), token_path=path)
    assert response.status_code == 302
    db.session.expire_all()
    assert template.name == "新名字" and template.region_rules[0].region_codes == ["440300"]


def test_a_template_in_use_is_not_deleted(app):
    client = _logged_in(app)
    post(client, "/admin/products/shipping/new", _form(), token_path="/admin/products/shipping/new")
    template = db.session.query(ShippingTemplate).one()
    factories.product(factories.category(), shipping_template_id=template.id)
    post(client, f"/admin/products/shipping/{template.id}/delete", token_path="/admin/products/shipping")
    assert db.session.query(ShippingTemplate).count() == 1
