"""The media library's use cases: upload a batch, list and search a folder, rename, move,
delete (refused while a record shows the picture), and the folders themselves. Functions
flush and audit; the console commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.audit import services as audit
from app.audit.services import Actor
from app.core.after_commit import after_commit
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.labels import label
from app.extensions import db
from app.media import usage
from app.media.models import MediaFile, MediaFolder, MediaUsage
from app.media.storage import storage
from app.media.uploads import THUMB_SIDE, WEB_WIDTH, Prepared, prepare

PAGE_SIZE = 40
MAX_BATCH = 20
UNFILED = 0  # the folder id the console uses for 未分组 (pictures with no folder)


# Pictures


def upload(actor: Actor, folder_id: int | None, files: list[tuple[str, bytes]]) -> list[MediaFile]:
    """Store a batch: every file is checked and re-encoded first, so one refusal stores none.
    A picture already in the library (same bytes) is answered as it is, not stored twice."""
    if not files:
        message = _("Choose at least one picture.")
        raise ValidationError(message, fields={"files": message})
    if len(files) > MAX_BATCH:
        message = _("At most %(n)s pictures at a time.", n=MAX_BATCH)
        raise ValidationError(message, fields={"files": message})
    folder = _folder(folder_id) if folder_id else None
    prepared = [prepare(name, data) for name, data in files]
    result = []
    for item in prepared:
        existing = db.session.scalar(select(MediaFile).where(MediaFile.sha256 == item.sha256))
        result.append(existing or _store(actor, folder, item))
    db.session.flush()
    return result


def _store(actor: Actor, folder: MediaFolder | None, item: Prepared) -> MediaFile:
    store = storage()
    urls = [store.save(rendition.key, rendition.data) for rendition in (item.full, item.web, item.thumb)]
    picture = MediaFile(folder_id=folder.id if folder else None, name=item.name, original_name=item.original_name,
                        storage_key=item.full.key, url=urls[0], web_url=urls[1], thumb_url=urls[2], mime=item.mime,
                        bytes=len(item.full.data), width=item.width, height=item.height, sha256=item.sha256,
                        uploaded_by_id=actor.staff_id)
    db.session.add(picture)
    db.session.flush()
    audit.record(actor, area="products", action="media.upload", target_type="media_file", target_id=picture.id,
                 summary=picture.name, after={"name": picture.name, "folder_id": picture.folder_id})
    return picture


@dataclass(frozen=True)
class Page:
    files: list[MediaFile]
    used: dict[int, int]
    next_before: int | None


def list_files(*, folder_id: int | None = None, query: str = "", before: int | None = None,
               page_size: int = PAGE_SIZE) -> Page:
    """Newest first, one page at a time by id (keyset); the search is a name prefix, which the
    name index answers. folder_id None is every folder, UNFILED the pictures in none."""
    statement = select(MediaFile).order_by(MediaFile.id.desc()).limit(page_size + 1)
    if folder_id == UNFILED:
        statement = statement.where(MediaFile.folder_id.is_(None))
    elif folder_id is not None:
        statement = statement.where(MediaFile.folder_id == folder_id)
    query = query.strip()
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(MediaFile.name.like(f"{escaped}%", escape="\\"))
    if before:
        statement = statement.where(MediaFile.id < before)
    rows = list(db.session.scalars(statement))
    files, more = rows[:page_size], len(rows) > page_size
    counts = usage.count_by_url(url for picture in files for url in picture.urls())
    used = {picture.id: sum(counts.get(url, 0) for url in set(picture.urls())) for picture in files}
    return Page(files, used, files[-1].id if more else None)


def get_file(file_id: int) -> MediaFile:
    picture = db.session.get(MediaFile, file_id)
    if picture is None:
        raise NotFound(_("This picture no longer exists."), code="media_not_found")
    return picture


def by_url(url: str) -> MediaFile | None:
    """The library picture a form posted (by the URL the picker gave it), if it is one."""
    if not url:
        return None
    return db.session.scalar(select(MediaFile).where(MediaFile.web_url == url))


def read(picture: MediaFile) -> bytes:
    """The re-encoded full-size picture's bytes."""
    with storage().open(picture.storage_key) as handle:
        return handle.read()


def rename(actor: Actor, picture: MediaFile, name: str) -> MediaFile:
    name = name.strip()
    if not name or len(name) > 100:
        message = _("A name has 1 to %(n)s characters.", n=100)
        raise ValidationError(message, fields={"name": message})
    before = picture.name
    picture.name = name
    db.session.flush()
    audit.record(actor, area="products", action="media.rename", target_type="media_file", target_id=picture.id,
                 summary=name, before={"name": before}, after={"name": name})
    return picture


def move(actor: Actor, file_ids: list[int], folder_id: int | None) -> int:
    """Move pictures to a folder (None: 未分组)."""
    folder = _folder(folder_id) if folder_id else None
    target = folder.id if folder else None
    moved = db.session.execute(update(MediaFile).where(MediaFile.id.in_(file_ids)).values(folder_id=target)).rowcount
    audit.record(actor, area="products", action="media.move", target_type="media_folder", target_id=target or "",
                 summary=folder.name if folder else _("Unfiled"), after={"file_ids": file_ids})
    db.session.flush()
    return moved


def where_used(picture: MediaFile) -> list[str]:
    """The records showing this picture, as the merchant names them (商品「…」)."""
    return [_owner_name(row) for row in usage.owners(picture.urls())]


def _owner_name(row: MediaUsage) -> str:
    kind = label(row.owner_type, "UsageOwner")
    return f"{kind}「{row.owner_label}」" if row.owner_label else kind


def delete(actor: Actor, picture: MediaFile) -> None:
    """Gone from the library and the store; refused (409) while any record shows it. Once sold
    in an order the picture stays for good: the order history shows it."""
    rows = usage.owners(picture.urls())
    sold = [row for row in rows if row.owner_type == usage.UsageOwner.ORDER_SNAPSHOT]
    if sold:
        names = "、".join(f"「{row.owner_label}」" for row in sold)
        raise Conflict(_("Past orders show this picture (order history of %(names)s); it is kept so that "
                         "order history stays complete, and cannot be deleted.", names=names),
                       code="media_in_order_history", fields={"used_by": names})
    if rows:
        names = "、".join(_owner_name(row) for row in rows)
        raise Conflict(_("This picture is still used by %(n)s: %(names)s. Replace it there first.",
                         n=len(rows), names=names), code="media_in_use", fields={"used_by": names})
    audit.record(actor, area="products", action="media.delete", target_type="media_file", target_id=picture.id,
                 summary=picture.name, before={"name": picture.name, "url": picture.url}, after={})
    keys = rendition_keys(picture.storage_key)
    db.session.delete(picture)
    db.session.flush()
    after_commit(_remove_files, storage(), keys)  # a rolled-back delete keeps its files


def _remove_files(store, keys: list[str]) -> None:
    for key in keys:
        store.delete(key)


def rendition_keys(storage_key: str) -> list[str]:
    base, extension = storage_key.rsplit(".", 1)
    return [storage_key, f"{base}_w{WEB_WIDTH}.{extension}", f"{base}_t{THUMB_SIDE}.{extension}"]


# Folders


def folders() -> list[tuple[MediaFolder, int]]:
    """Every folder with its picture count, parents before their children."""
    counts = dict(db.session.execute(select(MediaFile.folder_id, func.count(MediaFile.id))
                                     .group_by(MediaFile.folder_id)).all())
    rows = list(db.session.scalars(select(MediaFolder).order_by(MediaFolder.sort.desc(), MediaFolder.id)))
    ordered = []
    for top in (row for row in rows if row.parent_id is None):
        ordered.append((top, counts.get(top.id, 0)))
        ordered += [(child, counts.get(child.id, 0)) for child in rows if child.parent_id == top.id]
    return ordered


def unfiled_count() -> int:
    return db.session.scalar(select(func.count(MediaFile.id)).where(MediaFile.folder_id.is_(None))) or 0


def _folder(folder_id: int) -> MediaFolder:
    folder = db.session.get(MediaFolder, folder_id)
    if folder is None:
        message = _("This folder no longer exists.")
        raise ValidationError(message, code="media_folder_not_found", fields={"folder_id": message})
    return folder


def save_folder(actor: Actor, folder: MediaFolder | None, name: str, parent_id: int | None = None) -> MediaFolder:
    name = name.strip()
    fields = {}
    if not name or len(name) > 32:
        fields["name"] = _("A name has 1 to %(n)s characters.", n=32)
    parent = _folder(parent_id) if parent_id else None
    if parent is not None and (parent.parent_id is not None or (folder is not None and parent.id == folder.id)):
        fields["parent_id"] = _("A folder goes inside a top-level folder only.")
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    if folder is None:
        folder = MediaFolder(name=name, parent_id=parent.id if parent else None)
        db.session.add(folder)
        action = "media_folder.create"
    else:
        folder.name = name
        action = "media_folder.rename"
    db.session.flush()
    audit.record(actor, area="products", action=action, target_type="media_folder", target_id=folder.id,
                 summary=name, after={"name": name, "parent_id": folder.parent_id})
    return folder


def delete_folder(actor: Actor, folder: MediaFolder) -> None:
    """Only an empty folder goes (no pictures, no subfolders)."""
    has_children = db.session.scalar(select(func.count(MediaFolder.id)).where(MediaFolder.parent_id == folder.id))
    has_files = db.session.scalar(select(func.count(MediaFile.id)).where(MediaFile.folder_id == folder.id))
    if has_children or has_files:
        raise Conflict(_("Only an empty folder can be deleted; move its pictures and folders first."),
                       code="media_folder_not_empty")
    audit.record(actor, area="products", action="media_folder.delete", target_type="media_folder",
                 target_id=folder.id, summary=folder.name, before={"name": folder.name}, after={})
    db.session.delete(folder)
    db.session.flush()
