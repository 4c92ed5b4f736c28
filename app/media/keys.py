"""Storage keys, shared by every backend."""

from __future__ import annotations

from pathlib import PurePosixPath


def checked_key(key: str) -> PurePosixPath:
    """A key never climbs out of its root (a local folder or a bucket)."""
    relative = PurePosixPath(key)
    if not key or relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"unsafe storage key: {key!r}")
    return relative
