"""Exports as use cases: ask for one, let the job claim it, record progress, finish or fail.

These flush and never commit; the console view and the job commit. Who may see an export:
the staff member who asked for it, and the shop owner (role `owner`), who sees all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import StaffAccount
from app.audit import services as audit
from app.audit.services import Actor
from app.core.china_time import format_beijing
from app.core.errors import NotFound
from app.core.models import utcnow
from app.exports import order_sheet, states
from app.exports.models import ExportJob
from app.exports.states import ExportStatus
from app.exports.workbook import SheetFile
from app.extensions import db
from app.media.storage import private_storage
from app.orders.queries import OrderFilter

ORDERS = "orders"
SEES_EVERY_EXPORT = "owner"
FILTER_VALUE_MAX = 64
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_order_export(actor: Actor, filter_args: dict[str, str]) -> tuple[ExportJob, bool]:
    """A queued order export of what the list shows under `filter_args` (raw arguments, kept
    as typed; the job reads them with the list's own parser, which ignores what it cannot use),
    and whether it is new: the same request again within a minute, while the first has not
    finished (a double click), returns the first. Audited: the file holds shoppers' addresses."""
    staff_id = actor.staff_id
    params = {"filter": {name: str(value)[:FILTER_VALUE_MAX] for name, value in sorted(filter_args.items())}}
    recent = db.session.scalars(
        select(ExportJob).where(ExportJob.staff_id == staff_id, ExportJob.kind == ORDERS,
                                ExportJob.status.in_((ExportStatus.QUEUED, ExportStatus.RUNNING)),
                                ExportJob.created_at >= utcnow() - DOUBLE_SUBMIT_WINDOW)
        .order_by(ExportJob.id.desc())).all()
    for export in recent:
        if export.params == params:
            return export, False
    export = ExportJob(kind=ORDERS, params=params, status=ExportStatus.QUEUED, staff_id=staff_id)
    db.session.add(export)
    db.session.flush()
    audit.record(actor, area="orders", action="orders.export", target_type="export", target_id=export.id,
                 after=params["filter"])
    return export, True


def sees_every_export(staff: StaffAccount) -> bool:
    return staff.role.code == SEES_EVERY_EXPORT


def visible_exports(staff: StaffAccount) -> Select:
    statement = select(ExportJob).options(selectinload(ExportJob.staff)).order_by(ExportJob.id.desc())
    if not sees_every_export(staff):
        statement = statement.where(ExportJob.staff_id == staff.id)
    return statement


def export_for(staff: StaffAccount, export_id: int) -> ExportJob:
    """An export this staff member may see; someone else's is NotFound (not Forbidden)."""
    export = db.session.get(ExportJob, export_id)
    if export is None or (not sees_every_export(staff) and export.staff_id != staff.id):
        raise NotFound(_("No such export."))
    return export


def claim(export_id: int) -> ExportJob | None:
    """Mark the export running, from nothing, for this run of the job. None when there is
    nothing to do: the export is gone, already done (a retried job), or another run took it."""
    export = db.session.get(ExportJob, export_id, with_for_update=True, populate_existing=True)
    if export is None or export.status == ExportStatus.DONE:
        return None
    moved = states.move(export, ExportStatus.RUNNING, done_rows=0, total_rows=0, error="", file_key="",
                        started_at=utcnow(), finished_at=None)
    return export if moved else None


def record_progress(export_id: int, done_rows: int, total_rows: int | None = None) -> None:
    values: dict = {"done_rows": done_rows, "updated_at": utcnow()}
    if total_rows is not None:
        values["total_rows"] = total_rows
    db.session.execute(update(ExportJob)
                       .where(ExportJob.id == export_id, ExportJob.status == ExportStatus.RUNNING)
                       .values(**values).execution_options(synchronize_session=False))


def file_key(export: ExportJob) -> str:
    """One key per export: a retried job overwrites its own file instead of adding another."""
    return f"exports/{export.kind}-{export.id}.xlsx"


def write_orders(criteria: OrderFilter, sheet: SheetFile) -> Iterator[tuple[int, int]]:
    """Write the orders into `sheet`, yielding (done, total) after the count and each batch
    so the caller can commit the progress."""
    selection = order_sheet.select_orders(criteria)
    done = 0
    yield done, selection.total
    for rows in order_sheet.row_batches(selection):
        for row in rows:
            sheet.append(row)
        done += len(rows)
        yield done, max(done, selection.total)


def order_sheet_file() -> SheetFile:
    return SheetFile(_("Orders"), order_sheet.COLUMNS)


def finish(export_id: int, key: str, path: str, rows: int) -> None:
    """Store the file and mark the export done (the bar reaches the end: total = rows written)."""
    private_storage().save_file(key, path)
    export = db.session.get(ExportJob, export_id, populate_existing=True)
    states.move(export, ExportStatus.DONE, file_key=key, done_rows=rows, total_rows=rows, finished_at=utcnow())


def fail(export_id: int, message: str) -> None:
    export = db.session.get(ExportJob, export_id, populate_existing=True)
    if export is not None and states.can_move(export.status, ExportStatus.FAILED):
        states.move(export, ExportStatus.FAILED, error=message[:500], finished_at=utcnow())


def download_name(export: ExportJob) -> str:
    """e.g. 订单导出-20261127-1830.xlsx, in Beijing time of the request."""
    title = _("Order export")
    return f"{title}-{format_beijing(export.created_at, '%Y%m%d-%H%M')}.xlsx"


def open_file(export: ExportJob) -> BinaryIO:
    if export.status != ExportStatus.DONE or not export.file_key or not private_storage().exists(export.file_key):
        raise NotFound(_("The file is not ready."))
    return private_storage().open(export.file_key)


def progress(export: ExportJob) -> dict:
    percent = 100 if export.status == ExportStatus.DONE else \
        (min(99, export.done_rows * 100 // export.total_rows) if export.total_rows else 0)
    return {"id": export.id, "status": export.status, "status_label": str(states.EXPORT_STATUS_LABELS[export.status]),
            "done_rows": export.done_rows, "total_rows": export.total_rows, "percent": percent,
            "error": export.error}
