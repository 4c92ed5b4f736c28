"""Shop settings: defaults, validation, audit."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.extensions import db
from app.shop.services import shop_settings
from tests.admin_helpers import log_in, make_staff, post


def _form(**changes) -> dict:
    form = {"name": "小花的店", "logo_url": "", "service_phone": "400-800-1234", "home_page": "default",
            "unpaid_close_minutes": "30", "auto_receive_days": "7", "after_sale_days": "7",
            "pay_wechat": "y", "pay_balance": "y", "auto_off_shelf_when_sold_out": None}
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_saving_settings_is_audited_with_only_what_changed(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    assert post(client, "/admin/settings/shop", _form(), token_path="/admin/settings/shop").status_code == 302
    assert shop_settings().name == "小花的店"
    entry = db.session.query(AuditEntry).filter_by(action="shop.update").one()
    assert entry.after == {"name": "小花的店", "service_phone": "400-800-1234"}


def test_out_of_range_timings_and_no_payment_method_are_field_errors(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    response = post(client, "/admin/settings/shop",
                    _form(unpaid_close_minutes="1", after_sale_days="99", pay_wechat=None, pay_balance=None),
                    token_path="/admin/settings/shop")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "介于 5 到 1440 之间" in html and "介于 1 到 60 之间" in html and "至少保留一种支付方式" in html
    assert shop_settings().unpaid_close_minutes == 30
