"""Exports in the console: start an order export from the order list's filters, watch its
progress bar, download the file. Staff see their own exports; the owner sees everyone's."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.admin import bp
from app.admin.security import actor, area, current_staff
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.exports import jobs as export_jobs
from app.exports import services as exports
from app.exports.states import ExportStatus
from app.extensions import db
from app.orders.filter_args import filter_args, order_filter_from_args
from app.orders.states import ORDER_STATUS_LABELS, PAY_METHOD_LABELS


@bp.post("/orders/export")
@area("orders")
def order_export():
    """The list's filter arguments come in the query string or the form (the form wins)."""
    arguments = MultiDict({**request.args.to_dict(), **request.form.to_dict()})
    export, created = exports.request_order_export(actor(), filter_args(arguments))
    if created:
        export_jobs.export_orders.delay(export.id)  # enqueued once this commit is done
    db.session.commit()
    return redirect(url_for("admin.export_detail", export_id=export.id))


@bp.get("/exports")
@area("orders")
def export_list():
    page = paginate(exports.visible_exports(current_staff()), validate(PageQuery, request.args.to_dict()),
                    lambda export: export)
    return render_template("admin/export_list.html", page=page,
                           names={export.id: exports.download_name(export) for export in page["items"]},
                           sees_all=exports.sees_every_export(current_staff()))


@bp.get("/exports/<int:export_id>")
@area("orders")
def export_detail(export_id: int):
    export = exports.export_for(current_staff(), export_id)
    return render_template("admin/export_detail.html", export=export, progress=exports.progress(export),
                           summary=_filter_summary(export.params), file_name=exports.download_name(export))


def _filter_summary(params: dict) -> list[tuple[str, str]]:
    """The filters that took effect, as the merchant typed them (ignored ones are left out)."""
    typed = MultiDict(params.get("filter") or {})
    criteria = order_filter_from_args(typed)
    summary = []
    if criteria.status:
        summary.append((_("Status"), str(ORDER_STATUS_LABELS[criteria.status])))
    if criteria.since:
        summary.append((_("From"), typed["since"]))
    if criteria.until:
        summary.append((_("To"), typed["until"]))
    if criteria.keyword:
        summary.append((_("Keyword"), criteria.keyword))
    if criteria.pay_method:
        summary.append((_("Payment method"), str(PAY_METHOD_LABELS[criteria.pay_method])))
    if criteria.exception:
        summary.append((_("Exception"), _("Any") if criteria.exception == "any" else criteria.exception))
    return summary


@bp.get("/exports/<int:export_id>.json")
@area("orders")
def export_progress(export_id: int):
    export = exports.export_for(current_staff(), export_id)
    body = exports.progress(export)
    if export.status == ExportStatus.DONE:
        body["download_url"] = url_for("admin.export_download", export_id=export.id)
    return jsonify(body)


@bp.get("/exports/<int:export_id>/download")
@area("orders")
def export_download(export_id: int):
    export = exports.export_for(current_staff(), export_id)
    if export.status != ExportStatus.DONE:
        flash(_("The file is not ready."), "warning")
        return redirect(url_for("admin.export_detail", export_id=export.id))
    return send_file(exports.open_file(export), mimetype=exports.XLSX, as_attachment=True,
                     download_name=exports.download_name(export), max_age=0)
