"""图片空间: the media library page (folders, a grid of pictures, upload, rename, move, delete)
and the JSON the picture picker reads. Uploads answer JSON (the page and the picker send each
file with fetch); the other actions are plain forms that flash and come back."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.actions import run_action
from app.admin.security import actor, any_staff, area, upload_limit
from app.core.errors import ValidationError
from app.extensions import db
from app.media import library
from app.media.models import MediaFile, MediaFolder


def _folder_arg(value: str | None) -> int | None:
    """'' or absent: every folder; '0': 未分组; else a folder id."""
    return int(value) if value and value.isdigit() else None


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def picture_json(picture: MediaFile, used: int = 0) -> dict:
    return {"id": picture.id, "name": picture.name, "url": picture.web_url, "full_url": picture.url,
            "thumb_url": picture.thumb_url, "width": picture.width, "height": picture.height,
            "bytes": picture.bytes, "folder_id": picture.folder_id, "used": used}


def _folders_json() -> list[dict]:
    return [{"id": folder.id, "name": folder.name, "parent_id": folder.parent_id, "count": count}
            for folder, count in library.folders()]


@bp.get("/media")
@area("products")
def media_library():
    folder_id = _folder_arg(request.args.get("folder"))
    query = request.args.get("q", "").strip()
    page = library.list_files(folder_id=folder_id, query=query, before=_int_arg("before"))
    return render_template("admin/media/library.html", page=page, folders=library.folders(),
                           unfiled=library.unfiled_count(), folder_id=folder_id, query=query,
                           current=db.session.get(MediaFolder, folder_id) if folder_id else None)


@bp.get("/media/files.json")
@any_staff  # the picker serves every form that takes a picture, whichever area it is in
def media_files_json():
    page = library.list_files(folder_id=_folder_arg(request.args.get("folder")), query=request.args.get("q", ""),
                              before=_int_arg("before"), page_size=24)
    return jsonify({"files": [picture_json(picture, page.used[picture.id]) for picture in page.files],
                    "next_before": page.next_before, "folders": _folders_json()})


@bp.post("/media/upload")
@any_staff
@upload_limit("MEDIA_MAX_BYTES")
def media_upload():
    """One or several pictures (multipart `files`) into a folder; JSON, 201 with the pictures."""
    uploads = [(upload.filename or "", upload.read()) for upload in request.files.getlist("files")]
    folder_text = request.form.get("folder_id", "")
    if folder_text and not folder_text.isdigit():
        message = _("This folder no longer exists.")
        raise ValidationError(message, fields={"folder_id": message})
    pictures = library.upload(actor(), int(folder_text) if folder_text and folder_text != "0" else None, uploads)
    db.session.commit()
    return jsonify({"files": [picture_json(picture) for picture in pictures]}), 201


def _back():
    return redirect(request.form.get("next") or url_for("admin.media_library"))


@bp.post("/media/<int:file_id>/rename")
@area("products")
def media_rename(file_id: int):
    picture = db.get_or_404(MediaFile, file_id)
    run_action(lambda: library.rename(actor(), picture, request.form.get("name", "")), _("Renamed."))
    return _back()


@bp.post("/media/move")
@area("products")
def media_move():
    file_ids = [int(value) for value in request.form.getlist("file_ids") if value.isdigit()]
    if not file_ids:
        flash(_("Tick the pictures to move first."), "danger")
        return _back()
    target = _folder_arg(request.form.get("folder_id"))
    run_action(lambda: library.move(actor(), file_ids, target or None), _("Moved."))
    return _back()


@bp.post("/media/<int:file_id>/delete")
@area("products")
def media_delete(file_id: int):
    """Refused while used: 409 with the error shape for fetch(), a flash naming the users for a form."""
    picture = db.get_or_404(MediaFile, file_id)
    if request.accept_mimetypes.best == "application/json":
        library.delete(actor(), picture)
        db.session.commit()
        return jsonify({"deleted": file_id})
    run_action(lambda: library.delete(actor(), picture), _("Deleted."))
    return _back()


@bp.post("/media/folders")
@area("products")
def media_folder_create():
    parent = _folder_arg(request.form.get("parent_id"))
    run_action(lambda: library.save_folder(actor(), None, request.form.get("name", ""), parent), _("Folder created."))
    return _back()


@bp.post("/media/folders/<int:folder_id>/rename")
@area("products")
def media_folder_rename(folder_id: int):
    folder = db.get_or_404(MediaFolder, folder_id)
    run_action(lambda: library.save_folder(actor(), folder, request.form.get("name", ""), folder.parent_id),
               _("Renamed."))
    return _back()


@bp.post("/media/folders/<int:folder_id>/delete")
@area("products")
def media_folder_delete(folder_id: int):
    folder = db.get_or_404(MediaFolder, folder_id)
    if run_action(lambda: library.delete_folder(actor(), folder), _("Folder deleted.")):
        return redirect(url_for("admin.media_library"))
    return _back()

