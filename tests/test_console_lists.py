"""The console lists' conveniences, as the HTML a merchant's browser receives: the chosen page
size carried by the pager and the filter form, sort headers that keep the filters, and empty
states that say what to do next."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests import factories
from tests.admin_helpers import log_in, make_staff


def _console(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    return client


def _links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def test_the_chosen_page_size_is_carried_by_the_next_page_and_the_filter_form(app):
    category = factories.category()
    for _ in range(23):
        factories.product(category)
    client = _console(app)
    html = client.get("/admin/products?shelf=on&size=20").get_data(as_text=True)
    assert html.count('class="form-check-input product-tick"') == 20
    following = next(link for link in _links(html) if "cursor=" in link)
    assert "size=20" in following and "shelf=on" in following
    assert '<input type="hidden" name="size" value="20">' in html
    assert client.get(following).get_data(as_text=True).count('class="form-check-input product-tick"') == 3


def test_a_page_size_beyond_the_cap_is_refused_not_a_crash(app):
    client = _console(app)
    assert client.get("/admin/products?size=1000").status_code == 422


def test_a_sort_header_keeps_the_filters_and_starts_again_at_the_first_page(app):
    client = _console(app)
    html = client.get("/admin/members?q=王&sort=newest&page=2").get_data(as_text=True)
    joined = next(link for link in _links(html) if "sort=oldest" in link)
    balance = next(link for link in _links(html) if "sort=balance" in link)
    assert "q=" in joined and "q=" in balance
    assert "page=" not in joined and "page=" not in balance
    assert 'aria-sort="descending"' in html


def test_an_empty_shop_says_to_create_a_product_and_a_fruitless_search_to_clear_it(app):
    client = _console(app)
    empty = client.get("/admin/products").get_data(as_text=True)
    assert "还没有商品" in empty and 'href="/admin/products/new"' in empty.split("empty-state", 1)[1]
    searched = client.get("/admin/products?q=没有这种商品").get_data(as_text=True)
    assert "没有符合筛选条件的商品" in searched and "清除筛选条件" in searched
    assert "还没有订单" in client.get("/admin/orders").get_data(as_text=True)


@pytest.mark.parametrize("path, empty, filtered", [
    ("/admin/distribution/agents", "还没有分销员", "/admin/distribution/agents?q=无此人"),
    ("/admin/distribution/entries", "还没有佣金流水。分销员", "/admin/distribution/entries?user_id=999999"),
    ("/admin/after-sales", "还没有售后申请", "/admin/after-sales?q=S0000"),
    ("/admin/distribution/withdrawals", "这里还没有提现申请", None),
])
def test_the_distribution_and_after_sale_lists_say_what_to_do_when_empty_and_take_a_page_size(app, path, empty,
                                                                                              filtered):
    client = _console(app)
    page = client.get(path).get_data(as_text=True)
    assert empty in page and 'small page-size"' in page
    assert '<span class="btn btn-secondary active" aria-current="true">50</span>' in client.get(
        f"{path}{'&' if '?' in path else '?'}size=50").get_data(as_text=True)
    if filtered:
        narrowed = client.get(filtered).get_data(as_text=True)
        assert empty not in narrowed and "清除筛选条件" in narrowed
