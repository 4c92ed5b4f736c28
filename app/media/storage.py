"""Where generated and uploaded files live. Local disk by default; the interface is what
domains use, so an object store can replace it without touching them."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

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

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def url(self, key: str) -> str:
        return self.url_prefix + key


def storage() -> LocalStorage:
    return LocalStorage(current_app.config["MEDIA_ROOT"], current_app.config["MEDIA_URL"])
