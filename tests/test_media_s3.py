"""The media store on an S3-compatible bucket, against a real S3 HTTP server (moto's server
mode, on a free port): console uploads land in the bucket with their content type and cache
lifetime, their URLs answer, deleting a picture deletes its objects, posters read a library
background and a product picture back from the bucket, the console's CSP lets the bucket's
pictures show, and a half-configured bucket stops the app at start-up."""

from __future__ import annotations

import io

import pytest
import requests
from PIL import Image

from app.audit.services import Actor
from app.extensions import db
from app.media import library
from app.media.immutable import CACHE_CONTROL
from app.media.storage import storage
from app.posters import services, template_settings
from tests import distribution_helpers, factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.poster_helpers import template_json, write_template
from tests.s3_helpers import KEYS, s3_settings


def _keys(bucket) -> list[str]:
    name, client = bucket
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", []))


@pytest.fixture
def console(make_app, s3_endpoint, bucket, tmp_path):
    write_template(tmp_path, "plain", template_json())
    picture_box = {"type": "product_image", "x": 0, "y": 0, "width": 600, "height": 400}
    write_template(tmp_path, "prod", template_json(
        kind="product", short_id="p9", elements=[picture_box],
        code={"type": "url", "x": 300, "y": 600, "size": 280, "link": "{base_url}/h5/?scene={scene}"}))
    app = make_app(**s3_settings(s3_endpoint, bucket[0]), MEDIA_ROOT=str(tmp_path / "never-used"),
                   POSTER_TEMPLATES_DIR=str(tmp_path))
    with app.app_context():
        make_staff()
        client = app.test_client()
        log_in(client)
        yield client


def _png(width=640, height=480, colour=(30, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def _upload(console, name: str, body: bytes):
    return console.post("/admin/media/upload", data={"files": [(io.BytesIO(body), name, "image/png")]},
                        content_type="multipart/form-data",
                        headers={"X-CSRFToken": csrf_token(console, "/admin/media"), "Accept": "application/json"})


def test_a_console_upload_lands_in_the_bucket_and_its_urls_answer(console, bucket, s3_endpoint, tmp_path):
    answer = _upload(console, "草地.png", _png())
    assert answer.status_code == 201
    picture = answer.get_json()["files"][0]
    keys = _keys(bucket)
    assert len(keys) == 3 and all(key.startswith("library/") for key in keys)
    assert not (tmp_path / "never-used").exists()
    for url in (picture["full_url"], picture["url"], picture["thumb_url"]):
        assert url.startswith(f"{s3_endpoint}/{bucket[0]}/library/")
        head = bucket[1].head_object(Bucket=bucket[0], Key=url.removeprefix(f"{s3_endpoint}/{bucket[0]}/"))
        served = requests.get(url, timeout=5)  # as a browser (anonymous) asks for it
        assert served.status_code == 200
        assert served.headers["Content-Type"] == Image.MIME[Image.open(io.BytesIO(served.content)).format]
        assert head["ContentType"] == served.headers["Content-Type"] and head["CacheControl"] == CACHE_CONTROL
    thumb = Image.open(io.BytesIO(requests.get(picture["thumb_url"], timeout=5).content))
    assert max(thumb.size) == 200 and thumb.convert("RGB").getpixel((10, 10)) == (30, 160, 90)
    # the library page lists it with the bucket's thumbnail address
    listed = console.get("/admin/media/files.json").get_json()["files"]
    assert [item["thumb_url"] for item in listed] == [picture["thumb_url"]]


def test_deleting_a_picture_deletes_its_objects(console, bucket):
    keep = _upload(console, "留下.png", _png(colour=(1, 2, 3))).get_json()["files"][0]
    gone = _upload(console, "删掉.png", _png(colour=(200, 10, 10))).get_json()["files"][0]
    assert len(_keys(bucket)) == 6
    answer = post(console, f"/admin/media/{gone['id']}/delete", token_path="/admin/media")
    assert answer.status_code == 302
    remaining = _keys(bucket)
    assert len(remaining) == 3 and all(keep["full_url"].rsplit(".", 1)[0].rsplit("/", 1)[-1] in key
                                       for key in remaining)
    # an anonymous reader is told 403 or 404 (S3 hides absence from those who may not list)
    assert requests.get(gone["thumb_url"], timeout=5).status_code in (403, 404)
    assert requests.get(keep["thumb_url"], timeout=5).status_code == 200


def test_a_poster_background_from_the_library_is_read_back_from_the_bucket(console, bucket):
    [picture] = library.upload(Actor(None), None, [("海报底图.png", _png(600, 900, (200, 60, 10)))])
    db.session.commit()
    answer = post(console, "/admin/posters/plain/background/library", {"url": picture.web_url},
                  token_path="/admin/posters")
    assert answer.status_code == 302
    db.session.expire_all()
    (state,) = [s for s in template_settings.states() if s.template.key == "plain"]
    assert state.background_key in _keys(bucket)
    head = bucket[1].head_object(Bucket=bucket[0], Key=state.background_key)
    assert head["ContentType"] == "image/jpeg" and head["CacheControl"] == CACHE_CONTROL
    preview = Image.open(io.BytesIO(console.get("/admin/posters/plain/preview.png").data)).convert("RGB")
    assert all(abs(got - want) <= 3 for got, want in zip(preview.getpixel((5, 880)), (200, 60, 10), strict=True))


def test_a_product_poster_draws_the_library_picture_from_the_bucket_and_stores_itself_there(console, bucket):
    [picture] = library.upload(Actor(None), None, [("红茶.png", _png(800, 600, (20, 40, 220)))])
    product = factories.product(factories.category(), "有机红茶", share_image_url=picture.web_url)
    user = distribution_helpers.agent("小红")
    url = services.render_and_store(services.product_plan(user.id, product.id, "prod"))
    key = url.removeprefix(f"{storage().url_prefix}")
    assert key.startswith("posters/") and key in _keys(bucket)
    assert bucket[1].head_object(Bucket=bucket[0], Key=key)["ContentType"] == "image/png"
    drawn = Image.open(io.BytesIO(requests.get(url, timeout=5).content)).convert("RGB")
    assert all(abs(got - want) <= 3 for got, want in zip(drawn.getpixel((300, 200)), (20, 40, 220), strict=True))


def test_reading_a_missing_object_is_like_a_missing_file(console, bucket, tmp_path):
    files = storage()
    assert not files.exists("library/none.png") and files.version("library/none.png") is None
    with pytest.raises(FileNotFoundError):
        files.open("library/none.png")
    with pytest.raises(ValueError):
        files.save("../outside.png", b"x")
    files.save("uploads/note.txt", b"hello")
    with files.open("uploads/note.txt") as handle:
        assert handle.read() == b"hello"
    head = bucket[1].head_object(Bucket=bucket[0], Key="uploads/note.txt")
    assert head["ContentType"] == "text/plain" and head["CacheControl"] == "public, max-age=3600"
    source = tmp_path / "big.csv"
    source.write_bytes(b"a,b\n" * 50_000)
    files.save_file("uploads/big.csv", source)  # streamed from disk
    assert bucket[1].get_object(Bucket=bucket[0], Key="uploads/big.csv")["Body"].read() == source.read_bytes()
    # an old /media/ address is still answered, read through the store
    assert console.get("/media/uploads/note.txt").data == b"hello"
    assert console.get("/media/uploads/gone.txt").status_code == 404


def test_the_console_lets_the_buckets_pictures_show(console, s3_endpoint):
    policy = console.get("/admin/media").headers["Content-Security-Policy"]
    assert f"img-src 'self' {s3_endpoint} data: blob:;" in policy
    assert "script-src 'self';" in policy  # nothing else widened


def test_the_console_allows_only_its_own_pictures_with_local_media(make_app):
    app = make_app()
    with app.app_context():
        make_staff()
        client = app.test_client()
        log_in(client)
        assert "img-src 'self' data: blob:;" in client.get("/admin/media").headers["Content-Security-Policy"]


@pytest.mark.parametrize("missing", ["MEDIA_S3_BUCKET", "MEDIA_S3_ACCESS_KEY", "MEDIA_S3_SECRET_KEY",
                                     "MEDIA_S3_ENDPOINT"])
def test_a_half_configured_bucket_stops_the_app_at_start_up(make_app, missing):
    settings = {"MEDIA_S3_ENDPOINT": "https://cos.ap-shanghai.myqcloud.com", "MEDIA_S3_BUCKET": "shop-1250000000",
                "MEDIA_URL": "https://shop-1250000000.cos.ap-shanghai.myqcloud.com/", **KEYS, missing: ""}
    with pytest.raises(RuntimeError, match=missing):
        make_app(MEDIA_BACKEND="s3", **settings)


def test_a_bucket_needs_its_public_address_and_an_unknown_backend_is_refused(make_app):
    settings = {"MEDIA_S3_ENDPOINT": "https://cos.ap-shanghai.myqcloud.com", "MEDIA_S3_BUCKET": "shop", **KEYS}
    with pytest.raises(RuntimeError, match="MEDIA_URL"):
        make_app(MEDIA_BACKEND="s3", MEDIA_URL="/media/", **settings)
    with pytest.raises(RuntimeError, match="MEDIA_BACKEND='ftp'"):
        make_app(MEDIA_BACKEND="ftp")
