"""Drawing posters: the code decodes to the scene, Chinese renders with the CJK font (not tofu),
emoji are dropped, long text wraps with an ellipsis, a hanging avatar host falls back to the
default avatar within the timeout, and scenes keep to WeChat's limits."""

from __future__ import annotations

import time

import pytest
from PIL import Image, ImageChops, ImageDraw

from app.core.errors import ValidationError
from app.media.fonts import cjk_font
from app.posters import services, sources, text
from app.posters.codes import parse_scene, target_for
from app.posters.template_schema import Code
from app.wechat.sandbox.oa_qrcode import scene_of_qr_url
from tests import factories
from tests.poster_helpers import (
    PictureServer,
    SilentServer,
    agent,
    decoded,
    open_stored,
    template_json,
    write_template,
)

WHITE = (255, 255, 255)


@pytest.fixture
def poster_app(make_app, tmp_path):
    app = make_app(POSTER_TEMPLATES_DIR=str(tmp_path), POSTER_FETCH_TIMEOUT=0.5)
    with app.app_context():
        yield app


def _render(user, key="plain"):
    poster = services.invite_plan(user.id, key)
    return open_stored(services.render_and_store(poster)), poster


def test_chinese_text_is_drawn_with_the_cjk_font_not_tofu(poster_app, tmp_path):
    write_template(tmp_path, "plain", template_json())
    user = agent("分销达人")

    image, _poster = _render(user)

    expected = Image.new("RGB", (440, 60), WHITE)
    ImageDraw.Draw(expected).text((0, 0), "分销达人", font=cjk_font(40), fill=(0, 0, 0))
    region = image.crop((140, 40, 580, 100))
    assert ImageChops.difference(region, expected).getbbox() is None  # the font's own glyphs
    assert region.convert("L").point(lambda v: v < 128 and 255).getbbox() is not None  # not blank
    assert all(text.font_has(char) for char in "分销达人")
    tofu = Image.new("RGB", (440, 60), WHITE)
    ImageDraw.Draw(tofu).text((0, 0), "\U0010fffd" * 4, font=cjk_font(40), fill=(0, 0, 0))
    assert ImageChops.difference(region, tofu).getbbox() is not None


def test_emoji_in_a_nickname_are_dropped_not_drawn_as_boxes(poster_app, tmp_path):
    write_template(tmp_path, "plain", template_json())
    with_emoji, _ = _render(agent("小明😀🎉同学👨‍👩‍👧"))
    without, _ = _render(agent("小明同学"))
    assert ImageChops.difference(with_emoji.crop((140, 40, 580, 100)), without.crop((140, 40, 580, 100))).getbbox() \
        is None
    assert text.drawable("小明😀🎉同学👨‍👩‍👧") == "小明同学"


def test_long_text_wraps_to_max_lines_with_an_ellipsis():
    font = cjk_font(30)
    lines = text.wrap("云南高山有机红茶特级滇红二百五十克礼盒装送礼佳品产地直发顺丰包邮", font, 300, 2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(font.getlength(line) <= 300 for line in lines)
    assert text.wrap("short", font, 300, 2) == ["short"]


def test_a_hanging_avatar_host_falls_back_to_the_default_avatar_in_time(poster_app, tmp_path):
    write_template(tmp_path, "plain", template_json())
    silent = SilentServer()
    try:
        started = time.monotonic()
        image, _ = _render(agent("慢头像", avatar_url=silent.url))
        elapsed = time.monotonic() - started
    finally:
        silent.stop()
    assert elapsed < 5
    default = sources.default_avatar(100).convert("RGB")
    assert image.getpixel((70, 50)) == default.getpixel((50, 30))  # the default's head, not a blank


def test_a_reachable_avatar_is_drawn_in_a_circle(poster_app, tmp_path):
    write_template(tmp_path, "plain", template_json())
    server = PictureServer(colour=(220, 20, 60))
    try:
        image, _ = _render(agent("红头像", avatar_url=server.url))
    finally:
        server.stop()
    assert image.getpixel((70, 70)) == (220, 20, 60)
    assert image.getpixel((22, 22)) == WHITE  # outside the circle


def test_a_url_code_decodes_to_the_link_with_the_scene(poster_app, tmp_path):
    write_template(tmp_path, "plain", template_json())
    user = agent()
    image, poster = _render(user)
    code = user_invite_code(user)
    assert decoded(image) == [f"{poster_app.config['PUBLIC_BASE_URL']}/h5/?scene=r%3D{code}%26t%3Dz1"]
    assert parse_scene(poster.inputs.code.scene).invite_code == code


def user_invite_code(user) -> str:
    from app.distribution.agents import agent_of

    return agent_of(user.id).invite_code


def test_a_mini_program_code_on_a_poster_decodes_to_the_scene(live_app):
    user = agent()
    product = factories.product(factories.category(), "有机红茶", price_fen=12900)
    invite = services.invite_plan(user.id, "invite-starry")
    share = services.product_plan(user.id, product.id, "product-classic")
    code = user_invite_code(user)

    assert decoded(open_stored(services.render_and_store(invite))) == [f"r={code}&t=i1"]
    assert decoded(open_stored(services.render_and_store(share))) == [f"r={code}&p={product.id}&t=p1"]


def test_an_official_account_qr_on_a_poster_opens_the_scene_at_wechat(live_app, live_server):
    user = agent()
    poster = services.invite_plan(user.id, "invite-warm")
    (url,) = decoded(open_stored(services.render_and_store(poster)))
    assert url.startswith("http://weixin.qq.com/q/")
    assert scene_of_qr_url(url) == f"r={user_invite_code(user)}&t=i2"
    assert live_server.sandbox.calls["qrcode/create"] == 1


def _code(kind: str) -> Code:
    return Code(type=kind, x=0, y=0, size=300, page="pages/index/index" if kind == "wxacode" else None,
                link="{base_url}/?s={scene}" if kind == "url" else None)


def test_the_longest_poster_scene_fits_the_32_character_limit(app):
    target = target_for(_code("wxacode"), "p9", "ABCDEFGH", 999_999_999_999)
    assert len(target.scene) <= 32 and target.scene == "r=ABCDEFGH&p=999999999999&t=p9"


@pytest.mark.parametrize(("invite_code", "product_id"), [("ABCDEFGH", 10**15), ("AB CD1", None), ("码码码码码码", 1)])
def test_scenes_past_wechats_limits_are_refused(app, invite_code, product_id):
    with pytest.raises(ValidationError) as caught:
        target_for(_code("wxacode"), "p1", invite_code, product_id)
    assert "scene" in caught.value.fields


def test_official_account_scenes_may_be_longer_but_not_past_64(app):
    assert target_for(_code("oa_qr"), "p1", "ABCDEFGH", 10**15).scene.startswith("r=ABCDEFGH")
    with pytest.raises(ValidationError):
        target_for(_code("oa_qr"), "p1", "A" * 60, None)
