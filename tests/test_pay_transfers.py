"""Merchant transfers (商家转账): package_info for the shopper, then a notification applied once."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.payments.models import Transfer
from app.payments.states import TransferStatus
from app.payments.transfers import TransferPrompt, create_transfer, query_transfer
from app.wechat import pay
from app.wechat.pay import PayApiError
from app.wechat.sandbox.simulate_pay import transfer_notification
from tests.pay_helpers import fresh, post_notification, published, shopper, simulate


@pytest.fixture(autouse=True)
def _no_events():
    published.clear()


def _transfer(user, amount_fen: int = 5000, subject_id: int = 5) -> TransferPrompt:
    prompt = create_transfer(user_id=user.id, openid=user.mp_openid, amount_fen=amount_fen, remark="佣金提现",
                             purpose="withdrawal", subject_id=subject_id)
    db.session.commit()
    return prompt


def test_a_transfer_returns_what_wx_request_merchant_transfer_needs(live_app, live_server):
    user = shopper()
    prompt = _transfer(user)
    bill = live_server.sandbox.records["pay_transfers"][prompt.transfer.out_bill_no]
    assert prompt.params == {"mchId": live_app.config["WECHAT_PAY_MCHID"],
                             "appId": live_app.config["WECHAT_MP_APPID"],
                             "package": bill["package_info"], "openId": user.mp_openid}
    transfer = fresh(Transfer, prompt.transfer.id)
    assert transfer.status == TransferStatus.WAIT_USER_CONFIRM
    assert transfer.transfer_bill_no == bill["transfer_bill_no"] and transfer.scene_id == "1005"


def test_asking_again_returns_the_transfer_under_way(live_app, live_server):
    user = shopper()
    first = _transfer(user)
    again = _transfer(user)
    assert again.transfer.id == first.transfer.id and again.params == first.params
    assert live_server.sandbox.calls["pay.transfer"] == 1


def test_a_transfer_retried_after_a_lost_commit_reuses_its_number_and_pays_once(live_app, live_server):
    # given WeChat accepted a transfer but our transaction then rolled back
    user = shopper()
    create_transfer(user_id=user.id, openid=user.mp_openid, amount_fen=5000, remark="佣金提现",
                    purpose="withdrawal", subject_id=6)
    db.session.rollback()
    # when the withdrawal is retried
    prompt = _transfer(user, subject_id=6)
    # then the same bill is used: WeChat holds one transfer
    assert prompt.transfer.out_bill_no == "withdrawal6n1"
    assert list(live_server.sandbox.records["pay_transfers"]) == ["withdrawal6n1"]


def test_the_finished_notification_marks_the_transfer_succeeded_once(live_app, live_server):
    prompt = _transfer(shopper())
    first = simulate(live_server, "transfer/success", out_bill_no=prompt.transfer.out_bill_no)
    again = simulate(live_server, "transfer/success", out_bill_no=prompt.transfer.out_bill_no)
    assert first["app_status"] == again["app_status"] == 204
    done = fresh(Transfer, prompt.transfer.id)
    assert done.status == TransferStatus.SUCCEEDED and done.finished_at and done.notified_at
    assert published == [("transfer.succeeded", prompt.transfer.id)]


def test_a_failed_transfer_is_announced_and_a_new_attempt_gets_a_new_number(live_app, live_server):
    user = shopper()
    prompt = _transfer(user)
    result = simulate(live_server, "transfer/fail", out_bill_no=prompt.transfer.out_bill_no,
                      fail_reason="REAL_NAME_CHECK_FAIL")
    assert result["app_status"] == 204
    failed = fresh(Transfer, prompt.transfer.id)
    assert (failed.status, failed.fail_reason) == (TransferStatus.FAILED, "REAL_NAME_CHECK_FAIL")
    assert published == [("transfer.failed", prompt.transfer.id)]
    retry = _transfer(user)
    assert retry.transfer.id != prompt.transfer.id and retry.transfer.out_bill_no == "withdrawal5n2"


def test_a_transfer_notification_with_a_wrong_amount_changes_nothing(live_app, live_server, caplog):
    prompt = _transfer(shopper())
    simulate(live_server, "transfer/success", out_bill_no=prompt.transfer.out_bill_no, notify=False)
    record = dict(live_server.sandbox.records["pay_transfers"][prompt.transfer.out_bill_no], transfer_amount=500000)
    body, headers = transfer_notification(record)
    answer = post_notification(live_server, body, headers, path="/wechat/pay/transfer-notify")
    assert answer.status_code == 400 and answer.json()["code"] == "FAIL"
    assert fresh(Transfer, prompt.transfer.id).status == TransferStatus.WAIT_USER_CONFIRM and published == []
    assert "amount_mismatch" in caplog.text


def test_a_lost_transfer_notification_is_caught_up_by_a_query(live_app, live_server):
    prompt = _transfer(shopper())
    simulate(live_server, "transfer/success", out_bill_no=prompt.transfer.out_bill_no, notify=False)
    transfer = query_transfer(prompt.transfer.id)
    db.session.commit()
    assert transfer.status == TransferStatus.SUCCEEDED and transfer.notified_at is None
    assert published == [("transfer.succeeded", prompt.transfer.id)]


def test_the_sandbox_refuses_a_transfer_without_its_scene_report_like_wechat(live_app, live_server):
    with pytest.raises(PayApiError) as refused:
        pay.create_transfer_bill(out_bill_no="withdrawal9n1", openid="dev_alice", amount_fen=100, remark="提现",
                                 scene_id="1005", report_infos=[{"info_type": "岗位类型", "info_content": "分销员"}])
    assert (refused.value.status, refused.value.code) == (400, "PARAM_ERROR")
