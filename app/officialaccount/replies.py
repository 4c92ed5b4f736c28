"""Use cases for the replies a merchant configures. Services flush; the edge commits.

Every change tells the webhook's in-memory snapshot to rebuild, after the commit.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError
from sqlalchemy import select

from app.core.after_commit import after_commit
from app.core.errors import NotFound, ValidationError
from app.core.validation import fields_from
from app.extensions import db
from app.media import usage as media_usage
from app.officialaccount.models import KeywordRule, SpecialReply
from app.officialaccount.reply_content import validate_reply
from app.officialaccount.snapshot import bump_version

MESSAGE_TYPES = ("image", "voice", "video", "shortvideo", "location", "link")
_SLOT = re.compile(rf"^(subscribe|default|message:({'|'.join(MESSAGE_TYPES)})|click:[^\s]{{1,128}})$")


class Keyword(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=200)
    match: Literal["exact", "contains", "regex"] = "exact"

    @model_validator(mode="after")
    def _regex_compiles(self) -> Keyword:
        if self.match == "regex":
            try:
                re.compile(self.text)
            except re.error as exc:
                raise PydanticCustomError("regex", _("Not a valid regular expression.")) from exc
        return self


class RuleFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=64)
    keywords: list[Keyword] = Field(min_length=1, max_length=20)
    priority: int = Field(default=0, ge=-1000, le=1000)
    kind: str
    content: dict[str, Any]
    is_enabled: bool = True


def _parse_rule(data: dict) -> dict:
    try:
        fields = RuleFields.model_validate(data).model_dump()
    except PydanticValidationError as exc:
        messages = fields_from(exc)
        for error in exc.errors(include_url=False):
            if error["type"] in {"too_long", "too_short"}:
                name = ".".join(str(part) for part in error["loc"])
                limit = error["ctx"].get("max_length", error["ctx"].get("min_length"))
                messages[name] = _("At most %(n)s items.", n=limit) if error["type"] == "too_long" \
                    else _("At least %(n)s items.", n=limit)
        raise ValidationError(_("Some fields are invalid."), fields=messages) from exc
    fields["content"] = validate_reply(fields["kind"], fields["content"])
    return fields


def _changed() -> None:
    db.session.flush()
    after_commit(bump_version)


def list_keyword_rules() -> list[KeywordRule]:
    return list(db.session.scalars(select(KeywordRule).order_by(KeywordRule.priority.desc(), KeywordRule.id)))


RULE_SORTS = ("priority", "newest", "updated")


def search_keyword_rules(text: str | None = None, *, match: str | None = None, enabled: bool | None = None,
                         sort: str = "priority") -> list[KeywordRule]:
    """Rules whose name or a keyword contains `text`, with a keyword of type `match`. Filtered
    here rather than in SQL: keywords are a JSON list, and an account has a few hundred rules."""
    order = {"newest": (KeywordRule.id.desc(),), "updated": (KeywordRule.updated_at.desc(), KeywordRule.id.desc())}
    statement = select(KeywordRule).order_by(*order.get(sort, (KeywordRule.priority.desc(), KeywordRule.id)))
    if enabled is not None:
        statement = statement.where(KeywordRule.is_enabled.is_(enabled))
    folded = (text or "").strip().casefold()
    found = []
    for rule in db.session.scalars(statement):
        if match and not any(keyword["match"] == match for keyword in rule.keywords):
            continue
        if folded and folded not in rule.name.casefold() and \
                not any(folded in keyword["text"].casefold() for keyword in rule.keywords):
            continue
        found.append(rule)
    return found


def _record_pictures(owner: str, owner_id: int, kind: str, content: dict, label: str) -> None:
    """A news reply's covers are library pictures the media library must not delete."""
    covers = [article.get("picurl", "") for article in content.get("articles", [])] if kind == "news" else []
    media_usage.record(owner, owner_id, covers, label)


def recount_picture_usage() -> int:
    """Tell the media library again which covers every news reply shows; returns how many replies."""
    rules = db.session.scalars(select(KeywordRule)).all()
    for rule in rules:
        _record_pictures(media_usage.UsageOwner.KEYWORD_REPLY, rule.id, rule.kind, rule.content, rule.name)
    specials = db.session.scalars(select(SpecialReply)).all()
    for reply in specials:
        _record_pictures(media_usage.UsageOwner.SPECIAL_REPLY, reply.id, reply.kind, reply.content, "")
    return len(rules) + len(specials)


def create_keyword_rule(**data: Any) -> KeywordRule:
    """data: name, keywords [{text, match}], priority, kind, content, is_enabled."""
    rule = KeywordRule(**_parse_rule(data))
    db.session.add(rule)
    _changed()
    _record_pictures(media_usage.UsageOwner.KEYWORD_REPLY, rule.id, rule.kind, rule.content, rule.name)
    return rule


def update_keyword_rule(rule_id: int, **changes: Any) -> KeywordRule:
    rule = get_keyword_rule(rule_id)
    current = {"name": rule.name, "keywords": rule.keywords, "priority": rule.priority, "kind": rule.kind,
               "content": rule.content, "is_enabled": rule.is_enabled}
    for name, value in _parse_rule({**current, **changes}).items():
        setattr(rule, name, value)
    _changed()
    _record_pictures(media_usage.UsageOwner.KEYWORD_REPLY, rule.id, rule.kind, rule.content, rule.name)
    return rule


def delete_keyword_rule(rule_id: int) -> None:
    db.session.delete(get_keyword_rule(rule_id))
    _changed()
    media_usage.record(media_usage.UsageOwner.KEYWORD_REPLY, rule_id, [])


def get_keyword_rule(rule_id: int) -> KeywordRule:
    rule = db.session.get(KeywordRule, rule_id)
    if rule is None:
        raise NotFound(_("The requested resource does not exist."))
    return rule


def check_slot(slot: str) -> str:
    if not isinstance(slot, str) or not _SLOT.match(slot):
        raise ValidationError(_("Some fields are invalid."), fields={
            "slot": _("Use subscribe, default, message:<type> or click:<menu key>.")})
    return slot


def set_special_reply(slot: str, kind: str, content: dict, *, is_enabled: bool = True) -> SpecialReply:
    """The reply for subscribe, default, a message type or a menu CLICK key (created or replaced)."""
    check_slot(slot)
    content = validate_reply(kind, content)
    reply = db.session.scalar(select(SpecialReply).where(SpecialReply.slot == slot))
    if reply is None:
        reply = SpecialReply(slot=slot)
        db.session.add(reply)
    reply.kind, reply.content, reply.is_enabled = kind, content, bool(is_enabled)
    _changed()
    _record_pictures(media_usage.UsageOwner.SPECIAL_REPLY, reply.id, kind, content, "")
    return reply


def get_special_reply(slot: str) -> SpecialReply | None:
    return db.session.scalar(select(SpecialReply).where(SpecialReply.slot == check_slot(slot)))


def list_special_replies() -> list[SpecialReply]:
    return list(db.session.scalars(select(SpecialReply).order_by(SpecialReply.slot)))


def delete_special_reply(slot: str) -> None:
    reply = get_special_reply(slot)
    if reply is None:
        raise NotFound(_("The requested resource does not exist."))
    db.session.delete(reply)
    _changed()
    media_usage.record(media_usage.UsageOwner.SPECIAL_REPLY, reply.id, [])
