"""The WeChat sandbox under 4 gunicorn workers (a staging setup: production mode with the
sandbox): what one worker issued or recorded, every other worker knows.

Each call below opens a new connection, so the workers take turns; the X-Worker-Pid header
(tests/worker_tagged_wsgi.py) shows that all four answered. Needs the Redis backend: the
embedded mode's in-process fakeredis is one process by design.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from app.payments.models import Payment
from app.payments.states import PaymentStatus
from bench.loadgen import free_port, gunicorn
from tests.conftest import _TMP
from tests.pay_helpers import fresh, shopper, start_payment
from tests.wechat_flows import query_of

WORKERS = 4
WAVE = 8  # concurrent calls: more than the 4 workers x 2 threads can take at once
MOST_CALLS = 800  # the kernel hands connections to whichever worker wakes: enough for all four
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def staging(backend, make_app):
    """(the gunicorn base URL, an app on the same database and Redis with its context pushed)."""
    if not backend.redis_url:
        pytest.skip("several workers share the sandbox through a real Redis (FENXIAO_TEST_BACKEND=mariadb)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = make_app(PUBLIC_BASE_URL=base)  # also writes the sandbox's key pairs before the workers start
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FENXIAO_INSTANCE_PATH": _TMP, "DATABASE_URL": backend.database_url,
           "REDIS_URL": backend.redis_url, "WECHAT_SANDBOX": "1", "RQ_INLINE": "1", "PUBLIC_BASE_URL": base,
           "SECRET_KEY": app.config["SECRET_KEY"], "LOG_LEVEL": "WARNING"}
    with gunicorn("tests.worker_tagged_wsgi:app", port, env, Path(_TMP) / "sandbox-workers.log", WORKERS, 2), \
            app.app_context():
        _every_worker(lambda: _call("GET", f"{base}/healthz"))  # all four have built the app
        yield base, app


def _call(method: str, url: str, **kwargs) -> requests.Response:
    """One request on its own connection (so any worker may take it)."""
    response = requests.request(method, url, timeout=30, headers={"Connection": "close"}, **kwargs)
    assert "X-Worker-Pid" in response.headers
    return response


def _every_worker(call, wave: int = WAVE) -> list[requests.Response]:
    """Run `call` in waves of concurrent calls (a busy worker leaves the next connection to
    another) until each of the workers has answered one; every answer. A call whose request
    calls the sandbox on the same server in turn goes one at a time: a gthread worker queues
    connections while its threads are busy, so the inner call could wait behind the outer."""
    answers: list[requests.Response] = []
    with ThreadPoolExecutor(wave) as pool:
        while len({a.headers["X-Worker-Pid"] for a in answers}) < WORKERS:
            assert len(answers) < MOST_CALLS, "not every worker answered"
            answers += pool.map(lambda _: call(), range(wave))
    return answers


def test_an_access_token_issued_once_is_accepted_by_every_worker(staging):
    base, app = staging
    issued = _call("POST", f"{base}/sandbox/api/cgi-bin/stable_token", json={
        "grant_type": "client_credential", "appid": app.config["WECHAT_OA_APPID"],
        "secret": app.config["WECHAT_OA_SECRET"]}).json()["access_token"]

    answers = _every_worker(lambda: _call("GET", f"{base}/sandbox/api/cgi-bin/getcallbackip",
                                          params={"access_token": issued}))

    assert [a.json() for a in answers] == [{"ip_list": ["127.0.0.1"]}] * len(answers)
    assert app.extensions["wechat_sandbox"].calls["getcallbackip"] == len(answers)


def test_login_codes_issued_by_one_worker_work_once_on_any_other(staging):
    base, app = staging
    rounds = iter(range(MOST_CALLS))
    outcomes: list[tuple[dict, int, int, int]] = []

    def login_round() -> requests.Response:
        """OAuth: a code from one worker redeemed at another, then again; a mini-program code too."""
        consent = _call("GET", f"{base}/sandbox/open/connect/oauth2/authorize", allow_redirects=False, params={
            "appid": app.config["WECHAT_OA_APPID"], "redirect_uri": f"{base}/cb", "response_type": "code",
            "scope": "snsapi_userinfo", "state": "s", "dev_user": "alice"})
        grant = {"appid": app.config["WECHAT_OA_APPID"], "secret": app.config["WECHAT_OA_SECRET"],
                 "code": query_of(consent.headers["Location"])["code"], "grant_type": "authorization_code"}
        first = _call("GET", f"{base}/sandbox/api/sns/oauth2/access_token", params=grant).json()
        again = _call("GET", f"{base}/sandbox/api/sns/oauth2/access_token", params=grant).json()
        code = f"dev:alice:{next(rounds)}"
        login = _call("POST", f"{base}/api/v1/auth/wx-login", json={"code": code})
        replay = _call("POST", f"{base}/api/v1/auth/wx-login", json={"code": code})
        outcomes.append((first, again.get("errcode"), login.status_code, replay.status_code))
        return consent

    _every_worker(login_round, wave=1)  # wx-login asks the sandbox's code2session on this server

    assert all("openid" in first for first, *_rest in outcomes)
    assert {(again, login, replay) for _first, again, login, replay in outcomes} == {(40163, 200, 400)}


def test_a_payment_prepared_by_one_worker_is_paid_through_the_others(staging):
    base, _app = staging
    alice = shopper("alice")
    prompts = [start_payment(alice, 1990 + n) for n in range(12)]  # prepay answered by the workers

    paid = [_call("POST", f"{base}/sandbox/simulate/pay/success", json={"out_trade_no": p.payment.out_trade_no})
            for p in prompts]

    assert {answer.json()["app_status"] for answer in paid} == {204}  # our notify endpoint took each
    assert {fresh(Payment, p.payment.id).status for p in prompts} == {PaymentStatus.PAID}
    listings = _every_worker(lambda: _call("GET", f"{base}/sandbox/pay"))
    assert all({t["out_trade_no"]: t["trade_state"] for t in listing.json()["transactions"]}
               == {p.payment.out_trade_no: "SUCCESS" for p in prompts} for listing in listings)
