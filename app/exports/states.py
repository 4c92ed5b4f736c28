"""An export's status and every allowed change of it, in one place."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import state_machine
from app.core.labels import labels


class ExportStatus(StrEnum):
    QUEUED = "queued"  # waiting for a worker
    RUNNING = "running"
    DONE = "done"  # the file is stored and can be downloaded
    FAILED = "failed"  # the error says why; a retry of the job may still finish it


EXPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ExportStatus.QUEUED: frozenset({ExportStatus.RUNNING, ExportStatus.FAILED}),
    # running -> running: a worker that died mid-way is retried and starts over.
    ExportStatus.RUNNING: frozenset({ExportStatus.RUNNING, ExportStatus.DONE, ExportStatus.FAILED}),
    ExportStatus.FAILED: frozenset({ExportStatus.RUNNING}),
    ExportStatus.DONE: frozenset(),
}

TRANSITIONS = {"export_jobs": EXPORT_TRANSITIONS}

EXPORT_STATUS_LABELS = labels(ExportStatus, {
    ExportStatus.QUEUED: _l("Queued"),
    ExportStatus.RUNNING: _l("Exporting"),
    ExportStatus.DONE: _l("Ready"),
    ExportStatus.FAILED: _l("Failed"),
})


def can_move(current: str, wanted: str) -> bool:
    return state_machine.can_move(TRANSITIONS, "export_jobs", current, wanted)


def move(row: Any, wanted: str, **values: Any) -> bool:
    """Compare-and-set status change (see `app.core.state_machine.move`)."""
    return state_machine.move(TRANSITIONS, row, wanted, **values)
