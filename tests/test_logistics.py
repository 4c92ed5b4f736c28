"""Couriers, tracking numbers, and the sandbox tracker's trace as time passes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.core.errors import ValidationError
from app.extensions import redis_client
from app.logistics import tracking
from app.logistics.couriers import checked_courier, checked_tracking_no, couriers
from app.logistics.sandbox import SandboxProvider

SHIPPED = datetime(2026, 11, 20, 2, 0, 0)


def test_the_main_chinese_couriers_are_offered():
    offered = {courier.code: courier.name for courier in couriers()}
    assert offered["SF"] == "顺丰速运" and offered["ZTO"] == "中通快递" and offered["JTSDEXPRESS"] == "极兔速递"
    assert {"YTO", "STO", "YD", "EMS", "JD"} <= offered.keys()
    assert checked_courier(" sf ").code == "SF"
    with pytest.raises(ValidationError):
        checked_courier("UPS")


@pytest.mark.parametrize("number", ["SF1234567890", "773012345678", "jt0001112223334", "A1B2C3"])
def test_tracking_numbers_of_letters_and_digits_are_accepted(app, number):
    assert checked_tracking_no(f" {number} ") == number.upper()


@pytest.mark.parametrize("number", ["", "12345", "SF-123456", "快递123456", "A" * 41])
def test_other_tracking_numbers_are_refused(app, number):
    with pytest.raises(ValidationError) as refused:
        checked_tracking_no(number)
    assert "tracking_no" in refused.value.fields


@pytest.mark.parametrize("hours, state, count", [
    (0, "no_info", 0), (2, "collected", 1), (10, "in_transit", 3), (37, "delivering", 6), (48, "signed", 7)])
def test_the_sandbox_trace_moves_from_collected_to_signed_as_time_passes(app, hours, state, count):
    trace = SandboxProvider().track("SF", "SF1234567890", shipped_at=SHIPPED, destination="广东省 深圳市 南山区",
                                    now=SHIPPED + timedelta(hours=hours))
    assert trace.state == state and len(trace.events) == count
    if count:
        assert [event.time for event in trace.events] == sorted((e.time for e in trace.events), reverse=True)
    if state == "signed":
        assert "签收" in trace.events[0].text and "揽收" in trace.events[-1].text
        assert any("深圳市" in event.text for event in trace.events)
        assert any("南山区营业部" in event.text and "派件" in event.text for event in trace.events)


def test_the_sandbox_trace_is_the_same_for_the_same_parcel(app):
    provider, later = SandboxProvider(), SHIPPED + timedelta(days=3)
    first = provider.track("ZTO", "7730001", shipped_at=SHIPPED, destination="北京市 北京市 朝阳区", now=later)
    again = provider.track("ZTO", "7730001", shipped_at=SHIPPED, destination="北京市 北京市 朝阳区", now=later)
    other = provider.track("ZTO", "7730002", shipped_at=SHIPPED, destination="北京市 北京市 朝阳区", now=later)
    assert first == again and first != other


def test_traces_are_cached_for_ten_minutes(app):
    trace = tracking.track("SF", "SF1234567890", shipped_at=SHIPPED, destination="广东省 深圳市 南山区")
    key = "logistics:trace:sandbox:SF:SF1234567890"
    assert 0 < redis_client.ttl(key) <= 600
    assert tracking.track("SF", "SF1234567890", shipped_at=SHIPPED) == trace  # from the cache
    assert trace.state == "signed"


def test_an_unknown_provider_is_named_in_the_error(make_app):
    app = make_app(LOGISTICS_PROVIDER="carrier-pigeon")
    with app.app_context(), pytest.raises(RuntimeError, match="carrier-pigeon"):
        tracking.track("SF", "SF1234567890", shipped_at=SHIPPED)
