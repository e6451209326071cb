import subprocess
import sys
from datetime import date, time

import pytest

from peerreview.exports import charts
from peerreview.exports.data import EvidenceCounts, Finding, LineOfEnquiry, ReportData, TimetableRow
from peerreview.exports.errors import ExportError
from peerreview.exports.presentation import build_presentation

from .conftest import make_data


def test_bad_input_raises_export_error_before_anything_is_built():
    with pytest.raises(ExportError):
        Finding("praise", "Good work")
    with pytest.raises(ExportError):
        ReportData("Review", "Council", "Type", "Dates", lines_of_enquiry=(LineOfEnquiry("K1", "A"),) * 2)
    with pytest.raises(ExportError):
        ReportData("Review", "Council", "Type", "Dates", findings=(Finding("area", "X", "", "K9"),))
    with pytest.raises(ExportError):
        TimetableRow(date(2025, 3, 3), time(10), time(9), "Backwards")


def test_builder_failures_surface_as_export_error(monkeypatch):
    data, counts = make_data()

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(charts, "evidence_chart", broken)
    with pytest.raises(ExportError, match="presentation"):
        build_presentation(data, counts)


def test_charts_leave_no_global_matplotlib_state():
    chart = charts.findings_chart(EvidenceCounts(findings_by_kind={"strength": 2, "area": 1}))
    assert chart.png.startswith(b"\x89PNG")
    assert chart.alt_text == "Bar chart: findings by type. Strengths 2, Areas for consideration 1, Recommendations 0."


def test_package_imports_neither_django_nor_pyplot():
    # A fresh interpreter, because the rest of the suite may well have imported Django.
    code = (
        "import sys, peerreview.exports;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django' or m == 'matplotlib.pyplot'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30)
    assert result.stdout.strip() == "[]"
