"""The flash sale's stock gate in Redis: a purchase takes its units here first, in one atomic
step that also checks the shopper's limits, and only then goes to the database.

Why in front of the database: when a session opens, thousands of shoppers ask for a hundred
units in the same second. Letting every request lock the same stock row queues them all on
one row lock for seconds; here the answer for all but the hundred is "sold out" from one
Lua step each, and the database sees about as many orders as there are units.

The database stays the truth (it counts what was sold under its own conditional update, so
even a wrong gate cannot oversell); the gate is a fast, repairable copy of it:

- `left` — units still free; `holders` per limit scope — units each shopper holds under
  that scope (a session, the activity...), both moved by the same step.
- Every take is a *hold*, named by a token the caller keeps (on the order): held while the
  order is being created and while it waits for payment. `settle` forgets a paid hold (the
  units are sold for good); `give_back` returns a hold's units to `left` and to the
  shopper's counts. Each happens at most once per token (the hold's entry is deleted by the
  same step), so a replayed close or a retried job never gives a unit back twice.
- Cold keys (Redis restarted, flushed, evicted) answer COLD, never "sold out": the caller
  loads the gate from the database (`load`, which only one of many concurrent loaders wins)
  and asks again.
- `reconcile` compares the gate with the database: holds whose order never reached the
  database (a worker killed between the take and the commit) are given back once they are
  older than a grace period, then `left` and the counts are set to what the database and
  the holds still in flight say.

All keys of one gate share a hash tag, so the scripts also run on a Redis cluster.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

import redis

# KEYS: left, holds, counter hashes...   ARGV: quantity, user, token, now_ms, limit per counter...
# A hold is stored as "user|quantity|taken_ms|counter count".
_TAKE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local quantity = tonumber(ARGV[1])
local user = ARGV[2]
for i = 3, #KEYS do
  local limit = tonumber(ARGV[i + 2])
  if limit > 0 then
    local held = tonumber(redis.call('HGET', KEYS[i], user) or '0')
    if held + quantity > limit then return -2 end
  end
end
local left = tonumber(redis.call('GET', KEYS[1]))
if left < quantity then return -3 end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return -4 end
redis.call('DECRBY', KEYS[1], quantity)
for i = 3, #KEYS do redis.call('HINCRBY', KEYS[i], user, quantity) end
redis.call('HSET', KEYS[2], ARGV[3], user .. '|' .. quantity .. '|' .. ARGV[4])
return left - quantity
"""

# KEYS: left, holds, counter hashes...   ARGV: token
_GIVE_BACK = """
local hold = redis.call('HGET', KEYS[2], ARGV[1])
if not hold then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
local user, quantity = string.match(hold, '^([^|]+)|(%d+)|')
quantity = tonumber(quantity)
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], quantity) end
for i = 3, #KEYS do
  local held = tonumber(redis.call('HINCRBY', KEYS[i], user, -quantity))
  if held <= 0 then redis.call('HDEL', KEYS[i], user) end
end
return quantity
"""

# KEYS: left, counter hashes...   ARGV: left, ttl_s, then per counter: n, user, units, user, units...
_LOAD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
local at = 3
for i = 2, #KEYS do
  redis.call('DEL', KEYS[i])
  local n = tonumber(ARGV[at]); at = at + 1
  for _ = 1, n do
    redis.call('HSET', KEYS[i], ARGV[at], ARGV[at + 1]); at = at + 2
  end
  redis.call('EXPIRE', KEYS[i], ARGV[2])
end
return 1
"""


class Taken(IntEnum):
    """What a take answered when it took nothing (a take that succeeds answers the units left)."""

    COLD = -1  # the gate is not loaded: load it from the database and ask again
    OVER_LIMIT = -2  # the shopper would hold more than a limit allows
    SOLD_OUT = -3  # fewer units left than asked for
    REPEATED = -4  # this token already holds units (a retried request)


@dataclass(frozen=True)
class Limit:
    """A shopper's cap under one scope, e.g. ("session:12:2026-12-08", 1) or ("activity", 2);
    0 counts without capping."""

    scope: str
    units: int


@dataclass(frozen=True)
class Hold:
    token: str
    user_id: int
    quantity: int
    taken_ms: int


@dataclass(frozen=True)
class Snapshot:
    left: int | None  # None: cold
    holders: dict[str, dict[int, int]]  # scope -> user -> units
    holds: list[Hold]


class FlashGate:
    """The gate of one flash item (a SKU in one session of an activity): its units and its
    shoppers' counts under each limit scope. `name` is unique per item, e.g. "42" for the
    activity item 42; keys live `ttl_s` after the last load (past the sale's end)."""

    def __init__(self, client: redis.Redis, name: str, scopes: Iterable[str], *, ttl_s: int = 3 * 86400) -> None:
        self.client, self.name, self.ttl_s = client, name, ttl_s
        self.scopes = list(scopes)
        tag = f"{{flash:{name}}}"
        self.left_key, self.holds_key = f"{tag}:left", f"{tag}:holds"
        self.counter_keys = [f"{tag}:held:{scope}" for scope in self.scopes]
        # registered per gate: a script object only hashes its source; redis-py runs it by
        # its hash and sends the source once when the server does not know it yet
        self._take, self._give_back, self._load = (client.register_script(source)
                                                   for source in (_TAKE, _GIVE_BACK, _LOAD))

    def take(self, user_id: int, quantity: int, token: str, limits: Mapping[str, int],
             now_ms: int | None = None) -> int:
        """Hold `quantity` units for the shopper under `token` when every limit allows and
        enough are left: the units left after (>= 0), or a `Taken` code (< 0), nothing held."""
        if quantity <= 0:
            raise ValueError("a take holds at least one unit")
        caps = [int(limits.get(scope, 0)) for scope in self.scopes]
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        return int(self._take(keys=[self.left_key, self.holds_key, *self.counter_keys],
                                       args=[quantity, user_id, token, now_ms, *caps]))

    def give_back(self, token: str) -> int:
        """Return the hold's units to the stock and to the shopper's counts: the units given
        back, 0 when the token holds nothing (already given back or settled)."""
        return int(self._give_back(keys=[self.left_key, self.holds_key, *self.counter_keys],
                                            args=[token]))

    def settle(self, token: str) -> bool:
        """The hold's order is paid: its units are sold for good (they stay counted against
        the shopper's limits). False when the token held nothing."""
        return bool(self.client.hdel(self.holds_key, token))

    def load(self, left: int, holders: Mapping[str, Mapping[int, int]]) -> bool:
        """Fill a cold gate: `left` units free, `holders[scope][user]` units held; True when
        this call filled it, False when it was already loaded (by another worker: its copy
        stands). Holds in flight are not known to the database, so none are loaded."""
        args: list = [max(0, left), self.ttl_s]
        for scope in self.scopes:
            pairs = [(user, units) for user, units in holders.get(scope, {}).items() if units > 0]
            args.append(len(pairs))
            for user, units in pairs:
                args.extend((user, units))
        return bool(self._load(keys=[self.left_key, *self.counter_keys], args=args))

    def holds(self) -> list[Hold]:
        holds = [self._parse(token, value) for token, value in self.client.hgetall(self.holds_key).items()]
        return sorted(holds, key=lambda hold: (hold.taken_ms, hold.token))

    def snapshot(self) -> Snapshot:
        left = self.client.get(self.left_key)
        holders = {scope: {int(user): int(units) for user, units in self.client.hgetall(key).items()}
                   for scope, key in zip(self.scopes, self.counter_keys, strict=True)}
        return Snapshot(None if left is None else int(left), holders, self.holds())

    def reconcile(self, db_left: int, db_holders: Mapping[str, Mapping[int, int]],
                  orders_of: Callable[[list[str]], Mapping[str, str]], *, grace_ms: int = 60_000,
                  now_ms: int | None = None) -> list[str]:
        """Make the gate agree with the database. `db_left`: units not taken by any order
        waiting for payment or paid; `db_holders[scope][user]`: units those orders hold;
        `orders_of(tokens)`: for the tokens of the gate's holds, the state of the order
        carrying each ("waiting" or "paid"; a closed order or none is left out).

        A hold whose order is paid is settled; one whose order is closed, or that is older
        than `grace_ms` and never became an order (a worker killed between the take and the
        commit), is given back. Holds still in flight (younger, not yet an order) are taken
        off the database's figures, and `left` and the counts are written where they differ,
        in one transaction that starts again if a take slips in meanwhile. Returns what was
        repaired as lines of text (none: the gate agreed). A cold gate is loaded.

        The database's figures are read before this runs, so an order created or closed in
        between can leave the gate a few units off until the next run (it runs every minute
        during a sale): too many is caught by the database's own conditional update, too few
        only delays those units."""
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        repairs = []
        holds = self.holds()
        states = orders_of([hold.token for hold in holds]) if holds else {}
        waiting = set()
        for hold in holds:
            state = states.get(hold.token)
            if state == "waiting":
                waiting.add(hold.token)
            elif state == "paid":
                self.settle(hold.token)
            elif now_ms - hold.taken_ms > grace_ms and self.give_back(hold.token):
                repairs.append(f"hold {hold.token} of shopper {hold.user_id} has no open order: "
                               f"{hold.quantity} unit(s) given back")
        keys = [self.left_key, self.holds_key, *self.counter_keys]
        with self.client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(*keys)
                    left = pipe.get(self.left_key)
                    if left is None:
                        pipe.unwatch()
                        if self.load(db_left, db_holders):
                            repairs.append(f"gate was cold: loaded with {db_left} unit(s) left")
                        return repairs
                    in_flight = [self._parse(token, value) for token, value in pipe.hgetall(self.holds_key).items()]
                    in_flight = [hold for hold in in_flight if hold.token not in waiting]
                    want_left = max(0, db_left - sum(hold.quantity for hold in in_flight))
                    want = {scope: dict(db_holders.get(scope, {})) for scope in self.scopes}
                    for scope in self.scopes:
                        for hold in in_flight:
                            want[scope][hold.user_id] = want[scope].get(hold.user_id, 0) + hold.quantity
                    have = {scope: {int(user): int(units) for user, units in pipe.hgetall(key).items()}
                            for scope, key in zip(self.scopes, self.counter_keys, strict=True)}
                    found = []
                    if int(left) != want_left:
                        found.append(f"left was {int(left)}, the database says {want_left}")
                    for scope in self.scopes:
                        wanted = {user: units for user, units in want[scope].items() if units > 0}
                        if have[scope] != wanted:
                            found.append(f"counts under {scope} differed for "
                                         f"{len(set(have[scope].items()) ^ set(wanted.items()))} entr(ies)")
                    pipe.multi()
                    if found:
                        pipe.set(self.left_key, want_left, ex=self.ttl_s)
                        for scope, key in zip(self.scopes, self.counter_keys, strict=True):
                            pipe.delete(key)
                            wanted = {user: units for user, units in want[scope].items() if units > 0}
                            if wanted:
                                pipe.hset(key, mapping=wanted)
                                pipe.expire(key, self.ttl_s)
                    pipe.execute()
                    return repairs + found
                except redis.WatchError:
                    continue

    @staticmethod
    def _parse(token: bytes, value: bytes) -> Hold:
        user, quantity, taken_ms = value.decode().split("|")
        return Hold(token.decode(), int(user), int(quantity), int(taken_ms))
