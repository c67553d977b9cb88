"""How every `drape bench` reports: a Markdown table of rows, and one line per target with its distance if missed.

Torch-free, so the device-side benchmark (bench_live) uses it too.
"""

from __future__ import annotations


def markdown_table(columns: list[tuple[str, str, int | None]], rows: list) -> str:
    """Rows (dataclasses) as a Markdown table; columns are (header, attribute, digits or None for text)."""
    lines = ["| " + " | ".join(c[0] for c in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [_cell(getattr(row, attr), digits) for _, attr, digits in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value, digits: int | None) -> str:
    if value is None:
        return "—"
    return str(value) if digits is None else f"{value:.{digits}f}"


def check_target(label: str, value: float | None, limit: float, unit: str, higher_is_better: bool = False) -> str:
    if value is None:
        return f"- {label}: not measured"
    met = value >= limit if higher_is_better else value <= limit
    gap = "" if met else f" — missed by {abs(value - limit):.3g} {unit}"
    target = f"target {'≥' if higher_is_better else '≤'} {limit:g}"
    return f"- {label}: {value:.3g} {unit} ({target}) {'met' if met else 'MISSED'}{gap}"
