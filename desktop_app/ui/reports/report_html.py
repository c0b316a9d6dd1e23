"""The HTML pieces both reports share: style sheet, sections, label/value tables.

QTextDocument understands a subset of HTML 4 and CSS 2; tables with
cellpadding and per-cell borders are the reliable way to lay out forms.
"""

from __future__ import annotations

STYLE = """<style>
h1 { font-size: 15pt; color: #1f5c4a; margin-top: 0; margin-bottom: 3pt; }
h2 { font-size: 10.5pt; color: #1f5c4a; margin-top: 14pt; margin-bottom: 5pt; }
p { margin: 0 0 3pt 0; }
p.sub { color: #444444; margin-bottom: 6pt; }
p.note { color: #555555; font-size: 7.5pt; }
p.category { font-size: 11pt; margin-top: 6pt; }
table.kv td { padding: 2pt 4pt; }
td.k { color: #333333; }
td.r { text-align: right; }
td.c { text-align: center; }
table.grid { border-collapse: collapse; }
table.grid th { background-color: #1f5c4a; color: #ffffff; padding: 3pt; border: 1px solid #1f5c4a; }
table.grid td { padding: 3pt; border: 1px solid #9fb8ae; }
tr.total td { background-color: #e6efeb; }
table.sign td { padding-top: 18pt; }
li { margin-bottom: 2pt; }
</style>"""


def section(title: str, body: str) -> str:
    # QTextDocument drops a heading's top margin after a table: a spacer keeps sections apart.
    return f"<p style='font-size:5pt'>&nbsp;</p><h2>{title}</h2>{body}"


def key_values(lines: list[tuple[str, str]], *, numbers: bool = False) -> str:
    """Label: value lines (values already HTML-escaped); ``numbers`` aligns
    the values right, for amounts."""
    value_class = " class='r'" if numbers else ""
    rows = "".join(f"<tr><td class='k' width='40%'>{label}</td><td width='2%'>:</td>"
                   f"<td{value_class}>{value}</td></tr>" for label, value in lines)
    return f"<table class='kv' width='{'75%' if numbers else '100%'}'>{rows}</table>"
