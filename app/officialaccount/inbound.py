"""What to do with one message or event a fan pushes, and what to answer.

Messages get the merchant's configured reply: keyword rules for text, a reply per message
type, else the default reply. Events update the fan (subscribe, unsubscribe), record agents'
QR scenes, and answer with the subscribe reply or a menu key's reply. Anything else gets
"success", WeChat's "no reply". Services flush; the webhook commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wechatpy.messages import BaseMessage

from app.officialaccount import fans, snapshot
from app.officialaccount.render import NO_REPLY, render
from app.officialaccount.replies import MESSAGE_TYPES
from app.officialaccount.snapshot import ReplySpec
from app.wechat import oa_users


def raw_type(message: BaseMessage) -> tuple[str, str]:
    """(MsgType, Event) as pushed, lower-cased; wechatpy folds unknown ones into one class."""
    data = getattr(message, "_data", {})
    return str(data.get("MsgType") or "").lower(), str(data.get("Event") or "").lower()


def identity(message: BaseMessage) -> str:
    """What WeChat's retries share: MsgId for messages, FromUserName + CreateTime for events."""
    msg_type, event = raw_type(message)
    if msg_type != "event" and message.id:
        return f"msg:{message.id}"
    return f"evt:{message.source}:{message.time}:{event or msg_type}"


@dataclass(frozen=True)
class Plan:
    """How to answer one push. `once` says it changes something (a fan, a scene touch, a call
    to the merchant's server), so a retry must not run it again; otherwise it only reads."""

    once: bool
    run: Callable[[], str]


def plan(message: BaseMessage, original_xml: str) -> Plan:
    """Decide how to answer `message`; `Plan.run()` gives the passive reply XML, or "success"."""
    msg_type, _event = raw_type(message)
    if msg_type == "event":
        return _plan_event(message, original_xml)
    replies = snapshot.current()
    if msg_type == "text":
        spec = replies.keyword_reply(message.content or "") or replies.special.get("default")
    elif msg_type in MESSAGE_TYPES:
        spec = replies.special.get(f"message:{msg_type}") or replies.special.get("default")
    else:  # a message type we do not know (yet): the default reply is still a fair answer
        spec = replies.special.get("default")
    return _reply_with(spec, message, original_xml)


def _reply_with(spec: ReplySpec | None, message: BaseMessage, original_xml: str) -> Plan:
    forwards = spec is not None and spec.kind == "custom"
    return Plan(forwards, lambda: render(spec, message, original_xml))


def _unionid_if_unknown(openid: str) -> str | None:
    """The fan's unionid from WeChat's user/info, asked only while we do not know it (a failed
    call is tolerated: the fan stays unlinked until a later follow or scan asks again)."""
    return oa_users.fan_unionid(openid) if fans.lacks_unionid(openid) else None


def _plan_event(message: BaseMessage, original_xml: str) -> Plan:
    event = message.event
    if event in {"subscribe", "subscribe_scan", "subscribe_scan_product"}:
        def subscribe() -> str:
            scene = fans.clean_scene(message.scene_id) if event == "subscribe_scan" else None
            fan = fans.record_subscribe(message.source, event_time=message.time or 0, scene=scene,
                                        unionid=_unionid_if_unknown(message.source))
            if scene:
                fans.record_scene_touch(fan, scene, event="subscribe", dedup_key=identity(message))
            return render(snapshot.current().special.get("subscribe"), message, original_xml)
        return Plan(True, subscribe)
    if event == "unsubscribe":
        def unsubscribe() -> str:
            fans.record_unsubscribe(message.source, event_time=message.time or 0)
            return NO_REPLY
        return Plan(True, unsubscribe)
    if event == "scan":
        def scan() -> str:
            fan = fans.fan_seen_scanning(message.source, _unionid_if_unknown(message.source))
            scene = fans.clean_scene(message.scene_id)
            if scene:
                fans.record_scene_touch(fan, scene, event="scan", dedup_key=identity(message))
            return NO_REPLY
        return Plan(True, scan)
    if event == "click":
        return _reply_with(snapshot.current().special.get(f"click:{message.key or ''}"), message, original_xml)
    return Plan(False, lambda: NO_REPLY)
