"""Mini-program codes: scenes checked to WeChat's rule, a real QR PNG, generated once."""

from __future__ import annotations

import io
import os

import pytest
import requests
from PIL import Image

from app.core.errors import ValidationError
from app.wechat.clients import mp_client
from app.wechat.wxacode import mini_program_code

ALL_ALLOWED = "aZ09!#$&'()*+,/:;=?@-._~"


@pytest.mark.parametrize("scene", ["", "a" * 33, "代理", "a b", "a%20b", "a\"b", "a<b", "a\nb", "é"])
def test_scenes_outside_wechats_alphabet_are_refused(app, scene):
    with pytest.raises(ValidationError) as caught:
        mini_program_code(scene, "pages/index/index")
    assert "scene" in caught.value.fields


@pytest.mark.parametrize(("page", "width", "field"), [
    ("/pages/index/index", 430, "page"), ("pages/index/index?x=1", 430, "page"),
    ("pages/index/index", 279, "width"), ("pages/index/index", 1281, "width"),
])
def test_pages_and_widths_are_checked_too(app, page, width, field):
    with pytest.raises(ValidationError) as caught:
        mini_program_code("a1", page, width=width)
    assert field in caught.value.fields


def _open(live_app, url: str) -> Image.Image:
    path = os.path.join(live_app.config["MEDIA_ROOT"], url.removeprefix(live_app.config["MEDIA_URL"]))
    with open(path, "rb") as file:
        return Image.open(io.BytesIO(file.read()))


def test_a_code_is_a_png_of_the_requested_width(live_app, live_server):
    url = mini_program_code("a=X7k2", "pages/agent/invite", width=300)

    image = _open(live_app, url)
    assert image.format == "PNG" and image.size == (300, 300)
    assert live_server.sandbox.records["wxacodes"]["a=X7k2"] == {"page": "pages/agent/invite", "width": 300}
    assert live_app.test_client().get(url).mimetype == "image/png"


def test_the_longest_scene_with_every_allowed_character_works(live_app):
    scene = (ALL_ALLOWED * 2)[:32]
    image = _open(live_app, mini_program_code(scene, None))
    assert image.size == (430, 430)


def test_a_code_is_generated_once(live_app, live_server):
    first = mini_program_code("p=42", "pages/product/detail")
    second = mini_program_code("p=42", "pages/product/detail")
    other_page = mini_program_code("p=42", "pages/index/index")
    assert first == second != other_page
    assert live_server.sandbox.calls["getwxacodeunlimit"] == 2


@pytest.mark.parametrize(("body", "errcode"), [
    ({"scene": "a" * 33}, 40169), ({"page": "pages/index/index"}, 40169), ({"scene": "代理"}, 40129),
    ({"scene": "ok", "page": "/pages/index/index"}, 41030), ({"scene": "ok", "page": "pages/x?y=1"}, 41030),
])
def test_the_sandbox_refuses_bad_scenes_like_wechat(live_app, live_server, body, errcode):
    token = mp_client().access_token
    answer = requests.post(f"{live_server.url}/sandbox/api/wxa/getwxacodeunlimit?access_token={token}",
                           json=body, timeout=5)
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json()["errcode"] == errcode


def test_a_transparent_code_has_a_see_through_background(live_app, live_server):
    token = mp_client().access_token
    answer = requests.post(f"{live_server.url}/sandbox/api/wxa/getwxacodeunlimit?access_token={token}",
                           json={"scene": "t=1", "width": 280, "is_hyaline": True}, timeout=5)
    image = Image.open(io.BytesIO(answer.content))
    assert image.mode == "RGBA" and image.size == (280, 280)
    assert image.getpixel((0, 0))[3] == 0  # the quiet zone
