"""The application's look: calm colours, large enough targets for a field
laptop's touchpad, and the states the forms and lists show (errors in red,
warnings in amber, finalised in green)."""

from ..models.visits import VisitStatus

STYLE = """
QListWidget#navigation { background: #f3efe6; border: none; border-right: 1px solid #d8d0bf;
    padding-top: 4px; }
QListWidget#navigation::item { padding-left: 14px; }
QListWidget#navigation::item:selected { background: #8a2d1f; color: white; }
QListWidget#navigation::item:disabled { color: #7a6f5a; }
QLabel#who { background: #8a2d1f; color: white; padding: 10px 14px; font-weight: 600; }
QLabel#pageTitle, QLabel#formTitle { font-size: 15pt; font-weight: 600; color: #3b2416; }
QLabel#statusChip { border-radius: 9px; padding: 2px 10px; background: #e7e2d7; }
QLabel#savedNote { color: #6b6b6b; }
QLabel#banner { padding: 8px 12px; border-radius: 4px; background: #e8f0fb; color: #17365d; }
QLabel#banner[severity="error"] { background: #fdecea; color: #8a1c12; }
QLabel#banner[severity="warning"] { background: #fff4d6; color: #6b4b00; }
QLabel[severity="error"] { color: #b3261e; }
QLabel[severity="warning"] { color: #8a5a00; }
QLineEdit[problem="error"], QPlainTextEdit[problem="error"], QComboBox[problem="error"] {
    border: 1px solid #b3261e; background: #fff8f7; }
QLineEdit[problem="warning"], QComboBox[problem="warning"] { border: 1px solid #c98a00; }
QGroupBox { font-weight: 600; border: 1px solid #ddd5c4; border-radius: 6px; margin-top: 14px;
    padding: 12px 10px 8px 10px; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #5a3a22; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QComboBox, QGroupBox QListWidget,
QGroupBox QPlainTextEdit, QGroupBox QDateEdit { font-weight: normal; }
QLabel#resultHeadline { font-size: 16pt; font-weight: 700; color: #3b2416; }
QLabel#resultHeadline[verdict="eligible"] { color: #1f5a28; }
QLabel#resultHeadline[verdict="not_eligible"] { color: #b3261e; }
QLabel#resultPending { color: #8a5a00; }
QLabel#parentTitle { font-weight: 600; }
QPushButton { padding: 5px 12px; }
QPushButton#primary { background: #8a2d1f; color: white; border: 1px solid #6e2418;
    border-radius: 4px; padding: 5px 14px; }
QPushButton#primary:disabled { background: #c9a9a3; }
QTableView { gridline-color: #e6e0d3; selection-background-color: #f0d9c9;
    selection-color: black; alternate-background-color: #faf8f3; }
QHeaderView::section { background: #efe9dc; padding: 5px; border: none;
    border-right: 1px solid #ddd5c4; font-weight: 600; }
QLabel#count { color: #5b5b5b; }
QListWidget#navigation:focus { border: 2px solid #1a5fb4; }
QListWidget#navigation::item:focus { border: 2px dashed #1a5fb4; }
QPushButton:focus { border: 2px solid #1a5fb4; border-radius: 4px; }
QPushButton#primary:focus { border: 3px solid #1a5fb4; }
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QListWidget:focus, QTableView:focus {
    border: 2px solid #1a5fb4; }
QLabel#card-link:focus, QLabel#card-line:focus { border: 2px solid #1a5fb4; border-radius: 3px; }
QToolButton:focus { border: 2px solid #1a5fb4; }
QLabel#practiceBanner { background: #fff1c2; color: #6b4b00; padding: 4px 12px; font-weight: 600;
    border-bottom: 1px solid #c98a00; }
"""

#: A visit's status chip: a draft in amber, a finalised record in green.
STATUS_CHIP = {VisitStatus.DRAFT: "background: #fff1c2; color: #6b4b00;",
               VisitStatus.FINALISED: "background: #d7efd9; color: #1f5a28;"}
STYLE += "".join(f'QLabel#statusChip[status="{status.value}"] {{ {css} }}\n'
                 for status, css in STATUS_CHIP.items())
