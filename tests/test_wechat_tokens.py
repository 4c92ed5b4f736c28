"""The access_token is shared by all processes and fetched by one at a time."""

from __future__ import annotations

import threading

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from app.wechat.clients import mp_client, oa_client
from app.wechat.tokens import SharedTokenClient


def _cold_client(app) -> SharedTokenClient:
    """What a freshly started worker process has: no token in memory, only Redis."""
    config = app.config
    return SharedTokenClient(config["WECHAT_OA_APPID"], config["WECHAT_OA_SECRET"],
                             redis_client=app.extensions["redis"], api_base_url=config["WECHAT_API_BASE_URL"])


def test_eight_cold_workers_fetch_exactly_one_token(live_server):
    app = live_server.app
    tokens: list[str] = []
    barrier = threading.Barrier(8)

    def worker():
        with app.app_context():
            client = _cold_client(app)
            barrier.wait()
            tokens.append(client.access_token)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokens) == 8 and len(set(tokens)) == 1
    assert live_server.sandbox.calls["stable_token"] == 1
    assert live_server.sandbox.calls["token"] == 0


def test_a_rejected_token_is_refreshed_once_and_the_call_retried(live_app, live_server):
    client = oa_client()
    first = client.access_token
    live_server.sandbox.expire_token(live_app.config["WECHAT_OA_APPID"])  # WeChat revoked it early
    assert client.misc.get_wechat_ips() == ["127.0.0.1"]
    assert client.access_token != first
    assert live_server.sandbox.calls["stable_token"] == 2
    assert live_server.sandbox.calls["getcallbackip"] == 2  # the rejected call, then the retry


def test_a_token_that_stays_rejected_is_not_refreshed_in_a_loop(live_app, live_server, monkeypatch):
    client = oa_client()
    client.access_token  # noqa: B018  (warm the cache)
    monkeypatch.setattr(live_server.sandbox, "appid_for_token", lambda token: None)
    try:
        client.misc.get_wechat_ips()
        raise AssertionError("expected the second rejection to surface")
    except WeChatClientException as exc:
        assert exc.errcode == 40001
    assert live_server.sandbox.calls["getcallbackip"] == 2


def test_mini_program_and_official_account_have_their_own_tokens(live_app):
    assert oa_client().access_token != mp_client().access_token
    assert isinstance(oa_client(), WeChatClient)
