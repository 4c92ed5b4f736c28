"""Where generated and uploaded files live. Local disk by default; the interface is what
domains use, so an object store can replace it without touching them."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import current_app


class LocalStorage:
    def __init__(self, root: str, url_prefix: str) -> None:
        self.root = Path(root)
        self.url_prefix = url_prefix.rstrip("/") + "/"

    def _path(self, key: str) -> Path:
        relative = PurePosixPath(key)
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"unsafe storage key: {key!r}")
        return self.root.joinpath(*relative.parts)

    def save(self, key: str, data: bytes) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # readers never see a half-written file
        return self.url(key)

    def save_file(self, key: str, source: str | Path) -> None:
        """Store a file already on disk by copying it in chunks (large exports never sit in memory)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(path)

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        return self.url_prefix + key


def storage() -> LocalStorage:
    """The public store. Only local files exist yet; an object store (S3 / COS) would be a class
    with the same save / open / exists / delete / url, chosen here by MEDIA_BACKEND."""
    if current_app.config["MEDIA_BACKEND"] != "local":
        raise RuntimeError(f"MEDIA_BACKEND={current_app.config['MEDIA_BACKEND']!r} is not implemented yet (use local)")
    return LocalStorage(current_app.config["MEDIA_ROOT"], current_app.config["MEDIA_URL"])


def private_storage() -> LocalStorage:
    """Files only the app itself hands out, after a permission check (order exports with
    shoppers' addresses): kept in PRIVATE_MEDIA_ROOT, never under MEDIA_ROOT, which anyone can read."""
    return LocalStorage(current_app.config["PRIVATE_MEDIA_ROOT"], "/private-media/")
