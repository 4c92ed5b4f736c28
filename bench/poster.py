"""Posters: drawing one through our code versus the same layers with bare Pillow calls, and
fetching a cached poster through the app versus the same file served as a static file.

Render: a throwaway SQLite instance with an agent (avatar and product picture in media) and the
shipped `product-classic` template (its mini-program code fetched once from the sandbox, then
kept). Alternating rounds draw --posters posters each way, every one with a new nickname so
each is a cache miss: ours is plan (database reads, cache key) + draw + PNG; bare is the same
canvas, panels, texts, avatar circle, product picture and code composed by hand with Pillow,
same fonts, same PNG settings. Fetch: the app (`/media/posters/…` with its ETag and
Cache-Control) and a bare Flask static folder, both under gunicorn with gunicorn.conf.py,
alternately driven at --concurrency keep-alive connections.

Prints both timings and rates; last line `ratio=<ours/bare render time>` (target ≤ 1.5;
fetch target: app/static ≥ 0.8).

    .venv/bin/python bench/poster.py [--posters 20] [--rounds 5] [--requests 2000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import Call, drive, free_port, gunicorn, wait_until_answering  # noqa: E402

TEMPLATE = "product-classic"


def prepare(folder: str):
    """Migrate, seed an agent and a product, serve the app (its sandbox) on a thread."""
    os.environ.update(FENXIAO_INSTANCE_PATH=folder, WECHAT_SANDBOX="1")
    from flask_migrate import upgrade
    from PIL import Image
    from werkzeug.serving import make_server

    from app import create_app
    from app.audit.services import SYSTEM
    from app.catalog.models import Category, Product, Sku
    from app.distribution import agents
    from app.extensions import db
    from app.media.storage import storage

    port = free_port()
    app = create_app({"LOG_LEVEL": "WARNING", "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with app.app_context():
        upgrade()
        files = storage()
        for key, colour, size in (("bench/avatar.png", (236, 112, 99), 132), ("bench/tea.jpg", (120, 160, 90), 800)):
            buffer = io.BytesIO()
            Image.new("RGB", (size, size), colour).save(buffer, format="PNG" if key.endswith("png") else "JPEG")
            files.save(key, buffer.getvalue())
        from app.accounts.models import User

        user = User(nickname="分销达人", avatar_url=files.url("bench/avatar.png"))
        category = Category(name="茶叶")
        db.session.add_all([user, category])
        db.session.flush()
        product = Product(category_id=category.id, title="云南高山有机红茶 特级滇红 250克礼盒装 送礼佳品",
                          subtitle="产地直发 · 顺丰包邮", cover_url=files.url("bench/tea.jpg"), spec_matrix=[])
        db.session.add(product)
        db.session.flush()
        db.session.add(Sku(product_id=product.id, specs={}, price_fen=12900, stock=100))
        agents.appoint(SYSTEM, user.id)
        db.session.commit()
        ids = (user.id, product.id)
    return app, server, ids


def ours(app, user_id: int, product_id: int, names: list[str]) -> float:
    from app.accounts.models import User
    from app.extensions import db
    from app.posters import renderer, services

    with app.app_context():
        user = db.session.get(User, user_id)
        started = time.perf_counter()
        for name in names:
            user.nickname = name  # a new input: a cache miss each time
            poster = services.product_plan(user_id, product_id, TEMPLATE)
            renderer.png_bytes(services.draw(poster))
        elapsed = time.perf_counter() - started
        db.session.rollback()
    return elapsed


def bare(spec: dict, font_path: str, avatar_path: str, picture_path: str, code_path: str, values: dict,
         names: list[str]) -> float:
    """The same layers, composed directly with Pillow. Fonts, the fitted product picture and the
    fitted code are made once and kept across posters, as our renderer keeps them, so the
    ratio compares the same work (the avatar is read for every poster, on both sides)."""
    from PIL import Image, ImageDraw, ImageFont

    fonts: dict[int, ImageFont.FreeTypeFont] = {}
    fitted: dict[tuple, Image.Image] = {}

    def fit(path: str, size: tuple[int, int]) -> Image.Image:
        if (path, size) not in fitted:
            with Image.open(path) as image:
                fitted[path, size] = image.convert("RGB").resize(size)
        return fitted[path, size]

    started = time.perf_counter()
    for name in names:
        texts = {**values, "nickname": name}
        canvas = Image.new("RGBA", (spec["width"], spec["height"]), spec["background"]["color"])
        draw = ImageDraw.Draw(canvas)
        for element in spec["elements"]:
            kind = element["type"]
            if kind == "rect":
                draw.rectangle((element["x"], element["y"], element["x"] + element["width"],
                                element["y"] + element["height"]), fill=element["fill"])
            elif kind == "product_image":
                canvas.paste(fit(picture_path, (element["width"], element["height"])), (element["x"], element["y"]))
            elif kind == "avatar":
                size = element["size"]
                with Image.open(avatar_path) as avatar:
                    face = avatar.convert("RGBA").resize((size, size))
                mask = Image.new("L", (size * 4, size * 4), 0)
                ImageDraw.Draw(mask).ellipse((0, 0, size * 4, size * 4), fill=255)
                canvas.paste(face, (element["x"], element["y"]), mask.resize((size, size)))
            elif kind == "text":
                font = fonts.setdefault(element["size"], ImageFont.truetype(font_path, element["size"]))
                content = element["text"].format(**texts)
                lines, line = [], ""
                for char in content:  # wrap by width, at most max_lines
                    if font.getlength(line + char) > element["width"]:
                        lines.append(line)
                        line = ""
                    line += char
                lines.append(line)
                lines = lines[:element.get("max_lines", 1)]
                for index, text in enumerate(lines):
                    x = element["x"]
                    if element.get("align") == "center":
                        x += (element["width"] - font.getlength(text)) / 2
                    draw.text((x, element["y"] + index * round(element["size"] * 1.3)), text, font=font,
                              fill=element.get("color", "#333333"))
        code = spec["code"]
        canvas.paste(fit(code_path, (code["size"], code["size"])), (code["x"], code["y"]))
        buffer = io.BytesIO()
        canvas.convert("RGB").save(buffer, format="PNG", compress_level=3)
    return time.perf_counter() - started


def render_bench(app, ids, args) -> float:
    from app.media.fonts import cjk_font_path
    from app.media.storage import storage
    from app.posters import services
    from app.wechat.wxacode import mini_program_code

    user_id, product_id = ids
    spec = json.loads((ROOT / "poster_templates" / TEMPLATE / "template.json").read_text(encoding="utf-8"))
    with app.app_context():
        poster = services.product_plan(user_id, product_id, TEMPLATE)
        values = dict(poster.inputs.values)
        code_url = mini_program_code(poster.inputs.code.scene, poster.inputs.code.page, width=280)
        root = storage().root
        paths = [str(root / url.split("/media/", 1)[1]) for url in
                 (code_url, storage().url("bench/avatar.png"), storage().url("bench/tea.jpg"))]
    ours(app, user_id, product_id, ["预热"] * 3)  # warm both (fonts, template, code)
    bare(spec, cjk_font_path(), paths[1], paths[2], paths[0], values, ["预热"] * 3)
    ratios, total_ours, total_bare = [], 0.0, 0.0
    for round_no in range(args.rounds):
        names = [f"分销员{round_no}-{n}号" for n in range(args.posters)]
        first, second = ("ours", "bare") if round_no % 2 == 0 else ("bare", "ours")
        timing = {}
        for which in (first, second):
            if which == "ours":
                timing[which] = ours(app, user_id, product_id, names)
            else:
                timing[which] = bare(spec, cjk_font_path(), paths[1], paths[2], paths[0], values, names)
        total_ours += timing["ours"]
        total_bare += timing["bare"]
        ratios.append(timing["ours"] / timing["bare"])
    per = args.posters * args.rounds
    print(f"render ours: {per} posters in {total_ours:.2f}s = {total_ours / per * 1000:.1f} ms/poster")
    print(f"render bare Pillow: {per} posters in {total_bare:.2f}s = {total_bare / per * 1000:.1f} ms/poster")
    ratio = statistics.median(ratios)
    print(f"render ratio ours/bare per round: {' '.join(f'{r:.2f}' for r in ratios)}  median={ratio:.2f} "
          f"(target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    return ratio


def fetch_bench(app, ids, folder: str, args) -> None:
    from app.media.storage import storage
    from app.posters import services

    with app.app_context():
        url = services.render_and_store(services.product_plan(ids[0], ids[1], TEMPLATE))
        media_root = str(storage().root)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", "BENCH_STATIC_ROOT": media_root}
    app_port, static_port = free_port(), free_port()
    logs = Path(folder)
    with gunicorn("wsgi:app", app_port, env, logs / "app.log", args.workers, args.threads), \
            gunicorn("bench.static_app:app", static_port, env, logs / "static.log", args.workers, args.threads):
        for port in (app_port, static_port):  # gunicorn listens before its workers have built the app
            wait_until_answering(port, url)
        deadline = time.monotonic() + args.max_seconds
        calls = [Call(url)] * args.requests
        for port in (app_port, static_port):
            drive(port, calls[:200], args.concurrency, deadline)
        rates = {"app": [], "static": []}
        size = -(-args.requests // args.rounds)
        for round_no in range(args.rounds):
            order = ("app", "static") if round_no % 2 == 0 else ("static", "app")
            for name in order:
                outcome = drive(app_port if name == "app" else static_port, calls[:size], args.concurrency, deadline)
                if outcome.statuses.get(200, 0) != size:
                    raise SystemExit(f"{name}: not every fetch answered 200: {dict(outcome.statuses)}")
                rates[name].append(size / outcome.seconds)
    ratio = statistics.median(a / s for a, s in zip(rates["app"], rates["static"], strict=True))
    print(f"fetch app /media/posters/…: {statistics.median(rates['app']):.0f} req/s; "
          f"static file: {statistics.median(rates['static']):.0f} req/s; app/static={ratio:.2f} "
          f"(target >= 0.8: {'met' if ratio >= 0.8 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posters", type=int, default=20, help="posters drawn each way per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000, help="fetches of the cached poster, each way")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=180.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fenxiao-bench-") as folder:
        for name in ("DATABASE_URL", "REDIS_URL", "RQ_INLINE", "PUBLIC_BASE_URL", "MEDIA_ROOT"):
            os.environ.pop(name, None)
        app, server, ids = prepare(folder)
        try:
            ratio = render_bench(app, ids, args)
            fetch_bench(app, ids, folder, args)
        finally:
            server.shutdown()
    print(f"ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
