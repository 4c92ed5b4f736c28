"""The bargain cut, table-driven: the cuts add up exactly to start − floor, the floor is reached at
the required count and not before, every helper still to come keeps at least 1 fen, each cut stays
in the merchant's range (but the last), and a seed gives the same cuts again."""

from __future__ import annotations

import pytest

from app.marketing.bargain_cuts import all_cuts, cut_for

CASES = [
    # (total = start − floor, helpers, cut_min, cut_max)
    (9_000, 10, 0, 0),
    (10, 10, 0, 0),  # exactly 1 fen each
    (11, 10, 0, 0),
    (1, 1, 0, 0),
    (99_999, 1, 0, 0),
    (5_000, 10, 100, 800),
    (5_000, 10, 600, 700),  # the range cannot cover it: the last helper takes the rest
    (100, 30, 50, 90),  # the range is too wide for what is left: 1 fen kept for each still to come
    (1_000_000, 100, 0, 0),
]


@pytest.mark.parametrize(("total", "helpers", "cut_min", "cut_max"), CASES)
@pytest.mark.parametrize("seed", [1, 7, 20261208, 2**31 - 1])
def test_the_cuts_reach_the_floor_exactly_at_the_required_count(total, helpers, cut_min, cut_max, seed):
    cuts = all_cuts(total, helpers, seed=seed, cut_min_fen=cut_min, cut_max_fen=cut_max)
    assert len(cuts) == helpers
    assert sum(cuts) == total
    assert all(cut >= 1 for cut in cuts)
    left = total
    for position, cut in enumerate(cuts[:-1]):
        left -= cut
        still_to_come = helpers - position - 1
        assert left >= still_to_come  # at least 1 fen for each helper after this one
    if cut_max:
        assert all(cut <= cut_max for cut in cuts[:-1])


@pytest.mark.parametrize(("total", "helpers", "cut_min", "cut_max"), CASES)
def test_a_seed_gives_the_same_cuts_again(total, helpers, cut_min, cut_max):
    first = all_cuts(total, helpers, seed=42, cut_min_fen=cut_min, cut_max_fen=cut_max)
    assert all_cuts(total, helpers, seed=42, cut_min_fen=cut_min, cut_max_fen=cut_max) == first


def test_different_seeds_give_different_cuts():
    assert len({tuple(all_cuts(9_000, 10, seed=seed)) for seed in range(20)}) > 1


def test_the_range_is_kept_when_there_is_room():
    cuts = all_cuts(50_000, 10, seed=3, cut_min_fen=1_000, cut_max_fen=2_000)
    assert all(1_000 <= cut <= 2_000 for cut in cuts[:-1])


def test_the_last_helper_takes_exactly_what_is_left():
    assert cut_for(357, 1, seed=9, position=9) == 357


def test_fewer_fen_than_helpers_is_refused():
    with pytest.raises(ValueError):
        cut_for(5, 6, seed=1, position=0)
