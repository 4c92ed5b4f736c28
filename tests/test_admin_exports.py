"""The console's order export: start it from the list's filters (CSRF), watch the progress
JSON, download the file; only staff with the orders area, each seeing their own exports."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import openpyxl
import pytest

from app.accounts.models import Role
from app.audit.models import AuditEntry
from app.exports.models import ExportJob
from app.extensions import db
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(PRIVATE_MEDIA_ROOT=str(tmp_path / "private"))
    with app.app_context():
        yield app


@pytest.fixture
def orders(app):
    sku = factories.product(factories.category(), "桂花乌龙", price_fen=3800).skus[0]
    buyer = factories.shopper("小雨")
    return {status: factories.order(buyer, [(sku, 1)], status=status) for status in ("paid", "shipped", "completed")}


def staff_client(app, username: str, role: str):
    make_staff(username, role=role)
    client = app.test_client()
    log_in(client, username)
    return client


def start_export(client, query: str = "", data: dict | None = None):
    response = post(client, "/admin/orders/export" + query, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    match = re.search(r"/admin/exports/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def rows_of(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_an_export_of_the_filtered_list_runs_to_done_and_downloads_as_xlsx(app, orders):
    client = staff_client(app, "kefu", "service")

    export_id = start_export(client, "?status=shipped")

    page = client.get(f"/admin/exports/{export_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'data-url="/admin/exports/{export_id}.json"' in html and "export_progress.js" in html
    assert "已发货" in html  # the filter that took effect
    progress = client.get(f"/admin/exports/{export_id}.json").get_json()
    assert progress["status"] == "done" and progress["percent"] == 100
    assert progress["done_rows"] == progress["total_rows"] == 1
    assert progress["download_url"] == f"/admin/exports/{export_id}/download"
    download = client.get(progress["download_url"])
    assert download.status_code == 200 and download.mimetype == XLSX
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search("filename\\*=UTF-8''" + re.escape(quote("订单导出-")) + r"\d{8}-\d{4}\.xlsx", disposition)
    rows = rows_of(download)
    assert rows[0][:3] == ["订单号", "下单时间", "状态"]
    assert [row[0] for row in rows[1:]] == [orders["shipped"].order_no]
    assert rows[1][2] == "已发货" and rows[1][9] == 38


def test_filters_may_come_in_the_form_which_wins_over_the_query_string(app, orders):
    client = staff_client(app, "kefu", "service")

    export_id = start_export(client, "?status=paid", data={"status": "completed", "keyword": "小雨", "page": "3"})

    export = db.session.get(ExportJob, export_id)
    assert export.params == {"filter": {"keyword": "小雨", "status": "completed"}}
    entry = db.session.query(AuditEntry).filter_by(action="orders.export").one()  # who took the addresses
    assert entry.target_id == str(export_id) and entry.after == export.params["filter"]
    rows = rows_of(client.get(f"/admin/exports/{export_id}/download"))
    assert [row[0] for row in rows[1:]] == [orders["completed"].order_no]


def test_bad_filter_arguments_are_ignored_safely(app, orders):
    client = staff_client(app, "kefu", "service")

    export_id = start_export(client, "?status=nonsense&since=not-a-day&until=2026-02-31&pay_method=<b>")

    progress = client.get(f"/admin/exports/{export_id}.json").get_json()
    assert progress["status"] == "done" and progress["done_rows"] == 3
    assert client.get(f"/admin/exports/{export_id}").status_code == 200


def test_starting_an_export_needs_the_csrf_token(app, orders):
    client = staff_client(app, "kefu", "service")

    response = client.post("/admin/orders/export", data={"status": "paid"})

    assert response.status_code == 400
    assert db.session.query(ExportJob).count() == 0


def test_a_role_without_orders_can_neither_start_see_nor_download(app, orders):
    owner = staff_client(app, "boss", "owner")
    export_id = start_export(owner)
    db.session.add(Role(code="members_only", name="会员专员", permissions=["members"]))
    db.session.commit()
    outsider = staff_client(app, "huiyuan", "members_only")

    assert post(outsider, "/admin/orders/export").status_code == 403
    for path in ("", ".json", "/download"):
        assert outsider.get(f"/admin/exports/{export_id}{path}").status_code == 403
    assert outsider.get("/admin/exports").status_code == 403
    assert db.session.query(ExportJob).count() == 1


def test_staff_see_only_their_own_exports_and_the_owner_sees_all(app, orders):
    first = staff_client(app, "kefu1", "service")
    second = staff_client(app, "kefu2", "service")
    owner = staff_client(app, "boss", "owner")
    mine = start_export(first, "?status=paid")

    for path in ("", ".json", "/download"):
        assert second.get(f"/admin/exports/{mine}{path}").status_code == 404
        assert owner.get(f"/admin/exports/{mine}{path}").status_code == 200
    assert f"/admin/exports/{mine}/download" in first.get("/admin/exports").get_data(as_text=True)
    assert f"/admin/exports/{mine}" not in second.get("/admin/exports").get_data(as_text=True)
    owner_list = owner.get("/admin/exports").get_data(as_text=True)
    assert f"/admin/exports/{mine}" in owner_list and "kefu1" in owner_list


def test_the_export_list_is_in_the_sidebar_for_order_staff(app):
    client = staff_client(app, "kefu", "service")

    html = client.get("/admin/exports").get_data(as_text=True)

    assert "导出记录" in html and 'href="/admin/exports"' in html
    assert csrf_token(client, "/admin/exports")


def test_an_unknown_export_is_not_found(app):
    client = staff_client(app, "boss", "owner")

    assert client.get("/admin/exports/999").status_code == 404
    assert client.get("/admin/exports/999.json").status_code == 404
    assert client.get("/admin/exports/999/download").status_code == 404
