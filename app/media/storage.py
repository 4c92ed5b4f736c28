"""Where generated and uploaded files live. Local disk by default, or an S3-compatible object
store (Tencent COS, MinIO, AWS S3) chosen by MEDIA_BACKEND=s3; both have the same save /
save_file / open / exists / delete / url / version, which is all domains use."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.media.keys import checked_key
from app.media.object_store import S3Storage, s3_client


class LocalStorage:
    def __init__(self, root: str, url_prefix: str) -> None:
        self.root = Path(root)
        self.url_prefix = url_prefix.rstrip("/") + "/"

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*checked_key(key).parts)

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

    def version(self, key: str) -> str | None:
        """Changes whenever the stored content may have (caches of decoded pictures key on it)."""
        try:
            return str(self._path(key).stat().st_mtime_ns)
        except OSError:
            return None


def storage() -> LocalStorage | S3Storage:
    """The public store, by MEDIA_BACKEND (checked at start-up by app.config.check_media_settings)."""
    config = current_app.config
    if config["MEDIA_BACKEND"] == "s3":
        return S3Storage(s3_client(config), config["MEDIA_S3_BUCKET"], config["MEDIA_URL"])
    return LocalStorage(config["MEDIA_ROOT"], config["MEDIA_URL"])


def private_storage() -> LocalStorage:
    """Files only the app itself hands out, after a permission check (order exports with
    shoppers' addresses): kept in PRIVATE_MEDIA_ROOT, never under MEDIA_ROOT, which anyone can
    read. Local with either backend: web processes and workers share that folder."""
    return LocalStorage(current_app.config["PRIVATE_MEDIA_ROOT"], "/private-media/")
