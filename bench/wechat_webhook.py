"""Encrypted official-account text messages through the real webhook, versus a bare Flask endpoint.

Both run under gunicorn with the same settings (gunicorn.conf.py, WEB_CONCURRENCY workers of
WEB_THREADS gthreads) on a free 127.0.0.1 port. The real app runs in sandbox mode on a
throwaway instance folder (SQLite, in-process Redis) seeded with a keyword rule; every
request is a safe-mode (AES) text message with its own MsgId that matches the rule, so each
one is verified, decrypted, matched, answered, encrypted and remembered for retries. The
same bodies go to the bare endpoint. Prints requests/s of each and, last, `ratio=<real/bare>`.

    .venv/bin/python bench/wechat_webhook.py [--requests 3000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import Call, drive, free_port, gunicorn  # noqa: E402

KEYWORD, REPLY = "优惠券", "本周优惠券：满 99 减 20"


def prepare_instance(folder: str) -> dict:
    """Migrate a throwaway SQLite database, seed one keyword rule; return the OA credentials."""
    os.environ.update(FENXIAO_INSTANCE_PATH=folder, WECHAT_SANDBOX="1")
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.officialaccount import replies

    app = create_app({"LOG_LEVEL": "WARNING"})  # quiet here; the servers log as configured
    with app.app_context():
        upgrade()
        replies.create_keyword_rule(name="coupon", keywords=[{"text": KEYWORD, "match": "contains"}],
                                    kind="text", content={"content": REPLY})
        db.session.commit()
        return {key: app.config[key] for key in ("WECHAT_OA_TOKEN", "WECHAT_OA_ENCODING_AES_KEY",
                                                  "WECHAT_OA_APPID")}


def encrypted_pushes(config: dict, count: int) -> list[Call]:
    """Safe-mode pushes as WeChat sends them, each with its own MsgId (built before timing)."""
    from wechatpy.crypto import PrpCrypto, WeChatCrypto
    from wechatpy.utils import WeChatSigner

    token, appid = config["WECHAT_OA_TOKEN"], config["WECHAT_OA_APPID"]
    prp = PrpCrypto(WeChatCrypto(token, config["WECHAT_OA_ENCODING_AES_KEY"], appid).key)

    def sign(*parts: str) -> str:
        signer = WeChatSigner()
        signer.add_data(*parts)
        return signer.signature

    pushes, base_id, now = [], secrets.randbits(40) << 20, int(time.time())
    for index in range(count):
        openid = f"o_bench_{index % 500:04d}"
        xml = (f"<xml><ToUserName><![CDATA[gh_f3a1c0de5a0d]]></ToUserName><FromUserName><![CDATA[{openid}]]>"
               f"</FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
               f"<Content><![CDATA[请问有{KEYWORD}吗]]></Content><MsgId>{base_id + index}</MsgId></xml>")
        encrypted = prp.encrypt(xml, appid).decode()
        timestamp, nonce = str(now), str(100000 + index)
        query = urlencode({"signature": sign(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                           "openid": openid, "encrypt_type": "aes",
                           "msg_signature": sign(token, timestamp, nonce, encrypted)})
        body = (f"<xml><ToUserName><![CDATA[gh_f3a1c0de5a0d]]></ToUserName>"
                f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>").encode()
        pushes.append(Call(f"/wechat/oa?{query}", body, "text/xml"))
    return pushes


def measure(ports: dict[str, int], pushes: list[Call], args) -> tuple[dict, float, list[bytes]]:
    """Warm both servers, then alternate short rounds between them, so that whatever else the
    machine does slows both alike. Returns requests/s of each over all its rounds, the median
    of the per-round ratios (the figure least moved by a burst of outside load), and samples."""
    warm, timed = pushes[:args.warmup], pushes[args.warmup:]
    deadline = time.monotonic() + args.max_seconds
    for port in ports.values():
        drive(port, warm, args.concurrency, deadline)
    seconds = dict.fromkeys(ports, 0.0)
    statuses = {name: Counter() for name in ports}
    ratios: list[float] = []
    bodies: list[bytes] = []
    size = -(-len(timed) // args.rounds)
    for index in range(args.rounds):
        chunk = timed[index * size:(index + 1) * size]
        took = {}
        for name in (list(ports) if index % 2 == 0 else list(reversed(ports))):
            outcome = drive(ports[name], chunk, args.concurrency, deadline)
            took[name] = outcome.seconds
            seconds[name] += outcome.seconds
            statuses[name].update(outcome.statuses)
            if name == "webhook":
                bodies = bodies or outcome.sample_bodies
        ratios.append(took["bare"] / took["webhook"])
    rates = {}
    for name in ports:
        done = statuses[name].get(200, 0)
        rates[name] = done / seconds[name]
        print(f"{name}: {done} requests in {seconds[name]:.2f}s = {rates[name]:.0f} req/s  "
              f"statuses={dict(statuses[name])}")
        if done != sum(statuses[name].values()) or done != len(timed):
            raise SystemExit(f"{name}: not every request was answered with 200: {dict(statuses[name])}")
    print("per-round ratios: " + " ".join(f"{ratio:.2f}" for ratio in ratios))
    return rates, statistics.median(ratios), bodies


def check_replies(config: dict, bodies: list[bytes]) -> None:
    """The real webhook's answers are WeChat-valid encrypted replies carrying the rule's text."""
    import xmltodict
    from wechatpy.crypto import WeChatCrypto

    crypto = WeChatCrypto(config["WECHAT_OA_TOKEN"], config["WECHAT_OA_ENCODING_AES_KEY"], config["WECHAT_OA_APPID"])
    for body in bodies:
        outer = xmltodict.parse(body)["xml"]
        plain = crypto.decrypt_message(outer, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        if xmltodict.parse(plain)["xml"]["Content"] != REPLY:
            raise SystemExit(f"unexpected reply: {plain}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="timed requests per server")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--redis-url", help="a Redis (127.0.0.1) for the real app; default: in-process fakeredis")
    parser.add_argument("--rounds", type=int, default=10, help="alternations between the two servers")
    parser.add_argument("--max-seconds", type=float, default=180.0, help="stop sending after this long")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fenxiao-bench-") as folder:
        for name in ("DATABASE_URL", "REDIS_URL", "RQ_INLINE", "PUBLIC_BASE_URL"):
            os.environ.pop(name, None)
        if args.redis_url:  # production-like: every worker shares one Redis (jobs still inline)
            os.environ.update(REDIS_URL=args.redis_url, RQ_INLINE="1")
        config = prepare_instance(folder)
        pushes = encrypted_pushes(config, args.warmup + args.requests)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        print(f"{args.requests} encrypted text messages per server in {args.rounds} alternating rounds, "
              f"{args.concurrency} keep-alive clients, gunicorn {args.workers} workers x {args.threads} threads "
              f"(gthread), 127.0.0.1 only")
        ports = {"webhook": free_port(), "bare": free_port()}
        logs = Path(folder)
        with gunicorn("wsgi:app", ports["webhook"], env, logs / "webhook.log", args.workers, args.threads), \
                gunicorn("bench.bare_app:app", ports["bare"], env, logs / "bare.log", args.workers, args.threads):
            rates, ratio, bodies = measure(ports, pushes, args)
        check_replies(config, bodies)
    print(f"pooled ratio {rates['webhook'] / rates['bare']:.2f}; median of the per-round ratios follows")
    print(f"ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
