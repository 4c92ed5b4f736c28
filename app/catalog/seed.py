"""Demo catalogue: categories, products, SKUs and product images drawn with Pillow."""

from __future__ import annotations

import hashlib
import io
import itertools
import random

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.catalog.demo_data import CATALOGUE
from app.catalog.models import Category, Product, Sku
from app.catalog.richtext import sanitise_detail
from app.extensions import db
from app.media.fonts import cjk_font
from app.media.storage import storage

IMAGE_SIZE = 800
HOT_WORDS = ("脐橙", "坚果", "面膜", "连衣裙", "保温杯")


def seed_catalog() -> list[str]:
    from app.shipping.seed import seed_shipping_templates

    templates = seed_shipping_templates()
    created_products = 0
    total_products = 0
    for top_sort, ((top_name, colour), subcategories) in enumerate(CATALOGUE.items()):
        top = _category(top_name, None, sort=100 - top_sort, icon=_icon(top_name, colour))
        for sub_sort, (sub_name, products) in enumerate(subcategories.items()):
            sub = _category(sub_name, top.id, sort=100 - sub_sort, icon=_icon(sub_name, colour))
            for index, (title, subtitle, specs, price_fen, original_fen) in enumerate(products):
                total_products += 1
                if db.session.scalar(select(Product.id).where(Product.title == title)) is None:
                    template = templates["weight"] if top_name == "食品生鲜" else templates["count"]
                    _product(sub, title, subtitle, specs, price_fen, original_fen, colour, index, template)
                    created_products += 1
    db.session.flush()
    words = _seed_hot_words()
    return [f"shipping templates: {len(templates)}",
            f"products: {created_products} created, {total_products - created_products} already there",
            f"hot search words: {words}"]


def _seed_hot_words() -> int:
    from app.catalog.models import HotSearchWord

    if db.session.scalar(select(HotSearchWord.id).limit(1)) is None:
        for position, word in enumerate(HOT_WORDS):
            db.session.add(HotSearchWord(word=word, sort=len(HOT_WORDS) - position))
    return len(HOT_WORDS)


def _category(name: str, parent_id: int | None, *, sort: int, icon: str) -> Category:
    category = db.session.scalar(
        select(Category).where(Category.name == name, Category.parent_id.is_(parent_id)
                               if parent_id is None else Category.parent_id == parent_id))
    if category is None:
        category = Category(name=name, parent_id=parent_id, sort=sort, icon_url=icon)
        db.session.add(category)
        db.session.flush()
    return category


def _product(category: Category, title: str, subtitle: str, specs: dict[str, list[str]],
             price_fen: int, original_fen: int, colour: str, index: int, template_id: int) -> Product:
    rng = random.Random(title)  # same title, same demo numbers on every machine
    images = [_product_image(title, subtitle, colour, shot) for shot in range(3)]
    product = Product(
        category_id=category.id, title=title, subtitle=subtitle, cover_url=images[0], image_urls=images,
        is_recommended=index == 0, is_hot=rng.random() < 0.3, is_new=rng.random() < 0.3,
        virtual_sales=rng.randrange(50, 3000), sort=rng.randrange(0, 100),
        detail_html=sanitise_detail(_detail(title, subtitle, specs, images)),
        share_title=f"{title}｜{subtitle}", share_image_url=images[0], shipping_template_id=template_id,
        spec_matrix=[{"name": name, "values": list(values)} for name, values in specs.items()],
        stock_alert_threshold=10,
    )
    db.session.add(product)
    db.session.flush()
    names = list(specs)
    for position, values in enumerate(itertools.product(*specs.values())):
        step = sum(specs[name].index(value) for name, value in zip(names, values, strict=True))
        price = price_fen + step * max(100, price_fen // 5) // 100 * 100
        db.session.add(Sku(
            product_id=product.id, specs=dict(zip(names, values, strict=True)), price_fen=price,
            original_price_fen=original_fen + (price - price_fen), cost_fen=price * 55 // 100,
            stock=rng.choice([0, 5, 20, 50, 120, 300]) if position else rng.randrange(30, 300),
            weight_g=rng.randrange(200, 3000), code=f"FX{product.id:04d}{position:02d}",
        ))
    return product


def _detail(title: str, subtitle: str, specs: dict[str, list[str]], images: list[str]) -> str:
    """A detail as the console's rich-text editor writes one: aligned, coloured, pictures, a table."""
    rows = "".join(f'<tr><th colSpan="1" rowSpan="1" width="auto">{name}</th>'
                   f'<td colSpan="1" rowSpan="1" width="auto">{" / ".join(values)}</td></tr>'
                   for name, values in specs.items())
    pictures = "".join(f'<p><img src="{url}" alt="{title}" data-href="" style="width: 100%;"/></p>'
                       for url in images[1:])
    return (f'<h2 style="text-align: center;">{title}</h2>'
            f'<p style="text-align: center;"><span style="color: rgb(225, 60, 57);">{subtitle}</span></p>'
            f"{pictures}<h3>规格参数</h3><table style=\"width: auto;\"><tbody>{rows}</tbody></table>"
            "<ul><li>正品保障，假一赔十</li><li>七天无理由退换</li></ul><hr/>"
            '<p style="text-align: right;"><span style="font-size: 12px;">图片仅供参考，以实物为准</span></p>')


def _product_image(title: str, subtitle: str, colour: str, shot: int) -> str:
    key = f"demo/products/{hashlib.sha1(f'{title}:{shot}'.encode()).hexdigest()[:16]}.png"
    store = storage()
    if not store.exists(key):
        store.save(key, _draw_product(title, subtitle, colour, shot))
    return store.url(key)


def _icon(name: str, colour: str) -> str:
    key = f"demo/categories/{hashlib.sha1(name.encode()).hexdigest()[:16]}.png"
    store = storage()
    if not store.exists(key):
        image = Image.new("RGB", (160, 160), "white")
        draw = ImageDraw.Draw(image)
        draw.ellipse((8, 8, 152, 152), fill=colour)
        draw.text((80, 80), name[:2], font=cjk_font(56), fill="white", anchor="mm")
        store.save(key, _png(image))
    return store.url(key)


def _draw_product(title: str, subtitle: str, colour: str, shot: int) -> bytes:
    """A clean studio-style card: soft gradient, a product silhouette, title and subtitle."""
    base = _rgb(colour)
    strip = Image.new("RGB", (1, IMAGE_SIZE))
    for y in range(IMAGE_SIZE):  # vertical gradient from a light tint to white
        t = y / IMAGE_SIZE
        strip.putpixel((0, y), tuple(int(c + (255 - c) * (0.75 + 0.25 * t)) for c in base))
    image = strip.resize((IMAGE_SIZE, IMAGE_SIZE))
    draw = ImageDraw.Draw(image)
    rng = random.Random(f"{title}:{shot}")
    cx, cy = IMAGE_SIZE // 2, 330
    radius = 170 + shot * 10
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=base)
    draw.rounded_rectangle((cx - 90, cy - 120, cx + 90, cy + 120), radius=40,
                           fill=tuple(min(255, c + 60) for c in base))
    for _ in range(6):
        x, y, r = rng.randrange(60, 740), rng.randrange(60, 560), rng.randrange(8, 22)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(min(255, c + 90) for c in base))
    draw.text((cx, cy), title[:1], font=cjk_font(150), fill="white", anchor="mm")
    draw.text((cx, 620), title, font=cjk_font(52), fill=(40, 40, 40), anchor="mm")
    draw.text((cx, 690), subtitle, font=cjk_font(32), fill=(110, 110, 110), anchor="mm")
    draw.rounded_rectangle((24, 24, 150, 72), radius=24, fill=base)
    draw.text((87, 48), "分销精选", font=cjk_font(26), fill="white", anchor="mm")
    return _png(image)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
