"""Money is integer fen everywhere; rates are basis points; rounding is down, to the fen."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation

FEN_PER_YUAN = 100
BASIS_POINTS = 10_000


def share_of(amount_fen: int, rate_bp: int) -> int:
    """`amount_fen` × `rate_bp` / 10000, rounded down to the fen."""
    if amount_fen < 0 or rate_bp < 0:
        raise ValueError("amount and rate must not be negative")
    return int((Decimal(amount_fen) * rate_bp / BASIS_POINTS).to_integral_value(ROUND_DOWN))


def yuan_to_fen(text: str) -> int:
    """Parse "12.34" yuan into 1234 fen; more than two decimals is an error, not a rounding."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValueError(f"not an amount: {text!r}") from exc
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"more precise than a fen: {text!r}")
    return int(fen)


def fen_to_yuan(fen: int) -> str:
    """1234 → "12.34" (for display and for WeChat fields that want yuan)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"
