"""Poster caching: a poster is drawn once per set of inputs, drawn again when the nickname,
the avatar, the product, the template or its background changes, served with an ETag and a
long Cache-Control, and never drawn twice at once."""

from __future__ import annotations

import io
import os
import threading
import time

import pytest
from PIL import Image

from app.audit.services import SYSTEM
from app.extensions import db, redis_client
from app.media.storage import storage
from app.posters import services, template_settings
from tests import factories
from tests.poster_helpers import agent, template_json, write_template
from tests.test_posters_api import PRODUCT_ELEMENTS


@pytest.fixture
def poster_app(make_app, tmp_path):
    write_template(tmp_path, "plain", template_json())
    write_template(tmp_path, "prod", template_json(kind="product", short_id="p9", elements=PRODUCT_ELEMENTS,
                                                   code={"type": "url", "x": 300, "y": 600, "size": 280,
                                                         "link": "{base_url}/?s={scene}"}))
    app = make_app(POSTER_TEMPLATES_DIR=str(tmp_path))
    with app.app_context():
        yield app


def _stored_path(poster) -> str:
    return os.path.join(storage().root, poster.storage_key)


def test_a_cached_poster_is_not_drawn_again(poster_app):
    user = agent("小明")
    first = services.invite_plan(user.id)
    assert not services.is_ready(first)  # a miss
    services.render_and_store(first)
    written = os.stat(_stored_path(first)).st_mtime_ns

    second = services.invite_plan(user.id)
    assert second.storage_key == first.storage_key and services.is_ready(second)  # a hit
    services.render_and_store(second)
    assert os.stat(_stored_path(first)).st_mtime_ns == written


def test_a_new_nickname_or_avatar_makes_a_new_poster(poster_app):
    user = agent("小明")
    before = services.invite_plan(user.id)
    services.render_and_store(before)

    user.nickname = "小明明"
    db.session.commit()
    renamed = services.invite_plan(user.id)
    user.avatar_url = "https://thirdwx.qlogo.cn/mmopen/new/132"
    db.session.commit()
    new_avatar = services.invite_plan(user.id)

    assert len({before.storage_key, renamed.storage_key, new_avatar.storage_key}) == 3
    assert not services.is_ready(renamed) and services.is_ready(before)


def test_a_product_price_or_title_change_makes_a_new_poster(poster_app):
    user = agent()
    product = factories.product(factories.category(), "红茶", price_fen=1000)
    first = services.product_plan(user.id, product.id)
    product.title = "红茶礼盒"
    db.session.commit()
    retitled = services.product_plan(user.id, product.id)
    product.skus[0].price_fen = 900
    db.session.commit()
    repriced = services.product_plan(user.id, product.id)
    assert len({first.digest, retitled.digest, repriced.digest}) == 3
    assert repriced.inputs.values["price"] == "¥9.00"


def test_editing_the_template_file_or_uploading_a_background_makes_a_new_poster(poster_app, tmp_path):
    user = agent()
    first = services.invite_plan(user.id)

    write_template(tmp_path, "plain", template_json(background={"color": "#FFF7ED"}))
    edited = services.invite_plan(user.id)

    buffer = io.BytesIO()
    Image.new("RGB", (600, 900), (10, 120, 200)).save(buffer, format="PNG")
    template_settings.upload_background(SYSTEM, "plain", buffer.getvalue())
    db.session.commit()
    with_background = services.invite_plan(user.id)

    assert len({first.digest, edited.digest, with_background.digest}) == 3
    image = Image.open(_stored_path_after_render(with_background)).convert("RGB")
    assert image.getpixel((5, 880)) == (10, 120, 200)


def _stored_path_after_render(poster) -> str:
    services.render_and_store(poster)
    return _stored_path(poster)


def test_posters_are_served_with_an_etag_and_a_long_cache_lifetime(poster_app):
    poster = services.invite_plan(agent().id)
    url = services.render_and_store(poster)
    client = poster_app.test_client()

    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert answer.headers["ETag"]
    assert "max-age=31536000" in answer.headers["Cache-Control"] and "immutable" in answer.headers["Cache-Control"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"  # the headers every answer carries
    again = client.get(url, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_one_render_at_a_time_per_poster(poster_app):
    poster = services.invite_plan(agent().id)
    lock = redis_client.lock(f"fenxiao:poster:lock:{poster.digest}", timeout=30)
    assert lock.acquire(blocking=False)  # someone else is drawing it
    app = poster_app
    finished = threading.Event()

    def second_caller():
        with app.app_context():
            services.render_and_store(poster)
        finished.set()

    thread = threading.Thread(target=second_caller)
    thread.start()
    time.sleep(0.3)
    assert not finished.is_set() and not services.is_ready(poster)  # waits instead of drawing too
    storage().save(poster.storage_key, b"drawn by the first")
    lock.release()
    thread.join(timeout=10)
    with open(_stored_path(poster), "rb") as file:
        assert file.read() == b"drawn by the first"  # the waiter found it and did not draw again



def test_a_missing_poster_is_404_and_paths_cannot_leave_the_media_folder(poster_app):
    client = poster_app.test_client()
    assert client.get("/media/posters/plain/00/none.png").status_code == 404
    assert client.get("/media/posters/../../etc/passwd").status_code == 404
    assert client.post("/media/posters/plain/00/none.png").status_code == 405
