"""The small tables: shop and distribution settings, agent and member levels, categories,
products with their SKUs, and per-product commission rules. Prices are pure functions of the
ids, so the order pass can price an item without holding the catalogue."""

from __future__ import annotations

import functools
import json

from bench.scale import words

SKUS_PER_PRODUCT = 3
SKU_FACTORS = (10, 18, 32)  # tenths: the bigger packs cost more
COST_SHARE = 60  # percent of the price
SETTINGS = {"enabled": True, "levels": 3, "rate1_bp": 1000, "rate2_bp": 500, "rate3_bp": 200, "base": "paid",
            "self_purchase": False, "freeze_days": 7, "bind_mode": "permanent"}
AGENT_LEVELS = ((1, "普通分销员", 0, None, None, None), (2, "银牌分销员", 1, 1200, None, None),
                (3, "金牌分销员", 2, 1500, 700, None))
MEMBER_LEVELS = ((1, "普通会员", 0, 10_000), (2, "银卡会员", 100_000, 9_800), (3, "金卡会员", 500_000, 9_500),
                 (4, "钻石会员", 2_000_000, 9_000))
EXCLUDED_EVERY, RATES_EVERY = 50, 25
PRODUCT_RATES = (1500, 800, 300)


def sku_id(product_id: int, index: int) -> int:
    return (product_id - 1) * SKUS_PER_PRODUCT + index + 1


@functools.cache
def price_fen(product_id: int, index: int) -> int:
    base = 990 + words.mix(product_id) % 290 * 100  # 9.90 to 298.90 yuan
    return base * SKU_FACTORS[index] // 100 * 10


@functools.cache
def cost_fen(product_id: int, index: int) -> int:
    return price_fen(product_id, index) * COST_SHARE // 100


def product_rule(product_id: int) -> tuple[str, tuple[int, ...]] | None:
    """(mode, rates) of the product's own commission rule, if it has one."""
    if product_id % EXCLUDED_EVERY == 7:
        return "excluded", ()
    if product_id % RATES_EVERY == 3:
        return "rates", PRODUCT_RATES
    return None


@functools.cache
def title(product_id: int) -> str:
    seed = words.mix(product_id + 101)
    _category, things = words.CATEGORIES[category_index(product_id)]
    return (f"{words.ORIGINS[seed % len(words.ORIGINS)]}{words.QUALITIES[(seed >> 5) % len(words.QUALITIES)]}"
            f"{things[(seed >> 9) % len(things)]} {product_id}号")


def category_index(product_id: int) -> int:
    return product_id % len(words.CATEGORIES)


def spec(index: int) -> tuple[str, str]:
    name, values = words.SIZES[0]
    return name, values[index]


def write(sink, clock, products: int) -> None:
    now = clock.text(clock.now - 400 * 86_400)
    _rows(sink, "shop_settings", [{"id": 1, "name": "规模测试商城", "logo_url": "", "service_phone": "400-800-1234",
                                   "home_page": "default", "unpaid_close_minutes": 30, "auto_receive_days": 7,
                                   "after_sale_days": 7, "pay_wechat": True, "pay_balance": True, "pay_cod": False,
                                   "auto_off_shelf_when_sold_out": False, "created_at": now, "updated_at": now}])
    _rows(sink, "distribution_settings", [{
        "id": 1, **SETTINGS, "become_agent": "apply", "become_product_ids": "[]", "become_spend_fen": 0,
        "bind_eligibility": "all", "bind_days": 30, "fan_points": 0, "fan_points_daily_cap": 20,
        "withdraw_methods": json.dumps(["wechat", "balance"]), "withdraw_min_fen": 100, "withdraw_max_fen": 500_000,
        "withdraw_fee_bp": 0, "withdraw_daily_limit": 3, "withdraw_auto_below_fen": 0,
        "created_at": now, "updated_at": now}])
    _rows(sink, "agent_levels", [{"id": id_, "name": name, "rank": rank, "rate1_bp": r1, "rate2_bp": r2,
                                  "rate3_bp": r3, "upgrade_rules": "{}", "created_at": now, "updated_at": now}
                                 for id_, name, rank, r1, r2, r3 in AGENT_LEVELS])
    _rows(sink, "member_levels", [{"id": id_, "name": name, "growth_threshold": threshold // 100,
                                   "discount_bp": discount, "points_multiplier_bp": 10_000, "free_shipping": False,
                                   "monthly_coupon_template_id": None, "benefits": "", "created_at": now,
                                   "updated_at": now}
                                  for id_, name, threshold, discount in MEMBER_LEVELS])
    _rows(sink, "categories", [{"id": index + 1, "parent_id": None, "name": name, "icon_url": "", "sort": index,
                                "is_visible": True, "created_at": now, "updated_at": now}
                               for index, (name, _things) in enumerate(words.CATEGORIES)])
    name, values = words.SIZES[0]
    matrix = json.dumps([{"name": name, "values": list(values[:SKUS_PER_PRODUCT])}], ensure_ascii=False)
    product_rows, sku_rows, rule_rows = [], [], []
    for product_id in range(1, products + 1):
        product_rows.append({
            "id": product_id, "category_id": category_index(product_id) + 1, "title": title(product_id),
            "subtitle": "产地直发 新鲜到家", "cover_url": "", "image_urls": "[]", "detail_html": "",
            "is_on_shelf": product_id % 20 != 0, "on_shelf_at": now, "off_shelf_at": None, "off_shelf_reason": "",
            "is_recommended": product_id % 7 == 0, "is_hot": product_id % 11 == 0, "is_new": product_id % 13 == 0,
            "sort": 0, "virtual_sales": 0, "sales": 0, "share_title": "", "share_image_url": "",
            "shipping_template_id": None, "spec_matrix": matrix, "stock_alert_threshold": 10,
            "min_price_fen": price_fen(product_id, 0), "deleted_at": None, "created_at": now, "updated_at": now})
        for index in range(SKUS_PER_PRODUCT):
            sku_rows.append({
                "id": sku_id(product_id, index), "product_id": product_id,
                "specs": json.dumps(dict([spec(index)]), ensure_ascii=False), "price_fen": price_fen(product_id, index),
                "original_price_fen": price_fen(product_id, index) * 12 // 10, "cost_fen": cost_fen(product_id, index),
                "stock": 100_000, "weight_g": 500 * (index + 1), "code": f"SK{product_id:06d}-{index + 1}",
                "image_url": "", "created_at": now, "updated_at": now})
        rule = product_rule(product_id)
        if rule:
            rule_rows.append({"id": len(rule_rows) + 1, "product_id": product_id, "mode": rule[0],
                              "rates_bp": json.dumps(list(rule[1])), "fixed_fen": "{}", "created_at": now,
                              "updated_at": now})
    _rows(sink, "products", product_rows)
    _rows(sink, "skus", sku_rows)
    _rows(sink, "product_commission_rules", rule_rows)


def _rows(sink, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    writer = sink.table(table, list(rows[0]))
    for row in rows:
        writer.add(tuple(int(value) if isinstance(value, bool) else value for value in row.values()))
    writer.flush()
