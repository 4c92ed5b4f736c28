"""A streaming xlsx sheet: openpyxl's write-only mode keeps memory flat however many rows.

Rows are lists of typed values; the column kind decides how each is written, so amounts
are numbers (two decimals shown), times are Excel dates, and text stays text — a nickname
like "=HYPERLINK(...)" is written as a string, never as a formula.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

TEXT, MONEY, TIME, COUNT, LINES = "text", "money", "time", "count", "lines"
_FORMATS = {MONEY: "0.00", TIME: "yyyy-mm-dd hh:mm:ss", COUNT: "0"}


@dataclass(frozen=True)
class Column:
    header: object  # str or a lazy translation
    kind: str = TEXT
    width: int = 14


class SheetFile:
    """One sheet written row by row into a temporary file; `close()` deletes it."""

    def __init__(self, title: str, columns: Sequence[Column]) -> None:
        self.columns = columns
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=title)
        for index, column in enumerate(columns, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = column.width
        self._sheet.freeze_panes = "A2"
        self._wrap = Alignment(wrap_text=True, vertical="top")
        header_font = Font(bold=True)
        header = []
        for column in columns:
            cell = WriteOnlyCell(self._sheet, value=str(column.header))
            cell.font = header_font
            header.append(cell)
        self._sheet.append(header)
        handle, self.path = tempfile.mkstemp(prefix="fenxiao-export-", suffix=".xlsx")
        os.close(handle)

    def append(self, values: Sequence[Any]) -> None:
        self._sheet.append([self._cell(column, value) for column, value in zip(self.columns, values, strict=True)])

    def _cell(self, column: Column, value: Any) -> Any:
        if value is None or value == "":
            return None
        if column.kind == MONEY:
            cell = WriteOnlyCell(self._sheet, value=(Decimal(value) / 100).quantize(Decimal("0.01")))
        elif column.kind == TIME:
            assert isinstance(value, datetime)
            cell = WriteOnlyCell(self._sheet, value=value.replace(tzinfo=None))
        elif column.kind == COUNT:
            cell = WriteOnlyCell(self._sheet, value=int(value))
        else:
            cell = WriteOnlyCell(self._sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
            cell.data_type = "s"  # text, even when it starts with "="
            if column.kind == LINES:
                cell.alignment = self._wrap
            return cell
        cell.number_format = _FORMATS[column.kind]
        return cell

    def save(self) -> str:
        """Finish the file and return its path."""
        self._book.save(self.path)
        return self.path

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def __enter__(self) -> SheetFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
