"""The jsapi_ticket is shared like the access_token; pages get WeChat's JS-SDK signature."""

from __future__ import annotations

import threading

import pytest

from app.wechat.jssdk import jsapi_ticket, sign
from app.wechat.tokens import SharedTokenClient

# The worked example in WeChat's JS-SDK documentation (附录1 JS-SDK使用权限签名算法).
DOC_TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"


@pytest.mark.parametrize(("url", "signature"), [
    ("http://mp.weixin.qq.com?params=value", "0f9de62fce790f9a083d5c99e95740ceb90c27ed"),  # today's doc
    ("http://mp.weixin.qq.com", "f4d90daf4b3bca3078ab155816175ba34c443a7b"),  # the earlier edition
])
def test_signature_matches_wechats_published_example(url, signature):
    assert sign(ticket=DOC_TICKET, noncestr="Wm3WZYTPz0wzccnW", timestamp=1414587457, url=url) == signature


def test_eight_cold_workers_fetch_exactly_one_ticket(live_server):
    app = live_server.app
    tickets: list[str] = []
    barrier = threading.Barrier(8)

    def worker():
        with app.app_context():
            config = app.config
            client = SharedTokenClient(config["WECHAT_OA_APPID"], config["WECHAT_OA_SECRET"],
                                       redis_client=app.extensions["redis"],
                                       api_base_url=config["WECHAT_API_BASE_URL"])
            barrier.wait()
            tickets.append(jsapi_ticket(client))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tickets) == 8 and len(set(tickets)) == 1
    assert live_server.sandbox.calls["getticket"] == 1
    assert live_server.sandbox.calls["stable_token"] == 1


def test_config_is_signed_for_our_page(live_app, live_server):
    page = live_app.config["PUBLIC_BASE_URL"] + "/h5/product?id=3&from=share"

    response = live_app.test_client().get("/api/v1/wechat/jssdk-config", query_string={"url": page})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"appId", "timestamp", "nonceStr", "signature"}
    assert body["appId"] == live_app.config["WECHAT_OA_APPID"]
    [(ticket, _expires)] = live_server.sandbox.records["tickets"].values()
    assert body["signature"] == sign(ticket=ticket, noncestr=body["nonceStr"], timestamp=body["timestamp"], url=page)


def test_the_ticket_is_fetched_once_for_many_pages(live_app, live_server):
    client = live_app.test_client()
    for page_id in range(3):
        url = f"{live_app.config['PUBLIC_BASE_URL']}/h5/p/{page_id}"
        assert client.get("/api/v1/wechat/jssdk-config", query_string={"url": url}).status_code == 200
    assert live_server.sandbox.calls["getticket"] == 1


@pytest.mark.parametrize("url", [
    "https://evil.example/page", "ftp://127.0.0.1/page", "http://127.0.0.1/page#section", "/relative/page",
    "javascript:alert(1)", "http://[::1/broken",
])
def test_pages_that_are_not_ours_get_no_signature(live_app, live_server, url):
    response = live_app.test_client().get("/api/v1/wechat/jssdk-config", query_string={"url": url})
    assert response.status_code == 422
    assert "url" in response.get_json()["error"]["fields"]
    assert live_server.sandbox.calls["getticket"] == 0


def test_a_configured_domain_is_allowed(make_live_server):
    server = make_live_server(WECHAT_JSSDK_DOMAINS=["h5.shop.example"])
    response = server.app.test_client().get("/api/v1/wechat/jssdk-config",
                                            query_string={"url": "https://h5.shop.example/cart"})
    assert response.status_code == 200, response.get_json()
