"""Printed reports (PDF) rendered with Qt's own text layout and PDF writer.

The content comes from services (audit_report, regency_summary); these
modules only lay it out. ``write_audit_pdf`` and ``write_regency_pdf`` are
what the GUI and the command line call.
"""

from .audit_pdf import write_audit_pdf
from .regency_pdf import write_regency_pdf

__all__ = ["write_audit_pdf", "write_regency_pdf"]
