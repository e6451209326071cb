"""Charts as PNG bytes plus alt text that says the same thing in words.

We draw on a ``Figure`` with the Agg canvas directly rather than through pyplot, so nothing touches
matplotlib's global figure manager or backend setting.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from io import BytesIO

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .data import FINDING_KIND_LABELS, FINDING_KINDS, EvidenceCounts, LineOfEnquiry
from .errors import ExportError

# Okabe–Ito: distinguishable with the common forms of colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
RC = {"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "none"}


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes
    alt_text: str
    width_px: int
    height_px: int


def _render(fig: Figure) -> tuple[bytes, int, int]:
    canvas = FigureCanvasAgg(fig)
    buffer = BytesIO()
    canvas.print_png(buffer, pil_kwargs={"compress_level": 1})
    width, height = canvas.get_width_height()
    return buffer.getvalue(), int(width), int(height)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def evidence_chart(counts: EvidenceCounts, lines_of_enquiry: tuple[LineOfEnquiry, ...] = ()) -> Chart:
    """Stacked horizontal bars: evidence notes per line of enquiry, split by source type."""
    titles = {loe.code: loe.title for loe in lines_of_enquiry}
    codes = [loe.code for loe in lines_of_enquiry] or list(counts.matrix)
    codes += [c for c in counts.matrix if c not in codes]
    source_types = counts.source_types()
    title = "Evidence by line of enquiry and source type"
    try:
        with rc_context(RC):
            height = max(3.0, 0.4 * len(codes) + 1.6)
            fig = Figure(figsize=(10, height), dpi=110)
            ax = fig.add_subplot()
            labels = [textwrap.shorten(f"{c} {titles.get(c, '')}".strip(), 45, placeholder="…") for c in codes]
            positions = list(range(len(codes)))
            left = [0] * len(codes)
            for i, source in enumerate(source_types):
                values = [counts.matrix.get(c, {}).get(source, 0) for c in codes]
                ax.barh(
                    positions,
                    values,
                    left=left,
                    color=PALETTE[i % len(PALETTE)],
                    hatch=HATCHES[(i // len(PALETTE)) % len(HATCHES)],
                    edgecolor="white",
                    label=source,
                )
                left = [a + b for a, b in zip(left, values, strict=True)]
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_xlabel("Number of evidence notes")
            ax.set_title(title, loc="left", fontweight="bold")
            ax.spines[["top", "right"]].set_visible(False)
            if source_types:
                ax.legend(title="Source type", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
            fig.tight_layout()
            png, w, h = _render(fig)
    except (ValueError, RuntimeError) as exc:
        raise ExportError(f"Could not draw the evidence chart: {exc}") from exc

    if not codes:
        alt = f"{title}: no evidence has been recorded yet."
    else:
        total = sum(counts.total_for(c) for c in codes)
        parts = []
        for c in codes:
            row = counts.matrix.get(c, {})
            detail = ", ".join(f"{s} {n}" for s, n in row.items() if n)
            name = f"{c} {titles.get(c, '')}".strip()
            parts.append(f"{name}: {_plural(counts.total_for(c), 'note')}" + (f" ({detail})" if detail else ""))
        alt = (
            f"Bar chart: {title.lower()}. {_plural(total, 'evidence note')} across "
            f"{_plural(len(codes), 'line')} of enquiry and {_plural(len(source_types), 'source type')}. "
            + "; ".join(parts)
            + "."
        )
    return Chart(title=title, png=png, alt_text=alt, width_px=w, height_px=h)


def findings_chart(counts: EvidenceCounts) -> Chart:
    """Bars: number of strengths, areas for consideration and recommendations."""
    title = "Findings by type"
    labels = [FINDING_KIND_LABELS[k] for k in FINDING_KINDS]
    values = [counts.findings_by_kind.get(k, 0) for k in FINDING_KINDS]
    try:
        with rc_context(RC):
            fig = Figure(figsize=(7, 3.5), dpi=110)
            ax = fig.add_subplot()
            bars = ax.bar(labels, values, color=PALETTE[:3], edgecolor="white")
            ax.bar_label(bars, padding=2)
            ax.set_ylabel("Number of findings")
            ax.set_title(title, loc="left", fontweight="bold")
            ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            png, w, h = _render(fig)
    except (ValueError, RuntimeError) as exc:
        raise ExportError(f"Could not draw the findings chart: {exc}") from exc
    alt = f"Bar chart: {title.lower()}. " + ", ".join(f"{lab} {n}" for lab, n in zip(labels, values, strict=True)) + "."
    return Chart(title=title, png=png, alt_text=alt, width_px=w, height_px=h)
