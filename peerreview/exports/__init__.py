"""Pure document builders: frozen dataclasses in, complete bytes out (or ExportError).

No Django and no other peerreview imports; ``reviews/`` assembles the inputs.
"""

from .calendar import build_calendar
from .data import (
    CalendarEvent,
    EvidenceCounts,
    Finding,
    LineOfEnquiry,
    ReportData,
    ReportSection,
    Section,
    TeamMember,
    TimetableRow,
)
from .errors import ExportError
from .identifiers import Flag, find_identifiers, scan_report
from .presentation import build_presentation
from .report import build_report_docx, build_report_pdf
from .timetable_xlsx import build_timetable_xlsx

__all__ = [
    "CalendarEvent",
    "EvidenceCounts",
    "ExportError",
    "Finding",
    "Flag",
    "LineOfEnquiry",
    "ReportData",
    "ReportSection",
    "Section",
    "TeamMember",
    "TimetableRow",
    "build_calendar",
    "build_presentation",
    "build_report_docx",
    "build_report_pdf",
    "build_timetable_xlsx",
    "find_identifiers",
    "scan_report",
]
