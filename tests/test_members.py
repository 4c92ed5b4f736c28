"""Member balance and points: ledger rows, never below zero, applied once, audited."""

from __future__ import annotations

import re
import threading

import pytest

from app.accounts.models import User
from app.accounts.services import dev_person
from app.audit.models import AuditEntry
from app.audit.services import Actor
from app.core.errors import Conflict, ValidationError
from app.extensions import db
from app.members import services as members
from app.members.models import BalanceEntry, Wallet
from app.members.services import LevelFields
from tests.admin_helpers import csrf_token, log_in, make_staff


def _member(nickname: str = "小花", phone: str | None = None) -> User:
    user = User(nickname=nickname, phone=phone)
    db.session.add(user)
    db.session.commit()
    return user


def test_an_adjustment_writes_a_ledger_row_and_an_audit_row(app):
    user = _member()
    staff = make_staff()
    entry = members.adjust_balance(Actor(staff.id, "127.0.0.1"), user.id, 1250, "补偿运费", "k1")
    db.session.commit()
    assert (entry.delta_fen, entry.balance_after_fen) == (1250, 1250)
    audit = db.session.query(AuditEntry).filter_by(action="balance.adjust").one()
    assert audit.before == {"balance_fen": 0} and audit.after == {"balance_fen": 1250}


def test_a_deduction_can_never_take_the_balance_below_zero(app):
    user = _member()
    members.adjust_balance(Actor(None), user.id, 500, "充值", "k1")
    db.session.commit()
    with pytest.raises(Conflict) as refusal:
        members.adjust_balance(Actor(None), user.id, -501, "扣款", "k2")
    assert "¥5.00" in refusal.value.fields["amount"]
    db.session.rollback()
    assert db.session.get(Wallet, user.id).balance_fen == 500
    assert db.session.query(BalanceEntry).count() == 1


def test_the_same_request_key_applies_once(app):
    user = _member()
    first = members.adjust_balance(Actor(None), user.id, 300, "奖励", "same-key")
    again = members.adjust_balance(Actor(None), user.id, 300, "奖励", "same-key")
    db.session.commit()
    assert first.id == again.id
    assert db.session.get(Wallet, user.id).balance_fen == 300


def test_a_reason_is_required(app):
    user = _member()
    with pytest.raises(ValidationError) as refusal:
        members.adjust_points(Actor(None), user.id, 10, "  ", "k")
    assert "reason" in refusal.value.fields


def test_concurrent_deductions_cannot_overdraw(make_app, backend):
    if backend.name != "mariadb":
        pytest.skip("row locks need a server database (run with FENXIAO_TEST_BACKEND=mariadb)")
    app = make_app()
    with app.app_context():
        user = _member()
        members.adjust_balance(Actor(None), user.id, 1000, "充值", "seed")
        db.session.commit()
        user_id = user.id
    outcomes: list[str] = []
    barrier = threading.Barrier(5)

    def deduct(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                members.adjust_balance(Actor(None), user_id, -300, "并发扣款", f"d{index}")
                db.session.commit()
                outcomes.append("ok")
            except Conflict:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=deduct, args=(i,)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 2
        assert db.session.get(Wallet, user_id).balance_fen == 100
        ledger = db.session.query(BalanceEntry).filter_by(user_id=user_id).all()
        assert sum(entry.delta_fen for entry in ledger) == 100


def test_console_adjusts_balance_and_shows_field_errors(app):
    user = _member("王芳", "13800138000")
    make_staff()
    client = app.test_client()
    log_in(client)
    assert "王芳" in client.get("/admin/members?q=1380013").get_data(as_text=True)
    page = client.get(f"/admin/members/{user.id}").get_data(as_text=True)
    key = re.search(r'id="balance-request_key" name="balance-request_key" type="hidden" value="(\w+)"', page).group(1)
    form = {"balance-direction": "add", "balance-amount": "12.50", "balance-reason": "活动奖励",
            "balance-request_key": key, "csrf_token": csrf_token(client, f"/admin/members/{user.id}")}
    assert client.post(f"/admin/members/{user.id}/balance", data=form).status_code == 302
    assert client.post(f"/admin/members/{user.id}/balance", data=form).status_code == 302  # double submit
    assert db.session.get(Wallet, user.id).balance_fen == 1250
    form.update({"balance-direction": "deduct", "balance-amount": "20", "balance-request_key": "other"})
    refused = client.post(f"/admin/members/{user.id}/balance", data=form)
    assert refused.status_code == 422
    assert "最多可扣减 ¥12.50" in refused.get_data(as_text=True)
    form.update({"balance-amount": "1.234"})
    assert "请输入金额" in client.post(f"/admin/members/{user.id}/balance", data=form).get_data(as_text=True)


def test_disabling_a_member_ends_their_api_tokens(app, client, login):
    headers = login("xiaohua")
    user = db.session.query(User).filter_by(mp_openid=dev_person("xiaohua")[0]).one()
    members.set_disabled(Actor(None), user, True)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    members.set_disabled(Actor(None), user, False)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # old tokens stay dead
    assert client.get("/api/v1/me", headers=login("xiaohua")).status_code == 200


def test_level_validation_and_audit(app):
    level = members.save_level(Actor(None), None, LevelFields("金卡", 1000, discount_bp=9500, benefits="95折"))
    db.session.commit()
    with pytest.raises(ValidationError) as refusal:
        members.save_level(Actor(None), None, LevelFields("金卡", -1, discount_bp=0, points_multiplier_bp=9999))
    assert set(refusal.value.fields) == {"name", "growth_threshold", "discount", "points_multiplier"}
    with pytest.raises(ValidationError) as refusal:
        members.save_level(Actor(None), None, LevelFields("钻石", 1000))
    assert set(refusal.value.fields) == {"growth_threshold"}
    assert db.session.query(AuditEntry).filter_by(action="level.save", target_id=str(level.id)).count() == 1


def test_member_list_sorts_by_balance(app):
    poor, rich = _member("穷"), _member("富")
    members.adjust_balance(Actor(None), rich.id, 9900, "充值", "r")
    members.adjust_balance(Actor(None), poor.id, 100, "充值", "p")
    db.session.commit()
    ordered = [user.nickname for user in db.session.scalars(members.search_members(sort="balance"))]
    assert ordered == ["富", "穷"]
    assert [u.nickname for u in db.session.scalars(members.search_members(sort="oldest"))] == ["穷", "富"]


def test_member_search_finds_by_id_openid_and_the_start_of_a_nickname_or_phone(app):
    zhang, xiao = _member("张伟", "13900001111"), _member("小张", "13800002222")
    xiao.mp_openid = "o_xiao"
    db.session.commit()

    def found(keyword: str) -> list[str]:
        return [user.nickname for user in db.session.scalars(members.search_members(keyword))]

    assert found("张") == ["张伟"]  # the start of a nickname, not its middle
    assert found("1380000") == ["小张"] and found("o_xiao") == ["小张"]
    assert "张伟" in found(str(zhang.id)) and "张伟" not in found(str(zhang.id + 100))
    assert found("%") == []  # a literal %, not a wildcard


def test_members_by_balance_are_those_with_a_wallet_richest_first(app):
    poor, rich, _never = _member("穷"), _member("富"), _member("新")
    for user in (poor, rich):
        members.adjust_balance(Actor(None), user.id, 100, "充值", f"same-{user.id}")
    db.session.commit()
    assert [u.nickname for u in db.session.scalars(members.search_members(sort="balance"))] == ["富", "穷"]


def test_member_page_lists_their_own_orders_with_counts(app):
    from tests import factories

    sku = factories.product(factories.category(), stock=20).skus[0]
    buyer, other = factories.shopper("买家甲"), factories.shopper("买家乙")
    mine = [factories.order(buyer, [(sku, 1)], status="paid"), factories.order(buyer, [(sku, 2)])]
    theirs = factories.order(other, [(sku, 1)], status="paid")
    make_staff()
    client = app.test_client()
    log_in(client)
    html = client.get(f"/admin/members/{buyer.id}").get_data(as_text=True)
    orders_table = html.split('id="member-orders"')[1]
    assert all(order.order_no in orders_table for order in mine) and theirs.order_no not in orders_table
    assert "待发货 1" in html and "待付款 1" in html


def _level_page(client, user_id: int) -> str:
    return client.get(f"/admin/members/{user_id}").get_data(as_text=True)


def test_a_level_set_on_the_member_page_is_audited_and_discounts_the_next_checkout(app):
    # given a shopper with no level, a 9折 level and a product of ¥100
    from tests import factories
    from tests.checkout_helpers import Shopper

    shopper = Shopper(app.test_client())
    shopper.add_address()
    sku = factories.product(factories.category(), price_fen=10_000).skus[0]
    gold = members.save_level(Actor(None), None, LevelFields("金卡", None, discount_bp=9000))
    db.session.commit()
    before = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}]}).get_json()
    assert before["discounts"] == [] and before["payable_fen"] == 10_000
    make_staff()
    console = app.test_client()
    log_in(console)
    assert '<option value="" selected>普通会员</option>' in _level_page(console, shopper.id)

    # when the merchant picks 金卡 in the member page's level select
    answer = console.post(f"/admin/members/{shopper.id}/level",
                          data={"level_id": str(gold.id), "csrf_token": csrf_token(console, "/admin/members")})

    # then the page shows it, the change is audited with before and after, and the next preview
    # and order carry the level's discount
    assert answer.status_code == 302
    assert f'<option value="{gold.id}" selected>金卡（9 折）</option>' in _level_page(console, shopper.id)
    entry = db.session.query(AuditEntry).filter_by(action="member.level", target_id=str(shopper.id)).one()
    assert (entry.area, entry.before, entry.after) == (
        "members", {"level_id": None, "level": None}, {"level_id": gold.id, "level": "金卡"})
    preview = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}]}).get_json()
    assert [(d["kind"], d["amount_fen"]) for d in preview["discounts"]] == [("member_level", 1000)]
    assert preview["payable_fen"] == 9000
    placed = shopper.place([(sku, 1)])
    assert placed.status_code == 201 and placed.get_json()["discount_fen"] == 1000

    # and back to none: the regular price again
    console.post(f"/admin/members/{shopper.id}/level",
                 data={"level_id": "", "csrf_token": csrf_token(console, "/admin/members")})
    assert shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}]}).get_json()["discounts"] == []
    assert db.session.query(AuditEntry).filter_by(action="member.level").count() == 2


def test_a_staff_role_without_members_cannot_set_a_level(app):
    # given a finance staff member (no members area) and a shopper without a level
    user = _member("小李")
    gold = members.save_level(Actor(None), None, LevelFields("金卡", None, discount_bp=9000))
    db.session.commit()
    make_staff("cashier", role="finance")
    console = app.test_client()
    log_in(console, "cashier")
    # when they post a level for the shopper
    answer = console.post(f"/admin/members/{user.id}/level",
                          data={"level_id": str(gold.id), "csrf_token": csrf_token(console, "/admin/")})
    # then they are refused and nothing changed
    assert answer.status_code == 403
    db.session.expire_all()
    assert members.wallet_of(user.id).level_id is None
    assert db.session.query(AuditEntry).filter_by(action="member.level").count() == 0


@pytest.mark.parametrize("level_id", ["999999", "abc", "١"])
def test_an_unknown_level_is_refused_next_to_the_select_and_changes_nothing(app, level_id):
    # given a shopper on 银卡
    user = _member("小张")
    silver = members.save_level(Actor(None), None, LevelFields("银卡", None, discount_bp=9500))
    db.session.commit()
    members.set_level(Actor(None), user.id, silver.id)
    db.session.commit()
    make_staff()
    console = app.test_client()
    log_in(console)
    # when the merchant posts a level that does not exist
    answer = console.post(f"/admin/members/{user.id}/level",
                          data={"level_id": level_id, "csrf_token": csrf_token(console, "/admin/members")})
    # then the page says so next to the select, and the shopper keeps 银卡 with no new audit row
    assert answer.status_code == 422
    assert "该等级不存在。" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert members.wallet_of(user.id).level_id == silver.id
    assert db.session.query(AuditEntry).filter_by(action="member.level").count() == 1
