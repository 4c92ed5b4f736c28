"""Loading the poster templates in `poster_templates/<key>/template.json` (plus their images).

Each file is checked on its own: a broken one is reported with its file name and the field at
fault and left out, never taking the others down. A template's version is a digest of its
file and images, so editing either makes new posters (the cache key includes it).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError
from pydantic import ValidationError as SchemaError

from app.posters.template_schema import Picture, TemplateFile

log = logging.getLogger(__name__)

KEY = re.compile(r"^[a-z0-9_-]{1,32}$")
FILE_NAME = "template.json"
RECHECK_SECONDS = 1.0  # how often a process looks for edited template files


@dataclass(frozen=True)
class Template:
    key: str
    spec: TemplateFile
    directory: Path
    version: str  # digest of template.json and its images

    @property
    def kind(self) -> str:
        return self.spec.kind

    def image_path(self, name: str) -> Path:
        return self.directory / name


@dataclass(frozen=True)
class LoadError:
    key: str
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass
class Catalogue:
    templates: dict[str, Template] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Template]:
        return sorted((t for t in self.templates.values() if t.kind == kind), key=lambda t: (t.spec.sort, t.key))


def templates_root() -> Path:
    return Path(current_app.config["POSTER_TEMPLATES_DIR"])


def _field_of(error: SchemaError) -> tuple[str, str]:
    first = error.errors()[0]
    location, message = ".".join(str(part) for part in first["loc"]), first["msg"]
    if not location:  # a check across fields names its field first: "code: does not fit"
        named = re.match(r"^Value error, ([a-z_.0-9]+): (.*)$", message)
        location, message = (named.group(1), named.group(2)) if named else ("(file)", message)
    return location, message


def load_one(directory: Path) -> Template:
    """One template, or LoadFailure naming the field at fault."""
    key, path = directory.name, directory / FILE_NAME
    if not KEY.match(key):
        raise LoadFailure(LoadError(key, str(path), "(folder)", "folder names are a-z, 0-9, _ and - (≤ 32)"))
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadFailure(LoadError(key, str(path), "(file)", f"not readable JSON: {exc}")) from exc
    try:
        spec = TemplateFile.model_validate(data)
    except SchemaError as exc:
        location, message = _field_of(exc)
        raise LoadFailure(LoadError(key, str(path), location, message)) from exc
    digest = hashlib.sha256(raw)
    images = [("background.image", spec.background.image)] if spec.background.image else []
    images += [(f"elements.{index}.src", element.src) for index, element in enumerate(spec.elements)
               if isinstance(element, Picture)]
    for location, name in images:
        try:
            data = (directory / name).read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
            raise LoadFailure(LoadError(key, str(path), location, f"image {name!r} missing or unreadable")) from exc
        digest.update(name.encode() + b"\0" + data)
    return Template(key, spec, directory, digest.hexdigest()[:16])


class LoadFailure(Exception):
    def __init__(self, error: LoadError) -> None:
        super().__init__(str(error))
        self.error = error


def load_all(root: Path) -> Catalogue:
    catalogue = Catalogue()
    short_ids: dict[str, str] = {}
    directories = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for directory in directories:
        if not (directory / FILE_NAME).exists():
            continue
        try:
            template = load_one(directory)
        except LoadFailure as failure:
            log.error("poster template left out: %s", failure.error)
            catalogue.errors.append(failure.error)
            continue
        taken_by = short_ids.get(template.spec.short_id)
        if taken_by:
            error = LoadError(template.key, str(directory / FILE_NAME), "short_id",
                              f"{template.spec.short_id!r} is already used by {taken_by}")
            log.error("poster template left out: %s", error)
            catalogue.errors.append(error)
            continue
        short_ids[template.spec.short_id] = template.key
        catalogue.templates[template.key] = template
    return catalogue


def _fingerprint(root: Path) -> tuple:
    """Names, sizes and modification times of everything under root: changes when a file does."""
    if not root.is_dir():
        return ()
    return tuple(sorted((str(p), s.st_size, s.st_mtime_ns) for p in root.rglob("*") if (s := p.stat())))


_cache: dict[str, tuple[float, tuple, Catalogue]] = {}
_cache_lock = threading.Lock()


def catalogue() -> Catalogue:
    """The templates this process knows, reloaded when a file under the folder changes."""
    root = templates_root()
    now = time.monotonic()
    with _cache_lock:
        checked_at, fingerprint, loaded = _cache.get(str(root), (0.0, None, None))
        if loaded is not None and now - checked_at < RECHECK_SECONDS:
            return loaded
        current = _fingerprint(root)
        if loaded is None or current != fingerprint:
            loaded = load_all(root)
        _cache[str(root)] = (now, current, loaded)
        return loaded
