"""Every mini-program page the server names — on a poster's code, in the demo official-account
menu — is a page of miniprogram/app.json: WeChat refuses a code, and a menu opens nothing,
for a page the mini-program does not have."""

from __future__ import annotations

import json
from pathlib import Path

from app.officialaccount.menus import get_menu, seed_demo_menu
from app.posters.templates import load_all
from tests.poster_helpers import SHIPPED

APP_JSON = Path(__file__).resolve().parent.parent / "miniprogram" / "app.json"


def _pages() -> set[str]:
    spec = json.loads(APP_JSON.read_text(encoding="utf-8"))
    pages = set(spec["pages"])
    for package in spec.get("subpackages") or spec.get("subPackages") or []:
        pages.update(f"{package['root'].rstrip('/')}/{page}" for page in package["pages"])
    return pages


def test_every_shipped_poster_code_opens_a_page_the_mini_program_has():
    wxacode_pages = {template.spec.code.page for template in load_all(SHIPPED).templates.values()
                     if template.spec.code.type == "wxacode"}
    assert wxacode_pages and wxacode_pages <= _pages()


def test_the_demo_menu_opens_pages_the_mini_program_has(app):
    seed_demo_menu()
    buttons = get_menu().buttons
    paths = {button["pagepath"] for top in buttons for button in [top, *top.get("sub_button", [])]
             if "pagepath" in button}
    assert paths and paths <= _pages()
