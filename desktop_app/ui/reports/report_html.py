"""The HTML pieces both reports share: style sheet, sections, label/value tables.

QTextDocument understands a subset of HTML 4 and CSS 2; tables with
cellpadding and per-cell borders are the reliable way to lay out forms.
"""

from __future__ import annotations


#: A table cell's padding. QTextDocument lays the report out for the PDF
#: writer, at 300 dpi (pdf_pages.DPI), and reads a cell's CSS padding in
#: that writer's dots: the 3pt written before were a quarter of a
#: millimetre and the text touched the borders. About 0.6 mm above and
#: below, 1.2 mm at the sides, in those dots (``cellpadding`` would be in
#: CSS pixels and the same on every side: the rows would not fit a page).
CELL_PADDING = "1px 5px"


def grid(width: str = "100%") -> str:
    """The opening tag of a bordered table, its text clear of the borders."""
    return f"<table class='grid' cellspacing='0' cellpadding='0' width='{width}'>"


def spacer(points: float) -> str:
    """Vertical space (QTextDocument ignores most margins around tables)."""
    return f"<p style='font-size:{points}pt; margin:0'>&nbsp;</p>"


STYLE = """<style>
h1 { font-size: 15pt; color: #1f5c4a; margin-top: 0; margin-bottom: 3pt; }
h2 { font-size: 10.5pt; color: #1f5c4a; margin-top: 6pt; margin-bottom: 3pt; }
p { margin: 0 0 3pt 0; }
p.sub { color: #444444; margin-bottom: 6pt; }
p.note { color: #555555; font-size: 7.5pt; }
p.category { font-size: 11pt; margin-top: 6pt; }
table.kv td { padding: 2pt 4pt; }
td.k { color: #333333; }
td.r { text-align: right; }
td.c { text-align: center; }
table.grid { border-collapse: collapse; }
table.grid th { background-color: #1f5c4a; color: #ffffff; border: 1px solid #1f5c4a;
                padding: %(pad)s; }
table.grid td { border: 1px solid #9fb8ae; padding: %(pad)s; }
tr.total td { background-color: #e6efeb; }
li { margin-bottom: 2pt; }
ol { margin-top: 0; margin-bottom: 0; }
</style>""" % {"pad": CELL_PADDING}


def section(title: str, body: str) -> str:
    # QTextDocument drops a heading's top margin after a table: a spacer keeps sections apart.
    return f"<p style='font-size:4pt'>&nbsp;</p><h2>{title}</h2>{body}"


def key_values(lines: list[tuple[str, str]], *, numbers: bool = False) -> str:
    """Label: value lines (values already HTML-escaped); ``numbers`` aligns
    the values right, for amounts."""
    value_class = " class='r'" if numbers else ""
    rows = "".join(f"<tr><td class='k' width='40%'>{label}</td><td width='2%'>:</td>"
                   f"<td{value_class}>{value}</td></tr>" for label, value in lines)
    return f"<table class='kv' width='{'75%' if numbers else '100%'}'>{rows}</table>"
