"""Shop settings: defaults, validation, audit."""

from __future__ import annotations

import re

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


def _console(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    return client


def test_a_dark_theme_and_brand_colour_apply_to_every_page_and_are_audited(app):
    # given a logged-in owner
    client = _console(app)
    # when they choose the dark look and the red brand colour
    saved = post(client, "/admin/settings/shop", _form(theme_mode="dark", brand_colour="red"),
                 token_path="/admin/settings/shop")
    # then it is saved and audited as that change alone
    assert saved.status_code == 302
    assert (shop_settings().theme_mode, shop_settings().brand_colour) == ("dark", "red")
    entry = db.session.query(AuditEntry).filter_by(action="shop.update").one()
    assert {key: entry.after[key] for key in ("theme_mode", "brand_colour")} == {"theme_mode": "dark",
                                                                                 "brand_colour": "red"}
    assert entry.before["theme_mode"] == "light" and entry.before["brand_colour"] == "blue"
    # and every console page carries it
    for path in ("/admin/", "/admin/products", "/admin/settings/shop"):
        html = client.get(path).get_data(as_text=True)
        assert 'data-bs-theme="dark"' in html and 'data-brand="red"' in html


def test_an_unknown_look_or_colour_is_a_field_error_and_nothing_is_saved(app):
    client = _console(app)
    response = post(client, "/admin/settings/shop", _form(name="新名字", theme_mode="sepia", brand_colour="#ff0000"),
                    token_path="/admin/settings/shop")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in ("theme_mode", "brand_colour"):  # each fieldset ends with its field's error
        fieldset = html.split(f'name="{name}"', 1)[1].split("</fieldset>", 1)[0]
        assert "不是有效的选择" in fieldset
    settings = shop_settings()
    assert (settings.name, settings.theme_mode, settings.brand_colour) == ("分销商城", "light", "blue")
    assert db.session.query(AuditEntry).filter_by(action="shop.update").count() == 0


def test_the_service_refuses_an_unknown_look_or_colour(app):
    from app.audit.services import SYSTEM
    from app.core.errors import ValidationError
    from app.shop.services import EDITABLE, snapshot, update_shop_settings

    values = {**snapshot(shop_settings()), "theme_mode": "neon", "brand_colour": "pink"}
    assert set(values) == set(EDITABLE)
    try:
        update_shop_settings(SYSTEM, values)
    except ValidationError as refusal:
        assert set(refusal.fields) == {"theme_mode", "brand_colour"}
    else:
        raise AssertionError("an unknown look was saved")


def test_the_sidebar_shows_the_shop_name_and_logo(app):
    client = _console(app)
    settings = shop_settings()
    settings.name, settings.logo_url = "小花的店", "/media/demo/logo.png"
    db.session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    sidebar = html.split('class="sidebar', 1)[1].split("</nav>", 1)[0]
    assert "小花的店" in sidebar and 'src="/media/demo/logo.png"' in sidebar


def test_saving_other_settings_keeps_the_logo(app):
    client = _console(app)
    settings = shop_settings()
    settings.logo_url = "/media/demo/logo.png"
    db.session.commit()
    page = client.get("/admin/settings/shop").get_data(as_text=True)
    assert re.search(r'name="logo_url"[^>]* value="/media/demo/logo.png"', page)  # carried by the picture field
    post(client, "/admin/settings/shop", _form(logo_url="/media/demo/logo.png", service_phone="400-1"),
         token_path="/admin/settings/shop")
    assert shop_settings().logo_url == "/media/demo/logo.png"


def test_the_logo_is_a_picture_and_the_library_counts_it_as_used(app):
    from app.media import usage

    client = _console(app)
    refused = post(client, "/admin/settings/shop", _form(logo_url="javascript:alert(1)"),
                   token_path="/admin/settings/shop")
    assert refused.status_code == 200 and shop_settings().logo_url == ""
    logo = "/media/library/ab/logo.png"
    post(client, "/admin/settings/shop", _form(logo_url=logo), token_path="/admin/settings/shop")
    assert usage.count_by_url(["/media/library/ab/logo.png"]) == {"/media/library/ab/logo.png": 1}
    post(client, "/admin/settings/shop", _form(logo_url=""), token_path="/admin/settings/shop")
    assert usage.count_by_url(["/media/library/ab/logo.png"]) == {}
