"""How much one friend's help takes off a bargain, in integer fen.

Each cut is random within the merchant's per-cut range, or — with no range set — between 1 fen
and twice an even share of what is left; either way it leaves at least 1 fen for every helper
still to come, and the last required helper takes exactly what is left, so the floor price is
reached exactly at the required count and never before. The randomness is seeded by the
bargain's seed and the helper's position, so a cut is reproducible (tests, and a retried help
computes the same cut).
"""

from __future__ import annotations

import random


def cut_for(left_fen: int, helpers_left: int, *, seed: int, position: int, cut_min_fen: int = 0,
            cut_max_fen: int = 0) -> int:
    """The cut of the helper at `position` (0-based) when `left_fen` separates the current
    price from the floor and `helpers_left` helpers (this one included) are still needed."""
    if helpers_left < 1 or left_fen < helpers_left:
        raise ValueError("every helper still needed must be able to cut at least 1 fen")
    if helpers_left == 1:
        return left_fen
    most = left_fen - (helpers_left - 1)  # 1 fen kept for each helper after this one
    if cut_max_fen > 0:
        low, high = max(1, cut_min_fen), cut_max_fen
    else:
        low, high = 1, max(1, 2 * left_fen // helpers_left - 1)
    high = min(high, most)
    low = min(low, high)
    return random.Random(f"{seed}:{position}").randint(low, high)


def all_cuts(total_fen: int, helpers: int, *, seed: int, cut_min_fen: int = 0, cut_max_fen: int = 0) -> list[int]:
    """Every cut of a bargain from start to floor (`total_fen` = start − floor), in order."""
    cuts: list[int] = []
    left = total_fen
    for position in range(helpers):
        cut = cut_for(left, helpers - position, seed=seed, position=position, cut_min_fen=cut_min_fen,
                      cut_max_fen=cut_max_fen)
        cuts.append(cut)
        left -= cut
    return cuts
