"""Money helpers: integer fen, basis points, rounding down."""

from __future__ import annotations

import pytest

from app.core.money import fen_to_yuan, share_of, yuan_to_fen


@pytest.mark.parametrize(("amount", "rate_bp", "expected"), [
    (9990, 1000, 999), (999, 333, 33), (1, 9999, 0), (0, 5000, 0), (12345, 10000, 12345),
])
def test_share_of_rounds_down_to_the_fen(amount, rate_bp, expected):
    assert share_of(amount, rate_bp) == expected


def test_yuan_round_trip():
    assert yuan_to_fen("12.34") == 1234 and fen_to_yuan(1234) == "12.34"
    assert fen_to_yuan(-5) == "-0.05"
    with pytest.raises(ValueError):
        yuan_to_fen("0.001")
    with pytest.raises(ValueError):
        yuan_to_fen("abc")
