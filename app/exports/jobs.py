"""The export job: claim the export, stream the rows into a file, store it, mark it done.

Unlike other jobs this one commits more than once: after claiming and after each batch it
commits the progress (only the export's own row changes; orders are only read), so the
console's progress bar, reading from another connection, sees it move. A failure marks
the export failed with the message and re-raises for RQ's retry, which starts over into
the same file key; a retry of a finished export does nothing.
"""

from __future__ import annotations

import logging

from werkzeug.datastructures import MultiDict

from app.core.jobs import job
from app.exports import services
from app.extensions import db
from app.orders.filter_args import order_filter_from_args

log = logging.getLogger(__name__)


@job("default", retries=2, timeout=3600)
def export_orders(export_id: int) -> int:
    """Returns the number of rows written (0 when there was nothing to do)."""
    export = services.claim(export_id)
    db.session.commit()
    if export is None:
        return 0
    criteria = order_filter_from_args(MultiDict(export.params.get("filter") or {}))
    key = services.file_key(export)
    done = 0
    try:
        with services.order_sheet_file() as sheet:
            for done, total in services.write_orders(criteria, sheet):
                services.record_progress(export_id, done, total)
                db.session.commit()
                db.session.expunge_all()  # this batch's orders leave memory
            services.finish(export_id, key, sheet.save(), done)
            db.session.commit()
    except Exception as exc:
        db.session.rollback()
        log.exception("order export %s failed", export_id)
        services.fail(export_id, f"{type(exc).__name__}: {exc}")
        db.session.commit()
        raise
    return done
