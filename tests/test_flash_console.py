"""The console's flash sale pages: sessions (time picker, overlap refused), the list with its
Chinese status labels and filter, creating a sale by picking products and filling their SKU
rows (stock taken at once), a short SKU refused naming the product, stop (POST with CSRF),
audit and the marketing permission."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.catalog.models import Sku
from app.extensions import db
from app.marketing.flash_models import FlashActivity, FlashSession
from app.marketing.flash_schedule import beijing_today
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.flash_helpers import sale, session

SALES, SESSIONS = "/admin/marketing/flash-sales", "/admin/marketing/flash-sessions"


def _boss(client, role: str = "owner"):
    make_staff("boss", role=role)
    log_in(client, "boss")


def _earphones(stock: int = 10):
    product = factories.product(factories.category(), "蓝牙耳机", price_fen=5000, skus=2, stock=stock)
    return product, sorted(product.skus, key=lambda sku: sku.id)


def _stock(sku) -> int:
    return db.session.scalar(select(Sku.stock).where(Sku.id == sku.id))


def test_a_session_is_made_with_a_time_and_an_overlap_is_refused(client):
    _boss(client)
    answer = post(client, f"{SESSIONS}/new", {"name": "10:00场", "starts": "10:00", "duration_minutes": "120",
                                              "is_enabled": "1"})
    assert answer.status_code == 302
    row = db.session.scalar(select(FlashSession))
    assert (row.start_minute, row.duration_minutes, row.is_enabled) == (600, 120, True)
    refused = post(client, f"{SESSIONS}/new", {"name": "11:00场", "starts": "11:00", "duration_minutes": "60",
                                               "is_enabled": "1"})
    assert refused.status_code == 422 and "与场次 10:00场（10:00–12:00）时间重叠" in refused.get_data(as_text=True)
    page = client.get(SESSIONS).get_data(as_text=True)
    assert "秒杀场次" in page and "10:00–12:00" in page and 'type="time"' in client.get(
        f"{SESSIONS}/{row.id}").get_data(as_text=True)


def test_a_sale_is_created_from_picked_products_and_their_sku_rows(client):
    _boss(client)
    ten, eight = session("10:00场", "10:00"), session("20:00场", "20:00")
    product, (red, blue) = _earphones()
    today = beijing_today().isoformat()
    base = {"name": "双十二秒杀", "first_day": today, "last_day": today, "session_ids": [str(ten.id), str(eight.id)],
            "limit_per_session": "1", "limit_per_activity": "2", "pay_minutes": "5", "product_ids": str(product.id)}
    # picking a product and asking for its SKUs shows one row per SKU, nothing saved
    shown = post(client, f"{SALES}/new", {**base, "refresh": "1"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and f'name="sku-{red.id}-price"' in html and f'name="sku-{blue.id}-stock"' in html
    assert db.session.scalar(select(func.count()).select_from(FlashActivity)) == 0
    # filling one row and leaving the other empty sells that SKU only
    answer = post(client, f"{SALES}/new", {**base, f"sku-{red.id}-price": "19.90", f"sku-{red.id}-stock": "4",
                                           f"sku-{blue.id}-price": "", f"sku-{blue.id}-stock": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    activity = db.session.scalar(select(FlashActivity))
    assert (activity.name, activity.session_ids, activity.limit_per_activity, activity.pays_commission) == (
        "双十二秒杀", sorted([ten.id, eight.id]), 2, False)
    assert [(item.sku_id, item.flash_price_fen, item.stock) for item in activity.items] == [(red.id, 1990, 4)]
    assert (_stock(red), _stock(blue)) == (6, 10)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "flash_sale.create"))
    assert entry.area == "marketing" and entry.staff_id is not None
    # the edit page shows the saved row
    edit = client.get(f"{SALES}/{activity.id}").get_data(as_text=True)
    assert 'value="19.90"' in edit and "蓝牙耳机" in edit


def test_a_short_sku_is_refused_naming_the_product_and_nothing_is_taken(client):
    _boss(client)
    ten = session()
    product, (red, blue) = _earphones(stock=3)
    today = beijing_today().isoformat()
    answer = post(client, f"{SALES}/new", {"name": "秒杀", "first_day": today, "last_day": today,
                                           "session_ids": str(ten.id), "product_ids": str(product.id),
                                           f"sku-{red.id}-price": "19.90", f"sku-{red.id}-stock": "2",
                                           f"sku-{blue.id}-price": "29.90", f"sku-{blue.id}-stock": "5"})
    assert answer.status_code == 422
    assert "蓝牙耳机 款2 库存仅剩 3 件" in answer.get_data(as_text=True)
    assert (_stock(red), _stock(blue)) == (3, 3)
    assert db.session.scalar(select(func.count()).select_from(FlashActivity)) == 0


def test_the_list_shows_chinese_statuses_filters_and_stops_a_sale(client):
    _boss(client)
    ten = session("00:00场", "00:00", 1440)
    _product, (red, blue) = _earphones()
    live = sale([(red, 1990, 4)], [ten], name="今天的秒杀")
    sale([(blue, 1990, 4)], [ten], name="明天的秒杀", first_day=beijing_today() + timedelta(days=1))
    page = client.get(SALES).get_data(as_text=True)
    assert "今天的秒杀" in page and "进行中" in page and "明天的秒杀" in page and "未开始" in page
    running = client.get(f"{SALES}?status=running").get_data(as_text=True)
    assert "今天的秒杀" in running and "明天的秒杀" not in running
    assert client.post(f"{SALES}/{live.id}/stop").status_code == 400  # no CSRF token
    assert _stock(red) == 6
    answer = post(client, f"{SALES}/{live.id}/stop", token_path=SALES)
    assert answer.status_code == 302
    assert _stock(red) == 10
    stopped = client.get(f"{SALES}?status=stopped").get_data(as_text=True)
    assert "今天的秒杀" in stopped and "已提前结束" in stopped
    post(client, f"{SALES}/{live.id}/stop", token_path=SALES)  # a second click returns nothing more
    assert _stock(red) == 10
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "flash_sale.stop")) == 1


def test_the_pages_need_the_marketing_permission(client):
    _boss(client, role="service")
    assert client.get(SALES).status_code == 403
    assert client.get(SESSIONS).status_code == 403
    token = csrf_token(client, "/admin/")
    assert client.post(f"{SESSIONS}/new", data={"csrf_token": token, "name": "x", "starts": "10:00",
                                                "duration_minutes": "60"}).status_code == 403


def test_the_demo_seed_makes_three_sessions_and_a_sale_of_two_skus_once(app):
    from app.marketing.flash_seed import seed_flash_sales

    for _ in range(2):
        factories.product(factories.category(), price_fen=5990, stock=100)
    assert seed_flash_sales() == ["flash sale sessions: 3 created", "flash sales: 1 created"]
    db.session.commit()
    assert seed_flash_sales() == ["flash sale sessions: 0 created", "flash sales: 0 created"]
    activity = db.session.scalar(select(FlashActivity))
    assert len(activity.session_ids) == 3 and [(item.flash_price_fen, item.stock) for item in activity.items] == [
        (3500, 20), (3500, 20)]
