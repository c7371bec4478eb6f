"""Plain HTML tables for Jupyter's rich display (``_repr_html_``): escaped text, inline styles, no scripts."""

from __future__ import annotations

import html
from typing import Any, Iterable, Sequence


def cell(value: Any) -> str:
    """One value as escaped text; floats with 4 significant digits."""
    if isinstance(value, float):
        text = f"{value:.4g}"
    elif value is None:
        text = ""
    else:
        text = str(value)
    return html.escape(text, quote=True)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "") -> str:
    """An HTML table with a header row; every header, cell and the caption escaped."""
    parts = ['<table style="border-collapse:collapse;font-family:monospace">']
    if caption:
        parts.append(f'<caption style="text-align:left;font-weight:bold">{html.escape(caption)}</caption>')
    parts.append("<thead><tr>" + "".join(
        f'<th style="text-align:left;padding:2px 8px;border-bottom:1px solid #999">{html.escape(h)}</th>'
        for h in headers) + "</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f'<td style="padding:2px 8px">{cell(v)}</td>' for v in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def paragraph(text: str) -> str:
    """An escaped paragraph."""
    return f"<p>{html.escape(text)}</p>"
