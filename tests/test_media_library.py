"""The media library (图片空间): uploads trust nothing they are sent (type by content, size,
decompression bombs, names), refusals store nothing and answer the error shape; pictures are
re-encoded with a thumbnail and a web size; usage is counted and blocks deletion; folders,
moving and the name search."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import delete, func, select

from app.audit.models import AuditEntry
from app.audit.services import Actor
from app.catalog import manage
from app.catalog.models import Category
from app.extensions import db
from app.media import library
from app.media.models import MediaFile, MediaFolder, MediaUsage
from app.officialaccount import replies
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post


@pytest.fixture
def media_root(tmp_path):
    return tmp_path / "media"


@pytest.fixture
def console(make_app, media_root):
    app = make_app(MEDIA_ROOT=str(media_root), MEDIA_MAX_BYTES=200_000)
    with app.app_context():
        make_staff()
        client = app.test_client()
        log_in(client)
        yield client


def _png(width=64, height=48, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def _jpeg_rotated_with_exif() -> bytes:
    """A 40x20 JPEG whose EXIF says 'rotate 90°' and carries a GPS-ish maker note."""
    image = Image.new("RGB", (40, 20), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to display
    exif[0x010F] = "SpyCam"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _png_bomb(side=20000) -> bytes:
    """A 1-bit PNG of side×side pixels that compresses to a few kilobytes."""
    raw = zlib.compress(b"".join(b"\x00" + b"\x00" * (side // 8) for _ in range(side)), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _upload(console, *files, folder_id=""):
    data = {"files": [(io.BytesIO(body), name, mime) for name, body, mime in files], "folder_id": str(folder_id)}
    return console.post("/admin/media/upload", data=data, content_type="multipart/form-data",
                        headers={"X-CSRFToken": csrf_token(console, "/admin/media"), "Accept": "application/json"})


def _stored(media_root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(folder, name), media_root)
                  for folder, _dirs, names in os.walk(media_root) for name in names)


def test_an_upload_is_re_encoded_with_a_thumbnail_and_a_web_size(console, media_root):
    big = _png(2400, 1200)
    answer = _upload(console, ("长图.png", big, "image/png"))
    assert answer.status_code == 201
    picture = answer.get_json()["files"][0]
    assert picture["name"] == "长图" and (picture["width"], picture["height"]) == (2400, 1200)
    web = Image.open(media_root / picture["url"].removeprefix("/media/"))
    thumb = Image.open(media_root / picture["thumb_url"].removeprefix("/media/"))
    assert web.size == (1080, 540) and max(thumb.size) == 200
    assert len(_stored(media_root)) == 3
    assert console.get(picture["thumb_url"]).status_code == 200


def test_exif_is_stripped_and_the_orientation_applied(console, media_root):
    answer = _upload(console, ("photo.jpg", _jpeg_rotated_with_exif(), "image/jpeg"))
    picture = answer.get_json()["files"][0]
    assert (picture["width"], picture["height"]) == (20, 40)  # stood up as the camera meant
    stored = Image.open(media_root / picture["full_url"].removeprefix("/media/"))
    assert not stored.getexif()


@pytest.mark.parametrize("name, body, mime", [
    ("shell.png", b"<?php system($_GET['c']); ?>", "image/png"),
    ("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
    ("vector.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ("truncated.png", _png()[:60], "image/png"),
])
def test_a_file_that_is_not_a_picture_is_refused_whatever_its_name(console, media_root, name, body, mime):
    answer = _upload(console, (name, body, mime))
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["code"] == "media_rejected" and name.rsplit(".", 1)[0] in error["fields"]["files"]
    assert _stored(media_root) == [] and db.session.scalar(select(func.count(MediaFile.id))) == 0


def test_an_oversized_file_is_refused_with_413(console, media_root):
    noisy = Image.frombytes("RGB", (280, 280), os.urandom(280 * 280 * 3))
    out = io.BytesIO()
    noisy.save(out, "PNG")  # random pixels do not compress: about 235 kB, over the test's 200 kB limit
    answer = _upload(console, ("big.png", out.getvalue(), "image/png"))
    assert answer.status_code == 413
    assert answer.get_json()["error"]["code"] == "payload_too_large"
    assert _stored(media_root) == []


def test_a_request_larger_than_the_picture_limit_is_refused_with_413(console, media_root):
    answer = _upload(console, ("huge.png", os.urandom(300_000), "image/png"))
    assert answer.status_code == 413
    assert answer.get_json()["error"]["code"] == "payload_too_large" and _stored(media_root) == []


def test_the_library_takes_pictures_larger_than_other_requests_may_be(make_app, tmp_path):
    app = make_app(MEDIA_ROOT=str(tmp_path), MAX_CONTENT_LENGTH=50_000, MEDIA_MAX_BYTES=400_000)
    with app.app_context():
        make_staff()
        client = app.test_client()
        log_in(client)
        noisy = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
        out = io.BytesIO()
        noisy.save(out, "PNG")  # about 120 kB: over MAX_CONTENT_LENGTH, under MEDIA_MAX_BYTES
        assert _upload(client, ("noisy.png", out.getvalue(), "image/png")).status_code == 201


def test_a_decompression_bomb_is_refused_before_it_is_decoded(console, media_root):
    bomb = _png_bomb()
    assert len(bomb) < 100_000
    answer = _upload(console, ("bomb.png", bomb, "image/png"))
    assert answer.status_code == 422
    assert "百万像素" in answer.get_json()["error"]["message"] or "million" in answer.get_json()["error"]["message"]
    assert _stored(media_root) == []


def test_one_bad_file_in_a_batch_stores_none_of_it(console, media_root):
    answer = _upload(console, ("good.png", _png(), "image/png"), ("evil.png", b"<?php ?>", "image/png"))
    assert answer.status_code == 422
    assert _stored(media_root) == [] and db.session.scalar(select(func.count(MediaFile.id))) == 0


@pytest.mark.parametrize("name", ["../../etc/x.png", "/etc/passwd.png", "..\\..\\win.png", "a/../../b.png"])
def test_a_path_in_the_name_never_reaches_the_storage_key(console, media_root, name):
    answer = _upload(console, (name, _png(colour=(len(name), 1, 2)), "image/png"))
    assert answer.status_code == 201
    picture = db.session.get(MediaFile, answer.get_json()["files"][0]["id"])
    assert ".." not in picture.storage_key and picture.storage_key.startswith("library/")
    assert "/" not in picture.name and "\\" not in picture.name
    assert all(path.startswith("library/") for path in _stored(media_root))


def test_the_same_picture_uploaded_twice_is_one_file(console, media_root):
    first = _upload(console, ("a.png", _png(), "image/png")).get_json()["files"][0]
    second = _upload(console, ("b.png", _png(), "image/png")).get_json()["files"][0]
    assert first["id"] == second["id"] and len(_stored(media_root)) == 3


def test_a_picture_used_by_a_category_cannot_be_deleted_until_it_is_replaced(console, media_root):
    picture = _upload(console, ("icon.png", _png(), "image/png")).get_json()["files"][0]
    assert post(console, "/admin/categories/new", {"name": "水果", "parent_id": "", "icon_url": picture["url"],
                                                   "sort": "0", "is_visible": "1"}).status_code == 302
    category = db.session.scalar(select(Category).where(Category.name == "水果"))
    listed = console.get("/admin/media/files.json").get_json()["files"]
    assert listed[0]["used"] == 1
    # when it is deleted while the category shows it
    refused = console.post(f"/admin/media/{picture['id']}/delete", headers={
        "X-CSRFToken": csrf_token(console, "/admin/media"), "Accept": "application/json"})
    # then 409 names the category and nothing is gone
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "media_in_use" and "水果" in error["message"]
    assert db.session.get(MediaFile, picture["id"]) is not None and len(_stored(media_root)) == 3
    # and the form answer flashes the same
    page = post(console, f"/admin/media/{picture['id']}/delete", token_path="/admin/media")
    assert "水果" in console.get(page.headers["Location"]).get_data(as_text=True)
    # once the category has another icon, the picture goes, files and all
    post(console, f"/admin/categories/{category.id}", {"name": "水果", "parent_id": "", "icon_url": "",
                                                       "sort": "0", "is_visible": "1"})
    assert post(console, f"/admin/media/{picture['id']}/delete", token_path="/admin/media").status_code == 302
    db.session.expire_all()
    assert db.session.get(MediaFile, picture["id"]) is None and _stored(media_root) == []
    assert "media.delete" in [entry.action for entry in db.session.scalars(select(AuditEntry))]


def test_a_product_counts_its_gallery_share_picture_sku_pictures_and_detail_pictures(console):
    urls = [_upload(console, (f"p{i}.png", _png(colour=(i, 9, 9)), "image/png")).get_json()["files"][0]["url"]
            for i in range(6)]
    product = factories.product(factories.category("水果"), "苹果礼盒")
    product.skus[0].image_url = urls[3]
    # when the product is saved with two gallery pictures, a share picture, a SKU picture and
    # a picture in its detail
    manage.update_details(Actor(None), product, {"image_urls": urls[:2], "share_image_url": urls[2],
                                                 "detail_html": f'<p>产地</p><p><img src="{urls[5]}" alt=""></p>'})
    db.session.commit()
    # then each is used once and the fifth by nothing
    used = {file["url"]: file["used"] for file in console.get("/admin/media/files.json").get_json()["files"]}
    assert used == {urls[0]: 1, urls[1]: 1, urls[2]: 1, urls[3]: 1, urls[4]: 0, urls[5]: 1}
    page = console.get("/admin/media").get_data(as_text=True)
    assert page.count("被 1 处使用") == 5


def test_folders_hold_pictures_and_the_search_is_by_name_prefix(console):
    assert post(console, "/admin/media/folders", {"name": "主图"}, token_path="/admin/media").status_code == 302
    folder = db.session.scalar(select(MediaFolder).where(MediaFolder.name == "主图"))
    _upload(console, ("苹果-正面.png", _png(colour=(1, 1, 1)), "image/png"), folder_id=folder.id)
    loose = _upload(console, ("青苹果.png", _png(colour=(2, 2, 2)), "image/png")).get_json()["files"][0]
    in_folder = console.get(f"/admin/media?folder={folder.id}").get_data(as_text=True)
    assert "苹果-正面" in in_folder and "青苹果" not in in_folder
    assert [f["name"] for f in console.get("/admin/media/files.json?q=苹果").get_json()["files"]] == ["苹果-正面"]
    assert [f["name"] for f in console.get("/admin/media/files.json?q=%25").get_json()["files"]] == []
    # moving the loose one in, then a non-empty folder cannot be deleted
    post(console, "/admin/media/move", {"file_ids": str(loose["id"]), "folder_id": str(folder.id)},
         token_path="/admin/media")
    assert len(console.get(f"/admin/media/files.json?folder={folder.id}").get_json()["files"]) == 2
    post(console, f"/admin/media/folders/{folder.id}/delete", token_path="/admin/media")
    assert db.session.get(MediaFolder, folder.id) is not None


def test_a_picture_is_renamed_and_the_library_pages_by_id(console):
    for i in range(3):
        _upload(console, (f"图{i}.png", _png(colour=(i, 3, 3)), "image/png"))
    newest = db.session.scalar(select(MediaFile).order_by(MediaFile.id.desc()))
    post(console, f"/admin/media/{newest.id}/rename", {"name": "封面"}, token_path="/admin/media")
    first = console.get("/admin/media/files.json").get_json()
    assert first["files"][0]["name"] == "封面"
    page = library.list_files(page_size=2)
    rest = library.list_files(page_size=2, before=page.next_before)
    assert [f.name for f in page.files + rest.files] == ["封面", "图1", "图0"] and rest.next_before is None


def test_the_library_refuses_uploads_without_the_csrf_token(console, media_root):
    answer = console.post("/admin/media/upload", data={"files": [(io.BytesIO(_png()), "a.png")]},
                          content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert answer.status_code == 400 and _stored(media_root) == []


def test_a_news_reply_cover_under_the_public_address_counts_as_a_use(console):
    picture = _upload(console, ("封面.png", _png(), "image/png")).get_json()["files"][0]
    public = console.application.config["PUBLIC_BASE_URL"].rstrip("/")
    article = {"title": "新品", "description": "", "picurl": public + picture["url"], "url": "https://example.com/"}
    rule = replies.create_keyword_rule(name="上新", keywords=[{"text": "新品"}], kind="news",
                                       content={"articles": [article]})
    db.session.commit()
    refused = console.post(f"/admin/media/{picture['id']}/delete", headers={
        "X-CSRFToken": csrf_token(console, "/admin/media"), "Accept": "application/json"})
    assert refused.status_code == 409 and "关键词回复「上新」" in refused.get_json()["error"]["message"]
    replies.delete_keyword_rule(rule.id)
    db.session.commit()
    assert console.get("/admin/media/files.json").get_json()["files"][0]["used"] == 0


def test_recount_usage_finds_pictures_chosen_before_the_library_kept_count(console):
    from app.media import usage
    from app.shop.services import shop_settings

    urls = [_upload(console, (f"r{i}.png", _png(colour=(i, 40, 9)), "image/png")).get_json()["files"][0]["url"]
            for i in range(3)]
    product = factories.product(factories.category("水果"), "苹果礼盒")
    product.image_urls, product.cover_url = [urls[0]], urls[0]  # written straight, as before the library
    product.category.icon_url = urls[1]
    shop_settings().logo_url = urls[2]
    db.session.commit()
    assert usage.count_by_url(urls) == {}
    result = console.application.test_cli_runner().invoke(args=["media", "recount-usage"])
    assert result.exit_code == 0, result.output
    assert "products and categories: 2 recounted" in result.output
    assert usage.count_by_url(urls) == {urls[0]: 1, urls[1]: 1, urls[2]: 1}
    again = console.application.test_cli_runner().invoke(args=["media", "recount-usage"])
    assert again.exit_code == 0 and usage.count_by_url(urls) == {urls[0]: 1, urls[1]: 1, urls[2]: 1}


def _placed_with(product) -> None:
    """A new shopper places an order for one of `product` through checkout."""
    from app.addresses.services import create_address
    from app.orders.checkout import CheckoutRequest, place_order
    from tests.checkout_helpers import NANSHAN

    shopper = factories.shopper()
    create_address(shopper.id, {"receiver_name": "张三", "receiver_phone": "13800000001", "region_code": NANSHAN,
                                "detail": "科技园1号"}, is_default=True)
    place_order(shopper.id, CheckoutRequest(lines=[(product.skus[0].id, 1)]), f"media-order-{shopper.id}")
    db.session.commit()


def _delete(console, picture_id):
    return console.post(f"/admin/media/{picture_id}/delete", headers={
        "X-CSRFToken": csrf_token(console, "/admin/media"), "Accept": "application/json"})


def test_a_picture_in_order_history_cannot_be_deleted_after_the_product_changed_it(console, media_root):
    sold = _upload(console, ("sold.png", _png(colour=(1, 2, 3)), "image/png")).get_json()["files"][0]
    product = factories.product(factories.category("水果"), "苹果礼盒", stock=10)
    product.image_urls, product.cover_url = [sold["url"]], sold["url"]
    db.session.commit()
    # given two orders placed with the picture, and the product showing another one since
    _placed_with(product)
    _placed_with(product)
    product.image_urls, product.cover_url = [], ""
    manage.record_pictures(product)
    db.session.commit()
    snapshot_rows = db.session.scalars(select(MediaUsage).where(MediaUsage.owner_type == "order_snapshot")).all()
    assert [(row.url, row.owner_id) for row in snapshot_rows] == [(sold["url"], product.id)]  # marked once
    assert console.get("/admin/media/files.json").get_json()["files"][0]["used"] == 1
    # when the merchant deletes it
    refused = _delete(console, sold["id"])
    # then it is refused in Chinese, naming order history, and the picture stays
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "media_in_order_history"
    assert "历史订单" in error["message"] and "苹果礼盒" in error["message"]
    assert db.session.get(MediaFile, sold["id"]) is not None and len(_stored(media_root)) == 3


def test_a_picture_never_sold_deletes_while_orders_show_others(console, media_root):
    sold = _upload(console, ("sold.png", _png(colour=(1, 2, 3)), "image/png")).get_json()["files"][0]
    spare = _upload(console, ("spare.png", _png(colour=(3, 2, 1)), "image/png")).get_json()["files"][0]
    product = factories.product(factories.category("水果"), "苹果礼盒", stock=10)
    product.image_urls, product.cover_url = [sold["url"]], sold["url"]
    db.session.commit()
    _placed_with(product)
    assert _delete(console, spare["id"]).status_code == 200
    db.session.expire_all()
    assert db.session.get(MediaFile, spare["id"]) is None and len(_stored(media_root)) == 3


def test_recount_usage_marks_pictures_of_orders_placed_before_the_library_kept_them(console):
    from app.media import usage

    sold = _upload(console, ("old.png", _png(colour=(7, 7, 7)), "image/png")).get_json()["files"][0]
    product = factories.product(factories.category("水果"), "旧礼盒", stock=10)
    product.image_urls, product.cover_url = [sold["url"]], sold["url"]
    db.session.commit()
    _placed_with(product)
    db.session.execute(delete(MediaUsage))  # as before the library kept count
    db.session.commit()
    result = console.application.test_cli_runner().invoke(args=["media", "recount-usage"])
    assert result.exit_code == 0, result.output
    assert "order history: 1 recounted" in result.output
    assert usage.count_by_url([sold["url"]]) == {sold["url"]: 2}  # the product and its order history
    again = console.application.test_cli_runner().invoke(args=["media", "recount-usage"])
    assert "order history: 0 recounted" in again.output


def test_a_member_levels_badge_is_picked_from_the_library_counted_as_used_and_shown_to_shoppers(console, media_root):
    from app.members.models import MemberLevel
    picture = _upload(console, ("gold.png", _png(), "image/png")).get_json()["files"][0]
    assert post(console, "/admin/members/levels/new", {
        "name": "金卡", "growth_threshold": "1000", "discount": "9.5", "points_multiplier": "1",
        "badge_url": picture["url"], "monthly_coupon": ""}).status_code == 302
    level = db.session.scalar(select(MemberLevel).where(MemberLevel.name == "金卡"))
    assert level.badge_url == picture["url"]
    assert console.get("/admin/media/files.json").get_json()["files"][0]["used"] == 1
    refused = console.post(f"/admin/media/{picture['id']}/delete", headers={
        "X-CSRFToken": csrf_token(console, "/admin/media"), "Accept": "application/json"})
    assert refused.status_code == 409 and "金卡" in refused.get_json()["error"]["message"]
    shopper = console.application.test_client()
    token = shopper.post("/api/v1/auth/dev-login", json={"name": "badge-viewer"}).get_json()["token"]
    levels = shopper.get("/api/v1/members/levels", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [(item["name"], item["badge_url"]) for item in levels["items"]] == [("金卡", picture["url"])]
