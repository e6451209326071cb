"""On-site or remote timetable as XLSX, shaped like the LGA timetable template."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ._text import british_date
from .data import TimetableRow
from .errors import ExportError

HEADERS = ("Day", "Time", "Session", "Participants", "Peers", "Link or room", "Lines of enquiry")
WIDTHS = (22, 14, 40, 40, 30, 34, 24)
DATE_FORMAT = "dddd d mmmm yyyy"  # British order, e.g. Monday 3 March 2025
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")


def build_timetable_xlsx(review_title: str, rows: Sequence[TimetableRow]) -> bytes:
    try:
        wb = Workbook()
        ordered = sorted(rows, key=lambda r: (r.day, r.start, r.end, r.session_title))
        _fill_sheet(wb.active, "All sessions", f"{review_title}: all sessions", ordered)
        for day in sorted({r.day for r in ordered}):
            ws = wb.create_sheet()
            _fill_sheet(
                ws, _sheet_name(day), f"{review_title}: {british_date(day)}", [r for r in ordered if r.day == day]
            )
        wb.properties.title = f"{review_title} timetable"
        wb.properties.creator = "peerreview"
        wb.properties.language = "en-GB"
        out = BytesIO()
        wb.save(out)
        return out.getvalue()
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"Could not build the timetable: {exc}") from exc


def _sheet_name(day: date) -> str:
    # Sheet names are capped at 31 characters and may not contain slashes, so no dd/mm/yyyy here.
    return f"{day:%a} {day.day} {day:%b %Y}"


def _fill_sheet(ws, name: str, title: str, rows: Sequence[TimetableRow]) -> None:
    ws.title = name
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in rows:
        ws.append(
            [
                r.day,
                f"{r.start:%H:%M}–{r.end:%H:%M}",
                r.session_title,
                r.participants,
                r.peers,
                r.link_or_room,
                r.lines_of_enquiry,
            ]
        )
        ws.cell(row=ws.max_row, column=1).number_format = DATE_FORMAT
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    if rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(HEADERS))}{ws.max_row}"
