"""Shoppers upload after-sale photos: only real images of a sane size, then usable in a request."""

from __future__ import annotations

import io

from PIL import Image

from tests import factories
from tests.test_after_sales import ask, auth, bought


def _image(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def _upload(client, user, data: bytes, name: str = "photo.png"):
    return client.post("/api/v1/uploads/image", data={"file": (io.BytesIO(data), name)},
                       headers=auth(user), content_type="multipart/form-data")


def test_an_uploaded_photo_is_stored_and_accepted_in_a_request(client):
    user, order = bought()
    answer = _upload(client, user, _image("JPEG"), "x.jpg")
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["url"].startswith("/media/uploads/") and body["url"].endswith(".jpg")
    assert (body["width"], body["height"]) == (40, 30)
    assert client.get(body["url"]).data[:2] == b"\xff\xd8"
    stranger, strangers_order = bought()
    borrowed = ask(client, stranger, strangers_order.items[0].id, photos=[body["url"]])
    assert borrowed.status_code == 422 and "photos.0" in borrowed.get_json()["error"]["fields"]
    created = ask(client, user, order.items[0].id, photos=[body["url"]])
    assert created.status_code == 201 and created.get_json()["photos"] == [body["url"]]


def test_what_is_not_an_image_is_refused_with_the_error_shape(client):
    user = factories.shopper()
    for data, name in ((b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.svg"), (b"GIF89a not really", "x.gif"),
                       (b"", "empty.png"), (_image("BMP"), "x.bmp")):
        answer = _upload(client, user, data, name)
        assert answer.status_code == 422, name
        assert answer.get_json()["error"]["code"] == "invalid_image" and "file" in answer.get_json()["error"]["fields"]
    missing = client.post("/api/v1/uploads/image", data={}, headers=auth(user), content_type="multipart/form-data")
    assert missing.status_code == 422


def test_huge_images_and_strangers_are_refused(client):
    user = factories.shopper()
    assert _upload(client, user, _image("PNG", (7000, 10))).status_code == 422
    too_big = client.post("/api/v1/uploads/image", data={"file": (io.BytesIO(b"\0" * (3 * 1024 * 1024)), "a.png")},
                          headers=auth(user), content_type="multipart/form-data")
    assert too_big.status_code == 413 and too_big.get_json()["error"]["code"] == "payload_too_large"
    assert client.post("/api/v1/uploads/image", data={"file": (io.BytesIO(_image()), "a.png")},
                       content_type="multipart/form-data").status_code == 401
