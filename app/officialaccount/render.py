"""A configured reply turned into the passive-reply XML WeChat expects (via wechatpy).

The reply's CreateTime is the message's own, so rendering the same reply for WeChat's retry
of a message gives the same XML (see the webhook: such replies need not be stored).
"""

from __future__ import annotations

import time

from wechatpy.messages import BaseMessage
from wechatpy.replies import ArticlesReply, ImageReply, MusicReply, TextReply

from app.officialaccount import custom_interface
from app.officialaccount.snapshot import ReplySpec

NO_REPLY = custom_interface.NO_REPLY


def render(spec: ReplySpec | None, message: BaseMessage, original_xml: str) -> str:
    """The reply XML for `message`, or "success" (WeChat's "no reply")."""
    if spec is None:
        return NO_REPLY
    content, created = spec.content, message.time or int(time.time())
    if spec.kind == "custom":
        answer = custom_interface.forward(content["url"], original_xml, message.source)
        if answer is not None:
            return answer
        fallback = content.get("fallback")
        return render(ReplySpec(fallback["kind"], fallback["content"]), message, original_xml) \
            if fallback else NO_REPLY
    if spec.kind == "text":
        return TextReply(message=message, time=created, content=content["content"]).render()
    if spec.kind == "news":
        articles = [{"title": a["title"], "description": a["description"], "image": a["picurl"], "url": a["url"]}
                    for a in content["articles"]]
        return ArticlesReply(message=message, time=created, articles=articles).render()
    if spec.kind == "image":
        return ImageReply(message=message, time=created, media_id=content["media_id"]).render()
    if spec.kind == "music":
        return MusicReply(message=message, time=created, title=content["title"], description=content["description"],
                          music_url=content["music_url"], hq_music_url=content["hq_music_url"],
                          thumb_media_id=content["thumb_media_id"]).render()
    return NO_REPLY
