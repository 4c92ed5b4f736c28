"""Shoppers, their addresses, the agents among them, who referred whom, and the team counters
that follow from it.

Ids follow sign-up time and a referrer always signed up before the shopper they brought in,
so the tree can never loop and one backwards pass over the ids counts every team. A few
"star" agents (the first ids) take a big share of all referrals, a preferential pick (the
referrer of someone referred earlier) makes popular agents more popular, and a uniform pick
gives the long tail. Per-user facts live in flat arrays (a few bytes per shopper)."""

from __future__ import annotations

import random
from array import array

from bench.scale import sizes, words
from bench.scale.clock import DAY

NOT_AGENT, ACTIVE, DISABLED, REMOVED = 0, 1, 2, 3
STATUS_NAMES = {ACTIVE: "active", DISABLED: "disabled", REMOVED: "removed"}
SOURCES = ("link", "wxacode", "oa_qr", "invite_code")


class People:
    """What the order pass needs to know about every shopper."""

    def __init__(self, size: sizes.Size, now: int) -> None:
        self.count = size.users
        self.first = now - 2 * sizes.DAYS * DAY  # sign-ups over the two years before today
        self.step = (now - DAY - self.first) / size.users
        self.parent = array("i", bytes(4 * (size.users + 1)))
        self.agent = bytearray(size.users + 1)  # NOT_AGENT | ACTIVE | DISABLED | REMOVED
        self.agent_level = bytearray(size.users + 1)

    def created(self, user_id: int) -> int:
        return int(self.first + (user_id - 1 + (words.mix(user_id) & 0xFFFF) / 65_536) * self.step)

    def signed_up_by(self, moment: float) -> int:
        """How many shoppers had signed up by then (ids 1..n)."""
        return max(1, min(self.count, int((moment - self.first) / self.step)))

    def openid(self, user_id: int) -> str:
        return f"oSCALE{words.mix(user_id):08x}{user_id:014d}"


def build(sink, clock, size: sizes.Size, rng: random.Random) -> People:
    people = People(size, clock.now)
    users = sink.table("users", ("id", "mp_openid", "oa_openid", "unionid", "nickname", "avatar_url", "phone",
                                 "is_test", "token_version", "last_seen_at", "is_disabled", "created_at",
                                 "updated_at"))
    addresses = sink.table("addresses", ("id", "user_id", "receiver_name", "receiver_phone", "region_code",
                                         "region_text", "detail", "tag", "is_default", "created_at", "updated_at"))
    agents = sink.table("agents", ("id", "user_id", "status", "level_id", "invite_code", "became_at", "how",
                                   "created_at", "updated_at"))
    bindings = sink.table("referral_bindings", ("user_id", "referrer_user_id", "source", "bound_at", "expires_at"))
    events = sink.table("referral_binding_events", ("id", "user_id", "referrer_user_id", "previous_referrer_user_id",
                                                    "action", "reason", "source", "touch_id", "created_at"))
    agent_ids = array("i")
    referred_by = array("i")  # the referrer of every binding so far (the preferential pick)
    agent_share = (size.agents - size.stars) / (size.users - size.stars)
    address_id = 0
    for user_id in range(1, size.users + 1):
        if user_id % 1000 == 0:
            sink.tick()
        created = people.created(user_id)
        at = clock.text(created)
        name = words.person_name(user_id)
        nickname = nickname_of(user_id, name)
        phone = words.phone(user_id) if words.mix(user_id + 2) % 5 < 3 else None
        users.add((user_id, people.openid(user_id), None, None, nickname, "", phone, 0, 0, clock.text(created + DAY),
                   0, at, at))
        code, text = words.region(user_id)
        for tag in ("家", "公司")[:1 + (words.mix(user_id + 9) % 10 == 0)]:
            address_id += 1
            addresses.add((address_id, user_id, name, words.phone(user_id), code, text,
                           words.street(user_id + len(tag)), tag, int(tag == "家"), at, at))
        star = user_id <= size.stars
        is_agent = star or rng.random() < agent_share
        if not star and agent_ids and rng.random() < (sizes.AGENT_BOUND if is_agent else sizes.SHOPPER_BOUND):
            referrer = _pick_referrer(rng, size.stars, agent_ids, referred_by)
            people.parent[user_id] = referrer
            referred_by.append(referrer)
            source = SOURCES[words.mix(user_id + 4) % len(SOURCES)]
            bound = clock.text(created + 60)
            bindings.add((user_id, referrer, source, bound, None))
            events.add((len(referred_by), user_id, referrer, None, "bind", "", source, None, bound))
        if is_agent:
            status = ACTIVE
            if not star:
                roll = rng.random()
                status = DISABLED if roll < sizes.AGENT_DISABLED else (
                    REMOVED if roll < sizes.AGENT_DISABLED + sizes.AGENT_REMOVED else ACTIVE)
            level = 3 if star else (3 if rng.random() < 0.05 else (2 if rng.random() < 0.16 else 1))
            people.agent[user_id], people.agent_level[user_id] = status, level
            agent_ids.append(user_id)
            agents.add((len(agent_ids), user_id, STATUS_NAMES[status], level, words.invite_code(len(agent_ids)), at,
                        "appointed" if star else "apply", at, at))
    _team_counters(sink, people)
    return people


def nickname_of(user_id: int, name: str) -> str:
    """Most shoppers go by their name (`words.person_name`); one in five by WeChat's default."""
    return name if words.mix(user_id + 1) % 5 else "微信用户"


def _pick_referrer(rng: random.Random, stars: int, agent_ids: array, referred_by: array) -> int:
    roll = rng.random()
    if roll < sizes.TO_STAR:
        return 1 + int(min(stars, len(agent_ids)) * rng.random() ** 2)
    if roll < sizes.TO_STAR + sizes.TO_POPULAR and referred_by:
        return referred_by[rng.randrange(len(referred_by))]
    return agent_ids[rng.randrange(len(agent_ids))]


def _team_counters(sink, people: People) -> None:
    """Every team counted from the bindings in one pass from the newest shopper back (a
    referrer's id is always smaller than theirs)."""
    count = people.count
    direct, second, total = (array("i", bytes(4 * (count + 1))) for _ in range(3))
    parent = people.parent
    for user_id in range(count, 0, -1):
        referrer = parent[user_id]
        if referrer:
            direct[referrer] += 1
            total[referrer] += 1 + total[user_id]
            grand = parent[referrer]
            if grand:
                second[grand] += 1
    counters = sink.table("team_counters", ("user_id", "direct_count", "second_count", "total_count"))
    for user_id in range(1, count + 1):
        if user_id % 1000 == 0:
            sink.tick()
        if direct[user_id]:
            counters.add((user_id, direct[user_id], second[user_id], total[user_id]))
