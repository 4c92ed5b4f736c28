"""Order export: the job writes exactly what the order list shows into an xlsx, reports its
progress as it goes, stays within a few queries per batch, and runs once however often retried."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import event

from app.audit.services import Actor
from app.core.china_time import to_beijing
from app.core.jobs import run_job
from app.core.models import utcnow
from app.exports import services
from app.exports.jobs import export_orders
from app.exports.models import ExportJob
from app.exports.states import EXPORT_TRANSITIONS, ExportStatus, can_move
from app.extensions import db, queues
from app.media.storage import private_storage
from app.orders.models import Order, OrderItem, Parcel
from tests import factories
from tests.admin_helpers import make_staff

HEADERS = ["订单号", "下单时间", "状态", "买家昵称", "收货人", "手机", "地址", "商品", "件数", "商品金额", "运费",
           "优惠", "应付", "实付", "已退款", "支付方式", "付款时间", "发货时间", "完成时间", "物流单号", "买家备注",
           "商家备注"]
COLUMN = {header: index for index, header in enumerate(HEADERS)}


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(PRIVATE_MEDIA_ROOT=str(tmp_path / "private"))
    with app.app_context():
        yield app


@pytest.fixture
def staff(app):
    return make_staff("clerk", role="service")


@pytest.fixture
def sku(app):
    product = factories.product(factories.category(), "云南小粒咖啡", price_fen=1990, stock=5000)
    return product.skus[0]


def _fresh() -> None:
    """End the test's transaction so the next read sees what the job committed (MariaDB)."""
    db.session.commit()
    db.session.expire_all()


def run_export(staff, **filters) -> ExportJob:
    export, _created = services.request_order_export(Actor(staff.id), filters)
    export_id = export.id
    db.session.commit()
    run_job("app.exports.jobs:export_orders", export_id)
    _fresh()
    return db.session.get(ExportJob, export_id)


def sheet_of(export: ExportJob) -> tuple[list, list[list]]:
    with private_storage().open(export.file_key) as handle:
        book = openpyxl.load_workbook(handle)
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def by_number(rows: list[list]) -> dict[str, list]:
    return {row[0]: row for row in rows}


def test_the_sheet_has_chinese_headers_and_one_row_per_order_with_amounts_as_numbers(app, staff, sku):
    buyer = factories.shopper("小花🌸")
    paid = factories.order(buyer, [(sku, 2)], status="paid", freight_fen=800, discount_fen=500,
                           shopper_remark="请尽快发货", merchant_remark="老客户")
    waiting = factories.order(factories.shopper("阿明"), [(sku, 1)])

    export = run_export(staff)

    assert export.status == ExportStatus.DONE
    headers, rows = sheet_of(export)
    assert headers == HEADERS
    assert [row[0] for row in rows] == [waiting.order_no, paid.order_no]  # newest first, as the list
    row = by_number(rows)[paid.order_no]
    assert row[COLUMN["下单时间"]] == to_beijing(paid.created_at).replace(tzinfo=None, microsecond=0)
    assert row[COLUMN["状态"]] == "待发货"
    assert row[COLUMN["买家昵称"]] == "小花🌸"
    assert row[COLUMN["收货人"]] == "张三" and row[COLUMN["手机"]] == "13800138000"
    assert row[COLUMN["地址"]] == "广东省 深圳市 南山区 科技园1号"
    assert row[COLUMN["商品"]] == "云南小粒咖啡 款1 ×2"
    assert row[COLUMN["件数"]] == 2
    amounts = [row[COLUMN[name]] for name in ("商品金额", "运费", "优惠", "应付", "实付", "已退款")]
    assert amounts == [39.8, 8, 5, 42.8, 42.8, 0]
    assert all(isinstance(amount, int | float) for amount in amounts)  # numbers, not text
    assert row[COLUMN["支付方式"]] == "微信支付"
    assert row[COLUMN["付款时间"]] is not None and row[COLUMN["发货时间"]] is None
    assert row[COLUMN["买家备注"]] == "请尽快发货" and row[COLUMN["商家备注"]] == "老客户"
    unpaid = by_number(rows)[waiting.order_no]
    assert unpaid[COLUMN["状态"]] == "待付款" and unpaid[COLUMN["支付方式"]] is None


def test_items_are_one_line_each_and_parcels_give_the_tracking_numbers(app, staff):
    tea = factories.product(factories.category(), "普洱茶", skus=2, price_fen=5000).skus
    order = factories.order(factories.shopper(), [(tea[0], 1), (tea[1], 3)], status="shipped")
    for courier, number in (("顺丰速运", "SF1001"), ("中通快递", "ZT2002")):
        db.session.add(Parcel(order_id=order.id, courier_code="SF", courier_name=courier, tracking_no=number))
    db.session.commit()

    _headers, rows = sheet_of(run_export(staff))

    row = rows[0]
    assert row[COLUMN["商品"]] == "普洱茶 款1 ×1\n普洱茶 款2 ×3"
    assert row[COLUMN["物流单号"]] == "顺丰速运 SF1001\n中通快递 ZT2002"
    assert row[COLUMN["状态"]] == "已发货" and row[COLUMN["件数"]] == 4


def test_a_status_filter_exports_only_that_status(app, staff, sku):
    buyer = factories.shopper()
    shipped = [factories.order(buyer, [(sku, 1)], status="shipped") for _ in range(2)]
    factories.order(buyer, [(sku, 1)], status="paid")
    factories.order(buyer, [(sku, 1)], status="completed")

    export = run_export(staff, status="shipped")

    _headers, rows = sheet_of(export)
    assert sorted(row[0] for row in rows) == sorted(order.order_no for order in shipped)
    assert export.total_rows == export.done_rows == 2


def test_a_keyword_finds_orders_by_nickname_or_product_title(app, staff, sku):
    tea = factories.product(factories.category(), "武夷岩茶").skus[0]
    by_title = factories.order(factories.shopper("路人"), [(tea, 1)])
    by_nickname = factories.order(factories.shopper("岩茶爱好者"), [(sku, 1)])
    factories.order(factories.shopper("无关"), [(sku, 1)])

    _headers, rows = sheet_of(run_export(staff, keyword="岩茶"))

    assert sorted(row[0] for row in rows) == sorted([by_title.order_no, by_nickname.order_no])


def test_a_time_range_in_beijing_days_limits_the_export(app, staff, sku):
    now = utcnow()
    buyer = factories.shopper()
    old = factories.order(buyer, [(sku, 1)], created_at=now - timedelta(days=10))
    recent = factories.order(buyer, [(sku, 1)], created_at=now - timedelta(days=2))
    factories.order(buyer, [(sku, 1)], created_at=now)
    since = to_beijing(now - timedelta(days=3)).date().isoformat()
    until = to_beijing(now - timedelta(days=1)).date().isoformat()

    _headers, rows = sheet_of(run_export(staff, since=since, until=until))

    assert [row[0] for row in rows] == [recent.order_no]
    assert old.order_no not in [row[0] for row in rows]


def test_bad_filter_arguments_are_ignored_and_everything_is_exported(app, staff, sku):
    orders = [factories.order(factories.shopper(), [(sku, 1)], status=status) for status in ("paid", "shipped")]

    export = run_export(staff, status="bogus", since="yesterday", until="2026-13-45", pay_method="bitcoin")

    assert export.status == ExportStatus.DONE
    _headers, rows = sheet_of(export)
    assert sorted(row[0] for row in rows) == sorted(order.order_no for order in orders)


def test_text_that_looks_like_a_formula_stays_text(app, staff, sku):
    factories.order(factories.shopper('=HYPERLINK("http://evil","点我")'), [(sku, 1)],
                    shopper_remark="=1+2\x07")

    export = run_export(staff)

    with private_storage().open(export.file_key) as handle:
        sheet = openpyxl.load_workbook(handle).active
    nickname, remark = sheet.cell(2, COLUMN["买家昵称"] + 1), sheet.cell(2, COLUMN["买家备注"] + 1)
    assert nickname.data_type == "s" and nickname.value == '=HYPERLINK("http://evil","点我")'
    assert remark.data_type == "s" and remark.value == "=1+2"  # the control character is dropped


def test_progress_reaches_done_with_every_row_counted(app, staff, sku):
    for _ in range(3):
        factories.order(factories.shopper(), [(sku, 1)])

    export = run_export(staff)

    progress = services.progress(export)
    assert progress["status"] == "done" and progress["percent"] == 100
    assert progress["done_rows"] == progress["total_rows"] == 3
    assert export.started_at is not None and export.finished_at is not None


def _bulk_orders(count: int, sku) -> None:
    """Many orders in one transaction (the factory commits each; too slow for thousands)."""
    buyer = factories.shopper("批量买家")
    now = utcnow()
    for index in range(count):
        order = Order(order_no=f"B{index:08d}", user_id=buyer.id, idempotency_key=f"bulk-{index}",
                      status="paid", pay_method="wechat", items_total_fen=1990, payable_fen=1990, paid_fen=1990,
                      total_quantity=1, receiver_name="李四", receiver_phone="13900139000", region_code="110105",
                      region_text="北京市 北京市 朝阳区", address_detail=f"望京{index}号", pay_deadline=now,
                      paid_at=now)
        order.items = [OrderItem(product_id=sku.product_id, sku_id=sku.id, title="云南小粒咖啡", spec_text="款1",
                                 unit_price_fen=1990, quantity=1, line_total_fen=1990, paid_fen=1990)]
        db.session.add(order)
    db.session.commit()


def test_a_large_export_completes_in_batches_with_a_bounded_number_of_queries(app, staff, sku):
    _bulk_orders(1500, sku)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement.lstrip().upper())

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        export = run_export(staff)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert export.status == ExportStatus.DONE and export.done_rows == export.total_rows == 1500
    _headers, rows = sheet_of(export)
    assert len(rows) == 1500
    assert len({row[0] for row in rows}) == 1500  # no order twice across batch borders
    assert rows[0][0] == "B00001499" and rows[-1][0] == "B00000000"
    progress_updates = [s for s in statements if s.startswith("UPDATE EXPORT_JOBS SET DONE_ROWS")]
    assert len(progress_updates) >= 4  # after the count and after each of the 3 batches of 500
    selects = [s for s in statements if s.startswith("SELECT")]
    assert len(selects) < 40  # a few per batch, never one per order


def test_a_retried_job_does_not_export_again_or_add_a_file(app, staff, sku):
    factories.order(factories.shopper(), [(sku, 1)])
    export = run_export(staff)
    stored = Path(app.config["PRIVATE_MEDIA_ROOT"])
    files_before = sorted(stored.rglob("*"))
    written_at = os.path.getmtime(stored / export.file_key)

    assert run_job("app.exports.jobs:export_orders", export.id) == 0

    _fresh()
    assert db.session.get(ExportJob, export.id).status == ExportStatus.DONE
    assert sorted(stored.rglob("*")) == files_before
    assert os.path.getmtime(stored / export.file_key) == written_at


def test_a_failed_export_says_why_and_a_retry_finishes_it_into_one_file(app, staff, sku, tmp_path):
    factories.order(factories.shopper(), [(sku, 1)])
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    good_root = app.config["PRIVATE_MEDIA_ROOT"]
    app.config["PRIVATE_MEDIA_ROOT"] = str(blocked)
    export, _created = services.request_order_export(Actor(staff.id), {})
    export_id = export.id
    db.session.commit()

    with pytest.raises(OSError):
        run_job("app.exports.jobs:export_orders", export_id)

    _fresh()
    failed = db.session.get(ExportJob, export_id)
    assert failed.status == ExportStatus.FAILED and failed.error and failed.file_key == ""
    app.config["PRIVATE_MEDIA_ROOT"] = good_root
    run_job("app.exports.jobs:export_orders", export_id)
    _fresh()
    done = db.session.get(ExportJob, export_id)
    assert done.status == ExportStatus.DONE and done.error == "" and done.done_rows == 1
    assert [path.name for path in Path(good_root).rglob("*.xlsx")] == [Path(done.file_key).name]


def test_the_same_request_twice_in_a_row_is_one_export(app, staff):
    first, created = services.request_order_export(Actor(staff.id), {"status": "paid"})
    again, created_again = services.request_order_export(Actor(staff.id), {"status": "paid"})
    other, created_other = services.request_order_export(Actor(staff.id), {"status": "shipped"})

    assert created and not created_again and again.id == first.id
    assert created_other and other.id != first.id


def test_a_finished_export_never_changes_status_again():
    assert EXPORT_TRANSITIONS[ExportStatus.DONE] == frozenset()
    for status in ExportStatus:
        assert not can_move(ExportStatus.DONE, status)
    assert can_move(ExportStatus.FAILED, ExportStatus.RUNNING)  # RQ's retry of a failed run
    assert not can_move(ExportStatus.QUEUED, ExportStatus.DONE)
    assert set(EXPORT_TRANSITIONS) == set(ExportStatus)


def test_an_rq_worker_in_another_process_runs_the_export(make_app, backend, tmp_path):
    if backend.redis_url is None:
        pytest.skip("needs a real Redis (run with FENXIAO_TEST_BACKEND=mariadb)")
    private_root = str(tmp_path / "private")
    app = make_app(RQ_INLINE=False, PRIVATE_MEDIA_ROOT=private_root)
    with app.app_context():
        clerk = make_staff("clerk", role="service")
        sku = factories.product(factories.category(), price_fen=990).skus[0]
        factories.order(factories.shopper(), [(sku, 3)], status="paid")
        export, _created = services.request_order_export(Actor(clerk.id), {"status": "paid"})
        export_id = export.id
        export_orders.delay(export_id)
        db.session.commit()
        assert queues.get("default").count == 1

        env = {**os.environ, "DATABASE_URL": backend.database_url, "REDIS_URL": backend.redis_url,
               "SECRET_KEY": "worker-test", "WECHAT_SANDBOX": "1", "PRIVATE_MEDIA_ROOT": private_root}
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", "--burst", "default"],
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        _fresh()
        export = db.session.get(ExportJob, export_id)
        assert export.status == ExportStatus.DONE and export.done_rows == 1
        _headers, rows = sheet_of(export)
        assert rows[0][COLUMN["件数"]] == 3 and rows[0][COLUMN["商品金额"]] == 29.7
