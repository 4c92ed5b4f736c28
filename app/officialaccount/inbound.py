"""What to do with one message or event a fan pushes, and what to answer.

Messages get the merchant's configured reply: keyword rules for text, a reply per message
type, else the default reply. Events update the fan (subscribe, unsubscribe), record agents'
QR scenes, and answer with the subscribe reply or a menu key's reply. Anything else gets
"success", WeChat's "no reply". Services flush; the webhook commits.
"""

from __future__ import annotations

from wechatpy.messages import BaseMessage

from app.officialaccount import fans, snapshot
from app.officialaccount.render import NO_REPLY, render
from app.officialaccount.replies import MESSAGE_TYPES


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


def answer(message: BaseMessage, original_xml: str) -> str:
    """The passive reply XML for `message`, or "success"."""
    msg_type, _event = raw_type(message)
    if msg_type == "event":
        return _answer_event(message, original_xml)
    replies = snapshot.current()
    if msg_type == "text":
        spec = replies.keyword_reply(message.content or "") or replies.special.get("default")
    elif msg_type in MESSAGE_TYPES:
        spec = replies.special.get(f"message:{msg_type}") or replies.special.get("default")
    else:  # a message type we do not know (yet): the default reply is still a fair answer
        spec = replies.special.get("default")
    return render(spec, message, original_xml)


def _answer_event(message: BaseMessage, original_xml: str) -> str:
    event = message.event
    if event in {"subscribe", "subscribe_scan", "subscribe_scan_product"}:
        scene = fans.clean_scene(message.scene_id) if event == "subscribe_scan" else None
        fan = fans.record_subscribe(message.source, event_time=message.time or 0, scene=scene)
        if scene:
            fans.record_scene_touch(fan, scene, event="subscribe", dedup_key=identity(message))
        return render(snapshot.current().special.get("subscribe"), message, original_xml)
    if event == "unsubscribe":
        fans.record_unsubscribe(message.source, event_time=message.time or 0)
        return NO_REPLY
    if event == "scan":
        fan = fans.fan_seen_scanning(message.source)
        scene = fans.clean_scene(message.scene_id)
        if scene:
            fans.record_scene_touch(fan, scene, event="scan", dedup_key=identity(message))
        return NO_REPLY
    if event == "click":
        key = message.key or ""
        return render(snapshot.current().special.get(f"click:{key}"), message, original_xml)
    return NO_REPLY
