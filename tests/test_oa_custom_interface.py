"""A merchant's own server (自定义接口) answers the fan; when it is late or wrong, the fallback does."""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import xmltodict

from app.extensions import db
from app.officialaccount import replies
from tests import oa_push


class MerchantServer:
    """A stand-in for the merchant's server, outside our app: answers after `delay` seconds."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.answer = "reply"  # "reply", "wrong_user", "not_xml", "error", "success"
        self.received: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                pushed = self.rfile.read(int(self.headers["Content-Length"])).decode()
                server.received.append(pushed)
                time.sleep(server.delay)
                fan = xmltodict.parse(pushed)["xml"]["FromUserName"]
                body, status = server.body_for(fan)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # we may have given up waiting and closed
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/wechat"

    def body_for(self, fan: str) -> tuple[bytes, int]:
        to = "o_someone_else" if self.answer == "wrong_user" else fan
        reply = (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[gh_x]]></FromUserName>"
                 f"<CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                 f"<Content><![CDATA[商家服务器的回复]]></Content></xml>")
        return {"reply": (reply.encode(), 200), "wrong_user": (reply.encode(), 200),
                "not_xml": (b"<html>oops</html>", 200), "error": (b"boom", 500),
                "success": (b"success", 200)}[self.answer]


@pytest.fixture
def merchant():
    server = MerchantServer()
    thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def forwarding(app, merchant):
    replies.set_special_reply("default", "custom", {
        "url": merchant.url, "fallback": {"kind": "text", "content": {"content": "客服稍后回复您"}}})
    db.session.commit()
    return merchant


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_the_merchant_server_gets_the_plaintext_message_and_its_reply_is_passed_on(app, client, forwarding, mode):
    oa_push.set_mode(mode)
    response = oa_push.post(client, app.config, oa_push.text("o_fan", "我要退货"), mode)
    assert oa_push.reply_of(app.config, response, mode)["Content"] == "商家服务器的回复"
    assert xmltodict.parse(forwarding.received[0])["xml"]["Content"] == "我要退货"


def test_a_merchant_server_too_slow_gets_the_fallback_inside_wechats_limit(app, client, forwarding):
    forwarding.delay = 4.5
    started = time.monotonic()
    response = oa_push.post(client, app.config, oa_push.text("o_fan", "在吗"))
    elapsed = time.monotonic() - started
    assert oa_push.reply_of(app.config, response)["Content"] == "客服稍后回复您"
    assert 2.9 <= elapsed < 4.0  # the 3-second budget, well inside WeChat's 5


@pytest.mark.parametrize("answer", ["wrong_user", "not_xml", "error"])
def test_a_wrong_answer_from_the_merchant_server_gets_the_fallback(app, client, forwarding, answer):
    forwarding.answer = answer
    response = oa_push.post(client, app.config, oa_push.text("o_fan", "在吗"))
    assert oa_push.reply_of(app.config, response)["Content"] == "客服稍后回复您"


def test_the_merchant_server_may_choose_not_to_reply(app, client, forwarding):
    forwarding.answer = "success"
    assert oa_push.post(client, app.config, oa_push.text("o_fan", "在吗")).get_data() == b"success"


def test_an_unreachable_merchant_server_without_a_fallback_means_no_reply(app, client):
    replies.set_special_reply("default", "custom", {"url": "http://127.0.0.1:9/nowhere"})
    db.session.commit()
    response = oa_push.post(client, app.config, oa_push.text("o_fan", "在吗"))
    assert response.status_code == 200 and response.get_data() == b"success"


def test_a_retried_message_reaches_the_merchant_server_once_and_gets_the_same_answer(app, client, forwarding):
    query, body = oa_push.signed(app.config, oa_push.text("o_fan", "我要退货"), "safe")
    first = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")
    forwarding.answer = "error"  # what a second call would now get, if there were one
    retry = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")
    assert retry.get_data() == first.get_data()
    assert oa_push.reply_of(app.config, retry)["Content"] == "商家服务器的回复"
    assert len(forwarding.received) == 1
