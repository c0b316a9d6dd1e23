"""Charts drawn on the server as inline SVG: bars for the dashboard's
figures. No script, no styles in attributes the CSP forbids (presentation
attributes only), readable at a phone's width (the SVG scales)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#1f6f8b", "#2e8b57", "#c07f00", "#b03a2e", "#6c5b7b", "#4a7c59", "#8a6d3b", "#5d6d7e")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def both(draw, items: Sequence[tuple[str, int]], *, title: str) -> Markup:  # type: ignore[no-untyped-def]
    """The chart drawn for a wide card and for a phone (CSS shows one), so its
    words stay readable at either width."""
    return Markup(draw(items, title=title, width=560, css="wide")
                  + draw(items, title=title, width=340, css="narrow"))


def hbars(items: Sequence[tuple[str, int]], *, title: str, width: int = 560,
          css: str = "") -> Markup:
    """Horizontal bars, one per (label, count), the count at the bar's end."""
    row, pad = 26, 8
    label_w = 190 if width >= 500 else 150
    height = max(1, len(items)) * row + pad * 2
    top = max([n for _l, n in items] or [0]) or 1
    bar_space = width - label_w - 70
    parts = [f'<svg class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    limit, font = (30, 13) if width >= 500 else (19, 12)
    for i, (label, count) in enumerate(items):
        y = pad + i * row
        w = round(bar_space * count / top)
        colour = PALETTE[i % len(PALETTE)]
        name = label if len(label) <= limit else label[:limit - 1] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="{font}" '
                     f'fill="#1d2733">{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1)}" height="{row - 8}" '
                     f'rx="3" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + max(w, 1) + 6}" y="{y + 17}" font-size="13" '
                     f'fill="#1d2733">{_number(count)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(items: Sequence[tuple[str, int]], *, title: str, width: int = 560,
            height: int = 220, css: str = "") -> Markup:
    """Vertical bars over time (one per month), labels under them."""
    pad_top, pad_bottom, pad_x = 22, 30, 10
    top = max([n for _l, n in items] or [0]) or 1
    slot = (width - 2 * pad_x) / max(1, len(items))
    space = height - pad_top - pad_bottom
    parts = [f'<svg class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{pad_x}" y1="{height - pad_bottom}" x2="{width - pad_x}" '
             f'y2="{height - pad_bottom}" stroke="#9aa5b1"/>']
    for i, (label, count) in enumerate(items):
        h = round(space * count / top)
        x = pad_x + i * slot
        parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{height - pad_bottom - h}" '
                     f'width="{slot * 0.7:.1f}" height="{max(h, 0)}" rx="2" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - pad_bottom - h - 5}" '
                     f'text-anchor="middle" font-size="11" fill="#1d2733">{_number(count)}</text>')
        shown = label if width >= 500 or i % 2 == 0 else ""  # every other month on a phone
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                     f'font-size="11" fill="#4a5561">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
