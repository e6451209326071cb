"""Small text helpers shared by the builders."""

from __future__ import annotations

from datetime import date

from .data import ReportData

DRAFT_MARK = "DRAFT – not for circulation"


def british_date(value: date) -> str:
    # "Monday 3 March 2025" — GOV.UK style, no leading zero, no ordinal.
    return f"{value:%A} {value.day} {value:%B %Y}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def evidence_sentence(total: int, source_types: int) -> str:
    if total == 0:
        return "No evidence notes are linked to this line of enquiry yet."
    return f"Based on {plural(total, 'evidence note')} from {plural(source_types, 'source type')}."


def subtitle_lines(data: ReportData) -> list[str]:
    lines = [data.council_name, data.review_type_name, data.dates_text]
    if data.feedback_date:
        lines.append(f"Feedback given on {british_date(data.feedback_date)}")
    lines.append(f"{'Draft' if data.is_draft else 'Final'} version {data.version}")
    if data.is_draft:
        lines.append(DRAFT_MARK)
    return [line for line in lines if line]
